"""The two ways a message leaves Resolve: e-mail over SMTP (Django's backend) and GOV.UK Notify.

Each ``send_*`` returns the provider's reference for the message (the Message-ID header, or Notify's
notification id) or raises ``SendFailed`` with a reason that names no person and no address, so
that it can be kept and shown to administrators. Both pass the message's unique key to the provider
(the Message-ID is made from it; Notify's ``reference``), so that a message sent twice in the one
remaining window (decision 0014) can be recognised as one.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


class SendFailed(Exception):
    """The provider did not take the message; ``reason`` is safe to store and show."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason[:300]
        self.permanent = permanent


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Outgoing:
    key: str
    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


def message_id(key: str) -> str:
    """A Message-ID made from the message's key: the same message always has the same id."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1]
    domain = address.rpartition("@")[2] if "@" in address else ""
    return f"<{digest}@{domain or 'resolve.invalid'}>"


def provider_key(key: str) -> str:
    """The key as the provider sees it (X-Resolve-Key, Notify's reference): it names nobody."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


#: "authentication required" (530), "mechanism too weak" (534), "encryption required" (538)
LOGIN_REFUSED = (530, 534, 538)


def _smtp_failure(exc: Exception) -> SendFailed:
    """Why the mail server did not take a message, in words that name no person and no address.

    A 5xx answer to the message will be the same next time (permanent); a 4xx answer, a lost
    connection or a refused login (a setting an administrator can put right) is tried again.
    """
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendFailed(
            f"The mail server refused Resolve's login ({exc.smtp_code}): check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD"
        )
    if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code in LOGIN_REFUSED:
        return SendFailed(
            f"The mail server wants a login ({exc.smtp_code}): set EMAIL_HOST_USER and EMAIL_HOST_PASSWORD"
        )
    if isinstance(exc, TimeoutError) or (
        isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, TimeoutError)
    ):
        return SendFailed("The mail server did not answer in time (EMAIL_TIMEOUT)")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return SendFailed("The mail server closed the connection")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [int(code) for code, _text in exc.recipients.values()]
        permanent = any(500 <= code < 600 for code in codes)
        return SendFailed(f"The mail server refused the address ({', '.join(map(str, codes))})", permanent=permanent)
    if isinstance(exc, smtplib.SMTPResponseException):
        return SendFailed(f"The mail server answered {exc.smtp_code}", permanent=500 <= exc.smtp_code < 600)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendFailed("The mail server does not offer STARTTLS or a login, which the EMAIL_ settings ask for")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendFailed("The mail server's certificate could not be verified")
    if isinstance(exc, ssl.SSLError):
        name = type(exc).__name__
        return SendFailed(f"TLS with the mail server failed ({name}): check EMAIL_USE_TLS and EMAIL_USE_SSL")
    return SendFailed(f"Could not reach the mail server ({type(exc).__name__})")


def send_email(outgoing: Outgoing) -> str:
    """Send over SMTP with the settings' server (EMAIL_HOST ...); the Message-ID is returned."""
    mid = message_id(outgoing.key)
    email = EmailMessage(
        subject=outgoing.subject,
        body=outgoing.body,
        to=[outgoing.to],
        headers={"Message-ID": mid, "X-Resolve-Key": provider_key(outgoing.key)},
    )
    for a in outgoing.attachments:
        email.attach(a.filename, a.content, a.mimetype)
    try:
        connection = get_connection(fail_silently=False)
    except ValueError as exc:  # Django's own check: EMAIL_USE_TLS and EMAIL_USE_SSL both set
        raise SendFailed("EMAIL_USE_TLS and EMAIL_USE_SSL are both set: set one of them", permanent=True) from exc
    try:
        with connection:
            sent = connection.send_messages([email])
    except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, timed out, TLS (ssl.SSLError)
        raise _smtp_failure(exc) from exc
    except ValueError as exc:  # Django's sanitize_address: an address no mail server can take
        raise SendFailed("The address cannot be used in an e-mail", permanent=True) from exc
    if not sent:
        raise SendFailed("The mail server did not take the message")
    return mid


NOTIFY_KEY = re.compile(r"^.+-(?P<service>[0-9a-f-]{36})-(?P<secret>[0-9a-f-]{36})$")


def send_notify(outgoing: Outgoing) -> str:
    """Send through GOV.UK Notify's official client; Notify's notification id is returned.

    The template (NOTIFY_EMAIL_TEMPLATE_ID) takes ((subject)) and ((body)). Notify cannot attach a
    calendar file, so a meeting's invitation through Notify says when and where in its body. A
    setting missing or malformed, a 400 (the address or the template) or a 403 (the key) will fail
    again (permanent); a 429 (too many at once), a 5xx or no answer is tried again.
    """
    from notifications_python_client.errors import APIError  # noqa: PLC0415 - only partnerships on Notify need it
    from notifications_python_client.notifications import NotificationsAPIClient  # noqa: PLC0415

    if not settings.NOTIFY_API_KEY or not settings.NOTIFY_EMAIL_TEMPLATE_ID:
        raise SendFailed(
            "GOV.UK Notify is not set up: set RESOLVE_NOTIFY_API_KEY and RESOLVE_NOTIFY_EMAIL_TEMPLATE_ID",
            permanent=True,
        )
    if not NOTIFY_KEY.match(str(settings.NOTIFY_API_KEY)):
        raise SendFailed(
            "RESOLVE_NOTIFY_API_KEY is not a GOV.UK Notify API key (name-service id-secret)", permanent=True
        )
    try:
        client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)
        response = client.send_email_notification(
            email_address=outgoing.to,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            personalisation={"subject": outgoing.subject, "body": outgoing.body},
            reference=provider_key(outgoing.key),
        )
    except APIError as exc:
        if exc.response is None:  # the client's way of saying no answer came (refused, timed out)
            raise SendFailed("Could not reach GOV.UK Notify (no answer)") from exc
        code = exc.status_code
        # 400 and 403 will not succeed on a retry (a bad address, template or key); 429 and 5xx may
        raise SendFailed(f"GOV.UK Notify answered {code}{_notify_error(exc)}", permanent=code in (400, 403)) from exc
    except (OSError, ValueError) as exc:
        raise SendFailed(f"Could not reach GOV.UK Notify ({type(exc).__name__})") from exc
    reference = str((response or {}).get("id", ""))
    if not reference:
        raise SendFailed("GOV.UK Notify's answer had no notification id")
    return reference


def _notify_error(exc: Any) -> str:
    """Notify's name for the error (BadRequestError, RateLimitError ...), not its words (they may quote the request)."""
    try:
        name = exc.response.json()["errors"][0]["error"]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return ""
    return f" ({name})" if isinstance(name, str) and name.isidentifier() else ""


SENDERS = {"email": send_email, "notify": send_notify}
