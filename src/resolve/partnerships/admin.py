"""The administrator's pages for reference data: partnerships, agencies, people, roles and calendars.

Disagreements and children are deliberately not here: an administrator manages reference data
but does not read children's records, and every read of those goes through the access policy.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from resolve.accounts.selectors import person_of
from resolve.audit.admin import export_person_trail
from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.partnerships.models import Agency, CalendarDay, Partnership, Person, RoleAssignment


class AuditedAdmin(admin.ModelAdmin):
    """Every addition, change and deletion made here is also an entry in the audit trail."""

    def _audit(self, request: HttpRequest, obj: models.Model, action: str, detail: Any = "") -> None:
        partnership = obj if isinstance(obj, Partnership) else getattr(obj, "partnership", None)
        if partnership is None:
            return
        actor = person_of(request.user)
        event_record(
            verb=Verb.REFERENCE_CHANGED,
            partnership=partnership,
            actor=actor,
            data={
                "model": obj._meta.label,
                "object": str(obj.pk),
                "action": action,
                "user": request.user.pk,
                "fields": [f for change in detail or [] for f in change.get("changed", {}).get("fields", [])]
                if isinstance(detail, list)
                else [],
            },
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "added")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, obj, "deleted")
        return super().log_deletions(request, queryset)


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ("name", "slug", "nation", "procedure", "mfa_required", "retention_days")
    readonly_fields = ("procedure",)  # adopted with `resolve procedures adopt`, which keeps versions
    inlines = [CalendarDayInline]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "partnership", "matrix_agency", "email")
    list_filter = ("partnership",)
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("name", "job_title", "agency", "level", "line_manager", "is_active")
    list_filter = ("partnership", "agency", "level", "is_active")
    search_fields = ("name", "email", "job_title")
    autocomplete_fields = ("line_manager", "agency")
    raw_id_fields = ("user",)
    actions = [export_person_trail]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("person", "role", "partnership")
    list_filter = ("partnership", "role")
