"""A partnership from nothing in a browser: a superuser adds it with its first administrator, who follows
the e-mailed link, chooses a password, signs in and lands on the partnership's own pages.

axe-core, one h1 and no sideways scrolling at 320 px on each page (``seen``).
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from resolve.partnerships.models import Partnership
from tests.browser.conftest import Seen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT_EMAIL = "root@installation.example"
ROOT_PASSWORD = "the installation's own long password"
ADA = "ada@north-shore.example"
ADA_PASSWORD = "a long password nobody guesses 2026"
LINK = re.compile(r"http://testserver(/account/password/reset/key/\S+/)")


def sign_in(page: Page, live_server: object, seen: Seen, email: str, password: str, name: str) -> None:
    page.goto(f"{live_server}/sign-in/")
    seen(page, f"sign-in-{name}")
    page.get_by_label(re.compile(r"e-?mail", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile(r"^password$", re.IGNORECASE)).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_superuser_adds_a_partnership_and_its_first_administrator_signs_in_to_it(
    page: Page, live_server: object, seen: Seen
) -> None:
    root = get_user_model().objects.create_superuser("root", ROOT_EMAIL, ROOT_PASSWORD)
    EmailAddress.objects.create(user=root, email=ROOT_EMAIL, primary=True, verified=True)

    sign_in(page, live_server, seen, ROOT_EMAIL, ROOT_PASSWORD, "superuser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a partnership")
    seen(page, "choose")
    page.get_by_role("link", name="Add a partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a partnership")
    seen(page, "add-a-partnership")

    page.get_by_label("Partnership's name").fill("North Shore Safeguarding Partnership")
    page.get_by_label("Short name for addresses").fill("north-shore")
    page.get_by_label("First administrator's full name").fill("Ada Lovelace")
    page.get_by_label("First administrator's e-mail address").fill(ADA)
    with page.expect_navigation():
        page.get_by_role("button", name="Add the partnership").click()
    seen(page, "add-a-partnership-without-a-nation")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Choose the nation")
    assert not Partnership.objects.exists()

    page.get_by_label("Wales").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add the partnership").click()
    expect(page).to_have_url(f"{live_server}/manage/north-shore/")
    expect(page.get_by_role("alert")).to_contain_text("North Shore Safeguarding Partnership has been made")
    seen(page, "new-partnership-overview")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").first.click()
    seen(page, "superuser-signed-out")

    (invitation,) = mail.outbox
    assert invitation.to == [ADA]
    link = LINK.search(str(invitation.body))
    assert link is not None
    page.goto(f"{live_server}{link.group(1)}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("password")
    seen(page, "choose-a-password")
    page.get_by_label("New password", exact=True).fill(ADA_PASSWORD)
    page.get_by_label("Confirm your new password").fill(ADA_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Save your new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    seen(page, "password-chosen")

    sign_in(page, live_server, seen, ADA, ADA_PASSWORD, "first-administrator")
    expect(page).to_have_url(f"{live_server}/manage/north-shore/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Set up North Shore Safeguarding Partnership")
    seen(page, "first-administrators-overview")

    navigation = page.get_by_role("navigation", name="Partnership administration")
    navigation.get_by_role("link", name="Administrators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrators")
    expect(page.get_by_role("main")).to_contain_text("Ada Lovelace")
    expect(page.get_by_role("main")).to_contain_text("Not set up")
    seen(page, "administrators")
    page.set_viewport_size({"width": 320, "height": 640})
    seen(page, "administrators-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Add an administrator").click()
    seen(page, "add-an-administrator")
    page.get_by_label("E-mail address").fill("grace@north-shore.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the administrator").click()
    seen(page, "add-an-administrator-without-a-name")
    expect(page.get_by_role("alert")).to_contain_text("Enter their name")
    page.get_by_label("Full name").fill("Grace Hopper")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the administrator").click()
    expect(page.get_by_role("main")).to_contain_text("Grace Hopper")
    seen(page, "administrators-with-grace")
    page.get_by_role("link", name="Remove Grace Hopper").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Grace Hopper as an administrator?")
    seen(page, "remove-an-administrator")

    navigation.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    seen(page, "audit-trail")
    page.get_by_label("Person's e-mail address").fill("nobody")
    with page.expect_navigation():
        page.get_by_role("button", name="Find the person").click()
    expect(page.get_by_role("main")).to_contain_text("Nobody in this partnership has an e-mail address like that")
    seen(page, "audit-trail-nobody-found")

    page.goto(f"{live_server}/manage/north-shore/people/invite/")
    expect(page.get_by_role("main")).to_contain_text("there is nobody to invite")
    seen(page, "invite-everyone")
