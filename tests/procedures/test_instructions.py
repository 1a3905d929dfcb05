"""A deadline exists only where the procedure states one; what it says without a measure is an instruction.

Significant harm: only NEL states a deadline ("escalated on the same working day", L36). The other four
state none, so none is computed: each shows its own words (Enfield L103/L107, Peterborough L22,
Pan-Lancashire L33, Cumbria L6/L43) with no date. NEL's urgent start carries its telephone-first duty
(L34) as an instruction too. Dates: England's bank holidays, 25 and 28 December 2026.
"""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from pydantic import ValidationError

from resolve.calendar import LONDON, WorkingCalendar
from resolve.procedures import engine
from resolve.procedures.engine import Circumstances, stage_deadlines
from resolve.procedures.loader import bundled
from resolve.procedures.schema import Stage, Timescale


def timeline(*args: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("timeline", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


# (slug, first pathway, the instruction's source, words of the seed it must quote)
WITHOUT_A_HARM_DEADLINE = [
    ("enfield", "escalation", "L103, L107", "If you or a child is in immediate danger you should always phone 999."),
    ("peterborough", "escalation", "L22", "The child's welfare and safety must remain paramount throughout."),
    ("pan-lancashire", "escalation", "L33", "no cost to the child's and family's wellbeing or safety"),
    ("cumbria", "escalation", "L6, L43", "At no time must professional disagreement detract from ensuring"),
]


def test_the_engine_has_no_significant_harm_rule_of_its_own() -> None:
    assert not hasattr(engine, "RESOLVE_SIGNIFICANT_HARM")
    for slug, *_ in WITHOUT_A_HARM_DEADLINE:
        assert engine.significant_harm_timescale(bundled(slug)) is None


@pytest.mark.parametrize(("slug", "pathway", "source", "words"), WITHOUT_A_HARM_DEADLINE)
def test_significant_harm_shows_the_procedures_own_words_and_no_date(
    slug: str, pathway: str, source: str, words: str
) -> None:
    plain = timeline(slug, "--pathway", pathway, "--start", "2026-12-21T10:00")
    harm = timeline(slug, "--pathway", pathway, "--significant-harm", "--start", "2026-12-21T10:00")
    added = [r for r in harm if r not in plain]
    assert len(added) == 1, "significant harm adds exactly the instruction, and no deadline"
    (row,) = added
    assert (row["due"], row["instruction"], row["source"]) == (None, True, source)
    assert words in str(row["rule"])
    # and every computed date is the same as without significant harm
    assert [r["due"] for r in harm if r["due"]] == [r["due"] for r in plain if r["due"]]


def test_nel_significant_harm_is_due_the_same_working_day_with_its_instruction_l36() -> None:
    rows = timeline(
        "north-east-lincolnshire", "--pathway", "individual-cases", "--significant-harm", "--start", "2026-12-26T09:00"
    )
    first = [r for r in rows if r["stage"] == "a-practitioner"]
    dated = [(r["due"], r["source"]) for r in first if r["due"]]
    assert dated == [("2026-12-29T17:00:00+00:00", "L36")]
    (instruction,) = [r for r in first if r["instruction"]]
    assert instruction["source"] == "L36-39"
    assert "using their own agency's safeguarding procedures" in str(instruction["rule"])


def test_nel_urgent_start_at_senior_manager_level_shows_the_telephone_first_duty_l34() -> None:
    rows = timeline(
        "north-east-lincolnshire", "--pathway", "individual-cases", "--urgent", "--start", "2026-12-21T10:00"
    )
    first = [r for r in rows if r["stage"] == rows[0]["stage"]]
    assert rows[0]["stage"] == "c-senior-manager"
    (duty,) = [r for r in first if r["instruction"]]
    assert (duty["source"], duty["due"]) == ("L34", None)
    assert "by telephone rather than awaiting a response to an email" in str(duty["rule"])
    # not on later stages, and not when the start is not urgent
    assert not [r for r in rows if r["instruction"] and r["stage"] != "c-senior-manager"]
    calm = timeline("north-east-lincolnshire", "--pathway", "individual-cases", "--start", "2026-12-21T10:00")
    assert not [r for r in calm if r["instruction"]]


def test_timeline_table_marks_an_instruction_as_such_l34() -> None:
    out = StringIO()
    args = ["north-east-lincolnshire", "--pathway", "individual-cases", "--urgent", "--start", "2026-12-21T10:00"]
    call_command("timeline", *args, stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "telephone the other agency" in x)
    assert line.strip().startswith("(instruction)")


def test_an_instruction_never_moves_the_timeline_clock() -> None:
    """NEL's stages have no timescale: with the telephone duty shown, each still says it has none."""
    rows = timeline(
        "north-east-lincolnshire", "--pathway", "individual-cases", "--urgent", "--start", "2026-12-21T10:00"
    )
    assert {r["starts"] for r in rows} == {"2026-12-21T10:00:00+00:00"}
    assert [r["what"] for r in rows if r["stage"] == "c-senior-manager" and not r["instruction"]] == ["No timescale"]


def test_stage_deadlines_return_instructions_undated_after_the_deadlines() -> None:
    procedure = bundled("enfield")
    pathway = procedure.pathway("escalation")
    start = datetime(2026, 12, 21, 10, tzinfo=LONDON)
    dues = stage_deadlines(
        procedure,
        pathway,
        pathway.stage("stage-1"),
        calendar=WorkingCalendar(nation="ENG"),
        stage_start=start,
        disagreement_start=start,
        stage_starts={"stage-1": start},
        circumstances=Circumstances(significant_harm=True),
        entry_stage=True,
    )
    assert [(d.timescale, d.instruction, d.due is None) for d in dues] == [
        ("line-managers-informed", False, False),
        ("resolution", False, False),
        ("significant-harm", True, True),
    ]


def test_a_cap_the_case_may_set_needs_a_date_to_cap() -> None:
    with pytest.raises(ValidationError, match="case_may_set needs a cap with a date"):
        Timescale.model_validate(
            {"slug": "x", "what": "X", "rule": "words", "words": "soon", "case_may_set": True, "source": "L1"}
        )


def test_an_instruction_and_a_timescale_cannot_share_a_slug_in_a_stage() -> None:
    with pytest.raises(ValidationError, match="repeated: x"):
        Stage.model_validate(
            {
                "slug": "s",
                "name": "S",
                "summary": "S",
                "source": "L1",
                "handlers": {"description": "d", "source": "L1"},
                "timescales": [{"slug": "x", "what": "X", "rule": "next_working_day", "source": "L1"}],
                "instructions": [{"slug": "x", "what": "X", "text": "Do it.", "source": "L1"}],
            }
        )
