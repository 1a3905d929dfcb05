"""Signing in and out in a real browser, as a demo practitioner would: with the keyboard, on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from resolve.demo.loader import DEMO_PASSWORD, load_demo, username
from tests.browser.conftest import Seen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEACHER = username("teacher")  # Amira Shah, a teacher at Oakfield Primary School; she raised DEMO-CHILD-001


def tab_to(page: Page, field: Locator, *, presses: int = 30) -> None:
    """Press Tab until ``field`` has the focus, as a keyboard user moves through the page."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if field.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{field} never had the focus after {presses} presses of Tab")


def email_field(page: Page) -> Locator:
    return page.get_by_label(re.compile(r"e-?mail", re.IGNORECASE))


def password_field(page: Page) -> Locator:
    return page.get_by_label(re.compile(r"^password$", re.IGNORECASE))


def sign_in_with_the_keyboard(page: Page, live_server: object, seen: Seen, *, password: str) -> None:
    page.goto(f"{live_server}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    seen(page, "sign-in")
    tab_to(page, email_field(page))
    page.keyboard.type(TEACHER)
    page.keyboard.press("Tab")
    expect(password_field(page)).to_be_focused()
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_practitioner_signs_in_with_the_keyboard_and_sees_their_open_disagreement(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server}/")
    seen(page, "dashboard")
    expect(page.get_by_role("main")).to_contain_text("Amira Shah")
    expect(page.get_by_role("main")).to_contain_text("DEMO-CHILD-001")
    # another school's or agency's disagreements are not hers to see
    expect(page.get_by_role("main")).not_to_contain_text("DEMO-CHILD-004")


def test_a_wrong_password_shows_the_error_and_does_not_sign_in(page: Page, live_server: object, seen: Seen) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password="not-the-password-2026")
    seen(page, "sign-in-wrong-password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text(re.compile(r"e-?mail address or password is not correct", re.IGNORECASE))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    expect(page.get_by_role("main")).not_to_contain_text("DEMO-CHILD-001")
    # what was typed is kept, but never the password
    expect(email_field(page)).to_have_value(TEACHER)
    expect(password_field(page)).to_have_value("")


def test_the_dashboard_fits_a_320_pixel_screen_without_sideways_scrolling(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    seen(page, "dashboard-320")
    expect(page.get_by_role("main")).to_contain_text("DEMO-CHILD-001")
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the page is {scroll_width} px wide on a {inner_width} px screen"


def test_signing_out_ends_the_session(page: Page, live_server: object, seen: Seen) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    seen(page, "dashboard")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").first.click()
    seen(page, "signed-out")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    page.goto(f"{live_server}/")
    seen(page, "dashboard-after-sign-out")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    expect(page.get_by_role("main")).not_to_contain_text("DEMO-CHILD-001")


def test_a_forgotten_password_is_asked_for_with_a_labelled_field_and_says_to_check_email(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    page.goto(f"{live_server}/sign-in/")
    seen(page, "sign-in")
    with page.expect_navigation():
        page.get_by_role("link", name="Forgotten your password?").click()
    seen(page, "reset-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the link").click()
    seen(page, "reset-password-empty")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
    email_field(page).fill(TEACHER)
    with page.expect_navigation():
        page.get_by_role("button", name="Send the link").click()
    seen(page, "reset-password-sent")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).not_to_contain_text(TEACHER)  # the page names no address


def confirm_password_if_asked(page: Page, seen: Seen) -> None:
    """allauth asks for the password again before a change to the account's security."""
    if page.get_by_role("heading", level=1, name="Confirm it is you").count():
        seen(page, "confirm-it-is-you")
        password_field(page).fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()


def test_setting_up_two_factor_shows_a_qr_code_whose_text_is_not_the_secret(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    seen(page, "dashboard")
    with page.expect_navigation():
        page.get_by_role("link", name="Two-factor authentication").click()
    seen(page, "two-factor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    with page.expect_navigation():
        page.get_by_role("button", name="Set up an authenticator app").click()
    confirm_password_if_asked(page, seen)
    seen(page, "set-up-authenticator-app")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    qr = page.get_by_role("img")
    expect(qr).to_have_attribute("alt", "QR code for setting up two-factor authentication")
    secret = page.get_by_label("Secret key for manual entry").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    assert secret not in str(qr.get_attribute("alt"))
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()


def test_the_sessions_page_lists_this_browser(page: Page, live_server: object, seen: Seen) -> None:
    load_demo()
    sign_in_with_the_keyboard(page, live_server, seen, password=DEMO_PASSWORD)
    seen(page, "dashboard")
    with page.expect_navigation():
        page.get_by_role("link", name="Where you are signed in").click()
    seen(page, "sessions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you are signed in")
    expect(page.get_by_role("heading", level=2, name="This browser")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Internet address")
