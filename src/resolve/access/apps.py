from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "resolve.access"
    label = "access"
