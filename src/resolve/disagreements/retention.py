"""The end of the retention period: a closed disagreement's personal data removed, its figures kept.

What is removed: everything written about the child and the concerns (the disagreement's free
text, every record's contents, written outcomes, disputes, actions, stage reasons) and, once none of the
child's disagreements is kept any longer, the child's name, date of birth and reference. What is
kept, for the partnership's reports: the procedure, pathway, category, agencies, dates, stages,
deadlines and outcomes, and the audit trail (which holds identifiers only: no free text goes into
it, so it needs no erasing and its hash chain still verifies afterwards).

A child registered and never raised about is removed ``UNUSED_CHILD_DAYS`` after registration.

Retention is applied by an operator at the server's command line (``resolve retention apply``):
``retention_apply`` takes them as ``by`` and names them in every audit entry it writes. A dry run
counts exactly what the run would remove, and writes nothing.

This is the one place where records are changed after they are written: the law requires it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event, event_record
from resolve.disagreements.models import (
    Action,
    Child,
    Disagreement,
    Meeting,
    OutcomeDispute,
    RecordEntry,
    WrittenOutcome,
)
from resolve.partnerships.models import Partnership
from resolve.partnerships.services import Asker, Asking, administrator_check

TEXT_FIELDS = ("expected", "why", "what_needed", "evidence", "urgent_reason", "closing_reason")
ERASED = "erased-"
#: A child registered and never raised about is removed this many days after registration: time
#: enough to raise the disagreement they were registered for, and no one is kept for nothing.
UNUSED_CHILD_DAYS = 30


@dataclass
class RetentionReport:
    """What a run removed (or, in a dry run, would remove)."""

    disagreements: int = 0
    records: int = 0
    children: int = 0  # made anonymous: none of their disagreements is kept any longer
    unused_children: int = 0  # registered and never raised about: removed


def due_for_erasure(partnership: Partnership, now: datetime) -> list[Disagreement]:
    cutoff = now - timedelta(days=partnership.retention_days)
    return list(
        Disagreement.objects.filter(partnership=partnership, erased_at__isnull=True, closed_at__lt=cutoff)
        .exclude(status=Disagreement.Status.OPEN)
        .order_by("closed_at")
    )


def unused_children(partnership: Partnership, now: datetime) -> list[Child]:
    """Children registered more than ``UNUSED_CHILD_DAYS`` ago whom no disagreement is about."""
    cutoff = now - timedelta(days=UNUSED_CHILD_DAYS)
    return list(
        Child.objects.filter(partnership=partnership, created_at__lt=cutoff, disagreements__isnull=True).order_by(
            "created_at"
        )
    )


def retention_apply(*, by: Asking, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Erase what is past every partnership's retention period; each disagreement in its own transaction.

    It crosses every partnership: only an operator (``resolve retention apply``) or a superuser may
    ask, and each entry it writes names them.
    """
    asker = administrator_check(partnership=None, by=by)
    now = now or timezone.now()
    report = RetentionReport()
    for partnership in Partnership.objects.order_by("slug"):
        due = due_for_erasure(partnership, now)
        unused = unused_children(partnership, now)
        report.disagreements += len(due)
        if dry_run:
            report.records += RecordEntry.objects.filter(disagreement__in=due).count()
            report.children += _children_left_without_a_kept_disagreement(due)
            report.unused_children += len(unused)
            continue
        for disagreement in due:
            records, children = _erase(disagreement, now, asker)
            report.records += records
            report.children += children
        report.unused_children += sum(_remove_unused(child, now, asker) for child in unused)
    if not dry_run:
        event_record(
            verb=Verb.RETENTION_APPLIED,
            partnership=None,
            actor=asker.actor,
            data={**asker.data, **asdict(report)},
            at=now,
        )
    return report


def _children_left_without_a_kept_disagreement(due: list[Disagreement]) -> int:
    """How many children erasing ``due`` makes anonymous: those with no other disagreement still kept."""
    due_ids = {d.pk for d in due}
    children = Child.objects.filter(pk__in={d.child_id for d in due}).exclude(reference__startswith=ERASED)
    return sum(
        1
        for child in children
        if not child.disagreements.filter(erased_at__isnull=True).exclude(pk__in=due_ids).exists()
    )


@transaction.atomic
def _remove_unused(child: Child, now: datetime, asker: Asker) -> int:
    """Remove a child no disagreement is about; the lock waits for one being raised about them now."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    if child.disagreements.exists():
        return 0
    event_record(
        verb=Verb.RETENTION_APPLIED,
        partnership=child.partnership,
        actor=asker.actor,
        data={**asker.data, "child": str(child.pk), "removed": "registered and never raised about"},
        at=now,
    )
    child.delete()
    return 1


@transaction.atomic
def _erase(disagreement: Disagreement, now: datetime, asker: Asker) -> tuple[int, int]:
    disagreement = Disagreement.objects.select_for_update().get(pk=disagreement.pk)
    for name in TEXT_FIELDS:
        setattr(disagreement, name, "")
    disagreement.erased_at = now
    disagreement.save(update_fields=[*TEXT_FIELDS, "erased_at"])
    records = 0
    for entry in RecordEntry.objects.filter(disagreement=disagreement):
        entry.data = {"erased": True}
        entry.save(update_fields=["data"])
        records += 1
    for outcome in WrittenOutcome.objects.filter(disagreement=disagreement):
        outcome.text = ""
        outcome.save(update_fields=["text"])
    for dispute in OutcomeDispute.objects.filter(outcome__disagreement=disagreement):
        dispute.reason = ""
        dispute.save(update_fields=["reason"])
    for action in Action.objects.filter(disagreement=disagreement):
        action.description, action.completion_note = "", ""
        action.save(update_fields=["description", "completion_note"])
    for meeting in Meeting.objects.filter(disagreement=disagreement):
        meeting.place, meeting.cancel_reason = "", ""
        meeting.save(update_fields=["place", "cancel_reason"])
    for run in disagreement.stage_runs.exclude(outcome_reason=""):
        run.outcome_reason = ""
        run.save(update_fields=["outcome_reason"])
    children = 0
    child = Child.objects.select_for_update().get(pk=disagreement.child_id)
    still_kept = child.disagreements.filter(Q(erased_at__isnull=True)).exists()
    if not still_kept and not child.reference.startswith(ERASED):
        child.name, child.date_of_birth, child.reference = "", None, f"{ERASED}{child.pk.hex[:12]}"
        child.save(update_fields=["name", "date_of_birth", "reference"])
        children = 1
    disagreement_event(
        disagreement,
        Verb.RETENTION_APPLIED,
        by=asker.actor,
        at=now,
        records=records,
        child_erased=bool(children),
        **asker.data,
    )
    return records, children
