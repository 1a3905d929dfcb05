"""django-allauth's account forms, with the checks Resolve adds (named in ``ACCOUNT_FORMS``)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import (
    AddEmailForm,
    ChangePasswordForm,
    ReauthenticateForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    UserTokenForm,
)
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as MFAReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.utils.translation import gettext_lazy as _

from resolve.accounts.selectors import address_held_by_another_account, signs_in_only_through_organisation

# GOV.UK wording for allauth's labels (sentence case, plain English), by field name.
LABELS = {
    "email": _("Email address"),
    "password": _("Password"),
    "oldpassword": _("Current password"),
    "password1": _("New password"),
    "password2": _("Confirm your new password"),
    "code": _("Code from your authenticator app"),
}

# ... and for what a person has to type when they left it empty (GOV.UK: "Enter ...").
REQUIRED = {
    "email": _("Enter your email address"),
    "password": _("Enter your password"),
    "oldpassword": _("Enter your current password"),
    "password1": _("Enter a new password"),
    "password2": _("Enter your new password again"),
    "code": _("Enter the code from your authenticator app"),
}

EMAIL_FORMAT = _("Enter an email address in the correct format, like name@example.com")


class PlainLabels(forms.Form):
    """allauth's form with GOV.UK labels. Listed first among the bases, so it labels every field the
    allauth form makes, including those made in its ``__init__``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in LABELS:
                field.label = LABELS[name]
            if name in REQUIRED:
                field.error_messages["required"] = REQUIRED[name]
            if name == "email":
                field.error_messages["invalid"] = _(
                    "Enter an email address in the correct format, like name@example.com"
                )


SIGNS_IN_THROUGH_ORGANISATION = (
    "Your account signs in through your organisation, so it has no password of its own. "
    "Sign in with your organisation's button on the sign-in page."
)


class ResolveAddEmailForm(PlainLabels, AddEmailForm):
    """Nobody adds an address that another account holds, verified or not.

    allauth lets such an address be added unverified (so as not to reveal that it is taken) when
    enumeration prevention is on; Resolve says no plainly, since an address another account holds
    could otherwise be made to look like this account's.
    """

    def clean_email(self) -> str:
        value = super().clean_email()
        if address_held_by_another_account(value, user=self.user):
            raise get_adapter().validation_error("email_taken")
        return value


class ResolveUserTokenForm(UserTokenForm):
    """A password-reset link does not work for an account that signs in only through its organisation."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if signs_in_only_through_organisation(self.reset_user):
            raise get_adapter().validation_error("invalid_password_reset")
        return cleaned


class ResolveSetPasswordForm(PlainLabels, SetPasswordForm):
    """An account that signs in only through its organisation cannot give itself a local password."""

    def clean(self) -> dict[str, Any]:
        if signs_in_only_through_organisation(self.user):
            raise forms.ValidationError(SIGNS_IN_THROUGH_ORGANISATION, code="signs_in_through_organisation")
        cleaned: dict[str, Any] = super().clean() or {}
        return cleaned


class ResolveChangePasswordForm(PlainLabels, ChangePasswordForm):
    """allauth's form to change one's password, with GOV.UK labels."""


class ResolveResetPasswordForm(PlainLabels, ResetPasswordForm):
    """allauth's form to ask for a password-reset link, with GOV.UK labels."""


class ResolveResetPasswordKeyForm(PlainLabels, ResetPasswordKeyForm):
    """allauth's form to choose a password from an e-mailed link, with GOV.UK labels."""


class ResolveReauthenticateForm(PlainLabels, ReauthenticateForm):
    """allauth's form to type one's password again before a change to the account's security."""


class ResolveAuthenticateForm(PlainLabels, AuthenticateForm):
    """allauth's two-factor code at sign-in, with GOV.UK labels."""


class ResolveMFAReauthenticateForm(PlainLabels, MFAReauthenticateForm):
    """allauth's two-factor code before a change to the account's security."""


class ResolveActivateTOTPForm(PlainLabels, ActivateTOTPForm):
    """allauth's form that sets up an authenticator app, with GOV.UK labels."""
