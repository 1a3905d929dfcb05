"""Signing in through a reverse proxy, run by ``test_behind_a_proxy`` in a fresh process under the production settings.

The proxy is simulated by its headers: requests arrive from the proxy's own address over plain
HTTP, with ``X-Forwarded-Proto`` saying whether the browser used HTTPS and ``X-Forwarded-For``
ending with the address the proxy saw. What each step answered is printed as one JSON object.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import django

PROXY = "10.0.0.2"  # where every request reaches Resolve from
HOST = "resolve.example.org"
PASSWORD = "correct horse battery staple"


def through_proxy(client_address: str, *, spoofed: str = "", https: bool = True) -> dict[str, Any]:
    """What the proxy adds to a browser's request: the scheme it was received on and the browser's address."""
    forwarded_for = f"{spoofed}, {client_address}" if spoofed else client_address
    headers: dict[str, Any] = {"REMOTE_ADDR": PROXY, "HTTP_HOST": HOST, "HTTP_X_FORWARDED_FOR": forwarded_for}
    if https:
        headers["HTTP_X_FORWARDED_PROTO"] = "https"
    return headers


def sign_in(client: Any, email: str, password: str, origin: str = f"https://{HOST}") -> Any:
    client.get("/sign-in/")
    token = client.cookies["csrftoken"].value
    return client.post(
        "/sign-in/", {"login": email, "password": password, "csrfmiddlewaretoken": token}, HTTP_ORIGIN=origin
    )


def main() -> None:
    django.setup()
    from allauth.usersessions.models import UserSession  # noqa: PLC0415 (after setup)
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    users = get_user_model().objects
    users.create_user(username="jo", email="jo@school.example", password=PASSWORD)
    users.create_user(username="sam", email="sam@police.example", password=PASSWORD)
    seen: dict[str, Any] = {}

    plain = Client(**through_proxy("192.0.2.10", https=False)).get("/sign-in/")
    seen["plain_http"] = {"status": plain.status_code, "location": plain.get("Location", "")}

    browser = Client(enforce_csrf_checks=True, **through_proxy("192.0.2.10"))
    page = browser.get("/sign-in/")
    seen["sign_in_page"] = {
        "status": page.status_code,
        "hsts": page.get("Strict-Transport-Security", ""),
        "csrf_cookie_secure": bool(browser.cookies["csrftoken"]["secure"]),
    }
    forged = Client(enforce_csrf_checks=True, **through_proxy("192.0.2.11"))
    seen["other_origin"] = sign_in(
        forged, "jo@school.example", PASSWORD, origin="https://elsewhere.example"
    ).status_code
    signed = sign_in(browser, "jo@school.example", PASSWORD)
    seen["sign_in"] = {
        "status": signed.status_code,
        "location": signed.get("Location", ""),
        "session_cookie_secure": "sessionid" in browser.cookies and bool(browser.cookies["sessionid"]["secure"]),
        "home": browser.get("/").status_code,
        "session_ip": UserSession.objects.filter(user__username="jo").values_list("ip", flat=True).first(),
    }

    # One client guesses: wrong passwords for many accounts, claiming a new address each time.
    attacker = "203.0.113.66"
    guesses = [
        sign_in(
            Client(enforce_csrf_checks=True, **through_proxy(attacker, spoofed=f"198.51.100.{i}")),
            f"guess{i}@school.example",
            "wrong password",
        ).status_code
        for i in range(11)
    ]
    seen["attacker"] = guesses
    colleague = Client(enforce_csrf_checks=True, **through_proxy("192.0.2.20"))
    seen["colleague_meanwhile"] = sign_in(colleague, "sam@police.example", PASSWORD).status_code
    sys.stdout.write(json.dumps(seen) + "\n")


if __name__ == "__main__":
    main()
