"""The two ways a message leaves Resolve: e-mail over SMTP (Django's backend) and GOV.UK Notify.

Each ``send_*`` returns the provider's reference for the message (the Message-ID header, or Notify's
notification id) or raises ``SendFailed`` with a reason that names no person and no address, so
that it can be kept and shown to administrators. Both pass the message's unique key to the provider
(the Message-ID is made from it; Notify's ``reference``), so that a message sent twice in the one
remaining window (decision 0014) can be recognised as one.
"""

from __future__ import annotations

import hashlib
import smtplib
from dataclasses import dataclass

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
    domain = str(settings.DEFAULT_FROM_EMAIL).rsplit("@", 1)[-1].strip("> ") or "resolve.invalid"
    return f"<{digest}@{domain}>"


def send_email(outgoing: Outgoing) -> str:
    """Send over SMTP with the settings' server (EMAIL_HOST ...); the Message-ID is returned."""
    mid = message_id(outgoing.key)
    email = EmailMessage(
        subject=outgoing.subject,
        body=outgoing.body,
        to=[outgoing.to],
        headers={"Message-ID": mid, "X-Resolve-Key": hashlib.sha256(outgoing.key.encode()).hexdigest()[:32]},
    )
    for a in outgoing.attachments:
        email.attach(a.filename, a.content, a.mimetype)
    try:
        with get_connection(fail_silently=False) as connection:
            sent = connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendFailed("The mail server refused the address", permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        raise SendFailed(f"The mail server answered {exc.smtp_code}", permanent=500 <= exc.smtp_code < 600) from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise SendFailed(f"Could not reach the mail server ({type(exc).__name__})") from exc
    if not sent:
        raise SendFailed("The mail server did not take the message")
    return mid


def send_notify(outgoing: Outgoing) -> str:
    """Send through GOV.UK Notify's official client; Notify's notification id is returned.

    The template (NOTIFY_EMAIL_TEMPLATE_ID) takes ((subject)) and ((body)). Notify cannot attach a
    calendar file, so a meeting's invitation through Notify says when and where in its body.
    """
    from notifications_python_client.errors import APIError  # noqa: PLC0415 - only partnerships on Notify need it
    from notifications_python_client.notifications import NotificationsAPIClient  # noqa: PLC0415

    if not settings.NOTIFY_API_KEY or not settings.NOTIFY_EMAIL_TEMPLATE_ID:
        raise SendFailed("GOV.UK Notify is not set up: set RESOLVE_NOTIFY_API_KEY and RESOLVE_NOTIFY_EMAIL_TEMPLATE_ID")
    try:
        client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)
        response = client.send_email_notification(
            email_address=outgoing.to,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            personalisation={"subject": outgoing.subject, "body": outgoing.body},
            reference=hashlib.sha256(outgoing.key.encode()).hexdigest()[:32],
        )
    except APIError as exc:
        code = getattr(exc, "status_code", 0) or 0
        # 400 and 403 will not succeed on a retry (a bad address or key); 429 and 5xx may
        raise SendFailed(f"GOV.UK Notify answered {code}", permanent=code in (400, 403)) from exc
    except (OSError, ValueError) as exc:
        raise SendFailed(f"Could not reach GOV.UK Notify ({type(exc).__name__})") from exc
    return str(response.get("id", ""))


SENDERS = {"email": send_email, "notify": send_notify}
