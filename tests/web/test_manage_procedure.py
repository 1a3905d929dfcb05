"""The procedure's administration pages: adopt a bundled procedure, write a draft (copy, upload, edit,
check), preview it from the draft and adopt it as a new version while disagreements stay on theirs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from resolve.partnerships import drafting
from resolve.partnerships.models import Adoption, ProcedureDraft
from resolve.procedures.models import ProcedureVersion
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.partnerships.test_drafting import EDITED, ENFIELD, nothing_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


@pytest.fixture
def admin(enfield: Cast) -> Any:
    user = get_user_model().objects.create_user("bm", "bm@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(user)
    return user


@pytest.fixture
def client(admin: Any) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def url(cast: Cast, name: str, *args: str) -> str:
    return reverse(f"manage:{name}", args=[cast.partnership.slug, *args])


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_procedure_page_shows_the_adopted_version_and_the_ways_to_start(enfield: Cast, client: Client) -> None:
    raise_one(enfield)
    page = text_of(client.get(url(enfield, "procedure")))
    version = enfield.partnership.procedure
    assert version is not None
    assert "Inter-agency Escalation and Resolution Protocol" in page
    assert f"Version {version.version} of enfield" in page
    assert "Start from a copy of a procedure" in page
    assert "Upload your own procedure file" in page
    for slug in ("cumbria", "enfield", "north-east-lincolnshire", "pan-lancashire", "peterborough"):
        assert url(enfield, "procedure_bundled_adopt", slug) in page
    assert re.search(r"version 1 .*Adopted.*</th> <td[^>]*>1</td>", page)  # one open disagreement on it


def test_adopting_a_bundled_procedure_says_what_it_does_then_does_it(enfield: Cast, client: Client) -> None:
    raise_one(enfield)
    confirm = client.get(url(enfield, "procedure_bundled_adopt", "cumbria"))
    assert confirm.status_code == 200
    assert "What adopting does" in text_of(confirm)
    assert "1 disagreement stays on version 1" in text_of(confirm)
    done = client.post(url(enfield, "procedure_bundled_adopt", "cumbria"), follow=True)
    assert done.redirect_chain == [(url(enfield, "procedure"), 303)]
    enfield.partnership.refresh_from_db()
    assert enfield.partnership.procedure.slug == "cumbria"  # type: ignore[union-attr]
    page = text_of(done)
    assert "New disagreements start on it. 1 disagreement stays on version 1 of enfield" in page
    assert client.get(url(enfield, "procedure_bundled_adopt", "nowhere")).status_code == 404
    again = client.post(url(enfield, "procedure_bundled_adopt", "cumbria"))
    assert again.status_code == 409
    assert "This is already your current version" in text_of(again)


def test_starting_from_a_copy_of_the_current_version_fills_the_draft(enfield: Cast, client: Client) -> None:
    start = client.get(url(enfield, "procedure_start"))
    assert "Your current version: Inter-agency" in text_of(start)
    assert client.post(url(enfield, "procedure_start")).status_code == 400
    response = client.post(url(enfield, "procedure_start"), {"source": "current"}, follow=True)
    assert response.redirect_chain == [(url(enfield, "procedure_draft"), 303)]
    assert "Your draft is ready" in text_of(response)
    assert "You have a draft" not in text_of(response)  # the draft page says it its own way
    assert response.context["form"].initial["text"] == ENFIELD
    again = client.post(url(enfield, "procedure_start"), {"source": "bundled:cumbria"})
    assert again.status_code == 409
    assert "You already have a draft" in text_of(again)
    assert "You have a draft, last changed on" in text_of(again)
    assert ProcedureDraft.objects.get().text == ENFIELD


def test_an_uploaded_file_goes_into_the_draft(enfield: Cast, client: Client) -> None:
    upload = SimpleUploadedFile("ours.yaml", EDITED.encode(), content_type="application/x-yaml")
    response = client.post(url(enfield, "procedure_upload"), {"file": upload})
    assert response.status_code == 303
    assert ProcedureDraft.objects.get().text == EDITED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ours.yaml", "name: Caf\xe9\n".encode("cp1252"), "must be UTF-8 text: line 1"),
        ("ours.yaml", b"#" * (drafting.MAX_BYTES + 1), "must be smaller than 1 MB"),
        ("ours.docx", b"slug: ours\n", "must be a YAML file"),
    ],
)
def test_a_bad_upload_is_a_400_with_the_problem_and_changes_nothing(
    enfield: Cast, client: Client, name: str, content: bytes, message: str
) -> None:
    with nothing_changes():
        response = client.post(url(enfield, "procedure_upload"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page
    assert f'<a href="#id_file">The selected file {message}' in page
    assert "govuk-file-upload--error" in page


def test_no_file_is_a_400(enfield: Cast, client: Client) -> None:
    response = client.post(url(enfield, "procedure_upload"))
    assert response.status_code == 400
    assert "Select a YAML file" in text_of(response)


def test_checking_a_broken_draft_shows_each_problem_with_its_line_and_path_and_keeps_the_text(
    enfield: Cast, client: Client
) -> None:
    broken = EDITED.replace("        name: Stage 1, the line managers talk\n", "        nme: Stage 1\n", 1)
    response = client.post(url(enfield, "procedure_draft"), {"text": broken, "action": "check"})
    assert response.status_code == 400
    page = text_of(response)
    line = broken.splitlines().index("        nme: Stage 1") + 1
    assert (
        f'<a href="#id_text">Line {line}, pathways[escalation].stages[stage-1].nme: '
        "is not a field of the procedure format (check the spelling)</a>" in page
    )
    assert "pathways[escalation].stages[stage-1].name: is required but missing" in page
    table = page[page.index('id="problems"') :]
    assert f'<td class="govuk-table__cell">{line}<span' in table
    assert "<code>nme: Stage 1</code>" in table  # the line itself, to find it in the box
    assert response.context["form"]["text"].value() == broken  # what was typed is in the box
    assert ProcedureDraft.objects.get().text == broken  # and kept in the draft
    assert "resolve-code-textarea" in page
    assert "<title>Error:" in page


def test_checking_a_good_draft_says_no_problems_found(enfield: Cast, client: Client) -> None:
    response = client.post(url(enfield, "procedure_draft"), {"text": EDITED, "action": "check"}, follow=True)
    assert response.redirect_chain == [(url(enfield, "procedure_draft"), 303)]
    page = text_of(response)
    assert "No problems found" in page
    assert url(enfield, "procedure_draft_preview") in page


def test_saving_keeps_a_draft_with_problems(enfield: Cast, client: Client) -> None:
    response = client.post(url(enfield, "procedure_draft"), {"text": "slug: [", "action": "save"}, follow=True)
    assert "Your draft is saved" in text_of(response)
    assert "The saved draft has 1 problem" in text_of(response)
    assert ProcedureDraft.objects.get().text == "slug: ["


def test_an_empty_draft_is_a_400_naming_the_box(enfield: Cast, client: Client) -> None:
    with nothing_changes():
        response = client.post(url(enfield, "procedure_draft"), {"text": "  ", "action": "check"})
    assert response.status_code == 400
    assert '<a href="#id_text">Enter the procedure' in text_of(response)


def test_without_a_clean_draft_there_is_nothing_to_preview(enfield: Cast, client: Client) -> None:
    assert "You have no draft to preview" in text_of(client.get(url(enfield, "procedure_draft_preview")))
    pathway = client.get(url(enfield, "procedure_draft_preview_pathway", "escalation"), follow=True)
    assert pathway.redirect_chain == [(url(enfield, "procedure_draft"), 303)]
    assert "There is no draft without problems to preview" in text_of(pathway)
    client.post(url(enfield, "procedure_draft"), {"text": "slug: [", "action": "save"})
    assert "so it cannot be previewed" in text_of(client.get(url(enfield, "procedure_draft_preview")))
    assert client.get(url(enfield, "procedure_draft_preview_pathway", "escalation")).status_code == 303
    assert "so it cannot be adopted" in text_of(client.get(url(enfield, "procedure_draft_adopt")))


def test_the_preview_shows_the_draft_step_by_step_with_its_flowchart_and_what_if(enfield: Cast, client: Client) -> None:
    raise_one(enfield)
    client.post(url(enfield, "procedure_draft"), {"text": EDITED, "action": "save"})
    preview = text_of(client.get(url(enfield, "procedure_draft_preview")))
    assert "It becomes version 2 of enfield" in preview
    assert "1 disagreement stays on version 1 of enfield" in preview
    assert url(enfield, "procedure_draft_preview_pathway", "escalation") in preview
    pathway = client.get(url(enfield, "procedure_draft_preview_pathway", "escalation"))
    assert pathway.status_code == 200
    page = text_of(pathway)
    assert "Stage 1, the line managers talk" in page  # from the draft, not the adopted version
    assert 'role="img"' in page
    assert "Flowchart of The Escalation Process" in page
    assert "Work out the deadlines" in page
    asked = client.get(
        url(enfield, "procedure_draft_preview_pathway", "escalation"),
        {"start_0": "21", "start_1": "12", "start_2": "2026", "start_3": "10:00", "circumstances": "child_protection"},
    )
    assert asked.status_code == 200
    assert "Wednesday 30 December 2026, 17:00" in text_of(asked)
    bad = client.get(url(enfield, "procedure_draft_preview_pathway", "escalation"), {"start_0": "99"})
    assert bad.status_code == 400
    assert client.get(url(enfield, "procedure_draft_preview_pathway", "no-such-pathway")).status_code == 404


def test_adopting_the_draft_makes_exactly_one_version_and_says_how_many_stay(enfield: Cast, client: Client) -> None:
    opened = raise_one(enfield)
    client.post(url(enfield, "procedure_draft"), {"text": EDITED, "action": "save"})
    confirm = text_of(client.get(url(enfield, "procedure_draft_adopt")))
    assert "Adopt version 2" in confirm
    versions, adoptions = ProcedureVersion.objects.count(), Adoption.objects.count()
    done = client.post(url(enfield, "procedure_draft_adopt"), follow=True)
    assert done.redirect_chain == [(url(enfield, "procedure"), 303)]
    assert ProcedureVersion.objects.count() == versions + 1
    assert Adoption.objects.count() == adoptions + 1
    page = text_of(done)
    assert "version 2. New disagreements start on it. 1 disagreement stays on version 1 of enfield" in page
    assert "Version 2 of enfield" in page
    assert "by bm" in page  # adopted by, and when
    assert not ProcedureDraft.objects.exists()
    opened.refresh_from_db()
    assert opened.procedure_version.version == 1


def test_adopting_a_draft_identical_to_the_current_version_says_so(enfield: Cast, client: Client) -> None:
    client.post(url(enfield, "procedure_start"), {"source": "current"})
    assert "This is already your current version" in text_of(client.get(url(enfield, "procedure_draft_preview")))
    with nothing_changes():
        response = client.post(url(enfield, "procedure_draft_adopt"))
    assert response.status_code == 409
    assert "This is already your current version" in text_of(response)


def test_a_draft_with_another_bundled_procedures_slug_cannot_be_adopted(enfield: Cast, client: Client) -> None:
    client.post(url(enfield, "procedure_draft"), {"text": EDITED.replace("slug: enfield", "slug: cumbria", 1)})
    with nothing_changes():
        response = client.post(url(enfield, "procedure_draft_adopt"))
    assert response.status_code == 400
    assert "is the bundled procedure cumbria" in text_of(response)


def test_discarding_the_draft(enfield: Cast, client: Client) -> None:
    client.post(url(enfield, "procedure_start"), {"source": "current"})
    assert "cannot be got back" in text_of(client.get(url(enfield, "procedure_draft_discard")))
    done = client.post(url(enfield, "procedure_draft_discard"), follow=True)
    assert "Your draft is discarded" in text_of(done)
    assert not ProcedureDraft.objects.exists()
    assert client.post(url(enfield, "procedure_draft_discard")).status_code == 404
