"""The end of the retention period: a closed disagreement's personal data removed, its figures kept.

What is removed: everything written about the child and the concerns (the disagreement's free
text, every record's contents, written outcomes, actions, stage reasons) and, once none of the
child's disagreements is kept any longer, the child's name, date of birth and reference. What is
kept, for the partnership's reports: the procedure, pathway, category, agencies, dates, stages,
deadlines and outcomes, and the audit trail (which holds identifiers only).

This is the one place where records are changed after they are written: the law requires it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.disagreements.models import Action, Child, Disagreement, RecordEntry, WrittenOutcome
from resolve.partnerships.models import Partnership
from resolve.partnerships.services import Asker, Asking, administrator_check

TEXT_FIELDS = ("expected", "why", "what_needed", "evidence", "urgent_reason", "closing_reason")


@dataclass
class RetentionReport:
    disagreements: int = 0
    records: int = 0
    children: int = 0


def due_for_erasure(partnership: Partnership, now: datetime) -> list[Disagreement]:
    cutoff = now - timedelta(days=partnership.retention_days)
    return list(
        Disagreement.objects.filter(partnership=partnership, erased_at__isnull=True, closed_at__lt=cutoff)
        .exclude(status=Disagreement.Status.OPEN)
        .order_by("closed_at")
    )


def retention_apply(*, by: Asking, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Erase what is past every partnership's retention period; each disagreement in its own transaction.

    It crosses every partnership: only an operator (the command) or a superuser may ask, and each
    entry it writes names them.
    """
    asker = administrator_check(partnership=None, by=by)
    now = now or timezone.now()
    report = RetentionReport()
    for partnership in Partnership.objects.order_by("slug"):
        for disagreement in due_for_erasure(partnership, now):
            report.disagreements += 1
            if dry_run:
                report.records += disagreement.records.count()
                continue
            records, children = _erase(disagreement, now, asker)
            report.records += records
            report.children += children
    return report


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
    for action in Action.objects.filter(disagreement=disagreement):
        action.description, action.completion_note = "", ""
        action.save(update_fields=["description", "completion_note"])
    for run in disagreement.stage_runs.exclude(outcome_reason=""):
        run.outcome_reason = ""
        run.save(update_fields=["outcome_reason"])
    children = 0
    child = Child.objects.select_for_update().get(pk=disagreement.child_id)
    still_kept = child.disagreements.filter(Q(erased_at__isnull=True)).exists()
    if not still_kept and not child.reference.startswith("erased-"):
        child.name, child.date_of_birth, child.reference = "", None, f"erased-{child.pk.hex[:12]}"
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
