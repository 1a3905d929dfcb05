"""Accounts: making them (an administrator's invitation, a first single sign-on) and the audit entries about them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from resolve.accounts.selectors import address_held_by_another_account, single_sign_on_for
from resolve.audit.models import Event, Verb
from resolve.audit.services import event_record
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.partnerships.models import Partnership, Person
from resolve.partnerships.selectors import partnerships_administered_by, person_of


def account_event(verb: Verb, person: Person, *, by_them: bool = True, **data: Any) -> Event:
    """One entry about ``person``'s account. ``by_them=False`` when someone else may have done it
    (a wrong password): the person is then named by identifier in the data, not as the actor."""
    if not by_them:
        data = {"account_of": str(person.pk), **data}
    return event_record(verb=verb, partnership=person.partnership, actor=person if by_them else None, data=data)


def _new_account(email: str) -> Any:
    """An account with no password, for an address; the username is only an internal name."""
    username = get_account_adapter().generate_unique_username([email.partition("@")[0], "person"])
    return get_user_model().objects.create_user(username=username, email=email, password=None)


@transaction.atomic
def account_for_single_sign_on(*, person: Person, through: str) -> Any:
    """The account a person's first single sign-on connects to: an existing one only if it is theirs.

    An existing account counts only when it holds the person's address *verified* (an address
    someone types on the e-mail page proves nothing until they follow the link sent to it) and
    belongs to the person: it is the person's own account, or no person has it. Anything else
    gets a new account without a password, and the person is moved to it: an account whose
    address nobody has proved is never handed to whoever signs in with that address.
    """
    address = person.email.strip().lower()
    verified = EmailAddress.objects.filter(email__iexact=address, verified=True)
    previous = person.user_id
    user: Any
    if previous is not None and verified.filter(user_id=previous).exists():
        user = person.user
        outcome = "own account"
    elif previous is None and (
        theirs := verified.filter(user__person__isnull=True, user__is_active=True).select_related("user").first()
    ):
        user = theirs.user
        outcome = "account without a person"
    else:
        user = _new_account(address)
        # The provider vouched for the address (that is how the person was found), so it counts as
        # verified here, unless another account already holds it verified (the address is unique then).
        EmailAddress.objects.create(user=user, email=address, primary=True, verified=not verified.exists())
        outcome = "new account"
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    data: dict[str, Any] = {"through": through, "account": user.pk, "linked_to": outcome}
    if previous is not None and previous != user.pk:
        data["replaced_account"] = previous
    account_event(Verb.SINGLE_SIGN_ON_LINKED, person, **data)
    return user


INVITATION_TEMPLATE = "accounts/email/invitation"
SINGLE_SIGN_ON_INVITATION_TEMPLATE = "accounts/email/invitation_single_sign_on"


def password_link(user: Any) -> str:
    """A link that lets the account's holder choose a password: django-allauth's password-reset key.

    Valid for ``PASSWORD_RESET_TIMEOUT`` (three days) and only once (choosing a password changes the
    key's hash).
    """
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return settings.RESOLVE_BASE_URL.rstrip("/") + path.replace("UID-KEY", key)


def sign_in_link() -> str:
    return settings.RESOLVE_BASE_URL.rstrip("/") + reverse("account_login")


def email_after_commit(*, template: str, context: dict[str, Any], address: str) -> None:
    """Send ``template``'s e-mail once the transaction commits: no e-mail for a change rolled back."""
    context = {"days": settings.PASSWORD_RESET_TIMEOUT // 86400, "sign_in": sign_in_link(), **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}_message.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))


def new_account_with_address(address: str, *, name: str = "", is_staff: bool = False) -> Any:
    """An account without a password whose (verified, primary) address is ``address``.

    Verified because the only way into it is a link sent to that address (or the organisation's
    identity provider vouching for it): the holder can set up two-factor authentication straight away.
    """
    user = _new_account(address)
    first, _space, last = name.strip().rpartition(" ")
    user.first_name, user.last_name = (first, last) if first else (last, "")
    user.is_staff = is_staff
    user.save(update_fields=["first_name", "last_name", "is_staff"])
    EmailAddress.objects.create(user=user, email=address, primary=True, verified=True)
    return user


@transaction.atomic
def account_invite(*, person: Person, by: Any) -> Any:
    """Make the account of a person the partnership holds, and e-mail them how to sign in.

    ``by`` is the staff account asking: a superuser, or an administrator of the person's partnership.
    The account has no password; its address is the person's, verified (see
    ``new_account_with_address``). Where the person's organisation signs them in through its own
    identity provider (``single_sign_on_for``), the e-mail says to sign in with it and carries no
    password link: signing in through it finds the person by e-mail and connects this account
    (``account_for_single_sign_on``). Otherwise the e-mail carries a link to choose a password.
    """
    if getattr(by, "pk", None) is None or not getattr(by, "is_active", False):
        raise Refused(_("Only a signed-in administrator can invite people."))
    locked = Person.objects.select_for_update().select_related("partnership").filter(pk=person.pk).first()
    if locked is None:
        raise NotFound(_("No such person."))
    person = locked
    if not partnerships_administered_by(by).filter(pk=person.partnership_id).exists():
        raise Refused(_("Only an administrator of the person's partnership can invite them."))
    if not person.is_active:
        raise Refused(_("This person has been removed from the partnership; restore them before inviting them."))
    if person.user_id is not None:
        raise Refused(_("This person already has an account; they can use 'Forgotten your password?' to sign in."))
    address = person.email.strip().lower()
    if not address or "\x00" in address:
        raise ResolveError(_("The person has no e-mail address; add one before inviting them."), field="email")
    if address_held_by_another_account(address):
        raise Refused(
            _(
                "Another account already holds this person's e-mail address; correct the person's "
                "address, or link them to that account, before inviting them."
            ),
            field="email",
        )
    provider = single_sign_on_for(email=address, partnership=person.partnership)
    user = new_account_with_address(address)
    person.user = user
    person.save(update_fields=["user"])
    inviter = person_of(by)
    data: dict[str, Any] = {"account_of": str(person.pk), "by_account": by.pk}
    if provider is not None:
        data["through"] = provider.id
    event_record(
        verb=Verb.ACCOUNT_INVITED,
        partnership=person.partnership,
        actor=inviter if inviter is not None and inviter.partnership_id == person.partnership_id else None,
        data=data,
    )
    context: dict[str, Any] = {"partnership": person.partnership.name}
    if provider is not None:
        email_after_commit(
            template=SINGLE_SIGN_ON_INVITATION_TEMPLATE, context={**context, "provider": provider.name}, address=address
        )
    else:
        email_after_commit(
            template=INVITATION_TEMPLATE, context={**context, "link": password_link(user)}, address=address
        )
    return user


@dataclass(frozen=True)
class Invitations:
    """What inviting everyone did: who was invited, and who could not be and why."""

    invited: list[Person]
    not_invited: list[tuple[Person, str]]


@transaction.atomic
def people_invite(*, partnership: Partnership, by: Any) -> Invitations:
    """Invite every active person of ``partnership`` who has no account yet, in one transaction.

    Someone who cannot be invited (no address, or an address another account holds) is named with
    the reason and the others are still invited; each invitation is its own audit entry and e-mail,
    sent once the whole transaction commits.
    """
    if not partnerships_administered_by(by).filter(pk=partnership.pk).exists():
        raise Refused(_("Only an administrator of the partnership can invite its people."))
    waiting = Person.objects.select_for_update().filter(partnership=partnership, is_active=True, user__isnull=True)
    invited, not_invited = [], []
    for person in waiting.order_by("name", "pk"):
        try:
            with transaction.atomic():
                account_invite(person=person, by=by)
        except ResolveError as error:
            not_invited.append((person, error.message))
        else:
            invited.append(person)
    return Invitations(invited=invited, not_invited=not_invited)
