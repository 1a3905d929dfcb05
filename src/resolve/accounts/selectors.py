"""Who an account belongs to, and what signing in asks of them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from resolve.partnerships.models import Partnership, Person


class OfferedEmail(Protocol):
    email: str
    verified: bool


def two_factor_required(user: Any) -> bool:
    """Whether signing in to this account needs two-factor authentication, because a partnership says so.

    A partnership that requires it covers everyone who can see into it: its people, the staff
    accounts that administer it (with or without a person of their own), and every superuser,
    who can see into all partnerships, as soon as any partnership requires it.
    """
    if getattr(user, "pk", None) is None:
        return False
    requiring = Partnership.objects.filter(mfa_required=True)
    if getattr(user, "is_superuser", False) and requiring.exists():
        return True
    if requiring.filter(administrators__pk=user.pk).exists():
        return True
    return Person.objects.filter(user__pk=user.pk, is_active=True, partnership__mfa_required=True).exists()


def signs_in_only_through_organisation(user: Any) -> bool:
    """Whether an account signs in only through its organisation's identity provider (no local password)."""
    if getattr(user, "pk", None) is None or user.has_usable_password():
        return False
    return SocialAccount.objects.filter(user_id=user.pk).exists()


def address_held_by_another_account(address: str, *, user: Any = None) -> bool:
    """Whether an account other than ``user`` holds ``address``, verified or not, or has it as its own."""
    others_addresses = EmailAddress.objects.filter(email__iexact=address)
    others = get_user_model().objects.filter(email__iexact=address)
    if getattr(user, "pk", None) is not None:
        others_addresses = others_addresses.exclude(user_id=user.pk)
        others = others.exclude(pk=user.pk)
    return others_addresses.exists() or others.exists()


def _usable(addresses: Iterable[OfferedEmail], *, trust_email: bool, email_domains: Sequence[str]) -> list[str]:
    usable = []
    for address in addresses:
        email = (address.email or "").strip().lower()
        if not email or not (address.verified or trust_email):
            continue
        if email_domains and email.rpartition("@")[2] not in email_domains:
            continue
        usable.append(email)
    return usable


def person_for_single_sign_on(
    addresses: Iterable[OfferedEmail],
    *,
    trust_email: bool = False,
    email_domains: Sequence[str] = (),
    partnerships: Sequence[str] = (),
) -> Person | None:
    """The one active person whose e-mail address a provider vouched for, or None.

    Only verified addresses count (or every address of a provider configured with ``trust_email``),
    only in the provider's ``email_domains`` and ``partnerships`` when it names them. When an address
    matches more than one person (the same professional in two partnerships), nobody is chosen: the
    provider must be limited to one partnership.
    """
    emails = _usable(addresses, trust_email=trust_email, email_domains=email_domains)
    if not emails:
        return None
    match = Q()
    for email in emails:
        match |= Q(email__iexact=email)
    people = Person.objects.filter(match, is_active=True).select_related("partnership", "user")
    if partnerships:
        people = people.filter(partnership__slug__in=partnerships)
    found = list(people[:2])
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class SingleSignOn:
    """An identity provider a person signs in through: its id (for the audit entry) and its name (for them)."""

    id: str
    name: str


def single_sign_on_for(*, email: str, partnership: Partnership) -> SingleSignOn | None:
    """The configured provider that signs in this address for this partnership, or None.

    A provider covers a person when it names their address's domain or their partnership (or
    both, and then both must match), as ``person_for_single_sign_on`` would let it sign them in. A
    provider that names neither limits no one, and covers no one for an invitation: without a
    limit it cannot say that this person's organisation signs them in.
    """
    domain = (email or "").strip().lower().rpartition("@")[2]
    configured: dict[str, Any] = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {})
    apps: list[dict[str, Any]] = configured.get("openid_connect", {}).get("APPS", [])
    for app in apps:
        options = app.get("settings", {})
        domains = [d.lower() for d in options.get("email_domains", [])]
        partnerships = options.get("partnerships", [])
        if not (domains or partnerships):
            continue
        if domains and domain not in domains:
            continue
        if partnerships and partnership.slug not in partnerships:
            continue
        return SingleSignOn(id=app["provider_id"], name=app.get("name") or app["provider_id"])
    return None


@dataclass(frozen=True)
class AdministratorRow:
    """One of a partnership's administrators as its administrators' page lists them."""

    user: Any
    name: str
    email: str
    last_login: datetime | None
    two_factor: bool
    also_administers: int  # how many other partnerships the account administers


def administrators_of(partnership: Partnership) -> list[AdministratorRow]:
    """The accounts in ``Partnership.administrators``, by name: whether each has two-factor set up."""
    users = list(partnership.administrators.order_by("first_name", "last_name", "email", "pk"))
    with_totp = set(
        Authenticator.objects.filter(user__in=users, type=Authenticator.Type.TOTP).values_list("user_id", flat=True)
    )
    people = {p.user_id: p.name for p in Person.objects.filter(user__in=users, is_active=True)}
    rows = []
    for user in users:
        name = user.get_full_name() or people.get(user.pk, "") or user.email
        others = user.administered_partnerships.exclude(pk=partnership.pk).count()
        rows.append(
            AdministratorRow(
                user=user,
                name=name,
                email=user.email,
                last_login=user.last_login,
                two_factor=user.pk in with_totp,
                also_administers=others,
            )
        )
    return rows
