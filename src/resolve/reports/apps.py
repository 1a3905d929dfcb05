from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "resolve.reports"
    label = "reports"
