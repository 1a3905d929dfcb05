"""GOV.UK Frontend, built for Resolve (Arial, no GDS Transport, no crown), committed and served by the app itself."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_security import run_production

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "resolve" / "web" / "static" / "web"


def test_the_committed_stylesheet_is_govuk_frontend_5_in_arial_without_gds_transport_or_the_crest() -> None:
    css = (STATIC / "resolve.css").read_text(encoding="utf-8")
    assert ".govuk-header" in css
    assert ".govuk-error-summary" in css
    assert "font-family:arial,sans-serif" in css
    assert "GDS Transport" not in css
    assert "@font-face" not in css  # no font file is asked for, so none is shipped
    assert "govuk-crest" not in css
    assert "url(" not in css  # nothing it needs is missing from the static files
    package = json.loads((ROOT / "frontend" / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["govuk-frontend"].startswith("5.")
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/govuk-frontend"]["version"] == package["devDependencies"]["govuk-frontend"]


def test_the_committed_javascript_is_govuk_frontend_started_from_a_file_not_an_inline_script() -> None:
    assert "initAll" in (STATIC / "govuk-frontend.min.js").read_text(encoding="utf-8")
    assert 'import { initAll } from "./govuk-frontend.min.js"' in (STATIC / "init.js").read_text(encoding="utf-8")
    assert "govuk-frontend-supported" in (STATIC / "supported.js").read_text(encoding="utf-8")
    assert not list(STATIC.rglob("*.woff*"))  # no GDS Transport font files


def test_dev_py_names_the_command_that_rebuilds_the_assets() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "dev.py"), "help"], capture_output=True, text=True, check=False)
    assert "python3 dev.py assets" in result.stdout


def test_production_collects_the_static_files_and_serves_the_pages_stylesheet_itself(tmp_path: Path) -> None:
    result = run_production(
        "import django, json; django.setup(); from django.test import Client; "
        "from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); call_command('collectstatic', '--noinput', verbosity=0); "
        "c = Client(); page = c.get('/sign-in/', secure=True, HTTP_HOST='resolve.example.org'); "
        "html = page.content.decode(); "
        'import re; css = re.search(r\'<link rel="stylesheet" href="([^"]+)"\', html).group(1); '
        "r = c.get(css, secure=True, HTTP_HOST='resolve.example.org'); "
        "body = b''.join(r.streaming_content).decode(); "
        "print(json.dumps({'html': html, 'css': css, 'status': r.status_code, 'type': r.headers['Content-Type'], "
        "'cache': r.headers.get('Cache-Control', ''), 'arial': 'arial' in body, "
        "'csp': page.headers['Content-Security-Policy']}))",
        tmp_path,
        RESOLVE_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert re.fullmatch(r"/static/web/resolve\.[0-9a-f]{12}\.css", seen["css"])  # named by its content
    assert seen["status"] == 200
    assert seen["type"].startswith("text/css")
    assert "max-age=315360000" in seen["cache"]  # WhiteNoise caches a content-named file for good
    assert seen["arial"]
    # GOV.UK Frontend starts from static files: the policy allows no inline script and none is needed.
    assert "script-src 'self'" in seen["csp"]
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", seen["html"]) is None
    assert re.search(r'<script type="module" src="/static/web/init\.[0-9a-f]{12}\.js"', seen["html"])


def test_production_before_collectstatic_still_answers_pages_with_their_stylesheet(tmp_path: Path) -> None:
    result = run_production(
        "import django, json, re; django.setup(); from django.test import Client; "
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "c = Client(); page = c.get('/sign-in/', secure=True, HTTP_HOST='resolve.example.org'); "
        'css = re.search(r\'<link rel="stylesheet" href="([^"]+)"\', page.content.decode()).group(1); '
        "r = c.get(css, secure=True, HTTP_HOST='resolve.example.org'); "
        "print(json.dumps({'page': page.status_code, 'css': css, 'status': r.status_code}))",
        tmp_path,
        RESOLVE_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"page": 200, "css": "/static/web/resolve.css", "status": 200}


@pytest.mark.parametrize("debug", ["1", "0"])
def test_on_ones_own_machine_the_stylesheet_is_served_without_collectstatic(tmp_path: Path, debug: str) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "resolve.settings.local",
        "RESOLVE_DATA_DIR": str(tmp_path),
        "RESOLVE_DEBUG": debug,
    }
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/static/web/resolve.css'); "
        "import json; print(json.dumps([r.status_code, r.headers['Content-Type']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    status, content_type = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 200
    assert content_type.startswith("text/css")
