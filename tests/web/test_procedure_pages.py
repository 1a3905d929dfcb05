"""The procedure pages: every pathway of the partnership's adopted procedure, step by step, with its
flowchart, and the what-if of every deadline (``resolve timeline``, in a page)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Person
from resolve.procedures.loader import bundled, bundled_slugs
from tests.factories import PartnershipFactory, PersonFactory
from tests.web.test_disagreement_page import main_of
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db

PATHWAYS = [(slug, pathway.slug) for slug in bundled_slugs() for pathway in bundled(slug).pathways]


def reader(procedure: str = "enfield") -> Person:
    """A practitioner in a partnership that has adopted the bundled ``procedure``."""
    return PersonFactory.create(agency__partnership=PartnershipFactory.create(procedure_slug=procedure))


def text_of(response: object) -> str:
    return unescape(response.content.decode())  # type: ignore[attr-defined]


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
