"""Peterborough: no timescales anywhere, four stages, and the Appendix 2 report when escalation was used."""

from __future__ import annotations

import pytest

from resolve.core.errors import Refused
from resolve.disagreements import rules, services
from resolve.disagreements.models import Notice
from tests.disagreements.walker import Step, Walker

pytestmark = pytest.mark.django_db


@pytest.fixture
def walker(cast_for, time_machine) -> Walker:
    return Walker(cast_for("peterborough"), time_machine)


def test_every_stage_to_the_independent_chair_with_no_computed_dates(walker: Walker) -> None:
    d = walker.walk(
        Step("practitioner", "2026-12-21T10:00", {}),
        Step("line-manager", "2026-12-22T10:00", {}),
        Step("senior-managers", "2026-12-24T10:00", {}),
        Step("independent-chair", "2026-12-29T10:00", {}),
        resolve_at="2026-12-31T10:00",
        pathway="escalation",
    )
    forms = [n.form for n in Notice.objects.filter(disagreement=d) if n.form]
    assert any("Appendix 2" in f for f in forms)


def test_resolved_at_practitioner_level_needs_no_appendix_2(walker: Walker) -> None:
    walker.raise_("2026-12-21T10:00", pathway="escalation")
    d = walker.resolve("2026-12-21T15:00")
    assert not any("Appendix 2" in n.form for n in Notice.objects.filter(disagreement=d))


def test_significant_harm_has_no_invented_deadline_only_the_procedures_words_l22(walker: Walker) -> None:
    """Peterborough sets no timescale at all: significant harm shows L22's words with no date."""
    walker.raise_("2026-12-25T10:00", pathway="escalation", significant_harm=True)
    assert walker.dated() == {}
    assert any("welfare and safety must remain paramount" in rule for rule in walker.undated())


def test_appendix_3_is_needed_to_escalate_to_the_chair_and_no_other_form_will_do(walker: Walker) -> None:
    # L53: "The escalation to the PSCB should be made ... using the appropriate form - Appendix 3"
    walker.raise_("2026-12-21T10:00", pathway="escalation")
    walker.escalate(Step("line-manager", "2026-12-22T10:00", {}))
    run = walker.escalate(Step("senior-managers", "2026-12-24T10:00", {}))
    assert [r.form for r in rules.missing_records(run, "escalate") if r.kind == "form"] == [
        "Appendix 3 — Pro-forma for reporting conflicts which have been resolved at PSCB agency representative "
        "level to PSCB"
    ]
    me = walker.person("school", run)
    services.record_add(
        disagreement=walker.d,
        by=me,
        kind="form",
        occurred_at=run.started_at,
        fields={
            "form": "Appendix 2 — Pro-forma for recording inter-agency conflict and resolution on service user file",
            "summary": "The reason and the outcome.",
        },
    )
    assert any(r.kind == "form" for r in rules.missing_records(run, "escalate"))  # Appendix 2 is not Appendix 3
    with pytest.raises(Refused, match="Appendix 3"):
        services.disagreement_escalate(disagreement=walker.d, by=me, reason="No resolution.")


def test_appendix_2_on_the_service_users_file_is_needed_to_end_the_process_once_escalated(walker: Walker) -> None:
    # L54: "the professional who instigated the process should notify the PSCB on the appropriate form
    # (Appendix 2) of the reason for the escalation and the outcome"; L58: "on service user file"
    walker.raise_("2026-12-21T10:00", pathway="escalation")
    run = walker.escalate(Step("line-manager", "2026-12-22T10:00", {}))
    assert [r.form for r in rules.missing_records(run, "resolve") if r.kind == "form"] == [
        "Appendix 2 — Pro-forma for recording inter-agency conflict and resolution on service user file"
    ]
    assert not any(r.kind == "form" for r in rules.missing_records(run, "escalate"))  # not to escalate
