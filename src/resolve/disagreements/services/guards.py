"""Shared guards: locking, membership, open state, required text, times, missing records."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from resolve.core.errors import Refused, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Disagreement,
    RecordEntry,
    StageRun,
)
from resolve.partnerships.models import Partnership, Person

CLOCK_SLACK = timedelta(minutes=5)

# Guards shared by the services


def lock(disagreement: Disagreement) -> Disagreement:
    return (
        Disagreement.objects.select_for_update()
        .select_related("procedure_version", "partnership", "raising_agency", "raised_by")
        .get(pk=disagreement.pk)
    )


def require_member(partnership: Partnership, person: Person, what: str = "This person") -> None:
    if person.partnership_id != partnership.pk or not person.is_active:
        raise ResolveError(f"{what} is not an active member of {partnership.name}.", field="person")


def require_open(disagreement: Disagreement, doing: str) -> None:
    if not disagreement.is_open:
        when = timezone.localtime(disagreement.closed_at).strftime("%d %B %Y") if disagreement.closed_at else ""
        raise Refused(
            f"This disagreement was {disagreement.get_status_display().lower()} on {when}; "
            f"a {disagreement.get_status_display().lower()} disagreement cannot be {doing}. "
            f"If concerns remain, raise a new disagreement."
        )


def current_run(disagreement: Disagreement) -> StageRun:
    return disagreement.stage_runs.select_related("disagreement__procedure_version").get(ended_at__isnull=True)


def required_text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ResolveError(f"Enter {label}.", field=field)
    return text


def past(moment: datetime, field: str, label: str) -> datetime:
    if timezone.is_naive(moment):
        raise ResolveError(f"{label} must include a time zone.", field=field)
    if moment > timezone.now() + CLOCK_SLACK:
        raise ResolveError(f"{label} cannot be in the future.", field=field)
    return moment


def describe_missing(run: StageRun, transition: str) -> str | None:
    missing = rules.missing_records(run, transition)
    if not missing:
        return None
    needs = "; ".join(f"{r.title} [{r.source}]" for r in missing)
    verb = "escalated" if transition == "escalate" else "resolved"
    return f"{run.name} cannot be {verb} yet. The procedure requires: {needs}. Record it first."


def entry_write(
    *,
    disagreement: Disagreement,
    run: StageRun,
    kind: str,
    by: Person,
    data: dict[str, Any],
    now: datetime,
    occurred_at: datetime | None = None,
) -> RecordEntry:
    """One record entry on the stage run, written at ``now`` about something that happened at ``occurred_at``
    (``now`` when it happens as it is recorded: a decision, feedback)."""
    return RecordEntry.objects.create(
        disagreement=disagreement,
        stage_run=run,
        kind=kind,
        author=by,
        created_at=now,
        occurred_at=occurred_at or now,
        data=data,
    )
