"""Django's ``createsuperuser``, without a way round the password rules.

Django's command checks the password against ``AUTH_PASSWORD_VALIDATORS`` when it asks for one, then
offers to "bypass password validation and create user anyway"; with ``--noinput`` it takes
``DJANGO_SUPERUSER_PASSWORD`` unchecked. Resolve's answers that offer "no" (the person types another
password) and checks ``DJANGO_SUPERUSER_PASSWORD`` first, making no account when it breaks the rules.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

BYPASS_REFUSED = "Resolve does not let a superuser's password break the password rules: type another."


class Command(createsuperuser.Command):
    help = "Create a superuser, whose password must meet the password rules (12 characters at least)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["interactive"]:
            self._check_password_from_environment(options)
        with self._no_bypass():
            super().handle(*args, **options)

    def _check_password_from_environment(self, options: dict[str, Any]) -> None:
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if password is None:
            return  # no password: the account gets an unusable one, as with Django's command
        user_model: Any = self.UserModel
        user_data = {}
        for field in (user_model.USERNAME_FIELD, *user_model.REQUIRED_FIELDS):
            user_data[field] = options.get(field) or os.environ.get(f"DJANGO_SUPERUSER_{field.upper()}")
        try:
            validate_password(password, user_model(**{k: v for k, v in user_data.items() if v}))
        except ValidationError as error:
            rules = " ".join(password_validators_help_texts())
            raise CommandError(f"DJANGO_SUPERUSER_PASSWORD: {' '.join(error.messages)} ({rules})") from error

    @contextmanager
    def _no_bypass(self) -> Iterator[None]:
        """Django's command reads its answers with input(), looked up in its own module first: the
        answer to the bypass question is "no", every other question is asked as before."""

        def refuse_bypass(prompt: str = "") -> str:
            if not prompt.startswith("Bypass password validation"):
                return builtins.input(prompt)
            self.stderr.write(BYPASS_REFUSED)
            return "n"

        createsuperuser.input = refuse_bypass  # type: ignore[attr-defined]
        try:
            yield
        finally:
            del createsuperuser.input  # type: ignore[attr-defined]
