from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "resolve.demo"
    label = "demo"
    verbose_name = "Demo partnership"
