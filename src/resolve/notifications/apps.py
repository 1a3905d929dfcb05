from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "resolve.notifications"
    label = "notifications"

    def ready(self) -> None:
        from resolve.disagreements.signals import notice_written  # noqa: PLC0415 - once the apps are loaded
        from resolve.notifications.receivers import notice_queue  # noqa: PLC0415

        notice_written.connect(notice_queue, dispatch_uid="resolve.notifications.notice_queue")
