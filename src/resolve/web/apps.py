from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "resolve.web"
    label = "web"
