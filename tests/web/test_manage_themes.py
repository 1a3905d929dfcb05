"""The learning themes' administration pages: /manage/<partnership>/themes/."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import LearningTheme, Partnership
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(cast_for: Callable[[str], Cast]) -> tuple[Partnership, Client]:
    partnership = cast_for("enfield").partnership
    admin = get_user_model().objects.create_user("ours", "ours@example.test", "x" * 20, is_staff=True)
    partnership.administrators.add(admin)
    client = Client()
    client.force_login(admin)
    return partnership, client


def url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"manage:{name}", kwargs={"partnership": partnership.slug, **kwargs})


def test_the_admin_adds_retires_and_restores_a_theme(ours: tuple[Partnership, Client]) -> None:
    partnership, client = ours
    listed = client.get(url("themes", partnership)).content.decode()
    assert "There are no themes yet" in listed
    assert 'aria-current="page"' in listed
    assert "Learning themes" in listed
    added = client.post(url("theme_add", partnership), {"name": "Information sharing", "description": "Who knew what"})
    assert added.status_code == 303
    assert added["Location"] == url("themes", partnership)
    theme = LearningTheme.objects.get(partnership=partnership)
    page = html.unescape(client.get(url("themes", partnership)).content.decode())
    assert "Information sharing was added." in page
    assert "Who knew what" in page
    assert url("theme_retire", partnership, theme=theme.pk) in page
    assert client.get(url("theme_retire", partnership, theme=theme.pk)).status_code == 200
    assert client.post(url("theme_retire", partnership, theme=theme.pk)).status_code == 303
    page = html.unescape(client.get(url("themes", partnership)).content.decode())
    assert "Information sharing was retired." in page
    assert "Retired" in page
    assert url("theme_restore", partnership, theme=theme.pk) in page
    assert client.post(url("theme_restore", partnership, theme=theme.pk)).status_code == 303
    theme.refresh_from_db()
    assert theme.retired_at is None
    assert Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__model="partnerships.LearningTheme").count() == 3


def test_a_duplicate_name_is_refused_with_the_error_summary(ours: tuple[Partnership, Client]) -> None:
    partnership, client = ours
    client.post(url("theme_add", partnership), {"name": "Information sharing"})
    response = client.post(url("theme_add", partnership), {"name": "information sharing"})
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert "govuk-error-summary" in text
    assert "already has a theme called Information sharing" in text
    assert LearningTheme.objects.filter(partnership=partnership).count() == 1
    empty = client.post(url("theme_add", partnership), {"name": ""})
    assert empty.status_code == 400
    assert "Enter the theme" in html.unescape(empty.content.decode())


def test_restoring_a_theme_that_is_not_retired_says_so_and_another_partnerships_theme_is_404(
    ours: tuple[Partnership, Client], cast_for: Callable[[str], Cast]
) -> None:
    partnership, client = ours
    client.post(url("theme_add", partnership), {"name": "Information sharing"})
    theme = LearningTheme.objects.get(partnership=partnership)
    refused = client.post(url("theme_restore", partnership, theme=theme.pk))
    assert refused.status_code == 409
    assert "is not retired" in refused.content.decode()
    theirs = LearningTheme.objects.create(partnership=cast_for("enfield").partnership, name="Theirs")
    assert client.post(url("theme_retire", partnership, theme=theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.retired_at is None


def test_someone_who_is_not_its_administrator_cannot_reach_the_pages(
    ours: tuple[Partnership, Client], cast_for: Callable[[str], Cast]
) -> None:
    partnership, _client = ours
    other = get_user_model().objects.create_user("other", "other@example.test", "x" * 20, is_staff=True)
    cast_for("enfield").partnership.administrators.add(other)
    client = Client()
    client.force_login(other)
    assert client.get(url("themes", partnership)).status_code == 404
    assert client.post(url("theme_add", partnership), {"name": "Taken over"}).status_code == 404
    assert not LearningTheme.objects.exists()
