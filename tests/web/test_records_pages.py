"""The record for the files on screen and as downloads (resolve.web.records)."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.disagreements.models import Disagreement
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_action_pages import main_of, text
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def download_url(d: Disagreement, copy: str, kind: str) -> str:
    return reverse("disagreement_record_download", args=[d.pk, copy, kind])


def test_the_disagreement_page_leads_to_the_record_which_offers_every_copy_as_pdf_and_word(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    page = text(client.get(reverse("disagreement", args=[d.pk])))
    assert "Record for the files" in page
    assert f'href="{reverse("disagreement_files_record", args=[d.pk])}"' in page
    response = client.get(reverse("disagreement_files_record", args=[d.pk]))
    assert response.status_code == 200
    main = main_of(response)
    assert "Written record of the discussions, with an executive summary" in main
    assert "Copy for the child's file" in text(response)
    assert "Stage 1" in main
    assert "What is expected of the other agency" in main
    csc = enfield.agencies["csc"]
    for copy in ("child", str(csc.pk), str(enfield.agencies["school"].pk)):
        for kind in ("pdf", "docx"):
            assert f'href="{download_url(d, copy, kind)}"' in main
    # reading the record on screen is a read of the child's record, logged as one
    assert Event.objects.filter(verb=Verb.VIEWED, disagreement=d, data__document="record").count() == 1
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()


def test_the_pdf_and_word_downloads_are_attachments_never_cached_and_read_back(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("school", 1))
    response = client.get(download_url(d, "child", "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{d.reference}-record-childs-file.pdf"'
    assert "no-store" in response["Cache-Control"]
    pdf = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Copy for the child's file" in pdf
    assert "OFFICIAL-SENSITIVE" in pdf
    csc = enfield.agencies["csc"]
    response = client.get(download_url(d, str(csc.pk), "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-record-copy-for-childrens-social-cares-file.docx"')
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert "Copy for Children's Social Care's file" in paragraphs
    made = Event.objects.filter(verb=Verb.DOCUMENT_MADE, disagreement=d).order_by("pk")
    assert [(e.data["format"], e.data["copy"]) for e in made] == [("pdf", "child"), ("docx", str(csc.pk))]


def test_someone_who_may_not_see_it_gets_page_not_found_for_the_page_and_both_downloads(enfield: Cast) -> None:
    d = raise_one(enfield)
    client = signed_in(enfield.at("police", 1))
    for url in (
        reverse("disagreement_files_record", args=[d.pk]),
        download_url(d, "child", "pdf"),
        download_url(d, "child", "docx"),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert d.expected not in text(response)
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()
    assert not Event.objects.filter(verb=Verb.VIEWED, disagreement=d).exists()
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=enfield.at("police", 1)).count() == 3


@pytest.mark.parametrize(
    ("copy", "kind"),
    [("child", "xlsx"), ("child", "PDF"), ("child", "pdf.exe"), ("police", "pdf"), ("nobody", "docx")],
)
def test_a_bad_copy_or_format_is_page_not_found_and_makes_nothing(enfield: Cast, copy: str, kind: str) -> None:
    d = raise_one(enfield)
    response = signed_in(enfield.at("school", 1)).get(download_url(d, copy, kind))
    assert response.status_code == 404
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()


def test_a_copy_for_an_agency_not_in_dispute_is_page_not_found(enfield: Cast) -> None:
    d = raise_one(enfield)
    response = signed_in(enfield.at("school", 1)).get(download_url(d, str(enfield.agencies["police"].pk), "pdf"))
    assert response.status_code == 404


def test_signed_out_the_record_and_its_downloads_lead_to_sign_in(enfield: Cast) -> None:
    d = raise_one(enfield)
    for url in (reverse("disagreement_files_record", args=[d.pk]), download_url(d, "child", "pdf")):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_record_is_only_read_a_post_is_405_for_who_may_see_it_and_404_for_anyone_else(enfield: Cast) -> None:
    d = raise_one(enfield)
    party, outsider = signed_in(enfield.at("school", 1)), signed_in(enfield.at("police", 1))
    for url in (reverse("disagreement_files_record", args=[d.pk]), download_url(d, "child", "pdf")):
        assert party.post(url).status_code == 405
        assert outsider.post(url).status_code == 404
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()
