"""Changing a partnership's reference data: its procedure and its calendar."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.core.errors import ResolveError
from resolve.partnerships.models import CalendarDay, Partnership, Person
from resolve.procedures.models import ProcedureVersion


@transaction.atomic
def partnership_adopt_procedure(
    *, partnership: Partnership, version: ProcedureVersion, by: Person | None
) -> Partnership:
    """New disagreements start on ``version``; disagreements already open stay on theirs."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    previous = partnership.procedure_id
    partnership.procedure = version
    partnership.save(update_fields=["procedure"])
    event_record(
        verb=Verb.PROCEDURE_ADOPTED,
        partnership=partnership,
        actor=by,
        data={"procedure": version.slug, "version": version.version, "previous_version_id": previous},
    )
    return partnership


@transaction.atomic
def calendar_day_set(*, partnership: Partnership, day: date, kind: str, reason: str, by: Person | None) -> CalendarDay:
    """Add or change a closure day or extra working day.

    Deadlines already given to disagreements do not move: an administrator recalculates them
    explicitly (``deadlines_recalculate``), and that is recorded.
    """
    if kind not in CalendarDay.Kind.values:
        raise ResolveError(f"Choose closure or working, not {kind!r}.", field="kind")
    entry, _ = CalendarDay.objects.update_or_create(
        partnership=partnership, date=day, defaults={"kind": kind, "reason": reason.strip()}
    )
    event_record(
        verb=Verb.CALENDAR_CHANGED, partnership=partnership, actor=by, data={"date": day.isoformat(), "kind": kind}
    )
    return entry
