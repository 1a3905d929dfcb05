"""Making documents: PDF from the pages' own Django templates (WeasyPrint), Word with python-docx.

WeasyPrint fetches every URL a template names, so it is given ``StaticOnlyFetcher``: it serves the
app's own static files (found by Django's staticfiles finders, the fonts shipped in
``documents/static/documents/fonts``) and refuses everything else, so a document never reaches the
network or the file system beyond them. PDFs are tagged for accessibility (``pdf_tags``) and carry
the document's language and title.

Every document's footer carries the reference, the time it was made, who made it and the security
marking (``Made``); ``document_made`` writes the audit event that every document made is.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import docx
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Partnership, Person

logger = logging.getLogger(__name__)

#: The Government Security Classifications marking every document carries (children's records).
SECURITY_MARKING = "OFFICIAL-SENSITIVE"

#: The base URL the templates' relative and /static/ URLs resolve against: no real host, so nothing
#: can be fetched from it except through ``StaticOnlyFetcher``.
BASE_URL = "https://resolve.invalid/"

PDF = "pdf"
DOCX = "docx"
FORMATS = (PDF, DOCX)
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Made:
    """What a document's footer says about it: which reference, when, by whom, and its marking."""

    reference: str
    made_at: datetime
    made_by: str
    marking: str = SECURITY_MARKING

    @property
    def footer(self) -> str:
        local = timezone.localtime(self.made_at)
        return f"{self.marking} · {self.reference} · made {local:%d/%m/%Y %H:%M} by {self.made_by}"


def made_now(reference: str, by: Person | None, *, by_name: str = "") -> Made:
    return Made(reference=reference, made_at=timezone.now(), made_by=by.name if by is not None else by_name)


class StaticOnlyFetcher(URLFetcher):
    """Serves ``https://resolve.invalid/static/...`` from the app's static files; refuses any other URL."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        static = urlsplit(BASE_URL)._replace(path=settings.STATIC_URL)
        if (parts.scheme, parts.netloc) != (static.scheme, static.netloc) or not parts.path.startswith(static.path):
            logger.warning("document rendering refused a URL outside the app's static files")
            raise ValueError("only the app's own static files can be used in a document")
        name = unquote(parts.path.removeprefix(static.path))
        found = finders.find(name) if name and ".." not in name.split("/") else None
        if not found or isinstance(found, list):
            raise ValueError("no such static file")
        with open(found, "rb") as f:
            body = f.read()
        return URLFetcherResponse(url, body, {"Content-Type": _content_type(name)})


def _content_type(name: str) -> str:
    kinds = {".css": "text/css", ".woff": "font/woff", ".svg": "image/svg+xml", ".png": "image/png"}
    return next((kind for ending, kind in kinds.items() if name.endswith(ending)), "application/octet-stream")


def pdf(template: str, context: dict[str, Any], *, made: Made) -> bytes:
    """The template rendered as a tagged PDF, with ``made`` in every page's footer."""
    html = render_to_string(template, {**context, "made": made, "print": True})
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return bytes(document.write_pdf(pdf_tags=True, custom_metadata=True))


def docx_document(*, title: str, made: Made) -> DocxDocument:
    """A new Word document with the title, the marking at the top of each page, and ``made`` at the foot."""
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.core_properties.title = title
    document.core_properties.author = made.made_by
    document.core_properties.keywords = made.marking
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = made.marking
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    section.footer.paragraphs[0].text = made.footer
    document.add_heading(title, level=1)
    return document


def docx_table(document: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
    """A table with a header row that repeats on each page."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def docx_bytes(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def download(content: bytes, *, filename: str, kind: str) -> HttpResponse:
    """A document as an attachment, never cached (it carries a child's details)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def document_made(
    *,
    document: str,
    kind: str,
    partnership: Partnership,
    by: Person | None,
    made: Made,
    disagreement: Disagreement | None = None,
    **data: Any,
) -> None:
    """The audit event of a document made: which document, in which format, for whom; ids only, never names."""
    event_record(
        verb=Verb.DOCUMENT_MADE,
        partnership=partnership,
        actor=by,
        disagreement=disagreement,
        data={"document": document, "format": kind, "reference": made.reference, **data},
        at=made.made_at,
    )
