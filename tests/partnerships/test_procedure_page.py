"""The procedure pages' what-if: the same deadlines as ``resolve timeline`` for the same inputs, on the
partnership's own calendar; a stage or flag the procedure does not have is refused by field."""

from __future__ import annotations

import json
from datetime import date, datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from resolve.calendar import LONDON
from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.models import CalendarDay, Person
from resolve.partnerships.procedure_page import pathway_page, pathway_what_if
from tests.factories import PartnershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def reader(procedure: str) -> Person:
    return PersonFactory.create(agency__partnership=PartnershipFactory.create(procedure_slug=procedure))


def command(*args: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("timeline", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def rows_of(person: Person, **asked: Any) -> list[tuple[str, str, str | None, str, str]]:
    result = pathway_what_if(person=person, **asked)
    return [
        (row.stage, row.what, row.due.astimezone(LONDON).isoformat() if row.due else None, row.rule, row.source)
        for stage in result.stages
        for row in stage.rows
    ]


def command_rows(rows: list[dict[str, Any]]) -> list[tuple[str, str, str | None, str, str]]:
    return [(r["stage"], r["what"], r["due"], r["rule"], r["source"]) for r in rows]


def test_cumbria_child_protection_over_christmas_2026_matches_resolve_timeline() -> None:
    person = reader("cumbria")
    asked = rows_of(
        person,
        pathway="escalation",
        start=datetime(2026, 12, 24, 15, 0, tzinfo=LONDON),
        child_protection=True,
        from_stage="formal-process",
    )
    expected = command(
        "cumbria",
        "--partnership",
        person.partnership.slug,
        "--from-stage",
        "formal-process",
        "--child-protection",
        "--start",
        "2026-12-24T15:00",
    )
    assert asked == command_rows(expected)
    assert sorted(due for _, _, due, _, _ in asked if due) == [
        "2026-12-25T15:00:00+00:00",  # 24 clock hours: Christmas Day does not stop the clock
        "2027-01-07T17:00:00+00:00",  # 7 working days: 29, 30, 31 Dec, 4, 5, 6, 7 Jan
    ]


@pytest.mark.parametrize(
    ("procedure", "pathway", "flags", "options"),
    [
        ("enfield", "escalation", (), {}),
        ("enfield", "escalation", ("cross-borough",), {"significant_harm": True}),
        ("north-east-lincolnshire", "individual-cases", (), {"urgent": True, "significant_harm": True}),
        ("pan-lancashire", "escalation", ("life-threatening-non-involvement",), {}),
        ("peterborough", "escalation", (), {"urgent": True}),
    ],
)
def test_every_procedure_matches_resolve_timeline(
    procedure: str, pathway: str, flags: tuple[str, ...], options: dict[str, bool]
) -> None:
    person = reader(procedure)
    start = datetime(2026, 12, 21, 10, 0, tzinfo=LONDON)
    asked = rows_of(person, pathway=pathway, start=start, flags=flags, **options)
    args = ["--partnership", person.partnership.slug, "--pathway", pathway, "--start", "2026-12-21T10:00"]
    args += [f"--{name.replace('_', '-')}" for name, on in options.items() if on]
    for flag in flags:
        args += ["--flag", flag]
    assert asked == command_rows(command(procedure, *args))


def test_the_partnerships_own_closure_days_are_counted() -> None:
    person = reader("cumbria")
    CalendarDay.objects.create(partnership=person.partnership, date=date(2026, 12, 29), kind="closure")
    result = pathway_what_if(
        person=person,
        pathway="escalation",
        start=datetime(2026, 12, 24, 15, 0, tzinfo=LONDON),
        from_stage="formal-process",
    )
    assert result.own_days == 1
    dues = [row.due for stage in result.stages for row in stage.rows if row.due]
    assert dues == [datetime(2027, 1, 8, 17, 0, tzinfo=LONDON)]  # a day later than without the closure


def test_a_stage_the_pathway_does_not_have_is_refused_by_field() -> None:
    with pytest.raises(ResolveError) as refused:
        pathway_what_if(
            person=reader("cumbria"),
            pathway="escalation",
            start=datetime(2026, 12, 24, 15, 0, tzinfo=LONDON),
            from_stage="stage-9",
        )
    assert refused.value.field == "from_stage"


def test_a_flag_the_procedure_does_not_have_is_refused_by_field() -> None:
    with pytest.raises(ResolveError) as refused:
        pathway_what_if(
            person=reader("cumbria"),
            pathway="escalation",
            start=datetime(2026, 12, 24, 15, 0, tzinfo=LONDON),
            flags=("cross-borough",),  # Enfield's, not Cumbria's
        )
    assert refused.value.field == "flags"


def test_another_procedures_pathway_is_not_found() -> None:
    with pytest.raises(NotFound):
        pathway_page(person=reader("cumbria"), pathway="conference-request")
