"""Shared guards: locking, membership, open state, the values people give, times, missing records.

The values a service receives are checked here, before anything is written, each with a message
naming the field and what to fix (DESIGN.md: bad input gets a clear message and changes nothing):
text is text (not a list, a number or None), fits the field that stores it, and holds nothing a
database cannot store (PostgreSQL refuses a NUL character, and either database a lone surrogate);
dates and times are of the right type, with a time zone, and in a sensible range.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeAlias

from django.db.models import Field, ForeignObjectRel
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Disagreement,
    RecordEntry,
    StageRun,
)
from resolve.partnerships.models import Partnership, Person

CLOCK_SLACK = timedelta(minutes=5)
#: The longest free text kept in one field that the model leaves unbounded (a TextField, or one value
#: of a record's data): about ten pages. Anything longer belongs in a document, not a field.
TEXT_LIMIT = 20_000
#: No child Resolve is about was born before this: an earlier date of birth is a typing mistake.
EARLIEST_BIRTH = date(1900, 1, 1)
#: How long text may be: the model field that stores it (``Model._meta.get_field(name)``: its
#: ``max_length``), a number of characters, or None for ``TEXT_LIMIT``.
Limit: TypeAlias = "int | Field[Any, Any] | ForeignObjectRel | None"

# Guards shared by the services


def lock(disagreement: Disagreement) -> Disagreement:
    return (
        Disagreement.objects.select_for_update()
        .select_related("procedure_version", "partnership", "raising_agency", "raised_by")
        .get(pk=disagreement.pk)
    )


def require_member(partnership: Partnership, person: Person, what: str = "") -> None:
    if person.partnership_id != partnership.pk or not person.is_active:
        raise ResolveError(
            _("%(what)s is not an active member of %(name)s.")
            % {"what": what or _("This person"), "name": partnership.name},
            field="person",
        )


def person_given(value: object, field: str, what: str) -> Person:
    """``value`` when it is a person (a page's choice, an API's id already looked up); refused otherwise."""
    if not isinstance(value, Person):
        raise ResolveError(_("Choose %(what)s from the people listed.") % {"what": what}, field=field)
    return value


def people_given(values: object, field: str, what: str) -> list[Person]:
    """``values`` as a list of people; refused if it is not a list (a tuple, a set, a query...) of people."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ResolveError(_("Choose %(what)s from the people listed.") % {"what": what}, field=field)
    return [person_given(row, field, what) for row in values]


def require_open(disagreement: Disagreement, doing: str) -> None:
    if not disagreement.is_open:
        when = timezone.localtime(disagreement.closed_at).strftime("%d %B %Y") if disagreement.closed_at else ""
        raise Refused(
            _(
                "This disagreement was %(status)s on %(when)s; a %(status)s disagreement cannot be %(doing)s. If "
                "concerns remain, raise a new disagreement."
            )
            % {"status": disagreement.get_status_display().lower(), "when": when, "doing": doing}
        )


def current_run(disagreement: Disagreement) -> StageRun:
    return disagreement.stage_runs.select_related("disagreement__procedure_version").get(ended_at__isnull=True)


def optional_text(value: object, field: str, label: str, *, limit: Limit = None) -> str:
    """``value`` as it is stored: text without the spaces around it, possibly empty.

    ``limit`` is the model field that stores it (its ``max_length``) or a length; ``TEXT_LIMIT`` when
    the field has none. Refused, naming ``label``: anything but text, a NUL character, a character
    that is not valid Unicode, and text longer than the limit.
    """
    if not isinstance(value, str):
        raise ResolveError(
            _("Enter %(label)s as text, not %(kind)s.") % {"label": label, "kind": _kind(value)}, field=field
        )
    if "\x00" in value:
        raise ResolveError(
            _("Remove the NUL character (\\x00) from %(label)s: it cannot be stored.") % {"label": label}, field=field
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ResolveError(
            _("Remove the character at position %(position)s of %(label)s: it is not valid Unicode text.")
            % {"position": exc.start + 1, "label": label},
            field=field,
        ) from None
    text = value.strip()
    most = _max_length(limit)
    if len(text) > most:
        raise ResolveError(
            _("Shorten %(label)s to %(most)s characters at most; it has %(length)s.")
            % {"label": label, "most": f"{most:,}", "length": f"{len(text):,}"},
            field=field,
        )
    return text


def required_text(value: object, field: str, label: str, *, limit: Limit = None) -> str:
    """Like ``optional_text``, and refused when nothing (or only spaces) is given."""
    text = optional_text("" if value is None else value, field, label, limit=limit)
    if not text:
        raise ResolveError(_("Enter %(label)s.") % {"label": label}, field=field)
    return text


def yes_or_no(value: object, field: str, label: str) -> bool:
    """A true/false answer: refused if it is anything else (a string "no" would otherwise count as yes)."""
    if not isinstance(value, bool):
        raise ResolveError(
            _("Answer %(label)s with yes or no (true or false), not %(kind)s.")
            % {"label": label, "kind": _kind(value)},
            field=field,
        )
    return value


def birth_date(value: object, field: str = "date_of_birth") -> date | None:
    """A child's date of birth, if given: a date (not a date and time), from 1900 to today."""
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ResolveError(
            _("Enter the child's date of birth as a date (day, month and year), not %(kind)s.")
            % {"kind": _kind(value)},
            field=field,
        )
    if value < EARLIEST_BIRTH:
        raise ResolveError(
            _("The child's date of birth cannot be before %(earliest)s: check the year.")
            % {"earliest": f"{EARLIEST_BIRTH:%d %B %Y}"},
            field=field,
        )
    if value > timezone.localdate():
        raise ResolveError(_("The child's date of birth cannot be in the future."), field=field)
    return value


def due_date(value: object, field: str, label: str) -> date | None:
    """A date something is due by, if given: a date (not a date and time), today or later."""
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ResolveError(
            _("Enter %(label)s as a date (day, month and year), not %(kind)s.")
            % {"label": label, "kind": _kind(value)},
            field=field,
        )
    if value < timezone.localdate():
        raise ResolveError(_("%(label)s cannot be in the past.") % {"label": capfirst(label)}, field=field)
    return value


#: How long before a disagreement was raised something recorded about it may have happened. The
#: discussions that lead a practitioner to raise it often come first (stage 1 is talking to the
#: counterpart), so an earlier time is normal; a time over a year earlier is a mistyped year.
#: This bounds input only: it is no timescale of any procedure.
RECORD_LOOKBACK = timedelta(days=366)


def past(moment: object, field: str, label: str, *, raised_at: datetime | None = None) -> datetime:
    """A moment that has happened, with its time zone; within ``RECORD_LOOKBACK`` before ``raised_at``."""
    if not isinstance(moment, datetime):
        raise ResolveError(
            _("%(label)s must be a date and a time, not %(kind)s.") % {"label": label, "kind": _kind(moment)},
            field=field,
        )
    if timezone.is_naive(moment):
        raise ResolveError(_("%(label)s must include a time zone.") % {"label": label}, field=field)
    if moment > timezone.now() + CLOCK_SLACK:
        raise ResolveError(_("%(label)s cannot be in the future.") % {"label": label}, field=field)
    if raised_at is not None and moment < raised_at - RECORD_LOOKBACK:
        raised = timezone.localtime(raised_at).strftime("%d %B %Y")
        raise ResolveError(
            _("%(label)s cannot be more than a year before the disagreement was raised, on %(raised)s: check the year.")
            % {"label": label, "raised": raised},
            field=field,
        )
    return moment


def _max_length(limit: Limit) -> int:
    if isinstance(limit, int):
        return limit
    return getattr(limit, "max_length", None) or TEXT_LIMIT


def _kind(value: object) -> str:
    """What was given instead, in words, for a message: never the value itself (it may be personal)."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, bytes | bytearray):
        return _("bytes")
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list | tuple | set | frozenset):
        return _("a list")
    return _("a %(type)s") % {"type": type(value).__name__}


def describe_missing(run: StageRun, transition: str) -> str | None:
    missing = rules.missing_records(run, transition)
    if not missing:
        return None
    needs = "; ".join(f"{r.title} [{r.source}]" for r in missing)
    if transition == "escalate":
        return _("%(name)s cannot be escalated yet. The procedure requires: %(needs)s. Record it first.") % {
            "name": run.name,
            "needs": needs,
        }
    return _("%(name)s cannot be resolved yet. The procedure requires: %(needs)s. Record it first.") % {
        "name": run.name,
        "needs": needs,
    }


def entry_record(
    *,
    disagreement: Disagreement,
    run: StageRun,
    kind: str,
    by: Person,
    data: dict[str, Any],
    now: datetime,
    occurred_at: datetime | None = None,
    **facts: Any,
) -> RecordEntry:
    """A record entry kept at a stage (``entry_write``) and its entry in the timeline, with ``facts``
    (identifiers only) beside the record, its kind and the stage: a discussion is DISCUSSION_RECORDED,
    anything else RECORD_ADDED."""
    entry = entry_write(
        disagreement=disagreement, run=run, kind=kind, by=by, data=data, now=now, occurred_at=occurred_at
    )
    verb = Verb.DISCUSSION_RECORDED if kind == RecordEntry.Kind.DISCUSSION_NOTE else Verb.RECORD_ADDED
    disagreement_event(disagreement, verb, by=by, at=now, record=str(entry.pk), kind=kind, stage=run.stage, **facts)
    return entry


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
