from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "resolve.accounts"
    label = "accounts"

    def ready(self) -> None:
        from resolve.accounts import receivers  # noqa: F401, PLC0415  (connects the audit receivers)
