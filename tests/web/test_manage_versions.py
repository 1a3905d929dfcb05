"""The procedure's version history: who adopted each version and when, the difference between two, the YAML."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.core.actors import Operator
from resolve.partnerships.models import Adoption, Person
from resolve.partnerships.services import partnership_adopt_procedure
from resolve.partnerships.versions import versions_for
from resolve.procedures.loader import load_text
from resolve.procedures.models import ProcedureVersion
from resolve.procedures.services import procedure_version_store
from resolve.procedures.versions import version_difference
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def admin_user(enfield: Cast) -> Any:
    user = get_user_model().objects.create_user("v-admin", "v-admin@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(user)
    PersonFactory.create(partnership=enfield.partnership, name="Priya Business Manager", user=user)
    return user


@pytest.fixture
def admin(admin_user: Any) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def edited(version: ProcedureVersion) -> ProcedureVersion:
    """A new version of ``version`` whose resolution takes 7 working days instead of 5 (one line changed)."""
    lines = version.source_text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "n: 5")
    lines[at] = lines[at].replace("n: 5", "n: 7")
    text = "".join(lines)
    return procedure_version_store(procedure=load_text(text), source_text=text, origin="edited.yaml")


def url(cast: Cast, name: str = "versions", **kwargs: object) -> str:
    return reverse(f"manage:{name}", kwargs={"partnership": cast.partnership.slug, **kwargs})


def test_history_shows_who_adopted_each_version_and_when_newest_first(
    enfield: Cast, admin: Client, admin_user: Any
) -> None:
    first = enfield.partnership.procedure
    assert first is not None
    raise_one(enfield)  # open on the first version
    second = edited(first)
    partnership_adopt_procedure(partnership=enfield.partnership, version=second, by=admin_user)
    response = admin.get(url(enfield))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Version {second.version}</span>" in text
    assert f"Version {first.version}</span>" in text
    assert text.index(f"Version {second.version}</span>") < text.index(f"Version {first.version}</span>")
    assert "by Priya Business Manager" in text
    adopted = Adoption.objects.get(version=second)
    assert adopted.adopted_at.astimezone().strftime("%-d %b %Y") in text
    # the factory's adoption predates the history: said so; its open disagreement is counted
    assert "Adopted before version history was kept" in text
    rows = text.split('<tr class="govuk-table__row">')[2:]
    assert "Current" in rows[0]
    assert "Current" not in rows[1]
    assert "0 open disagreements on it" in rows[0]
    assert "1 open disagreement on it" in rows[1]


def test_an_operators_adoption_names_the_operator(enfield: Cast, admin: Client) -> None:
    first = enfield.partnership.procedure
    assert first is not None
    partnership_adopt_procedure(partnership=enfield.partnership, version=edited(first), by=Operator(name="ops@host"))
    assert "by ops@host" in admin.get(url(enfield)).content.decode()


def test_the_difference_shows_the_edited_timescale_line_by_default(
    enfield: Cast, admin: Client, admin_user: Any
) -> None:
    first = enfield.partnership.procedure
    assert first is not None
    second = edited(first)
    partnership_adopt_procedure(partnership=enfield.partnership, version=second, by=admin_user)
    text = admin.get(url(enfield)).content.decode()
    assert f"From version {first.version} to version {second.version}" in text
    assert "1 line added, 1 line removed" in text
    assert "removed: </span> <code>            n: 5</code>" in text
    assert "added: </span> <code>            n: 7</code>" in text
    assert "5 working days, from the start of stage-1, now 7 working days, from the start of stage-1" in text
    difference = version_difference(first, second)
    (hunk,) = difference.hunks
    changed = [line for line in hunk.lines if line.kind != "same"]
    assert [(line.kind, line.old, line.new) for line in changed] == [
        ("removed", changed[0].old, None),
        ("added", None, changed[0].old),
    ]
    assert first.source_text.splitlines()[changed[0].old - 1].strip() == "n: 5"  # type: ignore[operator]


def test_comparing_a_version_not_adopted_here_is_a_400(
    enfield: Cast, admin: Client, admin_user: Any, cast_for: Callable[[str], Cast]
) -> None:
    first = enfield.partnership.procedure
    assert first is not None
    partnership_adopt_procedure(partnership=enfield.partnership, version=edited(first), by=admin_user)
    foreign = cast_for("cumbria").partnership.procedure
    assert foreign is not None
    response = admin.get(url(enfield), {"from": str(foreign.pk), "to": str(first.pk)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Choose one of the versions this partnership has adopted" in text


def test_each_version_downloads_as_its_exact_stored_yaml(enfield: Cast, admin: Client) -> None:
    version = enfield.partnership.procedure
    assert version is not None
    response = admin.get(url(enfield, "version_download", version=version.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/yaml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{version.slug}-v{version.version}.yaml"'
    assert response.content.decode("utf-8") == version.source_text


def test_another_partnerships_version_or_an_unknown_one_is_not_found(
    enfield: Cast, admin: Client, cast_for: Callable[[str], Cast]
) -> None:
    foreign = cast_for("cumbria").partnership.procedure
    assert foreign is not None
    for pk in (foreign.pk, 999_999):
        assert admin.get(url(enfield, "version_download", version=pk)).status_code == 404


def test_the_person_behind_an_account_is_found_even_when_left(enfield: Cast, admin_user: Any) -> None:
    first = enfield.partnership.procedure
    assert first is not None
    partnership_adopt_procedure(partnership=enfield.partnership, version=edited(first), by=admin_user)
    Person.objects.filter(user=admin_user).update(is_active=False)
    assert versions_for(enfield.partnership)[0].adopted_by == "Priya Business Manager"
