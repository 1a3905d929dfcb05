"""Small numbers in every figure that leaves the dashboard: "fewer than 5", so no child can be identified."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from resolve.reports.charts import tables
from resolve.reports.figures import Scope, dashboard
from resolve.reports.suppression import shown, suppress_row
from tests.conftest import Cast
from tests.disagreements.walker import Walker, at


def test_counts_from_one_to_below_the_threshold_are_shown_as_fewer_than_it() -> None:
    assert [shown(n, 5) for n in (0, 1, 4, 5, 12)] == ["0", "fewer than 5", "fewer than 5", "5", "12"]
    assert shown(2, 3) == "fewer than 3"
    assert shown(3, 3) == "3"
    assert shown(1, 1) == "1"  # a threshold of 1 suppresses nothing


def test_a_row_with_one_small_cell_hides_a_second_so_the_total_does_not_give_it_away() -> None:
    assert suppress_row([3, 7, 12], 5) == ["fewer than 5", "suppressed", "12"]
    assert suppress_row([3, 2, 12], 5) == ["fewer than 5", "fewer than 5", "12"]
    assert suppress_row([6, 7, 12], 5) == ["6", "7", "12"]
    assert suppress_row([3, 0], 5) == ["fewer than 5", "0"]  # nothing else to hide: zero tells nothing


@pytest.mark.django_db
def test_a_total_under_the_threshold_is_suppressed_too_so_one_row_does_not_give_its_cell_away(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    walker = Walker(cast_for("enfield"), time_machine)
    walker.raise_("2026-12-07T10:00", pathway="escalation")
    scope = Scope((walker.cast.partnership.pk,), date(2026, 12, 1), date(2026, 12, 31), at("2026-12-08T10:00"))
    by_stage = next(t for t in tables(dashboard(scope), below=5) if t.key == "by_stage")
    assert list(by_stage.rows) == [("Stage 1", "fewer than 5"), ("Total", "fewer than 5")]
    exact = next(t for t in tables(dashboard(scope)) if t.key == "by_stage")  # on the dashboard itself
    assert list(exact.rows) == [("Stage 1", 1), ("Total", 1)]
