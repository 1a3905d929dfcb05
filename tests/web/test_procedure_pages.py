"""The procedure pages: every pathway of the partnership's adopted procedure, step by step, with its
flowchart, and the what-if of every deadline (``resolve timeline``, in a page)."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.partnerships.models import Person
from resolve.procedures.loader import bundled, bundled_slugs
from tests.factories import PartnershipFactory, PersonFactory
from tests.partnerships.test_procedure_page import command
from tests.web.test_disagreement_page import main_of
from tests.web.test_home import signed_in

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response  # the test client's response

pytestmark = pytest.mark.django_db

PATHWAYS = [(slug, pathway.slug) for slug in bundled_slugs() for pathway in bundled(slug).pathways]


def reader(procedure: str = "enfield") -> Person:
    """A practitioner in a partnership that has adopted the bundled ``procedure``."""
    return PersonFactory.create(agency__partnership=PartnershipFactory.create(procedure_slug=procedure))


def text_of(response: Response) -> str:
    return unescape(response.content.decode())


@pytest.mark.parametrize("procedure", bundled_slugs())
def test_the_procedure_page_lists_every_pathway_of_the_adopted_procedure_with_a_link(procedure: str) -> None:
    definition = bundled(procedure)
    response = signed_in(reader(procedure)).get(reverse("procedure"))
    page = text_of(response)
    assert response.status_code == 200
    assert definition.name in page
    assert definition.version in page
    for pathway in definition.pathways:
        assert pathway.name in page
        assert f'href="{reverse("procedure_pathway", args=[pathway.slug])}"' in page


@pytest.mark.parametrize(("procedure", "pathway"), PATHWAYS)
def test_every_pathway_page_shows_every_stage_timescale_record_and_notice_with_its_reference(
    procedure: str, pathway: str
) -> None:
    definition = bundled(procedure)
    chosen = definition.pathway(pathway)
    response = signed_in(reader(procedure)).get(reverse("procedure_pathway", args=[pathway]))
    page = text_of(response)
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{chosen.name}</h1>' in page
    for stage in chosen.stages:
        assert stage.name in page
        assert stage.handlers.description in page
        for t in stage.timescales:
            assert t.what in page
            assert f"Procedure reference: {t.source}" in page
            if t.words:
                assert f"\u201c{t.words}\u201d" in page
        for record in stage.records:
            assert record.title in page
        for notice in stage.notifications:
            assert notice.what in page
        for instruction in stage.instructions:
            assert instruction.text in page
    assert page.count('class="resolve-flowchart__stage"') == len(chosen.stages)


def test_a_stage_with_levels_by_agency_shows_each_agencys_role_title_from_the_seniority_matrix() -> None:
    page = text_of(signed_in(reader("enfield")).get(reverse("procedure_pathway", args=["escalation"])))
    stage_2 = page[page.index('id="stage-stage-2"') : page.index('id="stage-stage-3"')]
    # Appendix B: Head of Service or equivalent is level 4 in children's social care, level 3 in Early Help
    assert re.search(r"Early Help</th>\s*<td[^>]*>Head of Service EH <span[^>]*>\(level 3\)", stage_2)
    assert re.search(r"Met Police</th>\s*<td[^>]*>Inspector <span[^>]*>\(level 4\)", stage_2)
    # Appendix B leaves children's social care's level 4 blank (READING 2.6): said so, never invented
    assert re.search(
        r"Children's Social Care</th>\s*<td[^>]*>No role is named at this level in the procedure's chart "
        r"<span[^>]*>\(level 4\)",
        stage_2,
    )


def test_the_flowchart_is_an_inline_svg_image_with_a_title_a_desc_and_the_stages_list_as_its_text() -> None:
    page = text_of(signed_in(reader("cumbria")).get(reverse("procedure_pathway", args=["escalation"])))
    svg = re.search(r"<svg[^>]*>", page)
    assert svg is not None
    assert 'role="img"' in svg.group(0)
    assert 'aria-labelledby="flowchart-title flowchart-desc"' in svg.group(0)
    assert 'aria-describedby="stages"' in svg.group(0)
    assert '<title id="flowchart-title">Flowchart of ' in page
    assert '<desc id="flowchart-desc">5 stages' in page
    assert '<ol class="govuk-list govuk-list--number" id="stages">' in page
    assert "<script" not in main_of(page)


def test_an_unknown_pathway_is_a_404_like_any_missing_page() -> None:
    client = signed_in(reader("enfield"))
    response = client.get(reverse("procedure_pathway", args=["individual-cases"]))  # NEL's, not Enfield's
    missing = client.get("/no-such-page/")
    assert response.status_code == missing.status_code == 404
    assert main_of(response.content.decode()) == main_of(missing.content.decode())


def test_a_partnership_with_no_procedure_adopted_says_so_and_who_can_adopt_one() -> None:
    person = PersonFactory.create(agency__partnership=PartnershipFactory.create(procedure=None, name="Newtown SCP"))
    client = signed_in(person)
    page = text_of(client.get(reverse("procedure")))
    assert "Newtown SCP has not adopted an escalation procedure yet" in page
    assert "Your partnership administrator adopts the procedure" in page
    assert client.get(reverse("procedure_pathway", args=["escalation"])).status_code == 404


def test_an_account_with_no_person_is_told_to_ask_for_one() -> None:
    user = get_user_model().objects.create_user(username="nobody", email="nobody@example.test", password="x" * 20)
    client = Client()
    client.force_login(user)
    page = text_of(client.get(reverse("procedure")))
    assert "Your account is not linked to anyone in a partnership" in page
    assert client.get(reverse("procedure_pathway", args=["escalation"])).status_code == 404


def test_the_pages_need_signing_in() -> None:
    for url in (reverse("procedure"), reverse("procedure_pathway", args=["escalation"])):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_procedure_is_in_the_service_navigation_after_disagreements_and_active_on_its_pages() -> None:
    client = signed_in(reader("enfield"))
    for url, current in (
        (reverse("procedure"), 'aria-current="page"'),
        (reverse("procedure_pathway", args=["escalation"]), 'aria-current="true"'),
    ):
        page = client.get(url).content.decode()
        navigation = page[page.index('id="service-navigation"') :]
        assert navigation.index(">Disagreements<") < navigation.index(">Procedure<")
        assert re.search(
            rf'govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" '
            rf'href="{reverse("procedure")}" {current}>Procedure</a>',
            page,
        )
    home = client.get(reverse("home")).content.decode()
    assert ">Procedure</a>" in home
    assert not re.search(r'href="/procedure/" aria-current', home)


def test_reading_the_procedure_reads_no_childs_record() -> None:
    client = signed_in(reader("enfield"))
    client.get(reverse("procedure"))
    client.get(reverse("procedure_pathway", args=["escalation"]))
    assert not Event.objects.filter(verb=Verb.VIEWED).exists()


# --- the what-if -------------------------------------------------------------------------------------


def what_if(client: Client, pathway: str, **fields: Any) -> Response:
    return client.get(reverse("procedure_pathway", args=[pathway]), fields)


def christmas_eve(**more: Any) -> dict[str, Any]:
    return {"start_0": "24", "start_1": "12", "start_2": "2026", "start_3": "15:00", **more}


def test_the_what_if_gives_the_same_deadlines_and_rules_as_resolve_timeline() -> None:
    person = reader("cumbria")
    response = what_if(
        signed_in(person),
        "escalation",
        **christmas_eve(circumstances=["child_protection"], from_stage="formal-process"),
    )
    page = text_of(response)
    assert response.status_code == 200
    expected = command(
        "cumbria",
        "--partnership",
        person.partnership.slug,
        "--from-stage",
        "formal-process",
        "--child-protection",
        "--start",
        "2026-12-24T15:00",
    )
    results = page[page.index('id="deadlines"') :]
    assert "Deadlines for a disagreement raised on Thursday 24 December 2026, 15:00" in results
    assert "Formal process, from Thursday 24 December 2026, 15:00" in results
    place = 0
    for row in expected:
        due = datetime.fromisoformat(row["due"]).astimezone(LONDON)
        shown = results.index(f"{row['what']}</dt>", place)
        assert results.index(f"<strong>{due:%A} {due.day} {due:%B %Y, %H:%M}</strong>", shown) > shown
        assert results.index(row["rule"], shown) > shown
        place = shown
    # Christmas Day does not stop a 24-hour clock; 7 working days skip the bank holidays
    assert "<strong>Friday 25 December 2026, 15:00</strong>" in results
    assert "<strong>Thursday 7 January 2027, 17:00</strong>" in results
    assert "the bank holidays of England and 0 days of the partnership's own" in results


def test_the_procedures_own_flags_are_offered_and_change_the_deadlines() -> None:
    client = signed_in(reader("enfield"))
    page = text_of(client.get(reverse("procedure_pathway", args=["escalation"])))
    assert 'name="flags" value="cross-borough"' in page
    without = text_of(what_if(client, "escalation", **christmas_eve()))
    with_flag = text_of(what_if(client, "escalation", **christmas_eve(flags=["cross-borough"])))
    assert "Escalated through the agency management structure" not in without[without.index('id="deadlines"') :]
    assert "Escalated through the agency management structure" in with_flag[with_flag.index('id="deadlines"') :]


def test_the_pathway_page_before_asking_has_the_form_and_no_errors_or_deadlines() -> None:
    response = signed_in(reader("cumbria")).get(reverse("procedure_pathway", args=["escalation"]))
    page = text_of(response)
    assert response.status_code == 200
    assert 'name="start_0"' in page
    assert "govuk-error-summary" not in page
    assert 'id="deadlines"' not in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Enter the date the disagreement is raised"),
        (christmas_eve(start_0="32"), "The date the disagreement is raised must be a real date"),
        (christmas_eve(start_3=""), "The date the disagreement is raised must include a time, such as 14:30"),
        (christmas_eve(start_3="25:00"), "Enter the time as hours and minutes, such as 14:30 or 2:30pm"),
        (christmas_eve(from_stage="stage-9"), "Choose a stage of this pathway to start from"),
        (christmas_eve(circumstances=["very-urgent"]), "Choose only the circumstances listed"),
    ],
)
def test_bad_what_if_input_is_a_400_with_the_error_summary_and_no_deadlines(
    fields: dict[str, Any], message: str
) -> None:
    asked = {"start_0": "", **fields}
    response = what_if(signed_in(reader("cumbria")), "escalation", **asked)
    page = text_of(response)
    assert response.status_code == 400
    assert "<title>Error: Escalation" in page
    summary = page[page.index("govuk-error-summary") : page.index("</h1>")]
    assert message in summary
    assert re.search(rf'class="govuk-error-message">.*{re.escape(message)}', page, re.DOTALL)
    assert 'id="deadlines"' not in page


def test_a_flag_of_another_procedure_is_refused() -> None:
    flag = "life-threatening-non-involvement"  # Pan-Lancashire's, not Enfield's
    response = what_if(signed_in(reader("enfield")), "escalation", **christmas_eve(flags=[flag]))
    page = text_of(response)
    assert response.status_code == 400
    assert "Choose only the procedure's own conditions" in page
    assert 'id="deadlines"' not in page
