"""Making documents: WeasyPrint reaches only the app's own static files, the PDF is tagged and carries the
shipped font, and every document's footer says what it is, when it was made, by whom, and its marking."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import docx
import pypdf
import pytest
from django.template import engines

from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.documents import render
from resolve.documents.render import Made, StaticOnlyFetcher
from tests.factories import PartnershipFactory, PersonFactory

MADE = Made(reference="ENF-2026-0042", made_at=datetime(2026, 12, 7, 14, 30, tzinfo=LONDON), made_by="Ann Example")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/tracker.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "https://resolve.invalid/etc/passwd",
        "https://resolve.invalid/static/../../settings.py",
        "https://resolve.invalid/static/documents/no-such-file.css",
        "data:text/plain,hello",
    ],
)
def test_the_fetcher_refuses_anything_but_the_apps_own_static_files(url: str) -> None:
    with pytest.raises(ValueError, match="static file"):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_print_styles_and_the_shipped_font() -> None:
    css = StaticOnlyFetcher().fetch("https://resolve.invalid/static/documents/print.css")
    assert b"@page" in css.read()
    font = StaticOnlyFetcher().fetch("https://resolve.invalid/static/documents/fonts/arimo-latin-400-normal.woff")
    assert font.read()[:4] == b"wOFF"


def _template(body: str) -> str:
    """A throwaway template extending the print base (written to the engine's string loader)."""
    return '{% extends "documents/print_base.html" %}{% block content %}' + body + "{% endblock %}"


def test_a_pdf_is_tagged_carries_its_title_and_language_and_the_footer_on_every_page(monkeypatch) -> None:
    body = "<h1>Record</h1>" + "".join(f"<p>Paragraph {i} — Zoë Łukasz</p>" for i in range(120))
    body += '<img src="https://example.com/tracker.png" alt="">'
    template = engines["django"].from_string(_template(body))
    monkeypatch.setattr(render, "render_to_string", lambda name, context: template.render(context))
    content = render.pdf("unused", {"title": "Record of the disagreement"}, made=MADE)
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) > 1
    for page in reader.pages:
        text = page.extract_text()
        assert "OFFICIAL-SENSITIVE · ENF-2026-0042 · made 07/12/2026 14:30 by Ann Example" in text
    assert "Paragraph 0 — Zoë Łukasz" in reader.pages[0].extract_text()
    root: Any = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata is not None
    assert reader.metadata.title == "Record of the disagreement"
    resources: Any = reader.pages[0]["/Resources"]
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in resources["/Font"].values()}
    assert "Arimo" in fonts
    assert all(f.startswith("Arimo") for f in fonts)


def test_a_word_document_has_the_marking_at_the_top_and_the_footer_of_every_page() -> None:
    document = render.docx_document(title="Report to the board", made=MADE)
    render.docx_table(document, ["Agency", "Count"], [["Police", "fewer than 5"]])
    read = docx.Document(io.BytesIO(render.docx_bytes(document)))
    section = read.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert (
        section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE · ENF-2026-0042 · made 07/12/2026 14:30 by Ann Example"
    )
    assert read.paragraphs[0].text == "Report to the board"
    assert read.core_properties.title == "Report to the board"
    table = read.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Agency", "Count"]
    assert [c.text for c in table.rows[1].cells] == ["Police", "fewer than 5"]
    header_row: Any = table.rows[0]._tr.trPr
    assert header_row.xml.count("tblHeader") == 1  # the header row repeats on each page


def test_a_download_is_an_attachment_never_cached() -> None:
    response = render.download(b"%PDF-", filename="ENF-2026-0042-record.pdf", kind="pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ENF-2026-0042-record.pdf"'
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_every_document_made_is_an_audit_event_with_ids_not_names() -> None:
    partnership = PartnershipFactory.create()
    person = PersonFactory.create(partnership=partnership, name="Ann Example")
    render.document_made(document="board_report", kind="pdf", partnership=partnership, by=person, made=MADE, report="x")
    event = Event.objects.get(verb=Verb.DOCUMENT_MADE)
    assert event.actor == person
    assert event.partnership == partnership
    assert event.data == {"document": "board_report", "format": "pdf", "reference": "ENF-2026-0042", "report": "x"}
    assert "Ann" not in str(event.data)
