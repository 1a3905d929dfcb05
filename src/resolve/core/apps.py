from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "resolve.core"
    label = "core"
