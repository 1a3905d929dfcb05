"""What a notification can say in a definition, and what ``check`` refuses (issue 15's notification triggers)."""

from __future__ import annotations

import pytest

from resolve.procedures.loader import DefinitionError, load_text
from tests.procedures.test_loader import MINIMAL


def with_notifications(block: str, conditions: str = "") -> str:
    return MINIMAL.replace(
        "pathways:\n",
        f"roles:\n  - {{slug: lead, name: Lead, kind: other, source: p1}}\n"
        f"{conditions}notifications:\n{block}pathways:\n",
    )


def problems_of(text: str) -> str:
    with pytest.raises(DefinitionError) as caught:
        load_text(text, filename="ours.yaml")
    return " | ".join(str(p) for p in caught.value.problems)


def test_every_trigger_the_seeds_need_is_accepted() -> None:
    procedure = load_text(
        with_notifications(
            "  - {to: line_managers, what: Reported, when: escalate, source: Cumbria L19}\n"
            "  - {to: lead, what: Alert, when: entry, once: true, within: own_agency, source: Pan-Lancashire L23-27}\n"
            "  - {to: lead, what: Copied, when: involved, min_level: 2, source: Enfield L84-86}\n"
            "  - {to: lead, what: Learning, when: condition, condition: learning, source: Enfield L82}\n"
            "  - {to: lead, what: Advice, offer: true, within: own_agency, source: Peterborough L36}\n"
            "  - {to: stage_level, what: Referred, source: Enfield L62}\n"
            "  - {to: raiser, what: Closed, when: final, source: Peterborough L54}\n",
            "conditions:\n  - {slug: learning, name: Wider learning, source: Enfield L82}\n",
        )
    )
    assert [n.when for n in procedure.notifications] == [
        "escalate",
        "entry",
        "involved",
        "condition",
        "entry",
        "entry",
        "final",
    ]
    assert procedure.condition("learning").source == "Enfield L82"


def test_a_notification_waiting_for_a_condition_the_procedure_does_not_declare_is_refused() -> None:
    problems = problems_of(
        with_notifications("  - {to: lead, what: Learning, when: condition, condition: learning, source: L82}\n")
    )
    assert "notification condition 'learning' is not in conditions" in problems


def test_a_condition_notification_without_its_condition_is_refused() -> None:
    assert "needs condition" in problems_of(
        with_notifications("  - {to: lead, what: L, when: condition, source: L82}\n")
    )


def test_an_involved_notification_without_a_level_is_refused() -> None:
    assert "needs min_level" in problems_of(
        with_notifications("  - {to: lead, what: L, when: involved, source: L84}\n")
    )


def test_own_agency_is_refused_for_recipients_that_are_not_a_role() -> None:
    problems = problems_of(with_notifications("  - {to: raiser, what: L, within: own_agency, source: L23}\n"))
    assert "within and offer are for a partnership role, not 'raiser'" in problems


def test_an_offer_must_name_the_raisers_own_agency() -> None:
    assert "add within: own_agency" in problems_of(
        with_notifications("  - {to: lead, what: L, offer: true, source: L36}\n")
    )


def test_an_unknown_trigger_is_refused() -> None:
    assert "when" in problems_of(with_notifications("  - {to: lead, what: L, when: sometimes, source: L1}\n"))
