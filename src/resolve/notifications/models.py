"""What was sent, to whom, through which channel, and whether it arrived.

A ``Message`` is one notice (or one day's digest) to one person through one channel. Its ``key``
(what happened, to whom, through which channel) is unique, so that writing it twice is impossible:
a re-run sweep or a restarted worker finds the row and sends nothing new.

Its ``status`` moves ``PENDING`` -> ``SENDING`` (claimed by one worker, with ``claimed_at``) ->
``SENT``; a failed attempt goes back to ``PENDING`` with ``next_attempt_at`` later (backoff), and
after the last attempt to ``FAILED``, which the partnership's administrators see and may send again.
``HELD`` messages wait for the person's daily digest (``digest`` is the digest message that carried
them). Nothing here holds a child's name or date of birth: only the disagreement's reference.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not sent: every attempt failed")
        HELD = "held", _("Held for the daily digest")
        DIGESTED = "digested", _("Sent in a daily digest")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        NOTIFY = "notify", _("GOV.UK Notify")

    key = models.CharField(max_length=255, unique=True, help_text="what happened, to whom, through which channel")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(
        "disagreements.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    person = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, related_name="messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.EmailField(help_text="where it was sent: the person's address when it was written")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(help_text="not sent before this")
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(
        max_length=200, blank=True, help_text="the mail server's Message-ID, or Notify's notification id"
    )
    last_error = models.CharField(
        max_length=300, blank=True, help_text="why the last attempt failed (never the message or the address)"
    )
    digest = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="carried", help_text="the digest"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # what a worker claims next: only the rows waiting, in the order they fall due
            models.Index(fields=["next_attempt_at"], name="message_due", condition=models.Q(status="pending")),
            # a claim that outlived its lease (a worker killed mid-send)
            models.Index(fields=["claimed_at"], name="message_claimed", condition=models.Q(status="sending")),
            models.Index(fields=["person", "-created_at"], name="message_person"),
            models.Index(fields=["person"], name="message_held", condition=models.Q(status="held")),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.person_id}: {self.subject[:40]}"


class SweepState(models.Model):
    """The deadline sweep's place: the moment up to which it has looked (one row, locked while it runs)."""

    name = models.CharField(max_length=40, unique=True, default="deadlines")
    swept_to = models.DateTimeField(help_text="every moment up to this has been swept")
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_seconds = models.FloatField(null=True, blank=True)
    last_run_found = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.swept_to}"
