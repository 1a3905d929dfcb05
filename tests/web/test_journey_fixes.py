"""What the end-to-end journeys in the browser found in the pages (tests/browser/test_journey_*.py), each fixed.

Each test names what a person walking the journey would have met without the fix.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.urls import reverse

from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_disagreement_page import page_of, section, words
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def test_a_stage_whose_timescales_are_words_shows_them_not_no_timescale_cumbria_l27_l29(
    cast_for: Callable[[str], Cast],
) -> None:
    """Cumbria's Level 3 is referred "without delay" and fed back "immediately": the procedure's words, no date.

    The page said "The procedure sets no timescale for this stage", which the procedure contradicts.
    """
    cumbria = cast_for("cumbria")
    d = raise_one(cumbria, urgent=True, start_stage="level-3", urgent_reason="The child is at risk now.")
    current = section(page_of(cumbria.at("school", 3), d), "Current stage:")
    text = words(current)
    assert "The procedure sets no timescale for this stage" not in text
    assert 'Referred to the relevant service leads No date: in the procedure\'s words "without delay"' in text
    assert "[L27]" in text
    assert "[L29]" in text
    assert '"immediately"' in text
    assert "Measured from" not in text  # words have no clock
    assert "Two clocks run at this stage" not in text


def test_a_stage_with_dated_and_worded_timescales_lists_the_dated_first(cast_for: Callable[[str], Cast]) -> None:
    """NEL stage A: significant harm escalated the same working day (L36), dated; the initial attempts "within a
    timescale that safeguards the child" (L57), in words, after it."""
    nel = cast_for("north-east-lincolnshire")
    d = raise_one(nel, pathway="individual-cases", significant_harm=True)
    text = words(section(page_of(nel.at("school", 1), d), "Current stage:"))
    dated = text.index("[L36]")
    worded = text.index("Initial attempts to resolve the difference of opinion No date: in the procedure's words")
    assert dated < worded


@pytest.mark.parametrize(
    ("kind", "plan"),
    [
        ("initial", "For this child: made subject of a child protection plan pending the reconvened conference."),
        ("review", "For this child: continues to be subject of a child protection plan until the conference is"),
    ],
)
def test_the_conference_page_says_which_plan_status_is_this_childs_nel_l167(
    cast_for: Callable[[str], Cast], kind: str, plan: str
) -> None:
    """The page gave only the procedure's words for both kinds of conference; the chair had to work out which held."""
    nel = cast_for("north-east-lincolnshire")
    d = raise_one(nel, pathway="conference-equally-divided", conference_kind=kind)
    response = signed_in(nel.role("conference-chair")).get(reverse("disagreement_conference", args=[d.pk]))
    assert response.status_code == 200
    page = words(html.unescape(response.content.decode()))
    assert plan in page
    assert "If it was an initial conference" in page  # the procedure's own words stay beside it
