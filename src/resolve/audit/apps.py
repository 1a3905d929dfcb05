from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "resolve.audit"
    label = "audit"
