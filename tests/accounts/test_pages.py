"""django-allauth's pages a person reaches, in Resolve's layout with GOV.UK components and wording."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from resolve.partnerships.models import Person
from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """What a person (and a screen reader) meets on a page: its title, headings, labels and inputs."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.title = ""
        self.h1: list[str] = []
        self.inputs: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.images: list[dict[str, str | None]] = []
        self._in: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("title", "h1"):
            self._in.append(tag)
            if tag == "h1":
                self.h1.append("")
        elif tag == "input" and values.get("type") not in ("hidden", "submit"):
            self.inputs.append(values)
        elif tag == "label" and values.get("for"):
            self.labels.add(str(values["for"]))
        elif tag == "img":
            self.images.append(values)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1[-1] += data


def look(client: Client, url: str, *, status: int = 200) -> tuple[Page, str]:
    response = client.get(url, follow=True)
    assert response.status_code == status
    html = response.content.decode()
    page = Page(html)
    assert len(page.h1) == 1, f"{url} has {len(page.h1)} h1"
    assert 'class="govuk-header' in html  # Resolve's layout
    for field in page.inputs:
        assert field.get("id") in page.labels, f"{url}: input {field.get('name')} has no label"
        assert "placeholder" not in field, f"{url}: input {field.get('name')} has a placeholder"
    return page, html


@pytest.fixture
def client(practitioner: Person) -> Client:
    client = Client()
    sign_in(client, practitioner.email)
    return client


SENTENCE_CASE = re.compile(r"^[A-Z][^A-Z]*$")


@pytest.mark.parametrize(
    ("name", "h1"),
    [
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
    ],
)
def test_the_password_reset_pages_use_govuk_components_and_wording(name: str, h1: str) -> None:
    page, html = look(Client(), reverse(name))
    assert page.h1[0].strip() == h1
    assert page.title.strip().startswith(h1)
    assert "govuk-button" in html or name.endswith("done")


@pytest.mark.parametrize(
    ("name", "h1"),
    [
        ("account_change_password", "Change your password"),
        ("mfa_index", "Two-factor authentication"),
        ("usersessions_list", "Where you are signed in"),
        ("account_email", "Your email addresses"),
        ("account_logout", "Sign out"),
    ],
)
def test_the_account_pages_use_govuk_components_and_wording(client: Client, name: str, h1: str) -> None:
    page, _ = look(client, reverse(name))
    assert page.h1[0].strip() == h1


def test_a_bad_password_change_shows_the_error_summary_and_the_title_says_error(client: Client) -> None:
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "not it", "password1": "short", "password2": "short"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    page = Page(html)
    assert page.title.startswith("Error: ")
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert 'class="govuk-error-message"' in html
    assert 'href="#id_oldpassword"' in html


def test_a_used_or_expired_reset_link_says_so_plainly_and_how_to_get_a_new_one() -> None:
    page, html = look(Client(), "/account/password/reset/key/1-not-a-key/")
    assert "Bad Token" not in html
    assert page.h1[0].strip() == "This link has expired or has already been used"
    assert reverse("account_reset_password") in html


def test_the_two_factor_set_up_page_never_uses_the_secret_as_the_qr_codes_text(client: Client) -> None:
    confirmed = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp"), {"password": PASSWORD}
    )
    assert confirmed.status_code == 302
    page, html = look(client, reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    (qr,) = page.images
    assert qr["alt"] == "QR code for setting up two-factor authentication"
    assert secret not in str(qr["alt"])
    assert secret in html  # for typing into the app by hand, labelled
    assert "Secret key for manual entry" in html


def test_an_empty_reset_request_is_a_govuk_error_that_says_what_to_enter() -> None:
    response = Client().post(reverse("account_reset_password"), {"email": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert Page(html).title.startswith("Error: ")
    assert '<a href="#id_email">Enter your email address</a>' in html
    assert 'aria-describedby="id_email-error"' in html
