"""The key in a password-reset link, made without changing the account it is for.

allauth's token generator first copies the account's address into its table of addresses, as an
unverified address, when it is not there yet (every account an administrator made in the admin, or
made before addresses were verified). A password-reset request, which anyone can make for any
address, then left the account with an unverified address, and allauth refuses to set up
two-factor authentication while an account has one: where the partnership requires two-factor
authentication, the person was locked out until they proved an address they had never been asked to.
This generator makes the same key (the same addresses go into it) and writes nothing.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.utils import user_email
from django.contrib.auth.tokens import PasswordResetTokenGenerator as DjangoPasswordResetTokenGenerator


class PasswordResetTokenGenerator(DjangoPasswordResetTokenGenerator):
    """allauth's ``EmailAwarePasswordResetTokenGenerator``, less its write: the key also changes when
    the account's addresses change, so a link sent to an address the account no longer has stops working."""

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        value = super()._make_hash_value(user, timestamp)
        email = user_email(user)
        emails = {email} if email else set()
        emails.update(EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True))
        return value + "|".join(sorted(emails))
