"""Peterborough: no timescales anywhere, four stages, and the Appendix 2 report when escalation was used."""

from __future__ import annotations

import pytest

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
