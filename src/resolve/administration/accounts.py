"""Accounts in the admin: scoped to the administrator's partnerships, and every change audited.

Django's own pages for users and groups and django-allauth's for e-mail addresses and
authenticators are replaced by these. A partnership administrator manages the accounts of their
partnerships' people (and accounts nobody's person holds yet); staff and superuser flags, groups
and permissions are for superusers. Sign-in provider configuration, linked sign-in identities
and sign-in sessions are for superusers only.
"""

from __future__ import annotations

from typing import Any

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.socialaccount.admin import SocialAccountAdmin, SocialAppAdmin, SocialTokenAdmin
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from allauth.usersessions.admin import UserSessionAdmin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest

from resolve.administration.scope import AuditedAdmin, ScopedAdmin, SuperusersOnly, accounts_for, sees_everything
from resolve.partnerships.models import Partnership, Person

User = get_user_model()
SUPERUSER_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

for model in (User, Group, EmailAddress, Authenticator, SocialApp, SocialAccount, SocialToken, UserSession):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def partnership_of_account(user: Any) -> Partnership | None:
    """The partnership of the person holding the account; None for an account nobody's person holds."""
    if getattr(user, "pk", None) is None:
        return None
    person = Person.objects.filter(user__pk=user.pk).select_related("partnership").first()
    return person.partnership if person else None


class AccountScopedAdmin(ScopedAdmin, AuditedAdmin):
    """For models that belong to an account (``user``): in scope when the account is."""

    def scoped(self, queryset: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
        return queryset.filter(user__in=accounts_for(request))

    def audit_partnership(self, obj: Any) -> Partnership | None:
        return partnership_of_account(obj.user)


@admin.register(User)
class AuditedUserAdmin(ScopedAdmin, AuditedAdmin, UserAdmin):
    def scoped(self, queryset: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
        return queryset.filter(pk__in=accounts_for(request).values("pk"))

    def audit_partnership(self, obj: Any) -> Partnership | None:
        return partnership_of_account(obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not sees_everything(request):
            readonly += [f for f in SUPERUSER_FIELDS if f not in readonly]
        return readonly


@admin.register(Group)
class SuperusersGroupAdmin(SuperusersOnly, AuditedAdmin, GroupAdmin):
    def audit_partnership(self, obj: Any) -> Partnership | None:
        return None


@admin.register(EmailAddress)
class AuditedEmailAddressAdmin(AccountScopedAdmin, EmailAddressAdmin):
    def make_verified(self, request: HttpRequest, queryset: Any) -> None:
        unverified = list(queryset.filter(verified=False))
        super().make_verified(request, queryset)
        for address in EmailAddress.objects.filter(pk__in=[a.pk for a in unverified], verified=True):
            self.audit(request, address, "changed", ["verified"])

    make_verified.short_description = EmailAddressAdmin.make_verified.short_description  # type: ignore[attr-defined]


@admin.register(Authenticator)
class AuditedAuthenticatorAdmin(AccountScopedAdmin, AuthenticatorAdmin):
    pass


@admin.register(SocialApp)
class SuperusersSocialAppAdmin(SuperusersOnly, AuditedAdmin, SocialAppAdmin):
    def audit_partnership(self, obj: Any) -> Partnership | None:
        return None


@admin.register(SocialAccount)
class SuperusersSocialAccountAdmin(SuperusersOnly, AuditedAdmin, SocialAccountAdmin):
    def audit_partnership(self, obj: Any) -> Partnership | None:
        return partnership_of_account(obj.user)


@admin.register(SocialToken)
class SuperusersSocialTokenAdmin(SuperusersOnly, AuditedAdmin, SocialTokenAdmin):
    def audit_partnership(self, obj: Any) -> Partnership | None:
        return None


@admin.register(UserSession)
class SuperusersUserSessionAdmin(SuperusersOnly, UserSessionAdmin):
    pass
