"""Accounts, e-mail addresses and authenticators in the admin: scoped to one's partnerships, and audited."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.administration.accounts import AuditedAuthenticatorAdmin, AuditedEmailAddressAdmin, AuditedUserAdmin
from resolve.audit.models import Event, Verb
from tests.administration.conftest import TwoPartnerships, account_of

pytestmark = pytest.mark.django_db
User = get_user_model()


def account_form(user: Any, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "is_active": "on",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def entries(model: str) -> list[Event]:
    return list(Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__model=model).order_by("id"))


def test_the_admins_for_accounts_addresses_and_authenticators_are_resolves_audited_ones() -> None:
    registry = admin.site._registry
    assert isinstance(registry[User], AuditedUserAdmin)
    assert isinstance(registry[EmailAddress], AuditedEmailAddressAdmin)
    assert isinstance(registry[Authenticator], AuditedAuthenticatorAdmin)


def test_a_superuser_making_an_account_staff_is_audited_with_who_did_it(
    two: TwoPartnerships, administrator: Client
) -> None:
    account = account_of(two.a.at("school", 1))
    response = administrator.post(
        reverse("admin:auth_user_change", args=[account.pk]), account_form(account, is_staff="on")
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_staff
    (entry,) = entries("auth.User")
    admin_account = User.objects.get(username="admin")
    assert entry.partnership == two.a.partnership
    assert (entry.data["object"], entry.data["action"], entry.data["user"]) == (
        str(account.pk),
        "changed",
        admin_account.pk,
    )
    assert "Staff status" in entry.data["fields"]
    assert account.email not in str(entry.data)  # identifiers only


def test_a_superusers_own_account_changes_are_audited_for_the_installation(administrator: Client) -> None:
    other = User.objects.create_superuser("other-root", "other-root@example.test", "x" * 20)
    response = administrator.post(
        reverse("admin:auth_user_change", args=[other.pk]),
        account_form(other, is_active=None, is_staff="on", is_superuser="on"),
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert not other.is_active
    (entry,) = entries("auth.User")
    assert entry.partnership is None
    assert "Active" in entry.data["fields"]


def test_a_partnership_administrator_cannot_make_an_account_staff_or_superuser(two: TwoPartnerships) -> None:
    account = account_of(two.a.at("school", 1))
    response = two.client.post(
        reverse("admin:auth_user_change", args=[account.pk]),
        account_form(account, is_staff="on", is_superuser="on"),
    )
    assert response.status_code == 403  # the admin is for superusers only
    account.refresh_from_db()
    assert (account.is_staff, account.is_superuser) == (False, False)


def test_an_email_address_added_in_the_admin_is_audited_for_the_accounts_partnership(
    two: TwoPartnerships, administrator: Client
) -> None:
    ours = account_of(two.a.at("school", 1))
    added = administrator.post(
        reverse("admin:account_emailaddress_add"), {"user": ours.pk, "email": "second@example.test"}
    )
    assert added.status_code == 302
    address = EmailAddress.objects.get(email="second@example.test")
    (entry,) = entries("account.EmailAddress")
    assert (entry.partnership, entry.data["object"], entry.data["action"]) == (
        two.a.partnership,
        str(address.pk),
        "added",
    )


def test_marking_an_address_verified_in_the_admin_is_audited(two: TwoPartnerships, administrator: Client) -> None:
    account = account_of(two.a.at("school", 1))
    address = EmailAddress.objects.create(user=account, email="unverified@example.test", verified=False)
    administrator.post(
        reverse("admin:account_emailaddress_changelist"),
        {"action": "make_verified", "_selected_action": [str(address.pk)]},
    )
    address.refresh_from_db()
    assert address.verified
    (entry,) = entries("account.EmailAddress")
    assert (entry.data["object"], entry.data["fields"]) == (str(address.pk), ["verified"])


def test_an_authenticator_removed_in_the_admin_is_audited_and_a_partnership_administrator_cannot(
    two: TwoPartnerships, administrator: Client
) -> None:
    ours = Authenticator.objects.create(user=account_of(two.a.at("school", 1)), type=Authenticator.Type.TOTP, data={})
    assert (
        two.client.post(reverse("admin:mfa_authenticator_delete", args=[ours.pk]), {"post": "yes"}).status_code == 403
    )
    assert Authenticator.objects.filter(pk=ours.pk).exists()
    response = administrator.post(reverse("admin:mfa_authenticator_delete", args=[ours.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=ours.pk).exists()
    (entry,) = entries("mfa.Authenticator")
    assert (entry.partnership, entry.data["action"], entry.data["user"]) == (
        two.a.partnership,
        "deleted",
        User.objects.get(username="admin").pk,
    )
