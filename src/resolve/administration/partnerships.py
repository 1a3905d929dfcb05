"""The administrator's pages for reference data: partnerships, agencies, people, roles and calendars.

Disagreements and children are deliberately not here: an administrator manages reference data
but does not read children's records, and every read of those goes through the access policy.
A staff account sees and changes only the partnerships it administers (``ScopedAdmin``); adding
a partnership, and choosing who administers one, is for superusers.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from resolve.accounts.services import account_invite
from resolve.administration.audit import export_person_trail
from resolve.administration.scope import AuditedAdmin, ScopedAdmin, sees_everything
from resolve.core.errors import ResolveError
from resolve.partnerships.models import Agency, CalendarDay, Partnership, Person, RoleAssignment
from resolve.partnerships.services import calendar_day_remove, calendar_day_set


class CalendarDayInline(admin.TabularInline):
    """Closure days and extra working days; saved through ``calendar_day_set`` (one write path, audited)."""

    model = CalendarDay
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(ScopedAdmin, AuditedAdmin):
    list_display = ("name", "slug", "nation", "procedure", "mfa_required", "retention_days")
    inlines = [CalendarDayInline]
    scope = "pk"
    filter_horizontal = ("administrators",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = ["procedure"]  # adopted with `resolve procedures adopt`, which keeps versions
        if not sees_everything(request):
            readonly.append("administrators")  # who administers a partnership is for superusers
        return readonly

    def has_add_permission(self, request: HttpRequest) -> bool:
        return sees_everything(request) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return sees_everything(request) and super().has_delete_permission(request, obj)

    @transaction.atomic
    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        """Calendar rows are saved by ``calendar_day_set``/``calendar_day_remove``, audited as calendar changes."""
        if formset.model is not CalendarDay:
            super().save_formset(request, form, formset, change)
            return
        partnership = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        try:
            for day_form in formset.forms:
                if not day_form.has_changed() and day_form not in formset.deleted_forms:
                    continue
                existing, original = day_form.instance.pk is not None, day_form.initial.get("date")
                deleted = day_form in formset.deleted_forms
                if existing and original and (deleted or original != day_form.cleaned_data["date"]):
                    calendar_day_remove(partnership=partnership, day=original, by=request.user)
                if deleted:
                    if existing:
                        formset.deleted_objects.append(day_form.instance)
                    continue
                entry = calendar_day_set(
                    partnership=partnership,
                    day=day_form.cleaned_data["date"],
                    kind=day_form.cleaned_data["kind"],
                    reason=day_form.cleaned_data.get("reason", ""),
                    by=request.user,
                )
                if existing:
                    formset.changed_objects.append((entry, day_form.changed_data))
                else:
                    formset.new_objects.append(entry)
        except ResolveError as exc:  # the form has checked the values: this is a refusal
            raise PermissionDenied(exc.message) from exc


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin, AuditedAdmin):
    list_display = ("name", "partnership", "matrix_agency", "email")
    list_filter = (("partnership", RelatedOnlyFieldListFilter),)
    search_fields = ("name",)


@admin.action(description="Send a sign-in invitation (makes the account; the person chooses a password)")
def invite_people(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
    """One invitation per chosen person, each its own transaction: a refusal for one stops none of the others."""
    invited = 0
    for person in queryset:
        try:
            account_invite(person=person, by=request.user)
        except ResolveError as exc:
            modeladmin.message_user(request, f"{person.name}: {exc.message}", messages.ERROR)
        else:
            invited += 1
    if invited:
        modeladmin.message_user(request, f"Invitations sent: {invited}.", messages.SUCCESS)


@admin.register(Person)
class PersonAdmin(ScopedAdmin, AuditedAdmin):
    list_display = ("name", "job_title", "agency", "level", "line_manager", "is_active")
    list_filter = (
        ("partnership", RelatedOnlyFieldListFilter),
        ("agency", RelatedOnlyFieldListFilter),
        "level",
        "is_active",
    )
    search_fields = ("name", "email", "job_title")
    autocomplete_fields = ("line_manager", "agency")
    raw_id_fields = ("user",)
    actions = [export_person_trail, invite_people]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin, AuditedAdmin):
    list_display = ("person", "role", "partnership")
    list_filter = (("partnership", RelatedOnlyFieldListFilter), "role")
    autocomplete_fields = ("person",)
