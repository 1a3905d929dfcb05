"""What a staff account sees and changes in the admin: only its own partnerships' reference data.

A partnership's administrators are the staff accounts in ``Partnership.administrators``; only
superusers see across partnerships. Every list, change page, foreign-key and many-to-many choice
and export goes through ``ScopedAdmin``, and every addition, change and deletion is an audit entry
(``AuditedAdmin``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.partnerships.models import Agency, Partnership, Person
from resolve.partnerships.selectors import partnerships_administered_by, person_of


def sees_everything(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def accounts_for(request: HttpRequest) -> QuerySet[Any]:
    """The accounts a partnership administrator may manage or link to a person.

    Their own partnerships' people's accounts, and accounts nobody's person holds yet; never a
    staff account, a superuser, another partnership's administrator, or another partnership's person.
    """
    users = get_user_model().objects.all()
    if sees_everything(request):
        return users
    return users.filter(
        Q(person__partnership__in=partnerships_administered_by(request.user)) | Q(person__isnull=True),
        is_staff=False,
        is_superuser=False,
        administered_partnerships=None,
    ).distinct()


def choices_for(model: type[models.Model], request: HttpRequest) -> QuerySet[Any] | None:
    """What a foreign key or many-to-many to ``model`` may offer; None: no limit (a superuser)."""
    if sees_everything(request):
        return None
    administered = partnerships_administered_by(request.user)
    if model is Partnership:
        return administered
    if model is Agency:
        return Agency.objects.filter(partnership__in=administered)
    if model is Person:
        return Person.objects.filter(partnership__in=administered)
    if model is get_user_model():
        return accounts_for(request)
    return model._default_manager.none()  # anything else is for superusers to choose


class ScopedAdmin(admin.ModelAdmin):
    """Lists, change pages and choices limited to the partnerships the staff account administers.

    ``scope`` is the lookup from this model to its partnership. An object outside the scope is
    not found (Django's admin answers as for an object that does not exist).
    """

    scope = "partnership"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if sees_everything(request):
            return queryset
        return self.scoped(queryset, request)

    def scoped(self, queryset: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.scope}__in": partnerships_administered_by(request.user)}).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "queryset" not in kwargs:
            limited = choices_for(db_field.related_model, request)
            if limited is not None:
                kwargs["queryset"] = limited
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "queryset" not in kwargs:
            limited = choices_for(db_field.related_model, request)
            if limited is not None:
                kwargs["queryset"] = limited
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SuperusersOnly:
    """A page only superusers use (provider configuration, sign-in sessions, groups' permissions)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return sees_everything(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return sees_everything(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return sees_everything(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return sees_everything(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return sees_everything(request)


def changed_fields(message: Any) -> list[str]:
    """The object's own fields an admin change message names (not its inlines' rows)."""
    if not isinstance(message, list):
        return []
    return [
        name
        for change in message
        if "name" not in change.get("changed", {"name": ""})
        for name in change["changed"].get("fields", [])
    ]


class AuditedAdmin(admin.ModelAdmin):
    """Every addition, change and deletion made here is also an entry in the audit trail.

    The entry names the model, the object's identifier, the fields changed and who made the
    change (the person behind the staff account, and the account's identifier): never values.
    """

    def audit_partnership(self, obj: Any) -> Partnership | None:
        """The partnership the object belongs to; None for the installation (a superuser's account)."""
        if isinstance(obj, Partnership):
            return obj
        return getattr(obj, "partnership", None)

    def audit(self, request: HttpRequest, obj: Any, action: str, fields: list[str] | None = None) -> None:
        event_record(
            verb=Verb.REFERENCE_CHANGED,
            partnership=self.audit_partnership(obj),
            actor=person_of(request.user),
            data={
                "model": obj._meta.label,
                "object": str(obj.pk),
                "action": action,
                "user": request.user.pk,
                "fields": fields or [],
            },
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self.audit(request, obj, "added")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        fields = changed_fields(message)
        if fields or not self.only_inlines_changed(message):
            self.audit(request, obj, "changed", fields)
        return super().log_change(request, obj, message)

    def only_inlines_changed(self, message: Any) -> bool:
        """Rows of an inline that go through their own audited service (the calendar) need no second entry."""
        return isinstance(message, list) and bool(message) and all("name" in next(iter(c.values())) for c in message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self.audit(request, obj, "deleted")
        return super().log_deletions(request, queryset)
