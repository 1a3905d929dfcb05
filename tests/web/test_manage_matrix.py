"""The seniority matrix page (manage:matrix), and the corrected titles on the pages that read the matrix."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event
from resolve.disagreements.selectors import counterparts_for
from resolve.partnerships.matrix import seniority_titles_set
from resolve.partnerships.models import SeniorityTitle
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.factories import AgencyFactory, PartnershipFactory
from tests.web.test_disagreement_page import page_of, section, words
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def admin_client(partnership: Any) -> tuple[Client, Any]:
    user = get_user_model().objects.create_user("matrix-admin", "m@example.test", "x" * 20, is_staff=True)
    partnership.administrators.add(user)
    client = Client()
    client.force_login(user)
    return client, user


def url(cast: Cast) -> str:
    return reverse("manage:matrix", kwargs={"partnership": cast.partnership.slug})


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_page_is_a_table_of_labelled_boxes_with_the_caveat_and_the_columns_notes(enfield: Cast) -> None:
    client, _user = admin_client(enfield.partnership)
    response = client.get(url(enfield))
    assert response.status_code == 200
    page = text(response)
    assert "<h1" in page
    assert "Seniority matrix</h1>" in page
    assert 'class="govuk-warning-text"' in page
    assert "reconstruction of Appendix B from a damaged copy" in page
    label = re.search(
        r'<label class="govuk-label govuk-visually-hidden" for="id_cell-met-police-4">([^<]*)</label>', page
    )
    assert label is not None
    assert label.group(1) == "Met Police, Level 4"
    assert re.search(r'<input type="text" name="cell-met-police-4" value="Inspector"', page)
    assert 'name="cell-childrens-social-care-4"' in page  # a blank cell has its box too
    assert "is most likely 'Detective Chief Inspector'" in page  # the AMBIGUOUS reading, beside its column
    assert "Used by Police" in page
    assert 'role="region" aria-labelledby="matrix-heading" tabindex="0"' in page
    assert page.count('<input type="text" name="cell-') == 9 * 5


def test_saving_a_cell_redirects_with_a_banner_and_the_cell_shows_as_corrected(enfield: Cast) -> None:
    client, user = admin_client(enfield.partnership)
    response = client.post(
        url(enfield), {"cell-met-police-4": "Detective Chief Inspector", "cell-met-police-3": "Detective Inspector"}
    )
    assert response.status_code == 303
    assert response["Location"] == url(enfield)
    page = text(client.get(response["Location"]))
    assert "1 cell of the seniority matrix was saved." in page
    assert 'name="cell-met-police-4" value="Detective Chief Inspector"' in page
    assert "The procedure says: Inspector" in page
    assert re.search(r"Corrected</strong> on \d+ \w+ \d{4} by matrix-admin", page)
    row = SeniorityTitle.objects.get(partnership=enfield.partnership)
    assert (row.column, row.level, row.title) == ("met-police", 4, "Detective Chief Inspector")
    event = Event.objects.filter(data__model="partnerships.SeniorityTitle").get()
    assert event.data["user"] == user.pk


def test_saving_with_nothing_changed_says_so(enfield: Cast) -> None:
    client, _user = admin_client(enfield.partnership)
    response = client.post(url(enfield), {"cell-met-police-4": "Inspector"}, follow=True)
    assert "Nothing was changed: every title is as it was." in text(response)
    assert not Event.objects.filter(data__model="partnerships.SeniorityTitle").exists()


def test_a_cell_the_browser_did_not_send_is_left_as_it_is(enfield: Cast) -> None:
    client, _user = admin_client(enfield.partnership)
    assert client.post(url(enfield), {"cell-education-2": "Class teacher"}).status_code == 303
    assert list(SeniorityTitle.objects.values_list("column", "level", "title")) == [("education", 2, "Class teacher")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x" * 201, "The title for Met Police, Level 4 must be 200 characters or fewer."),
        ("Detective\x00Chief Inspector", "The title for Met Police, Level 4 must be plain text."),
    ],
)
def test_bad_input_is_a_400_with_the_error_summary_naming_the_cell_and_nothing_changes(
    enfield: Cast, value: str, message: str
) -> None:
    client, _user = admin_client(enfield.partnership)
    response = client.post(url(enfield), {"cell-education-2": "Class teacher", "cell-met-police-4": value})
    assert response.status_code == 400
    page = text(response)
    assert 'class="govuk-error-summary"' in page
    assert f'<a href="#id_cell-met-police-4">{message}</a>' in page
    assert 'id="id_cell-met-police-4-error"' in page
    assert "<title>Error:" in page
    assert not SeniorityTitle.objects.exists()
    assert not Event.objects.filter(data__model="partnerships.SeniorityTitle").exists()


def test_without_a_procedure_the_page_says_so_and_keeps_titles_for_the_agencies_columns() -> None:
    partnership = PartnershipFactory.create(procedure=None, name="Newtown Partnership", slug="newtown")
    AgencyFactory.create(partnership=partnership, name="Newtown Police", matrix_agency="police")
    AgencyFactory.create(partnership=partnership, name="Newtown Youth Club", matrix_agency="")
    client, _user = admin_client(partnership)
    address = reverse("manage:matrix", kwargs={"partnership": "newtown"})
    page = text(client.get(address))
    assert "has not adopted a procedure yet" in page
    assert "Newtown Youth Club" in page  # an agency with no column, named
    assert page.count('<input type="text" name="cell-police-') == 5
    assert client.post(address, {"cell-police-2": "Sergeant"}).status_code == 303
    assert SeniorityTitle.objects.get(partnership=partnership).title == "Sergeant"


def test_with_no_column_at_all_the_page_says_why_there_is_nothing_to_keep() -> None:
    partnership = PartnershipFactory.create(procedure=None, slug="empty")
    client, _user = admin_client(partnership)
    page = text(client.get(reverse("manage:matrix", kwargs={"partnership": "empty"})))
    assert "None of your agencies has a column in the matrix yet" in page
    assert "<form" not in page.split("<main", 1)[1].split("Seniority matrix</h1>", 1)[1]


# --- the pages that read the matrix ------------------------------------------------------------------


def test_a_corrected_cell_shows_on_the_disagreement_page_as_who_it_would_go_to_next(enfield: Cast) -> None:
    d = raise_one(enfield, against=("police",))
    raiser = signed_in(enfield.at("school", 1))
    before = words(section(text(raiser.get(reverse("disagreement", args=[d.pk]))), "If it is escalated"))
    assert "Level 4: Inspector" in before  # Enfield stage 2: the police at level 4 (Appendix B)
    _client, admin = admin_client(enfield.partnership)
    seniority_titles_set(
        partnership=enfield.partnership, titles={("met-police", 4): "Detective Chief Inspector"}, by=admin
    )
    after = words(section(text(raiser.get(reverse("disagreement", args=[d.pk]))), "If it is escalated"))
    assert "Level 4: Detective Chief Inspector" in after
    assert "Level 4: Inspector" not in after


def test_a_corrected_cell_shows_in_who_is_involved_now_and_in_the_counterparts(enfield: Cast) -> None:
    d = raise_one(enfield, against=("csc",))
    _client, admin = admin_client(enfield.partnership)
    seniority_titles_set(
        partnership=enfield.partnership, titles={("childrens-social-care", 2): "Practice Lead"}, by=admin
    )
    involved = words(section(page_of(enfield.at("school", 1), d), "Who is involved now"))
    assert "Level 2: Practice Lead" in involved
    (counterpart,) = counterparts_for(disagreement=d, person=enfield.at("school", 1))
    assert (counterpart.level, counterpart.role_title) == (2, "Practice Lead")


def test_a_counterpart_found_at_a_higher_level_has_that_levels_title(enfield: Cast) -> None:
    d = raise_one(enfield, against=("csc",))
    manager = enfield.at("csc", 2)
    manager.is_active = False
    manager.save()
    (counterpart,) = counterparts_for(disagreement=d, person=enfield.at("school", 1))
    assert (counterpart.level, counterpart.role_title) == (3, "Service Manager")


def test_a_corrected_cell_shows_on_the_procedure_page(enfield: Cast) -> None:
    _client, admin = admin_client(enfield.partnership)
    seniority_titles_set(
        partnership=enfield.partnership, titles={("met-police", 4): "Detective Chief Inspector"}, by=admin
    )
    page = text(signed_in(enfield.at("school", 1)).get(reverse("procedure_pathway", args=["escalation"])))
    stage_2 = page[page.index('id="stage-stage-2"') : page.index('id="stage-stage-3"')]
    assert re.search(r"Met Police</th>\s*<td[^>]*>Detective Chief Inspector <span[^>]*>\(level 4\)", stage_2)


def test_another_partnerships_corrections_are_not_used(enfield: Cast, cast_for: Callable[[str], Cast]) -> None:
    other = cast_for("enfield")
    SeniorityTitle.objects.create(partnership=other.partnership, column="met-police", level=4, title="Elsewhere")
    d = raise_one(enfield, against=("police",))
    assert "Level 4: Inspector" in words(section(page_of(enfield.at("school", 1), d), "If it is escalated"))
