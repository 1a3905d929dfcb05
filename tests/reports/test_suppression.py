"""Small numbers in every figure that leaves the dashboard: "fewer than 5", so no child can be identified."""

from __future__ import annotations

from resolve.reports.suppression import shown, suppress_row


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
