from django.apps import AppConfig


class DisagreementsConfig(AppConfig):
    name = "resolve.disagreements"
    label = "disagreements"
