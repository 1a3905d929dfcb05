from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """Django's admin for every model, and the audit trail's export: a face above every domain app."""

    name = "resolve.administration"
    label = "administration"
    verbose_name = "Administration"
