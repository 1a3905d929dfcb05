"""Behind a reverse proxy that ends TLS: the production settings, their CSRF checks, HSTS, redirects and lockouts.

``proxy_sign_in`` runs in a fresh process with ``resolve.settings.production`` (the settings module
itself, not overrides of it) and simulates the proxy by its headers.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production(tmp_path: Path, code: list[str], **settings: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "resolve.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "resolve.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "RESOLVE_DATA_DIR": str(tmp_path),
        "RESOLVE_AUDIT_KEYS": "prod:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        **settings,
    }
    return subprocess.run(
        [sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def behind_one_proxy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = production(
        tmp_path_factory.mktemp("proxy"), ["-m", "tests.accounts.proxy_sign_in"], RESOLVE_PROXY_COUNT="1"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_plain_http_request_is_sent_to_https(behind_one_proxy: dict[str, Any]) -> None:
    assert behind_one_proxy["plain_http"] == {"status": 301, "location": "https://resolve.example.org/sign-in/"}


def test_a_request_the_proxy_received_over_https_is_secure(behind_one_proxy: dict[str, Any]) -> None:
    page = behind_one_proxy["sign_in_page"]
    assert page["status"] == 200  # not redirected again
    assert page["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert page["csrf_cookie_secure"] is True


def test_signing_in_through_the_proxy_passes_the_csrf_origin_check(behind_one_proxy: dict[str, Any]) -> None:
    signed = behind_one_proxy["sign_in"]
    assert signed["status"] == 302
    assert signed["location"] == "/"
    assert signed["session_cookie_secure"] is True
    assert signed["home"] == 200
    assert signed["session_ip"] == "192.0.2.10"  # the browser's address, not the proxy's


def test_a_form_posted_from_another_site_is_still_refused(behind_one_proxy: dict[str, Any]) -> None:
    assert behind_one_proxy["other_origin"] == 403


def test_one_clients_wrong_passwords_pause_that_client_only(behind_one_proxy: dict[str, Any]) -> None:
    # Ten a minute from one address pause that address, however it disguises itself in the header...
    assert behind_one_proxy["attacker"] == [400] * 10 + [429]
    # ...while a colleague behind the same proxy signs in.
    assert behind_one_proxy["colleague_meanwhile"] == 302


def check(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None), getattr(s, 'ALLAUTH_TRUSTED_PROXY_COUNT', 0), "
        "s.CSRF_TRUSTED_ORIGINS)"
    )
    return production(tmp_path, ["-c", code], **settings)


def test_without_a_proxy_count_the_forwarded_headers_are_not_trusted(tmp_path: Path) -> None:
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None 0 ['https://resolve.example.org']"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"RESOLVE_PROXY_COUNT": "two"}, "RESOLVE_PROXY_COUNT must be the number of reverse proxies"),
        ({"RESOLVE_PROXY_COUNT": "-1"}, "RESOLVE_PROXY_COUNT must be the number of reverse proxies"),
        ({"RESOLVE_CSRF_TRUSTED_ORIGINS": "http://resolve.example.org"}, "must start with https://"),
    ],
)
def test_a_mistake_in_the_proxy_settings_stops_start_up(tmp_path: Path, settings: dict[str, str], message: str) -> None:
    result = check(tmp_path, **settings)
    assert result.returncode != 0
    assert message in result.stderr
