"""Single sign-on providers from the environment: one OpenID Connect provider per agency or partnership.

``RESOLVE_OIDC_PROVIDERS`` holds a JSON list; each entry names one provider::

    [{"id": "lancashire-police",
      "name": "Lancashire Constabulary (Microsoft)",
      "server_url": "https://login.microsoftonline.com/<tenant id>/v2.0",
      "client_id": "...", "client_secret": "...",
      "email_domains": ["lancashire.police.uk"],
      "partnerships": ["pan-lancashire"],
      "trust_email": true}]

A person signs in through a provider when its ``email`` claim matches the e-mail address their
partnership holds for them. The claim counts only when the provider marks it verified
(``email_verified``), or when ``trust_email`` says that the provider is the organisation's own
directory and its addresses are authoritative (Microsoft Entra ID sends no ``email_verified``).
``email_domains`` and ``partnerships`` limit whom a provider may sign in, so that one agency's
directory can never vouch for another agency's staff: a provider with ``trust_email`` must name
at least one of them. ``server_url`` must be an ``https://`` address, since the provider's keys,
tokens and identities travel over it. This module imports nothing from Django's
models, so that settings can use it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

ENVIRONMENT_VARIABLE = "RESOLVE_OIDC_PROVIDERS"


class ConfigurationError(ValueError):
    """The providers' configuration is wrong; the message names the entry and the field."""


class Provider(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    name: str = Field(min_length=1, max_length=120)
    server_url: HttpUrl
    client_id: str = Field(min_length=1)
    client_secret: str = ""
    email_domains: list[str] = Field(default_factory=list)
    partnerships: list[str] = Field(default_factory=list)
    trust_email: bool = False

    @field_validator("server_url")
    @classmethod
    def _https_only(cls, url: HttpUrl) -> HttpUrl:
        if url.scheme != "https":
            raise PydanticCustomError(
                "https_required", "must start with https:// (the provider's tokens and identities travel over it)"
            )
        return url

    @field_validator("trust_email")
    @classmethod
    def _trust_is_limited(cls, trust_email: bool, info: ValidationInfo) -> bool:
        # Fields are validated in order: email_domains and partnerships are in info.data by now.
        if trust_email and not (info.data.get("email_domains") or info.data.get("partnerships")):
            raise PydanticCustomError(
                "trust_email_unlimited",
                "a provider trusted for its e-mail addresses must also name email_domains or partnerships, "
                "so that it cannot vouch for anyone else's staff",
            )
        return trust_email

    def allauth_app(self) -> dict[str, Any]:
        return {
            "provider_id": self.id,
            "name": self.name,
            "client_id": self.client_id,
            "secret": self.client_secret,
            "settings": {
                "server_url": str(self.server_url).rstrip("/"),
                "email_domains": [d.lower().lstrip("@") for d in self.email_domains],
                "partnerships": self.partnerships,
                "trust_email": self.trust_email,
            },
        }


def providers_from(text: str) -> list[Provider]:
    """Parse the environment variable's text; a ConfigurationError names what to fix."""
    if not text.strip():
        return []
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"{ENVIRONMENT_VARIABLE} is not valid JSON: {exc.msg} at character {exc.pos}") from exc
    if not isinstance(raw, list):
        raise ConfigurationError(f"{ENVIRONMENT_VARIABLE} must be a JSON list of providers")
    providers = []
    for i, entry in enumerate(raw):
        try:
            providers.append(Provider.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "entry"
            raise ConfigurationError(f"{ENVIRONMENT_VARIABLE}[{i}].{where}: {first['msg']}") from exc
    ids = [p.id for p in providers]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigurationError(f"{ENVIRONMENT_VARIABLE}: provider id {duplicates[0]!r} is used more than once")
    return providers


def allauth_apps(text: str) -> list[dict[str, Any]]:
    """The providers as django-allauth's ``SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]``."""
    return [p.allauth_app() for p in providers_from(text)]
