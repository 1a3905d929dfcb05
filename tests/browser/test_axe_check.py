"""The accessibility check itself: a page with a WCAG failure fails the test, and says what to fix where."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Seen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_image_without_a_text_alternative_fails_the_page_naming_the_rule_its_impact_and_the_element(
    page: Page, live_server: object, seen: Seen
) -> None:
    page.goto(f"{live_server}/sign-in/")
    page.evaluate(
        """() => { const img = document.createElement("img"); img.id = "unlabelled";
        img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw="; document.querySelector("main").append(img); }"""
    )
    with pytest.raises(AssertionError) as failure:
        seen(page, "sign-in-with-unlabelled-image")
    report = str(failure.value)
    assert "image-alt (critical)" in report
    assert "#unlabelled" in report
    page.evaluate("() => document.getElementById('unlabelled').remove()")
    seen(page, "sign-in")  # the same page, fixed, passes
