"""Signing in and out, and changes to two-factor authentication, go into the audit trail.

Entries name the person by identifier only: never the e-mail address that was typed.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from resolve.accounts.services import account_event
from resolve.audit.models import Verb
from resolve.partnerships.selectors import person_of

# The session remembers which provider signed it in: two-factor enrolment is the provider's business then.
SINGLE_SIGN_ON_SESSION_KEY = "resolve_signed_in_through"


@receiver(user_logged_in, dispatch_uid="resolve-signed-in")
def signed_in(sender: Any, request: HttpRequest, user: Any, sociallogin: Any = None, **kwargs: Any) -> None:
    provider = sociallogin.account.provider if sociallogin is not None else None
    if provider:
        request.session[SINGLE_SIGN_ON_SESSION_KEY] = provider
    person = person_of(user)
    if person is not None:
        account_event(Verb.SIGNED_IN, person, through=provider or "password")


@receiver(user_logged_out, dispatch_uid="resolve-signed-out")
def signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    person = person_of(user)
    if person is not None:
        account_event(Verb.SIGNED_OUT, person)


def _two_factor_changed(user: Any, authenticator: Authenticator, change: str) -> None:
    person = person_of(user)
    if person is not None:
        account_event(Verb.TWO_FACTOR_CHANGED, person, change=change, type=str(authenticator.type))


# Model signals rather than allauth's authenticator_added (sent after the commit): the audit entry is
# written in the same transaction as the change it records.
@receiver(post_save, sender=Authenticator, dispatch_uid="resolve-two-factor-added")
def two_factor_added(sender: Any, instance: Authenticator, created: bool, **kwargs: Any) -> None:
    if created:
        _two_factor_changed(instance.user, instance, "added")


@receiver(post_delete, sender=Authenticator, dispatch_uid="resolve-two-factor-removed")
def two_factor_removed(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    _two_factor_changed(instance.user, instance, "removed")
