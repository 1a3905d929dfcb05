"""The append-only event log: every disagreement's timeline, and the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from resolve.audit.keys import LEGACY_KEY_ID
from resolve.core.models import AppendOnlyQuerySet

# Set only while resolve.audit.services.event_record appends: the one way into the trail.
_appending: ContextVar[bool] = ContextVar("resolve_audit_appending", default=False)


@contextmanager
def chain_append() -> Iterator[None]:
    """Let the block insert one Event and move the ChainHead. Only ``event_record`` uses it."""
    token = _appending.set(True)
    try:
        yield
    finally:
        _appending.reset(token)


def _outside_the_service(what: str) -> NoReturn:
    raise TypeError(f"{what}: audit entries are written only by resolve.audit.services.event_record")


class Verb(models.TextChoices):
    """The fixed vocabulary of what can happen. Nothing writes an event with any other verb."""

    PROCEDURE_ADOPTED = "procedure_adopted", _("Procedure adopted")
    RAISED = "raised", _("Disagreement raised")
    CHILD_REGISTERED = "child_registered", _("Child registered")
    CHILD_FOUND = "child_found", _("Child found by their reference")
    STAGE_STARTED = "stage_started", _("Stage started")
    DEADLINE_SET = "deadline_set", _("Deadline set")
    PARTICIPANT_ADDED = "participant_added", _("Person added")
    DISCUSSION_RECORDED = "discussion_recorded", _("Discussion recorded")
    RECORD_ADDED = "record_added", _("Record added")
    RECORD_CORRECTED = "record_corrected", _("Record corrected")
    OUTCOME_PROPOSED = "outcome_proposed", _("Written outcome proposed")
    OUTCOME_CONFIRMED = "outcome_confirmed", _("Written outcome confirmed")
    OUTCOME_DISPUTED = "outcome_disputed", _("Written outcome disputed")
    ACTION_ADDED = "action_added", _("Action agreed")
    ACTION_COMPLETED = "action_completed", _("Action completed")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FEEDBACK_GIVEN = "feedback_given", _("Feedback given to the person who raised it")
    RAISER_ACCEPTED = "raiser_accepted", _("The person who raised it accepted the feedback or outcome")
    RAISER_ASKED_FURTHER = "raiser_asked_further", _("The person who raised it asked for it to go further")
    REVIEWER_APPOINTED = "reviewer_appointed", _("Independent reviewer named")
    REVIEWER_DECIDED = "reviewer_decided", _("Independent reviewer's decision recorded")
    NOTICE_DUE = "notice_due", _("Notification due")
    MEETING_SCHEDULED = "meeting_scheduled", _("Meeting scheduled")
    MEETING_MOVED = "meeting_moved", _("Meeting moved")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    CALENDAR_CHANGED = "calendar_changed", _("Working-day calendar changed")
    DEADLINES_RECALCULATED = "deadlines_recalculated", _("Deadlines recalculated")
    VIEWED = "viewed", _("Child's record read")
    ACCESS_REFUSED = "access_refused", _("Access to a record refused")
    EXPORTED = "exported", _("Audit trail exported")
    RETENTION_APPLIED = "retention_applied", _("Personal data removed at the end of the retention period")
    REFERENCE_CHANGED = "reference_changed", _("Reference data changed by an administrator")
    SIGNED_IN = "signed_in", _("Signed in")
    SIGNED_OUT = "signed_out", _("Signed out")
    SIGN_IN_FAILED = "sign_in_failed", _("Wrong password given for the account")
    SIGN_IN_LOCKED = "sign_in_locked", _("Signing in to the account paused after repeated failures")
    SESSIONS_ENDED = "sessions_ended", _("Signed out everywhere")
    TWO_FACTOR_CHANGED = "two_factor_changed", _("Two-factor authentication changed")
    TRAIL_VERIFIED = "trail_verified", _("Audit trail checked against its chain and checkpoints")
    CHECKPOINT_WRITTEN = "checkpoint_written", _("Audit trail checkpoint written outside the database")
    ACCOUNT_INVITED = "account_invited", _("Account made and a link to set its password sent")
    SINGLE_SIGN_ON_LINKED = "single_sign_on_linked", _("Sign-in through an organisation linked to an account")
    MESSAGES_CHOICE_CHANGED = "messages_choice_changed", _("Choice of one message each time or a daily digest")
    MESSAGE_SENT_AGAIN = "message_sent_again", _("Message that could not be sent was sent again by an administrator")
    HANDED_OVER = "handed_over", _("Open work handed over from someone leaving")
    COUNTERPART_INVITED = "counterpart_invited", _("Counterpart in another partnership invited")
    DOCUMENT_MADE = "document_made", _("Document made (a record for a file, a report or an export)")
    LEARNING_RECORDED = "learning_recorded", _("Wider learning recorded")
    LEARNING_RESPONSE_RECORDED = "learning_response_recorded", _("What the practice-improvement group did recorded")


class EventQuerySet(AppendOnlyQuerySet):
    """No bulk writes either: every entry is chained one at a time by the service."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> NoReturn:
        _outside_the_service("bulk_create() is refused")

    def bulk_update(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> NoReturn:
        _outside_the_service("bulk_update() is refused")


class ChainHeadQuerySet(models.QuerySet):
    """The head moves only with an entry: no update, delete or bulk write outside the service."""

    def update(self, **kwargs: Any) -> NoReturn:
        _outside_the_service("the chain's head is not updated directly")

    def delete(self) -> NoReturn:
        _outside_the_service("the chain's head is not deleted")

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> NoReturn:
        _outside_the_service("bulk_create() is refused")

    def bulk_update(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> NoReturn:
        _outside_the_service("bulk_update() is refused")


class Event(models.Model):
    """One entry of the audit trail, chained to the one before it by a keyed hash.

    ``hash`` is HMAC-SHA256, with the key named by ``key_id`` (from the environment, never the
    database), over this entry's contents and ``prev_hash``: editing or deleting an entry breaks the
    chain from there on, and recomputing the hashes needs the key (``resolve audit verify`` finds
    it). Entries are written once, by ``event_record``: saving an existing one, deleting one and
    bulk writes are refused here, and on PostgreSQL a trigger refuses UPDATE and DELETE as well.
    """

    at = models.DateTimeField(db_index=True)
    # A Verb's value. No `choices` here: the vocabulary lives in Verb alone, so a new verb needs no
    # migration; event_record accepts nothing but a Verb.
    verb = models.CharField(max_length=40)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="the partnership it concerns; empty for the installation itself (checkpoints, superusers' accounts)",
    )
    actor = models.ForeignKey("partnerships.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    disagreement = models.ForeignKey(
        "disagreements.Disagreement", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    data = models.JSONField(default=dict, blank=True, help_text="identifiers and facts; no free text about the child")
    remote_addr = models.CharField(max_length=64, blank=True, help_text="where the change or read came from")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(
        max_length=32,
        default=LEGACY_KEY_ID,
        help_text=f"which of RESOLVE_AUDIT_KEYS signed it; {LEGACY_KEY_ID!r}: written before the chain was keyed",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.description}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Audit entries are append-only: an entry cannot be changed once it is written")
        if not _appending.get():
            _outside_the_service("Event.save() is refused")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Audit entries are append-only and cannot be deleted")

    @property
    def description(self) -> str:
        """The verb in words ("Disagreement raised"); an unknown value is shown as it is."""
        return str(Verb(self.verb).label) if self.verb in Verb.values else self.verb


class ChainHead(models.Model):
    """The newest entry's hash and the number of entries: one row, locked by every writer.

    Locking it serialises appends so that two transactions can never chain from the same entry,
    and comparing it with the table detects entries removed from the end.
    """

    hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    objects = ChainHeadQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.count} entries, head {self.hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not _appending.get():
            _outside_the_service("ChainHead.save() is refused")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _outside_the_service("the chain's head is not deleted")
