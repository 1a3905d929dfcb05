from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "resolve.documents"
    label = "documents"
