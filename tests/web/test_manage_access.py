"""Only a partnership's administrators reach its administration pages, and only for their own partnership.

Every page under ``/manage/`` is found by walking its URL patterns, so a page added later is tried
without anyone listing it: signed out (the sign-in page), as every other kind of person in the
partnership (403), as a staff account administering nothing (403), and as another partnership's
administrator (404, the same as a partnership that does not exist). Each refusal, for a GET and for
a POST, changes nothing. The partnership's own administrator gets every page without parameters.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.test import Client
from django.urls import reverse

from resolve.web.manage import urls as manage_urls
from tests.accounts.conftest import give_account
from tests.conftest import Cast
from tests.web.test_every_page import Route, walk

pytestmark = pytest.mark.django_db

#: a value for each kind of parameter an administration address may have, besides the partnership
FILLERS = {"UUIDConverter": uuid.UUID(int=7), "IntConverter": 7, "SlugConverter": "x", "StringConverter": "x"}


def routes() -> list[Route]:
    return list(walk(manage_urls.urlpatterns, "manage/", namespace="manage:"))


def partnership_routes() -> list[Route]:
    return [r for r in routes() if "partnership" in dict(r.params)]


def url_of(route: Route, slug: str) -> str:
    kwargs: dict[str, Any] = {}
    for name, kind in route.params:
        kwargs[name] = slug if name == "partnership" else FILLERS.get(kind, "x")
    return reverse(route.name, kwargs=kwargs)


def snapshot() -> str:
    """Everything stored about partnerships, people, procedures and disagreements, and the trail's length."""
    labels = ("partnerships", "procedures", "disagreements", "notifications")
    rows = [m for label in labels for m in apps.get_app_config(label).get_models()]
    data = [serializers.serialize("json", m._default_manager.order_by("pk")) for m in rows]
    users = serializers.serialize("json", get_user_model().objects.order_by("pk"), fields=("username", "is_staff"))
    return "".join(data) + users


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two(cast_for: Callable[[str], Cast]) -> tuple[Cast, Cast]:
    return cast_for("enfield"), cast_for("enfield")


def staff(username: str) -> Any:
    return get_user_model().objects.create_user(username, f"{username}@example.test", "x" * 20, is_staff=True)


def test_the_walker_finds_the_administration_pages() -> None:
    names = {r.name for r in routes()}
    assert {"manage:choose", "manage:overview"} <= names
    assert all(url_of(r, "a-partnership").startswith("/manage/") for r in partnership_routes())


def test_signed_out_every_page_asks_to_sign_in(two: tuple[Cast, Cast]) -> None:
    a, _b = two
    client = Client()
    for route in routes():
        url = url_of(route, a.partnership.slug)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("who", ["practitioner", "manager", "business unit", "staff administering nothing"])
def test_everyone_else_in_the_partnership_is_refused_every_page_and_nothing_changes(
    two: tuple[Cast, Cast], who: str
) -> None:
    a, _b = two
    if who == "staff administering nothing":
        user = staff("just-staff")
    else:
        person = {
            "practitioner": a.at("school", 1),
            "manager": a.at("csc", 5),
            "business unit": a.role(a.partnership.procedure.procedure.roles[0].slug),  # type: ignore[union-attr]
        }[who]
        user = give_account(person).user
    client = client_for(user)
    before = snapshot()
    for route in routes():
        url = url_of(route, a.partnership.slug)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"name": "Changed", "confirm": "yes"})
            assert response.status_code == 403, (who, method, url, response.status_code)
            assert b"You cannot manage a partnership" in response.content or response.status_code == 403
    assert snapshot() == before


def test_another_partnerships_administrator_finds_nothing_and_changes_nothing(two: tuple[Cast, Cast]) -> None:
    a, b = two
    b_admin = staff("b-admin")
    b.partnership.administrators.add(b_admin)
    client = client_for(b_admin)
    before = snapshot()
    for route in partnership_routes():
        for slug in (a.partnership.slug, "no-such-partnership"):
            url = url_of(route, slug)
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"name": "Changed", "confirm": "yes"})
                assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot() == before


def test_the_partnerships_administrator_reaches_every_page_of_it(two: tuple[Cast, Cast]) -> None:
    a, _b = two
    admin = staff("a-admin")
    a.partnership.administrators.add(admin)
    client = client_for(admin)
    assert client.get(reverse("manage:choose"))["Location"] == reverse("manage:overview", args=[a.partnership.slug])
    for route in partnership_routes():
        if len(route.params) > 1:
            continue  # an address naming an agency, a person or a version: their own tests
        url = url_of(route, a.partnership.slug)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert a.partnership.name.encode() in response.content, url


def test_the_overview_shows_how_far_set_up_has_got(two: tuple[Cast, Cast]) -> None:
    a, _b = two
    admin = staff("a-admin")
    a.partnership.administrators.add(admin)
    response = client_for(admin).get(reverse("manage:overview", args=[a.partnership.slug]))
    text = response.content.decode()
    assert "4 agencies" in text
    assert "Every role the procedure names has someone in it" in text
    assert "version" in text
