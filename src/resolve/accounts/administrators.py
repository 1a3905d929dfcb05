"""Who administers a partnership, and making a partnership from nothing.

A partnership's administrators are the staff accounts (never superusers by this route) in
``Partnership.administrators``; they reach the partnership's own pages at /manage/<partnership>/
and nothing of any other partnership (``partnerships_administered_by``). Django's admin is for
superusers only. A new administrator gets an account without a password and an e-mail with a
link to choose one (the same key as ``account_invite``); one who already has an account (say an
administrator of another partnership) is told by e-mail and keeps it.

Every change is one audited transaction (``Verb.REFERENCE_CHANGED``, identifiers only).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from resolve.accounts.selectors import address_held_by_another_account
from resolve.accounts.services import email_after_commit, new_account_with_address, password_link
from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.calendar import NATIONS
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.partnerships.models import Partnership
from resolve.partnerships.services import Asker, Asking, administrator_check

NEW_ADMINISTRATOR_TEMPLATE = "accounts/email/administrator_invitation"
ADDED_ADMINISTRATOR_TEMPLATE = "accounts/email/administrator_added"
#: slugs an address under /manage/ already uses for something else (/manage/new/ adds a partnership)
RESERVED_SLUGS = frozenset({"new"})
NAME_LENGTH = 150  # the account's first_name and last_name hold it, split at its last space


def _text(value: str | None, *, field: str, what: str, longest: int, required: bool = True) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ResolveError(_("%(what)s must not contain a NUL character.") % {"what": what}, field=field)
    if required and not text:
        raise ResolveError(_("Enter %(what)s.") % {"what": what.lower()}, field=field)
    if len(text) > longest:
        raise ResolveError(_("%(what)s must be %(n)s characters or fewer.") % {"what": what, "n": longest}, field=field)
    return text


def _address(value: str | None, *, field: str = "email") -> str:
    address = _text(value, field=field, what=_("The e-mail address"), longest=254).lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ResolveError(
            _("Enter an e-mail address in the right form, like name@example.org."), field=field
        ) from None
    return address


def _account_holding(address: str) -> Any:
    """The one account whose own address, or verified address, is ``address``; None if none."""
    users = get_user_model().objects
    found = users.filter(email__iexact=address).first()
    if found is None:
        found = users.filter(emailaddress__email__iexact=address, emailaddress__verified=True).first()
    return found


def _audit(partnership: Partnership, asker: Asker, action: str, **data: Any) -> None:
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={"model": Partnership._meta.label, "object": str(partnership.pk), "action": action, **data, **asker.data},
    )


def _make_administrator(*, partnership: Partnership, address: str, name: str, asker: Asker) -> Any:
    """Add the account holding ``address`` (or a new staff account) to the partnership's administrators."""
    existing = _account_holding(address)
    if existing is None and address_held_by_another_account(address):
        raise Refused(
            _("An account holds this address without having confirmed it; ask them to confirm it, or use another."),
            field="email",
        )
    if existing is not None:
        if not existing.is_active:
            raise Refused(
                _("The account with this address is turned off; a superuser must turn it on first."), field="email"
            )
        if existing.is_superuser:
            raise Refused(_("This account is a superuser's: it administers every partnership already."), field="email")
        if partnership.administrators.filter(pk=existing.pk).exists():
            raise Refused(_("This account already administers %(name)s.") % {"name": partnership.name}, field="email")
        fields = []
        if not existing.is_staff:
            existing.is_staff = True
            existing.save(update_fields=["is_staff"])
            fields.append("is_staff")
        partnership.administrators.add(existing)
        _audit(partnership, asker, "administrator_added", account=existing.pk, new_account=False, fields=fields)
        email_after_commit(
            template=ADDED_ADMINISTRATOR_TEMPLATE, context={"partnership": partnership.name}, address=address
        )
        return existing
    user = new_account_with_address(address, name=name, is_staff=True)
    partnership.administrators.add(user)
    _audit(partnership, asker, "administrator_added", account=user.pk, new_account=True, fields=[])
    email_after_commit(
        template=NEW_ADMINISTRATOR_TEMPLATE,
        context={"partnership": partnership.name, "link": password_link(user)},
        address=address,
    )
    return user


@transaction.atomic
def partnership_create(
    *,
    name: str,
    slug: str,
    nation: str,
    reference_prefix: str = "",
    administrator_name: str,
    administrator_email: str,
    by: Asking,
) -> Partnership:
    """A new partnership with its first administrator, who is e-mailed how to sign in.

    Only a superuser or an operator may make one (``administrator_check`` for the installation).
    The nation has no default (decision 0003). The first administrator is the account already
    holding the address, or a new staff account without a password.
    """
    asker = administrator_check(partnership=None, by=by)
    name = _text(name, field="name", what=_("The partnership's name"), longest=200)
    slug = _text(slug, field="slug", what=_("The short name in addresses"), longest=80).lower()
    if slug in RESERVED_SLUGS:
        raise ResolveError(_("This short name is used by Resolve itself; choose another."), field="slug")
    nation = (nation or "").strip().upper()
    if nation not in NATIONS:
        raise ResolveError(_("Choose the nation whose bank holidays the partnership keeps."), field="nation")
    reference_prefix = _text(
        reference_prefix, field="reference_prefix", what=_("The reference prefix"), longest=8, required=False
    ).upper()
    administrator_name = _text(
        administrator_name, field="administrator_name", what=_("The administrator's name"), longest=NAME_LENGTH
    )
    address = _address(administrator_email, field="administrator_email")
    partnership = Partnership(name=name, slug=slug, nation=nation, reference_prefix=reference_prefix)
    try:
        partnership.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        if field == "slug" and Partnership.objects.filter(slug=slug).exists():
            messages = [_("Another partnership already has this short name; choose another.")]
        raise ResolveError(" ".join(str(m) for m in messages), field=None if field == "__all__" else field) from None
    partnership.save()
    _audit(partnership, asker, "added", fields=["name", "slug", "nation", "reference_prefix"])
    try:
        _make_administrator(partnership=partnership, address=address, name=administrator_name, asker=asker)
    except ResolveError as error:
        raise ResolveError(error.message, field="administrator_email") from None
    return partnership


@transaction.atomic
def administrator_add(*, partnership: Partnership, email: str, name: str = "", by: Asking) -> Any:
    """Another administrator of ``partnership``: the account holding ``email``, or a new one named ``name``."""
    asker = administrator_check(partnership=partnership, by=by)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    address = _address(email)
    name = _text(name, field="name", what=_("Their name"), longest=NAME_LENGTH, required=False)
    if not name and _account_holding(address) is None:
        raise ResolveError(_("Enter their name: they have no account yet, and it will be made with it."), field="name")
    return _make_administrator(partnership=partnership, address=address, name=name, asker=asker)


@transaction.atomic
def administrator_remove(*, partnership: Partnership, account: Any, by: Asking) -> None:
    """``account`` no longer administers ``partnership``; the last administrator stays, and nobody removes themselves.

    Removing oneself is refused rather than asked twice: another administrator does it, so that a
    partnership is never left by mistake with administrators who cannot reach their own pages.
    An account that then administers nothing is no longer a staff account.
    """
    asker = administrator_check(partnership=partnership, by=by)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    account_pk = getattr(account, "pk", account)
    try:
        held = partnership.administrators.filter(pk=account_pk).first()
    except (ValueError, TypeError, ValidationError):
        held = None
    if held is None:
        raise NotFound(_("This account does not administer %(name)s.") % {"name": partnership.name})
    if getattr(by, "pk", None) == held.pk:
        raise Refused(_("You cannot remove yourself: ask another administrator to do it."))
    if partnership.administrators.count() <= 1:
        raise Refused(_("This is the partnership's last administrator: add another before removing them."))
    partnership.administrators.remove(held)
    fields = []
    if held.is_staff and not held.is_superuser and not held.administered_partnerships.exists():
        held.is_staff = False
        held.save(update_fields=["is_staff"])
        fields.append("is_staff")
    _audit(partnership, asker, "administrator_removed", account=held.pk, fields=fields)
