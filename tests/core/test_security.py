"""Security settings a partnership's reviewer checks: deploy checks, headers, no secrets by default."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "resolve.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "resolve.example.org",
    "RESOLVE_AUDIT_KEYS": "prod:" + base64.b64encode(secrets.token_bytes(32)).decode(),
}


def run_production(code: str, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", **extra}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_deploy_checks_pass_with_production_settings(tmp_path: Path) -> None:
    result = run_production(
        "import django; from django.core.management import call_command; django.setup(); "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", ["", "short"])
def test_production_refuses_to_start_without_a_proper_secret_key(tmp_path: Path, key: str) -> None:
    result = run_production("import django; django.setup()", tmp_path, SECRET_KEY=key)
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


def test_production_pages_carry_hsts_and_the_other_security_headers(tmp_path: Path) -> None:
    result = run_production(
        "import django, json; django.setup(); from django.test import Client; "
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "r = Client().get('/sign-in/', secure=True, HTTP_HOST='resolve.example.org'); "
        "print(json.dumps(dict(r.headers)))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_every_page_sends_csp_frame_referrer_and_sniffing_headers() -> None:
    response = Client().get("/sign-in/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_shares_lockout_counts_between_worker_processes(tmp_path: Path) -> None:
    data = {"RESOLVE_DATA_DIR": str(tmp_path)}
    first = run_production(
        "import django; django.setup(); from django.core.cache import cache; cache.set('failures', 4, 60)",
        tmp_path,
        **data,
    )
    assert first.returncode == 0, first.stderr
    second = run_production(
        "import django; django.setup(); from django.core.cache import cache; print(cache.get('failures'))",
        tmp_path,
        **data,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().splitlines()[-1] == "4"


def test_production_uses_redis_for_the_cache_when_redis_url_is_set(tmp_path: Path) -> None:
    result = run_production(
        "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        tmp_path,
        REDIS_URL="redis://localhost:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.redis.RedisCache"
