"""The quarterly report read back: the PDF's text and the DOCX's tables, suppressed and not, and its footer."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import docx
import pypdf
import pytest

from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, ResolveError
from resolve.reports.quarterly import quarter_period, quarterly_make, recent_quarters
from tests.reports.test_exports import unit_of
from tests.reports.test_figures import _grow, dataset, world

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_shows_the_quarters_figures_small_numbers_suppressed_and_the_footer() -> None:
    w = world()
    dataset(w)
    user = unit_of(w.a)
    content, name = quarterly_make(user=user, partnership=w.a, year=2025, quarter=1, kind="pdf")
    assert name == "alpha-quarterly-2025-q1.pdf"
    text = pdf_text(content)
    assert "Quarterly report: 2025 Q1" in text
    assert "from 01/01/2025 to 31/03/2025" in text
    # raised in Q1: four (the fifth was raised at 00:30 on 1 April, London time)
    assert "Raised in the period fewer than 5" in text
    assert "Open and closed" in text
    assert "Raised and closed by month" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "quarterly 2025 Q1" in text
    assert user.person.name in text
    assert "CHILD-SECRET" not in text
    event = Event.objects.get(verb=Verb.DOCUMENT_MADE)
    assert event.data == {
        "document": "quarterly_report",
        "format": "pdf",
        "reference": "quarterly 2025 Q1",
        "year": 2025,
        "quarter": 1,
    }


def test_the_docx_has_the_same_tables_exact_when_the_partnership_suppresses_nothing() -> None:
    w = world()
    dataset(w)
    w.a.suppress_below = 1
    w.a.save()
    content, _name = quarterly_make(user=unit_of(w.a), partnership=w.a, year=2025, quarter=1, kind="docx")
    document = docx.Document(io.BytesIO(content))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert tables[0] == [
        ["Disagreements", "Number"],
        ["Raised in the period", "4"],
        ["Resolved in the period", "3"],
        ["Withdrawn in the period", "1"],
        ["Open at the end of the period", "2"],
    ]
    assert tables[-1] == [
        ["Month", "Raised", "Closed"],
        ["January 2025", "2", "2"],
        ["February 2025", "1", "2"],
        ["March 2025", "1", "0"],
    ]
    assert document.paragraphs[1].text.endswith("Every number is exact.")
    assert "quarterly 2025 Q1" in document.sections[0].footer.paragraphs[0].text
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"


def test_the_docx_suppresses_by_default() -> None:
    w = world()
    dataset(w)
    content, _name = quarterly_make(user=unit_of(w.a), partnership=w.a, year=2025, quarter=1, kind="docx")
    document = docx.Document(io.BytesIO(content))
    assert [c.text for c in document.tables[0].rows[1].cells] == ["Raised in the period", "fewer than 5"]
    assert "Numbers from 1 to 4 are shown as \u201cfewer than 5\u201d." in document.paragraphs[1].text


def test_bad_quarters_and_strangers_are_refused() -> None:
    w = world()
    user = unit_of(w.a)
    with pytest.raises(ResolveError) as refused:
        quarterly_make(user=user, partnership=w.a, year=2025, quarter=5, kind="pdf")
    assert refused.value.field == "quarter"
    with pytest.raises(ResolveError) as future:
        quarterly_make(user=user, partnership=w.a, year=2999, quarter=1, kind="pdf")
    assert future.value.field == "start"
    with pytest.raises(NotFound):
        quarterly_make(user=user, partnership=w.b, year=2025, quarter=1, kind="pdf")
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()


def test_quarters() -> None:
    assert quarter_period(2024, 1) == (date(2024, 1, 1), date(2024, 3, 31))
    assert quarter_period(2025, 4) == (date(2025, 10, 1), date(2025, 12, 31))
    assert recent_quarters(3, today=date(2026, 2, 10)) == [(2026, 1), (2025, 4), (2025, 3)]


def test_the_reports_queries_do_not_grow_with_the_data(django_assert_max_num_queries: Any) -> None:
    w = world()
    dataset(w)
    user = unit_of(w.a)
    quarterly_make(user=user, partnership=w.a, year=2025, quarter=1, kind="docx")
    with django_assert_max_num_queries(40) as small:
        quarterly_make(user=user, partnership=w.a, year=2025, quarter=1, kind="docx")
    _grow(w, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        quarterly_make(user=user, partnership=w.a, year=2025, quarter=1, kind="docx")
