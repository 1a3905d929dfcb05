from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "resolve.partnerships"
    label = "partnerships"
