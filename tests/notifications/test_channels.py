"""E-mail over SMTP as the environment sets it up: server, port, STARTTLS or SSL, login, From address.

Each test runs a real SMTP server (aiosmtpd) on 127.0.0.1: with a login it requires, with STARTTLS
or implicit TLS on a self-signed certificate (made with ``cryptography``, trusted through
``SSL_CERT_FILE`` as a private CA would be), or not answering at all.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.test import override_settings
from django.utils import timezone

from resolve.disagreements.models import Notice
from resolve.notifications.channels import message_id, provider_key
from resolve.notifications.models import Message
from resolve.notifications.services import messages_send_due
from tests.disagreements.walker import Walker
from tests.notifications.conftest import Inbox, free_port
from tests.notifications.sending import waiting_message

pytestmark = [
    pytest.mark.django_db,
    # the login tests without TLS: aiosmtpd rightly warns that a real server should require it
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning"),
]

FROM = "Enfield Safeguarding Partnership <resolve@esp.example>"
USER, PASSWORD = "resolve-mailer", "correct horse battery staple"


# -- servers ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


class Logins:
    """aiosmtpd's authenticator: takes USER with PASSWORD, and remembers every attempt."""

    def __init__(self) -> None:
        self.tried: list[tuple[str, bool]] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == USER.encode()
            and auth_data.password == PASSWORD.encode()
        )
        self.tried.append((auth_data.login.decode() if isinstance(auth_data, LoginPassword) else "?", ok))
        return AuthResult(success=ok, handled=False)


@contextmanager
def mail_server(**smtp_options: Any) -> Iterator[tuple[Inbox, int]]:
    """An aiosmtpd server on a free port with these options (tls_context, authenticator ...)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **smtp_options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def smtp_settings(port: int, **changes: Any) -> override_settings:
    return override_settings(
        **{
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
            "DEFAULT_FROM_EMAIL": FROM,
            **changes,
        }
    )


def send_one() -> Message:
    """Send the one waiting message, as a worker would; the message as it then stands."""
    message = waiting_message()
    assert messages_send_due(worker="test") == 1
    message.refresh_from_db()
    return message


# -- the tests -------------------------------------------------------------------------------------


@override_settings(DEFAULT_FROM_EMAIL=FROM)
def test_a_raised_disagreement_is_mailed_from_the_configured_address_with_a_message_id_from_its_key(
    cast_for, time_machine, smtp: Inbox, work
) -> None:
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    work()
    messages = list(Message.objects.filter(notice__disagreement=walker.d))
    told = {p.email for n in Notice.objects.filter(disagreement=walker.d) for p in n.recipients.all()}
    assert {m.address for m in messages} == told
    assert len(smtp.received) == len(messages)
    for message in messages:
        [received] = smtp.to(message.address)
        assert received.rcpt_tos == [message.address]
        assert received.mail_from == "resolve@esp.example"
        assert received.message["From"] == FROM
        assert received.message["To"] == message.address
        assert received.subject == message.subject
        assert walker.d.reference in received.subject
        assert received.body.replace("\r\n", "\n") == message.body  # CRLF on the wire
        assert received.message["Message-ID"] == message_id(message.key) == message.provider_reference
        assert received.message["Message-ID"].endswith("@esp.example>")
        assert received.message["X-Resolve-Key"] == provider_key(message.key)
    # the Message-ID is the key's: the same key always gives it, another key another
    assert message_id(messages[0].key) == message_id(messages[0].key)
    assert len({message_id(m.key) for m in messages}) == len(messages)


def test_the_mailer_logs_in_with_the_configured_user_and_password() -> None:
    logins = Logins()
    with (
        mail_server(authenticator=logins, auth_required=True, auth_require_tls=False) as (inbox, port),
        smtp_settings(port, EMAIL_HOST_USER=USER, EMAIL_HOST_PASSWORD=PASSWORD),
    ):
        message = send_one()
    assert message.status == Message.Status.SENT
    assert logins.tried == [(USER, True)]
    assert [r.rcpt_tos for r in inbox.received] == [[message.address]]


def test_a_wrong_password_is_a_failed_attempt_tried_again_later() -> None:
    logins = Logins()
    with (
        mail_server(authenticator=logins, auth_required=True, auth_require_tls=False) as (inbox, port),
        smtp_settings(port, EMAIL_HOST_USER=USER, EMAIL_HOST_PASSWORD="wrong"),
    ):
        message = send_one()
    assert inbox.received == []
    assert logins.tried
    assert all(user == USER and not ok for user, ok in logins.tried)
    assert message.status == Message.Status.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at > timezone.now()
    assert message.last_error.startswith("The mail server refused Resolve's login (535)")
    assert "EMAIL_HOST_PASSWORD" in message.last_error


def test_no_login_where_the_server_requires_one_is_tried_again_naming_the_settings() -> None:
    with (
        mail_server(authenticator=Logins(), auth_required=True, auth_require_tls=False) as (inbox, port),
        smtp_settings(port),
    ):
        message = send_one()
    assert inbox.received == []
    assert message.status == Message.Status.PENDING
    assert "EMAIL_HOST_USER" in message.last_error


def test_starttls_with_a_login_over_it(certificate, monkeypatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    logins = Logins()
    with (
        mail_server(
            tls_context=server_tls(certificate), require_starttls=True, authenticator=logins, auth_required=True
        ) as (inbox, port),
        smtp_settings(port, EMAIL_USE_TLS=True, EMAIL_HOST_USER=USER, EMAIL_HOST_PASSWORD=PASSWORD),
    ):
        message = send_one()
    assert message.status == Message.Status.SENT, message.last_error
    assert logins.tried == [(USER, True)], "the login went over the encrypted connection the server required"
    assert len(inbox.received) == 1


def test_starttls_refuses_a_certificate_nobody_trusts(certificate, monkeypatch, tmp_path) -> None:
    empty = tmp_path / "no-authorities.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    with (
        mail_server(tls_context=server_tls(certificate), require_starttls=True) as (inbox, port),
        smtp_settings(port, EMAIL_USE_TLS=True),
    ):
        message = send_one()
    assert inbox.received == []
    assert message.status == Message.Status.PENDING
    assert message.last_error == "The mail server's certificate could not be verified"


def test_starttls_asked_of_a_server_without_it_is_tried_again_saying_so(smtp: Inbox) -> None:
    with override_settings(EMAIL_USE_TLS=True):
        message = send_one()
    assert smtp.received == []
    assert message.status == Message.Status.PENDING
    assert "STARTTLS" in message.last_error


def test_implicit_tls_email_use_ssl(certificate, monkeypatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with mail_server(ssl_context=server_tls(certificate)) as (inbox, port), smtp_settings(port, EMAIL_USE_SSL=True):
        message = send_one()
    assert message.status == Message.Status.SENT, message.last_error
    assert len(inbox.received) == 1


def test_tls_and_ssl_both_set_fails_naming_them(smtp: Inbox) -> None:
    with override_settings(EMAIL_USE_TLS=True, EMAIL_USE_SSL=True):
        message = send_one()
    assert message.status == Message.Status.FAILED
    assert message.last_error == "EMAIL_USE_TLS and EMAIL_USE_SSL are both set: set one of them"


def test_a_server_that_never_answers_times_out_after_email_timeout() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with smtp_settings(silent.getsockname()[1], EMAIL_TIMEOUT=1):
            started = time.monotonic()
            message = send_one()
            took = time.monotonic() - started
    assert took < 4, "EMAIL_TIMEOUT was honoured"
    assert message.status == Message.Status.PENDING
    assert message.last_error == "The mail server did not answer in time (EMAIL_TIMEOUT)"


def test_no_server_at_the_port_is_tried_again() -> None:
    with smtp_settings(free_port()):
        message = send_one()
    assert message.status == Message.Status.PENDING
    assert message.last_error == "Could not reach the mail server (ConnectionRefusedError)"


def test_the_settings_are_read_from_the_environment() -> None:
    """Every variable the README names reaches Django's settings (read in a fresh interpreter)."""
    environment = {
        **os.environ,
        "EMAIL_HOST": "smtp.partnership.example",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "1",
        "EMAIL_USE_SSL": "",
        "EMAIL_HOST_USER": USER,
        "EMAIL_HOST_PASSWORD": PASSWORD,
        "EMAIL_TIMEOUT": "12",
        "RESOLVE_EMAIL_FROM": FROM,
        "RESOLVE_NOTIFY_API_KEY": "k",
        "RESOLVE_NOTIFY_EMAIL_TEMPLATE_ID": "t",
        "RESOLVE_NOTIFY_BASE_URL": "https://notify.example",
    }
    names = [
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_TIMEOUT",
        "DEFAULT_FROM_EMAIL",
        "NOTIFY_API_KEY",
        "NOTIFY_EMAIL_TEMPLATE_ID",
        "NOTIFY_BASE_URL",
    ]
    script = f"import json, resolve.settings.base as s; print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    out = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == {
        "EMAIL_HOST": "smtp.partnership.example",
        "EMAIL_PORT": 587,
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": USER,
        "EMAIL_HOST_PASSWORD": PASSWORD,
        "EMAIL_TIMEOUT": 12,
        "DEFAULT_FROM_EMAIL": FROM,
        "NOTIFY_API_KEY": "k",
        "NOTIFY_EMAIL_TEMPLATE_ID": "t",
        "NOTIFY_BASE_URL": "https://notify.example",
    }
