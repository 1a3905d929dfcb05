"""django-allauth adapters: accounts are made by a partnership, never by signing up."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from resolve.accounts.selectors import (
    person_for_single_sign_on,
    signs_in_only_through_organisation,
    two_factor_required,
)
from resolve.accounts.services import account_event, account_for_single_sign_on
from resolve.audit.models import Verb
from resolve.partnerships.models import Person
from resolve.partnerships.selectors import partnerships_administered_by, person_of

log = logging.getLogger(__name__)


def _person_signing_in_as(credentials: dict[str, Any]) -> Person | None:
    email = str(credentials.get("email") or credentials.get("username") or "").strip()
    if not email:
        return None
    return (
        Person.objects.filter(user__email__iexact=email, user__isnull=False, is_active=True)
        .select_related("partnership")
        .first()
    )


class AccountAdapter(DefaultAccountAdapter):
    """No one signs up: a partnership's administrator adds its people. Failed sign-ins are audited."""

    # allauth's messages, in plain English (GOV.UK style): each says what happened and what to do.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account has been closed. Ask your partnership's business unit if you need it."),
        "email_password_mismatch": _("The email address or password is not correct. Check them and try again."),
        "email_taken": _("Another account already has this email address. Enter a different email address."),
        "enter_current_password": _("Enter your current password"),
        "incorrect_password": _("The password is not correct. Enter your current password."),
        "invalid_or_expired_key": _(
            "This link has expired or has already been used. Ask for a new one from the page you came from."
        ),
        "invalid_password_reset": _(
            "This link to reset your password has expired or has already been used. "
            "Ask for a new one on the 'Reset your password' page."
        ),
        "too_many_login_attempts": _(
            "Signing in to this account is paused after too many wrong passwords. Wait 15 minutes, then try again."
        ),
        "unknown_email": _("There is no account with this email address. Check it and try again."),
        "same_as_current": _("Enter a value different from the current one."),
        "rate_limited": _("You have done this too many times. Wait a few minutes, then try again."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """An administrator (or a superuser) with no person of their own has no work page: they start at
        the administration pages (/manage/), which lead to the one partnership they administer."""
        user = request.user
        superuser = bool(user.is_active and user.is_superuser)
        if person_of(user) is None and (superuser or partnerships_administered_by(user).exists()):
            return reverse("manage:choose")
        return str(super().get_login_redirect_url(request))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            person = _person_signing_in_as(credentials)
            if person is not None:
                account_event(Verb.SIGN_IN_LOCKED, person, by_them=False)
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        person = _person_signing_in_as(credentials)
        if person is not None:
            account_event(Verb.SIGN_IN_FAILED, person, by_them=False)

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        """An account that signs in through its organisation gets no key to set a password: the e-mail
        says to sign in through the organisation instead. The page answers the same either way, so it
        tells nobody which kind of account an address has."""
        if signs_in_only_through_organisation(user):
            self.send_mail("account/email/password_reset_single_sign_on", email, {})
            return
        super().send_password_reset_mail(user, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on reaches a person the partnership already holds, matched by e-mail address."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = sociallogin.account.get_provider()
        options = provider.app.settings if provider.app else {}
        person = person_for_single_sign_on(
            sociallogin.email_addresses,
            trust_email=bool(options.get("trust_email")),
            email_domains=options.get("email_domains", []),
            partnerships=options.get("partnerships", []),
        )
        if person is None or (sociallogin.is_existing and sociallogin.user.pk != getattr(person.user, "pk", None)):
            # No personal data in the log: the provider's id says where to look.
            log.warning("Single sign-on through %s matched no one in Resolve", provider.app.provider_id)
            raise ImmediateHttpResponse(render(request, "accounts/sign_in_refused.html", status=403))
        if sociallogin.is_existing:
            return
        with transaction.atomic():
            user = account_for_single_sign_on(person=person, through=sociallogin.account.provider)
            sociallogin.connect(request, user)


class MFAAdapter(DefaultMFAAdapter):
    """Where the partnership requires two-factor authentication, no one can turn it off."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "unverified_email": _(
            "Confirm your email address before you set up two-factor authentication: go to your email "
            "addresses, send the confirmation link again and follow the link in the email."
        ),
        "cannot_delete_authenticator": _(
            "You cannot turn off two-factor authentication: your partnership requires it."
        ),
        "cannot_generate_recovery_codes": _(
            "Set up two-factor authentication with an authenticator app before you make recovery codes."
        ),
        "incorrect_code": _("The code is not correct. Enter the 6-digit code your authenticator app shows now."),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and two_factor_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
