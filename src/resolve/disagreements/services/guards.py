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


def require_member(partnership: Partnership, person: Person, what: str = "This person") -> None:
    if person.partnership_id != partnership.pk or not person.is_active:
        raise ResolveError(f"{what} is not an active member of {partnership.name}.", field="person")


def person_given(value: object, field: str, what: str) -> Person:
    """``value`` when it is a person (a page's choice, an API's id already looked up); refused otherwise."""
    if not isinstance(value, Person):
        raise ResolveError(f"Choose {what} from the people listed.", field=field)
    return value


def people_given(values: object, field: str, what: str) -> list[Person]:
    """``values`` as a list of people; refused if it is not a list (a tuple, a set, a query...) of people."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ResolveError(f"Choose {what} from the people listed.", field=field)
    return [person_given(row, field, what) for row in values]


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


def optional_text(value: object, field: str, label: str, *, limit: Limit = None) -> str:
    """``value`` as it is stored: text without the spaces around it, possibly empty.

    ``limit`` is the model field that stores it (its ``max_length``) or a length; ``TEXT_LIMIT`` when
    the field has none. Refused, naming ``label``: anything but text, a NUL character, a character
    that is not valid Unicode, and text longer than the limit.
    """
    if not isinstance(value, str):
        raise ResolveError(f"Enter {label} as text, not {_kind(value)}.", field=field)
    if "\x00" in value:
        raise ResolveError(f"Remove the NUL character (\\x00) from {label}: it cannot be stored.", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ResolveError(
            f"Remove the character at position {exc.start + 1} of {label}: it is not valid Unicode text.", field=field
        ) from None
    text = value.strip()
    most = _max_length(limit)
    if len(text) > most:
        raise ResolveError(f"Shorten {label} to {most:,} characters at most; it has {len(text):,}.", field=field)
    return text


def required_text(value: object, field: str, label: str, *, limit: Limit = None) -> str:
    """Like ``optional_text``, and refused when nothing (or only spaces) is given."""
    text = optional_text("" if value is None else value, field, label, limit=limit)
    if not text:
        raise ResolveError(f"Enter {label}.", field=field)
    return text


def yes_or_no(value: object, field: str, label: str) -> bool:
    """A true/false answer: refused if it is anything else (a string "no" would otherwise count as yes)."""
    if not isinstance(value, bool):
        raise ResolveError(f"Answer {label} with yes or no (true or false), not {_kind(value)}.", field=field)
    return value


def birth_date(value: object, field: str = "date_of_birth") -> date | None:
    """A child's date of birth, if given: a date (not a date and time), from 1900 to today."""
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ResolveError(
            f"Enter the child's date of birth as a date (day, month and year), not {_kind(value)}.", field=field
        )
    if value < EARLIEST_BIRTH:
        raise ResolveError(
            f"The child's date of birth cannot be before {EARLIEST_BIRTH:%d %B %Y}: check the year.", field=field
        )
    if value > timezone.localdate():
        raise ResolveError("The child's date of birth cannot be in the future.", field=field)
    return value


def due_date(value: object, field: str, label: str) -> date | None:
    """A date something is due by, if given: a date (not a date and time), today or later."""
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ResolveError(f"Enter {label} as a date (day, month and year), not {_kind(value)}.", field=field)
    if value < timezone.localdate():
        raise ResolveError(f"{label[0].upper()}{label[1:]} cannot be in the past.", field=field)
    return value


#: How long before a disagreement was raised something recorded about it may have happened. The
#: discussions that lead a practitioner to raise it often come first (stage 1 is talking to the
#: counterpart), so an earlier time is normal; a time over a year earlier is a mistyped year.
#: This bounds input only: it is no timescale of any procedure.
RECORD_LOOKBACK = timedelta(days=366)


def past(moment: object, field: str, label: str, *, raised_at: datetime | None = None) -> datetime:
    """A moment that has happened, with its time zone; within ``RECORD_LOOKBACK`` before ``raised_at``."""
    if not isinstance(moment, datetime):
        raise ResolveError(f"{label} must be a date and a time, not {_kind(moment)}.", field=field)
    if timezone.is_naive(moment):
        raise ResolveError(f"{label} must include a time zone.", field=field)
    if moment > timezone.now() + CLOCK_SLACK:
        raise ResolveError(f"{label} cannot be in the future.", field=field)
    if raised_at is not None and moment < raised_at - RECORD_LOOKBACK:
        raised = timezone.localtime(raised_at).strftime("%d %B %Y")
        raise ResolveError(
            f"{label} cannot be more than a year before the disagreement was raised, on {raised}: check the year.",
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
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bytes | bytearray):
        return "bytes"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple | set | frozenset):
        return "a list"
    return f"a {type(value).__name__}"


def describe_missing(run: StageRun, transition: str) -> str | None:
    missing = rules.missing_records(run, transition)
    if not missing:
        return None
    needs = "; ".join(f"{r.title} [{r.source}]" for r in missing)
    verb = "escalated" if transition == "escalate" else "resolved"
    return f"{run.name} cannot be {verb} yet. The procedure requires: {needs}. Record it first."


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
