"""The record for the files in a real browser: the demo teacher downloads it as PDF and Word; an outsider gets 404.

The demo's DEMO-CHILD-001 is at Enfield's Stage 1, raised by the teacher (Amira Shah) against children's social
care. The record page is reached from the disagreement's page ("Record for the files"); every page is
checked by axe (``seen``).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pypdf
import pytest
from playwright.sync_api import Page, expect

from resolve.audit.models import Event, Verb
from resolve.demo.loader import load_demo
from resolve.disagreements.models import Disagreement
from tests.browser.conftest import Seen
from tests.browser.test_records_and_outcomes import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_teacher_follows_record_for_the_files_and_downloads_the_pdf_and_the_word_copy(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    first = Disagreement.objects.get(child__reference="DEMO-CHILD-001")
    sign_in_as(page, live_server, seen, "teacher", then=f"/disagreements/{first.pk}/")
    seen(page, "disagreement")
    page.get_by_role("link", name="Record for the files", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Written record of the discussions")
    seen(page, "record-for-the-files")
    expect(page.get_by_role("main")).to_contain_text("Copy for the child's file")

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF (Copy for the child's file)").click()
    assert pdf_download.value.suggested_filename == f"{first.reference}-record-childs-file.pdf"
    content = Path(pdf_download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages).split())
    assert "Copy for the child's file" in text
    assert "Repeated disclosures at school were judged below the threshold without a home visit." in text
    assert f"OFFICIAL-SENSITIVE · {first.reference}" in text
    assert "by Amira Shah" in text

    with page.expect_download() as word_download:
        page.get_by_role("link", name="Word (.docx) (Copy for Children's Social Care's file)").click()
    assert word_download.value.suggested_filename.endswith("-record-copy-for-childrens-social-cares-file.docx")
    document = docx.Document(io.BytesIO(Path(word_download.value.path()).read_bytes()))
    assert "Copy for Children's Social Care's file" in [p.text for p in document.paragraphs]
    assert Event.objects.filter(verb=Verb.DOCUMENT_MADE, disagreement=first).count() == 2


def test_a_demo_person_who_may_not_see_it_gets_page_not_found_for_the_record_and_its_download(
    page: Page, live_server: object, seen: Seen
) -> None:
    load_demo()
    first = Disagreement.objects.get(child__reference="DEMO-CHILD-001")
    record = f"/disagreements/{first.pk}/record-for-the-files/"
    sign_in_as(page, live_server, seen, "dc", then="/")
    seen(page, "home-dc")
    page.goto(f"{live_server}{record}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Page not found")
    seen(page, "record-not-found")
    page.goto(f"{live_server}{record}child.pdf")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Page not found")
    seen(page, "record-download-not-found")
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()
