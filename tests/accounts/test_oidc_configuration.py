"""Single sign-on providers come from RESOLVE_OIDC_PROVIDERS; a mistake there is named and stops start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from resolve.accounts.oidc import ConfigurationError, allauth_apps

ENTRA = {
    "id": "lancashire-police",
    "name": "Lancashire Constabulary",
    "server_url": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0/",
    "client_id": "client",
    "client_secret": "secret",
    "email_domains": ["@Lancashire.Police.UK"],
    "partnerships": ["pan-lancashire"],
    "trust_email": True,
}


def test_each_provider_becomes_an_openid_connect_app_for_allauth() -> None:
    (app,) = allauth_apps(json.dumps([ENTRA]))
    assert app["provider_id"] == "lancashire-police"
    assert app["name"] == "Lancashire Constabulary"
    assert app["client_id"] == "client"
    assert app["secret"] == "secret"
    assert app["settings"] == {
        "server_url": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
        "email_domains": ["lancashire.police.uk"],
        "partnerships": ["pan-lancashire"],
        "trust_email": True,
    }


def test_no_variable_means_no_single_sign_on() -> None:
    assert allauth_apps("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "RESOLVE_OIDC_PROVIDERS is not valid JSON"),
        (json.dumps({"id": "x"}), "must be a JSON list of providers"),
        (json.dumps([{**ENTRA, "server_url": "not a url"}]), "RESOLVE_OIDC_PROVIDERS[0].server_url"),
        (json.dumps([{k: v for k, v in ENTRA.items() if k != "client_id"}]), "RESOLVE_OIDC_PROVIDERS[0].client_id"),
        (json.dumps([{**ENTRA, "id": "Has Spaces"}]), "RESOLVE_OIDC_PROVIDERS[0].id"),
        (json.dumps([{**ENTRA, "tenant": "x"}]), "RESOLVE_OIDC_PROVIDERS[0].tenant"),
        (json.dumps([ENTRA, ENTRA]), "provider id 'lancashire-police' is used more than once"),
        (
            json.dumps([{**ENTRA, "server_url": "http://login.example/v2.0"}]),
            "RESOLVE_OIDC_PROVIDERS[0].server_url: must start with https://",
        ),
        (
            json.dumps([{**ENTRA, "email_domains": [], "partnerships": []}]),
            "RESOLVE_OIDC_PROVIDERS[0].trust_email: a provider trusted for its e-mail addresses must also name "
            "email_domains or partnerships",
        ),
    ],
)
def test_a_mistake_is_named_with_the_entry_and_field(text: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        allauth_apps(text)
    assert message in str(caught.value)


@pytest.mark.parametrize("limit", [{"email_domains": ["police.example"]}, {"partnerships": ["pan-lancashire"]}])
def test_a_provider_trusted_for_its_addresses_needs_only_one_limit(limit: dict[str, list[str]]) -> None:
    entry = {**ENTRA, "email_domains": [], "partnerships": [], **limit}
    (app,) = allauth_apps(json.dumps([entry]))
    assert app["settings"]["trust_email"] is True


def test_a_provider_not_trusted_for_its_addresses_needs_no_limit() -> None:
    entry = {**ENTRA, "email_domains": [], "partnerships": [], "trust_email": False}
    assert allauth_apps(json.dumps([entry]))[0]["settings"]["trust_email"] is False


def test_resolve_will_not_start_with_a_broken_provider_list(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "resolve.settings.local", "RESOLVE_DATA_DIR": str(tmp_path)}
    env["RESOLVE_OIDC_PROVIDERS"] = json.dumps([{**ENTRA, "server_url": "nope"}])
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: RESOLVE_OIDC_PROVIDERS[0].server_url" in result.stderr
