"""django-allauth's account forms, with the checks Resolve adds (named in ``ACCOUNT_FORMS``)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm, SetPasswordForm, UserTokenForm
from django import forms

from resolve.accounts.selectors import address_held_by_another_account, signs_in_only_through_organisation

SIGNS_IN_THROUGH_ORGANISATION = (
    "Your account signs in through your organisation, so it has no password of its own. "
    "Sign in with your organisation's button on the sign-in page."
)


class ResolveAddEmailForm(AddEmailForm):
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


class ResolveSetPasswordForm(SetPasswordForm):
    """An account that signs in only through its organisation cannot give itself a local password."""

    def clean(self) -> dict[str, Any]:
        if signs_in_only_through_organisation(self.user):
            raise forms.ValidationError(SIGNS_IN_THROUGH_ORGANISATION, code="signs_in_through_organisation")
        return super().clean()
