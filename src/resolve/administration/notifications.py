"""The messages Resolve wrote, in the admin: read only, and only the administrator's own partnerships'.

Nobody adds, changes or deletes a message here: a message is a record of what was sent. Sending a
failed one again is the "Messages not sent" page's ``message_send_again`` (audited), linked from this
list. A staff account sees only the partnerships it administers; a superuser sees every one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.http import HttpRequest

from resolve.administration.scope import ScopedAdmin, sees_everything
from resolve.notifications.models import Message
from resolve.partnerships.selectors import partnerships_administered_by


@admin.register(Message)
class MessageAdmin(ScopedAdmin):
    list_display = ("id", "created_at", "partnership", "person", "channel", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", ("partnership", RelatedOnlyFieldListFilter))
    search_fields = ("=notice__disagreement__reference",)
    ordering = ("-created_at", "-id")
    list_per_page = 50
    list_select_related = ("partnership", "person")
    # what the admin shows of a message: never a form to change it
    fields = (
        "partnership",
        "person",
        "channel",
        "address",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "provider_reference",
        "digest",
    )
    readonly_fields = fields

    def _administers(self, request: HttpRequest) -> bool:
        return sees_everything(request) or partnerships_administered_by(request.user).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._administers(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._administers(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
