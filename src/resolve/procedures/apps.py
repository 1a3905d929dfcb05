from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "resolve.procedures"
    label = "procedures"
