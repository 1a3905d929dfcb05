"""Pan-Lancashire (Blackpool): stages 1-3 within 5 working days each, 15 at most, over the new year.

Hand-computed against England's bank holidays: 25 and 28 December 2026 and 1 January 2027.
"""

from __future__ import annotations

import pytest

from resolve.core.errors import Refused
from resolve.disagreements import rules, services
from resolve.disagreements.models import Notice
from tests.disagreements.walker import Step, Walker

pytestmark = pytest.mark.django_db


@pytest.fixture
def walker(cast_for, time_machine) -> Walker:
    return Walker(cast_for("pan-lancashire"), time_machine)


def test_every_stage_through_the_formal_procedure(walker: Walker) -> None:
    d = walker.walk(
        Step("practitioner", "2026-12-18T11:00", {}),
        # 5 working days: 21, 22, 23, 24, 29 Dec; 15 at most from stage 1's start: 13 January
        Step("stage-1", "2026-12-18T15:00", {"stage-complete": "2026-12-29 17:00", "maximum": "2027-01-13 17:00"}),
        # 30, 31 Dec, 4, 5, 6 Jan
        Step("stage-2", "2026-12-29T16:00", {"stage-complete": "2027-01-06 17:00", "maximum": "2027-01-13 17:00"}),
        # 7, 8, 11, 12, 13 Jan: the stage clock and the cap meet
        Step("stage-3", "2027-01-06T10:00", {"stage-complete": "2027-01-13 17:00", "maximum": "2027-01-13 17:00"}),
        Step("highest-management", "2027-01-13T16:00", {}),
        Step("formal-procedure", "2027-01-14T10:00", {}),
        resolve_at="2027-01-15T10:00",
        pathway="escalation",
    )
    assert Notice.objects.filter(disagreement=d, to="masa-team").exists()


def test_a_late_escalation_is_capped_at_15_working_days(walker: Walker) -> None:
    walker.raise_("2026-12-18T11:00", pathway="escalation")
    walker.escalate(Step("stage-1", "2026-12-18T12:00", {}))
    # stage 2 starts on 11 January: its own 5 days would run to 18 January, past the cap
    run = walker.escalate(Step("stage-2", "2027-01-11T10:00", {}))
    assert run.stage == "stage-2"
    assert walker.dated() == {"stage-complete": "2027-01-18 17:00", "maximum": "2027-01-13 17:00"}


def test_life_threatening_non_involvement_tells_masa_at_once(walker: Walker) -> None:
    walker.raise_("2026-12-18T11:00", pathway="escalation", flags=["life-threatening-non-involvement"])
    assert Notice.objects.filter(disagreement=walker.d, to="masa-team").exists()


def test_a_life_threatening_case_cannot_move_on_without_a_record_of_the_immediate_action(walker: Walker) -> None:
    # L27: "immediate action to reduce the risk of harm will be required by all relevant parties"
    run = walker.raise_("2026-12-18T11:00", pathway="escalation", flags=["life-threatening-non-involvement"])
    assert [r.title for r in rules.missing_records(run, "escalate")] == [
        "The immediate action taken by all relevant parties to reduce the risk of harm whilst the dispute is ongoing"
    ]
    with pytest.raises(Refused, match="immediate action"):
        services.disagreement_escalate(
            disagreement=walker.d, by=walker.person("school", run), reason="Still unresolved at this stage."
        )
    assert walker.escalate(Step("stage-1", "2026-12-18T12:00", {})).stage == "stage-1"  # once it is recorded


def test_without_the_flag_no_immediate_action_record_is_asked_for(walker: Walker) -> None:
    run = walker.raise_("2026-12-18T11:00", pathway="escalation")
    assert rules.missing_records(run, "escalate") == []
    assert rules.missing_records(run, "resolve") == []


def test_significant_harm_keeps_the_stage_clocks_and_adds_only_the_procedures_words_l33(walker: Walker) -> None:
    """No significant-harm deadline in the seed: none is invented; L33's words are shown, undated."""
    walker.raise_("2026-12-18T11:00", pathway="escalation", significant_harm=True)
    run = walker.escalate(Step("stage-1", "2026-12-18T15:00", {}))
    assert run.stage == "stage-1"
    assert walker.dated() == {"stage-complete": "2026-12-29 17:00", "maximum": "2027-01-13 17:00"}


def test_significant_harm_raised_at_practitioner_level_has_no_date_only_l33(walker: Walker) -> None:
    walker.raise_("2026-12-18T11:00", pathway="escalation", significant_harm=True)
    assert walker.dated() == {}
    assert "no cost to the child's and family's wellbeing or safety" in walker.instructions()["L33"]
