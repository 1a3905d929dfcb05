"""One GOV.UK layout on every page: skip link, a header without the crown naming the person's
partnership, service navigation, a footer to real accessibility, privacy and cookies pages, and
GOV.UK page titles ("Error: " first when a form has errors)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


DASH = "\N{EN DASH}"  # GOV.UK page titles: the page, an en dash, the service


def title(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def assert_layout(page: str) -> None:
    assert '<a href="#main-content" class="govuk-skip-link"' in page
    assert '<main class="govuk-main-wrapper" id="main-content">' in page
    assert page.count("<h1") == 1
    assert 'class="govuk-header"' in page
    assert "govuk-header__logotype" not in page  # the crown's place: Resolve is not a gov.uk service
    assert "<svg" not in page
    for name in ("accessibility", "privacy", "cookies"):
        assert f'href="{reverse(name)}"' in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None  # no inline script (the CSP forbids it)


def test_the_home_page_header_names_resolve_and_the_persons_partnership_with_my_work_in_the_menu(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("enfield")
    page = signed_in(cast.at("school", 2)).get(reverse("home")).content.decode()
    assert_layout(page)
    assert title(page) == f"My work {DASH} Resolve"
    header = page.split('<header class="govuk-header"', 1)[1].split("</header>", 1)[0]
    assert ">Resolve</a>" in header
    assert f'<span class="resolve-header__partnership">{cast.partnership.name}</span>' in header
    menu = page.split('class="govuk-service-navigation"', 1)[1].split("</section>", 1)[0]
    assert f'href="{reverse("home")}" aria-current="page">My work</a>' in menu
    assert "Partnership" not in menu  # a practitioner administers nothing
    assert 'href="#"' not in page  # pages that do not exist yet are not linked


def test_a_partnerships_administrator_has_partnership_in_the_menu_linking_their_pages(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("enfield")
    person = cast.at("school", 2)
    client = signed_in(person)
    user = person.user
    assert user is not None
    user.is_staff = True
    user.save()
    cast.partnership.administrators.add(user)
    menu = client.get(reverse("home")).content.decode().split('class="govuk-service-navigation"', 1)[1]
    assert f'<a class="govuk-service-navigation__link" href="{reverse("manage:choose")}">Partnership</a>' in menu


@pytest.mark.parametrize(
    ("name", "heading", "words"),
    [
        ("accessibility", "Accessibility statement for Resolve", "WCAG 2.2"),
        ("privacy", "Privacy notice", "How long it is kept"),
        ("cookies", "Cookies", "csrftoken"),
    ],
)
def test_the_footers_pages_are_real_pages_anyone_can_read_signed_out(name: str, heading: str, words: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert_layout(page)
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert words in page
    assert "govuk-service-navigation" not in page  # signed out: no menu of pages they cannot open


def test_the_cookies_page_names_every_cookie_resolve_sets() -> None:
    client = Client()
    client.post(reverse("login"), {"login": "nobody@example.test", "password": "not a password"})
    assert client.cookies
    page = client.get(reverse("cookies")).content.decode()
    for cookie in client.cookies:
        assert f'<td class="govuk-table__cell"><code>{cookie}</code></td>' in page


def test_sign_in_is_a_govuk_form_with_labels_hint_and_autocomplete_and_no_placeholder() -> None:
    page = Client().get(reverse("login")).content.decode()
    assert_layout(page)
    assert title(page) == f"Sign in {DASH} Resolve"
    assert '<label class="govuk-label" for="id_login">Email address</label>' in page
    assert '<label class="govuk-label" for="id_password">Password</label>' in page
    assert 'id="id_login-hint" class="govuk-hint"' in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert "placeholder" not in page
    assert "govuk-error-summary" not in page


def test_a_failed_sign_in_shows_the_error_summary_and_the_message_at_the_field_with_error_first_in_the_title(
    cast_for: Callable[[str], Cast],
) -> None:
    person = cast_for("enfield").at("school", 2)
    get_user_model().objects.create_user(username=person.email, email=person.email, password="x" * 20)
    response = Client().post(reverse("login"), {"login": person.email, "password": "not the password"})
    page = response.content.decode()
    assert title(page) == f"Error: Sign in {DASH} Resolve"
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</div>\n    </div>", 1)[0]
    assert "There is a problem" in summary
    assert '<a href="#id_login">The email address or password is not correct. Check them and try again.</a>' in summary
    assert 'class="govuk-form-group govuk-form-group--error"' in page
    assert '<p id="id_login-error" class="govuk-error-message">' in page
    assert 'aria-describedby="id_login-hint id_login-error"' in page
    assert f'value="{person.email}"' in page  # what the person typed is kept


def test_an_empty_sign_in_puts_each_fields_message_beside_it() -> None:
    page = Client().post(reverse("login"), {"login": "", "password": ""}).content.decode()
    assert title(page) == f"Error: Sign in {DASH} Resolve"
    assert '<a href="#id_login">This field is required.</a>' in page
    assert '<a href="#id_password">This field is required.</a>' in page
    assert '<p id="id_password-error" class="govuk-error-message">' in page


def test_allauths_pages_use_the_same_layout() -> None:
    page = Client().get(reverse("account_reset_password")).content.decode()
    assert '<a href="#main-content" class="govuk-skip-link"' in page
    assert 'class="govuk-header"' in page
    assert title(page).endswith(f" {DASH} Resolve")


def test_the_sign_in_refused_page_uses_the_layout(rf) -> None:
    page = render_to_string("accounts/sign_in_refused.html", request=rf.get("/"))
    assert_layout(page)
    assert title(page) == f"You cannot sign in to Resolve with this account {DASH} Resolve"


def test_the_dashboard_is_drawn_with_govuk_tables_tags_and_headings(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    raise_one(cast, significant_harm=True)
    page = signed_in(cast.at("school", 2)).get(reverse("home")).content.decode()
    assert '<h1 class="govuk-heading-l">My work</h1>' in page
    assert '<h2 class="govuk-heading-m">Visible to you as a manager (1)</h2>' in page
    assert '<table class="govuk-table">' in page
    assert '<strong class="govuk-tag govuk-tag--red">Significant harm</strong>' in page
    assert "<style" not in page  # GOV.UK Frontend's stylesheet, not hand-written CSS
