"""My work's lists (``work_for``) and the oversight list (``oversight_for``): who sees what, in which list, once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from resolve.core.errors import NotFound
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.disagreements.selectors import CLOSED_SHOWN, WorkList, oversight_for, work_for
from resolve.disagreements.services.transitions import disagreement_withdraw
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.disagreements.walker import at

pytestmark = pytest.mark.django_db

LISTS = ("overdue", "due_today", "due_next", "awaiting_confirmation", "handling", "raised", "managed", "others")


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def lists_with(work: WorkList, d: Disagreement) -> set[str]:
    """The lists ``d`` is in, checking on the way that no list has it twice."""
    found = set()
    for name in (*LISTS, "closed"):
        count = [item.disagreement.pk for item in getattr(work, name)].count(d.pk)
        assert count <= 1, f"{name} lists it {count} times"
        if count:
            found.add(name)
    return found


def test_the_raiser_below_the_stage_level_finds_it_under_raised_by_them(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(enfield)  # Enfield's stage 1 is handled at level 2; the raiser is at level 1
    work = work_for(person=enfield.at("school", 1), now=at("2026-12-21T12:00"))
    assert lists_with(work, d) == {"due_today", "raised"}


def test_the_line_manager_handles_it_and_sees_it_as_a_manager(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(enfield)
    assert lists_with(work_for(person=enfield.at("school", 2), now=at("2026-12-21T12:00")), d) == {
        "due_today",
        "handling",
        "managed",
    }
    # further up the chain, above the stage's level too: still its handler's authority, and a manager's view
    assert lists_with(work_for(person=enfield.at("school", 4), now=at("2026-12-21T12:00")), d) == {
        "due_today",
        "handling",
        "managed",
    }


def test_the_counterpart_below_the_level_sees_it_among_the_others(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(enfield)
    work = work_for(person=enfield.at("csc", 1), now=at("2026-12-21T12:00"))
    assert lists_with(work, d) == {"due_today", "others"}
    assert [item.disagreement for item in work.open] == [d]


def test_a_disagreement_with_two_overdue_deadlines_is_overdue_once_with_the_earliest(
    enfield: Cast, time_machine
) -> None:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(enfield)
    work = work_for(person=enfield.at("school", 2), now=at("2027-01-08T09:00"))  # both stage 1 deadlines passed
    assert [item.disagreement for item in work.overdue] == [d]
    assert work.overdue[0].deadline is not None
    assert work.overdue[0].deadline.timescale == "line-managers-informed"
    assert work.due_today == work.due_next == []


def test_due_by_the_end_of_the_next_working_day_is_after_today(enfield: Cast, time_machine) -> None:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    d = raise_one(enfield)
    work = work_for(person=enfield.at("school", 2), now=at("2026-12-29T10:00"))  # the resolution is due on the 30th
    assert lists_with(work, d) >= {"overdue", "due_next"}
    assert "due_today" not in lists_with(work, d)
    assert work.due_next[0].deadline is not None
    assert work.due_next[0].deadline.timescale == "resolution"


def test_a_written_outcome_waits_for_the_other_agencys_confirmation_until_it_is_given(enfield: Cast) -> None:
    d = raise_one(enfield)
    outcome = services.outcome_propose(disagreement=d, by=enfield.at("school", 2), text="Agreed: a visit on Monday.")
    assert "awaiting_confirmation" not in lists_with(work_for(person=enfield.at("school", 2)), d)  # proposed by it
    assert "awaiting_confirmation" in lists_with(work_for(person=enfield.at("csc", 2)), d)
    assert "awaiting_confirmation" in lists_with(work_for(person=enfield.at("csc", 1)), d)  # their agency's
    services.outcome_confirm(outcome=outcome, by=enfield.at("csc", 2))
    assert "awaiting_confirmation" not in lists_with(work_for(person=enfield.at("csc", 2)), d)


def test_a_closed_disagreement_leaves_the_open_lists_for_closed(enfield: Cast) -> None:
    kept, withdrawn = raise_one(enfield), raise_one(enfield)
    disagreement_withdraw(disagreement=withdrawn, by=enfield.at("school", 1), reason="Agreed on the telephone.")
    work = work_for(person=enfield.at("school", 1))
    assert lists_with(work, withdrawn) == {"closed"}
    assert "raised" in lists_with(work, kept)
    assert work.closed_total == 1


def test_closed_shows_the_most_recent_and_counts_them_all(enfield: Cast) -> None:
    raised = [raise_one(enfield) for _ in range(CLOSED_SHOWN + 2)]
    for d in raised:
        disagreement_withdraw(disagreement=d, by=enfield.at("school", 1), reason="Agreed on the telephone.")
    work = work_for(person=enfield.at("school", 1))
    assert len(work.closed) == CLOSED_SHOWN
    assert work.closed_total == CLOSED_SHOWN + 2
    assert work.closed[0].disagreement == raised[-1]  # the last closed first


def test_work_for_a_role_holder_links_to_oversight_and_for_others_not(enfield: Cast) -> None:
    assert work_for(person=enfield.role("escp-chair")).oversight
    assert not work_for(person=enfield.at("school", 5)).oversight


def test_oversight_lists_what_reached_the_stages_the_roles_handle(cast_for: Callable[[str], Cast]) -> None:
    nel = cast_for("north-east-lincolnshire")
    iso = nel.role("independent-scrutiny-officer")
    d = raise_one(nel, pathway="serious-case")
    other = raise_one(nel, pathway="serious-case")
    assert list(oversight_for(person=iso).page.object_list) == []
    services.disagreement_escalate(disagreement=d, by=nel.at("school", 3), reason="Unresolved.")
    services.disagreement_escalate(disagreement=d, by=nel.at("school", 3), reason="Still unresolved.")
    listing = oversight_for(person=iso)
    assert list(listing.page.object_list) == [d]
    assert other not in listing.page.object_list
    assert listing.roles
    assert listing.stages


def test_oversight_is_not_found_for_someone_holding_no_role(enfield: Cast) -> None:
    with pytest.raises(NotFound):
        oversight_for(person=enfield.at("school", 5))


def test_oversight_shows_nothing_of_another_partnership(cast_for: Callable[[str], Cast]) -> None:
    ours, theirs = cast_for("north-east-lincolnshire"), cast_for("north-east-lincolnshire")
    d = raise_one(theirs, pathway="serious-case")
    for _ in range(2):
        services.disagreement_escalate(disagreement=d, by=theirs.at("school", 3), reason="Unresolved.")
    assert list(oversight_for(person=ours.role("independent-scrutiny-officer")).page.object_list) == []
    assert list(oversight_for(person=theirs.role("independent-scrutiny-officer")).page.object_list) == [d]
