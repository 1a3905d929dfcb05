"""`resolve timeline`: deadlines a partnership administrator can check against the calendar.

Every expected date below was worked out by hand from the 2026-27 bank holidays in England:
Christmas Day is Friday 25 December 2026, Boxing Day falls on a Saturday so Monday 28 December is
the substitute holiday, New Year's Day 2027 is a Friday; Good Friday 2026 is 3 April and Easter
Monday 6 April. Working days end at 17:00 UK time.
"""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.procedures.test_loader import MINIMAL


def timeline(*args: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("timeline", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def dues(rows: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(r["stage"], r["due"]) for r in rows]


def test_enfield_escalation_over_christmas() -> None:
    rows = timeline("enfield", "--start", "2026-12-21T10:00")
    assert dues(rows) == [
        ("stage-1", "2026-12-21T17:00:00+00:00"),  # line managers told the same working day
        ("stage-1", "2026-12-30T17:00:00+00:00"),  # L68: 5 working days from stage 1, shown from stage 1 on
        ("stage-2", "2026-12-22T17:00:00+00:00"),  # referral to Head of Service: next working day
        ("stage-2", "2026-12-24T17:00:00+00:00"),  # professionals meeting within 2 working days of it
        ("stage-2", "2026-12-30T17:00:00+00:00"),  # L68: the same overall clock
        ("stage-3", "2026-12-30T17:00:00+00:00"),  # 5 working days from stage 1: 22, 23, 24, 29, 30
        ("step-4", "2026-12-30T17:00:00+00:00"),  # the same overall clock, never reset
    ]
    assert all(r["rule"] for r in rows)
    assert all("from the start of Stage 1" in r["rule"] for r in rows if r["source"] == "L68")


def test_pan_lancashire_five_days_a_stage_and_fifteen_at_most() -> None:
    rows = timeline("pan-lancashire", "--from-stage", "stage-1", "--start", "2026-12-18T11:00")
    by_stage: dict[str, list[str | None]] = {}
    for stage, due in dues(rows):
        by_stage.setdefault(stage, []).append(due)
    assert sorted(by_stage["stage-1"], key=str) == ["2026-12-29T17:00:00+00:00", "2027-01-13T17:00:00+00:00"]
    assert sorted(by_stage["stage-2"], key=str) == ["2027-01-06T17:00:00+00:00", "2027-01-13T17:00:00+00:00"]
    assert sorted(by_stage["stage-3"], key=str) == ["2027-01-13T17:00:00+00:00", "2027-01-13T17:00:00+00:00"]
    assert by_stage["highest-management"] == [None]
    assert by_stage["formal-procedure"] == [None]


def test_pan_lancashire_over_easter_and_into_summer_time() -> None:
    rows = timeline("pan-lancashire", "--from-stage", "stage-1", "--start", "2026-03-27T10:00")
    first = [due for stage, due in dues(rows) if stage == "stage-1"]
    # Mon 30, Tue 31 March, Wed 1, Thu 2 April, then Good Friday and Easter Monday are holidays
    assert "2026-04-07T17:00:00+01:00" in first


def test_cumbria_child_protection_is_24_clock_hours_through_christmas_day() -> None:
    rows = timeline("cumbria", "--from-stage", "formal-process", "--child-protection", "--start", "2026-12-24T15:00")
    assert sorted(due for _, due in dues(rows) if due) == [
        "2026-12-25T15:00:00+00:00",  # 24 hours: Christmas Day does not stop the clock
        "2027-01-07T17:00:00+00:00",  # 7 working days: 29, 30, 31 Dec, 4, 5, 6, 7 Jan
    ]


def test_cumbria_without_child_protection_has_no_24_hour_clock() -> None:
    rows = timeline("cumbria", "--from-stage", "formal-process", "--start", "2026-12-24T15:00")
    assert [due for _, due in dues(rows) if due] == ["2027-01-07T17:00:00+00:00"]


def test_nel_significant_harm_raised_on_boxing_day_is_due_the_next_working_day() -> None:
    rows = timeline(
        "north-east-lincolnshire", "--pathway", "individual-cases", "--significant-harm", "--start", "2026-12-26T09:00"
    )
    first = rows[0]
    assert first["stage"] == "a-practitioner"
    assert first["due"] == "2026-12-29T17:00:00+00:00"
    assert "same working day" in first["rule"]


def test_nel_equally_divided_conference_adjourned_at_most_15_working_days() -> None:
    rows = timeline("north-east-lincolnshire", "--pathway", "conference-equally-divided", "--start", "2026-12-16T14:00")
    assert rows[0]["stage"] == "adjournment"
    assert rows[0]["due"] == "2027-01-11T17:00:00+00:00"


def test_nel_stages_without_timescales_are_shown_as_such() -> None:
    rows = timeline("north-east-lincolnshire", "--pathway", "individual-cases", "--start", "2026-12-21T10:00")
    assert {r["stage"] for r in rows} == {
        "a-practitioner",
        "b-line-manager",
        "c-senior-manager",
        "d-multi-agency-review",
        "e-safeguarding-partners",
    }
    assert all(r["due"] is None for r in rows)


def test_nel_urgent_starts_at_senior_manager_level() -> None:
    rows = timeline("north-east-lincolnshire", "--urgent", "--start", "2026-12-21T10:00")
    assert rows[0]["stage"] == "c-senior-manager"


def test_peterborough_has_no_computed_dates() -> None:
    rows = timeline("peterborough", "--start", "2026-12-21T10:00")
    assert all(r["due"] is None for r in rows)
    assert [r["stage"] for r in rows][:1] == ["practitioner"]


def test_scotland_counts_its_own_bank_holidays() -> None:
    # Pan-Lancashire stage 1 from Tue 29 Dec 2026 with Scottish holidays: 30, 31 Dec; 1 and 4 Jan
    # (2 January falls on a Saturday: Monday 4th is the substitute) are holidays; 5, 6, 7 Jan.
    rows = timeline("pan-lancashire", "--from-stage", "stage-1", "--nation", "SCT", "--start", "2026-12-29T10:00")
    first = sorted(due for stage, due in dues(rows) if stage == "stage-1" and due)
    assert first[0] == "2027-01-07T17:00:00+00:00"


def test_the_table_format_is_readable() -> None:
    out = StringIO()
    call_command("timeline", "enfield", "--start", "2026-12-21T10:00", stdout=out)
    text = out.getvalue()
    assert "Stage 1 [stage-1]" in text
    assert "Wed 30 Dec 2026 17:00 GMT" in text


@pytest.mark.parametrize(("args", "nation"), [([], "England"), (["--nation", "NIR"], "Northern Ireland")])
def test_the_table_names_whose_bank_holidays_it_counts(args: list[str], nation: str) -> None:
    out = StringIO()
    call_command("timeline", "enfield", "--start", "2026-12-21T10:00", *args, stdout=out)
    assert out.getvalue().startswith(f"Working days: the bank holidays of {nation}.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["atlantis", "--start", "2026-12-21T10:00"], "There is no bundled procedure 'atlantis'"),
        (["enfield", "--start", "next tuesday"], "is not an ISO 8601 date-time"),
        (["enfield", "--pathway", "nowhere", "--start", "2026-12-21T10:00"], "enfield has no pathway 'nowhere'"),
        (["enfield", "--from-stage", "stage-9", "--start", "2026-12-21T10:00"], "has no stage 'stage-9'"),
        (["enfield", "--flag", "made-up", "--start", "2026-12-21T10:00"], "enfield has no flag made-up"),
    ],
)
def test_bad_arguments_get_a_clear_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("timeline", *args, stdout=StringIO())


def test_a_definition_file_that_is_not_utf8_gets_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "ours.yaml"
    bad.write_bytes(MINIMAL.replace("name: Our procedure", "name: Our procédure").encode("latin-1"))
    with pytest.raises(CommandError, match=rf"{bad}:2: \(top level\): is not UTF-8 text: the byte 0xe9 at offset"):
        call_command("timeline", str(bad), "--start", "2026-12-21T10:00", stdout=StringIO())


def table(*args: str) -> str:
    out = StringIO()
    call_command("timeline", *args, stdout=out)
    return out.getvalue()


def test_every_line_of_the_table_is_marked_with_its_seed_reference() -> None:
    text = table("enfield", "--start", "2026-12-21T10:00")
    lines = [line for line in text.splitlines()[1:] if line.strip()]
    assert lines
    assert all(re.search(r"\[L\d+(-\d+)?(, L\d+(-\d+)?)*\]$", line) for line in lines), lines
    assert "Stage 1 [stage-1], from Mon 21 Dec 2026 10:00 GMT [L60]" in text
    assert "Mon 21 Dec 2026 17:00 GMT The line managers informed [L60]" in text


def test_enfields_out_of_hours_duty_team_is_shown_with_its_seed_lines() -> None:
    # L105: "between 5pm and 9am weekdays or anytime at the weekend, call the Emergency out-of-hours duty team"
    text = table("enfield", "--start", "2026-12-21T10:00")
    assert text.splitlines()[1] == (
        "Out of hours: Emergency out-of-hours duty team, 020 8379 1000 "
        "(between 5pm and 9am weekdays or anytime at the weekend) [L105, L56]"
    )


def test_a_stage_started_after_5pm_comes_with_the_out_of_hours_contact() -> None:
    evening = timeline("enfield", "--start", "2026-12-21T18:00")
    assert evening[0]["stage"] == "stage-1"
    assert [c["detail"] for c in evening[0]["out_of_hours"]] == ["020 8379 1000"]
    assert evening[0]["out_of_hours"][0]["source"] == "L105, L56"
    # every line of the stage started at 18:00 carries it; the next stages start at 17:00, the end of a
    # working day, and fall due at 17:00: in working hours
    assert all(row["out_of_hours"] for row in evening if row["stage"] == "stage-1")
    assert all(row["out_of_hours"] == [] for row in evening if row["stage"] != "stage-1")
    assert "outside working hours: Emergency out-of-hours duty team, 020 8379 1000" in table(
        "enfield", "--start", "2026-12-21T18:00"
    )


def test_in_working_hours_no_out_of_hours_contact_is_given() -> None:
    assert all(row["out_of_hours"] == [] for row in timeline("enfield", "--start", "2026-12-21T10:00"))
    assert "outside working hours" not in table("enfield", "--start", "2026-12-21T10:00")


def test_a_procedure_without_an_out_of_hours_contact_shows_none() -> None:
    assert "Out of hours" not in table("peterborough", "--start", "2026-12-26T10:00")
