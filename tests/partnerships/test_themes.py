"""The partnership's learning themes: added, retired and restored by its administrators only, never deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import Refused, ResolveError
from resolve.partnerships.models import LearningTheme, Partnership
from resolve.partnerships.themes import theme_add, theme_restore, theme_retire, themes_offered
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(cast_for: Callable[[str], Cast]) -> tuple[Partnership, Any]:
    partnership = cast_for("enfield").partnership
    admin = get_user_model().objects.create_user("ours", "ours@example.test", "x" * 20, is_staff=True)
    partnership.administrators.add(admin)
    return partnership, admin


def test_added_retired_and_restored_each_with_an_entry_naming_ids_and_fields_only(
    ours: tuple[Partnership, Any],
) -> None:
    partnership, admin = ours
    theme = theme_add(partnership=partnership, name="  Information sharing ", description="Between agencies", by=admin)
    assert (theme.name, theme.description) == ("Information sharing", "Between agencies")
    assert list(themes_offered(partnership.pk)) == [theme]
    theme_retire(partnership=partnership, theme=theme, by=admin)
    assert list(themes_offered(partnership.pk)) == []
    theme_restore(partnership=partnership, theme=theme, by=admin)
    assert list(themes_offered(partnership.pk)) == [theme]
    entries = Event.objects.filter(verb=Verb.REFERENCE_CHANGED, data__model="partnerships.LearningTheme")
    assert [(e.data["action"], e.data["fields"]) for e in entries.order_by("pk")] == [
        ("added", ["name", "description"]),
        ("retired", ["retired_at"]),
        ("restored", ["retired_at"]),
    ]
    assert all(e.data["object"] == str(theme.pk) and e.data["user"] == admin.pk for e in entries)
    assert "Information sharing" not in str([e.data for e in entries])


@pytest.mark.parametrize("name", ["Information sharing", "INFORMATION SHARING"])
def test_a_name_already_in_the_list_is_refused(ours: tuple[Partnership, Any], name: str) -> None:
    partnership, admin = ours
    theme_add(partnership=partnership, name="Information sharing", by=admin)
    with pytest.raises(ResolveError, match="already has a theme called Information sharing") as refused:
        theme_add(partnership=partnership, name=name, by=admin)
    assert refused.value.field == "name"
    assert LearningTheme.objects.filter(partnership=partnership).count() == 1


def test_a_retired_name_is_refused_too_with_a_hint_to_restore_it(ours: tuple[Partnership, Any]) -> None:
    partnership, admin = ours
    theme = theme_add(partnership=partnership, name="Information sharing", by=admin)
    theme_retire(partnership=partnership, theme=theme, by=admin)
    with pytest.raises(ResolveError, match="restore it instead"):
        theme_add(partnership=partnership, name="Information sharing", by=admin)


@pytest.mark.parametrize(
    ("name", "description", "field"),
    [("", "", "name"), ("x" * 121, "", "name"), ("A\x00B", "", "name"), ("Fine", "x" * 301, "description")],
)
def test_bad_names_and_descriptions_are_refused(
    ours: tuple[Partnership, Any], name: str, description: str, field: str
) -> None:
    partnership, admin = ours
    with pytest.raises(ResolveError) as refused:
        theme_add(partnership=partnership, name=name, description=description, by=admin)
    assert refused.value.field == field
    assert not LearningTheme.objects.exists()


def test_only_the_partnerships_administrators_or_an_operator_change_it(
    ours: tuple[Partnership, Any], cast_for: Callable[[str], Cast]
) -> None:
    partnership, _admin = ours
    theirs = get_user_model().objects.create_user("theirs", "theirs@example.test", "x" * 20, is_staff=True)
    cast_for("enfield").partnership.administrators.add(theirs)
    with pytest.raises(Refused):
        theme_add(partnership=partnership, name="Taken over", by=theirs)
    theme = theme_add(partnership=partnership, name="Information sharing", by=Operator("ops@host"))
    with pytest.raises(Refused):
        theme_retire(partnership=partnership, theme=theme, by=theirs)
    assert LearningTheme.objects.get(pk=theme.pk).retired_at is None


def test_retiring_twice_or_restoring_what_is_not_retired_is_refused(ours: tuple[Partnership, Any]) -> None:
    partnership, admin = ours
    theme = theme_add(partnership=partnership, name="Information sharing", by=admin)
    with pytest.raises(Refused, match="is not retired"):
        theme_restore(partnership=partnership, theme=theme, by=admin)
    theme_retire(partnership=partnership, theme=theme, by=admin)
    with pytest.raises(Refused, match="already retired"):
        theme_retire(partnership=partnership, theme=theme, by=admin)
