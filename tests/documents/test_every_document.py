"""Every document Resolve makes, for each of the five shipped procedures, from a case walked through every stage.

For each procedure: the record for the child's file (PDF and Word), each report to the board its procedure
names, and the quarterly report. Each is read back: its title, its footer on every page, and nothing of
the child's in a report to the board.

``python3 dev.py documents`` runs this file with ``RESOLVE_DOCUMENT_PAGES`` set to a folder: the PDFs are
written there and each page is rendered to PNG with pdftoppm, for a reviewer to look at (not committed).
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import pypdf
import pytest
from django.contrib.auth import get_user_model

from resolve.documents.board_reports import board_report_make
from resolve.documents.records import record_make
from resolve.procedures.loader import bundled
from resolve.reports.quarterly import quarterly_make
from tests.conftest import Cast
from tests.disagreements.walker import Step, Walker, at

pytestmark = pytest.mark.django_db

SEEDS = ("north-east-lincolnshire", "enfield", "peterborough", "pan-lancashire", "cumbria")
PAGES = os.environ.get("RESOLVE_DOCUMENT_PAGES", "")


def walked(cast: Cast, time_machine: object) -> Walker:
    """A disagreement raised on Monday 5 October 2026, escalated every two days through the first pathway."""
    walker = Walker(cast, time_machine)
    pathway = cast.partnership.procedure.procedure.pathways[0]  # type: ignore[union-attr]
    walker.raise_("2026-10-05T10:00", pathway=pathway.slug)
    for day, stage in enumerate(pathway.stages[1:], start=1):
        walker.escalate(Step(stage.slug, f"2026-10-{5 + 2 * day:02d}T11:00", {}))
    walker.resolve("2026-10-30T15:00")
    return walker


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def keep(slug: str, name: str, content: bytes) -> None:
    """With RESOLVE_DOCUMENT_PAGES set: the file, and each PDF page as PNG (pdftoppm), for a reviewer."""
    if not PAGES:
        return
    folder = Path(PAGES) / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    if name.endswith(".pdf"):
        stem = folder / name.removesuffix(".pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(folder / name), str(stem)], check=True)


@pytest.mark.parametrize("slug", SEEDS)
def test_every_document_of_the_procedure_is_made_and_reads_back(
    slug: str, cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    cast = cast_for(slug)
    walker = walked(cast, time_machine)
    d = walker.d
    time_machine.move_to(at("2027-01-05T09:00"), tick=False)  # type: ignore[attr-defined]
    procedure = bundled(slug)

    content, name = record_make(person=walker.cast.at("school", 1), pk=d.pk, copy="child", kind="pdf")
    pages = pdf_text(content)
    title = procedure.documents.record.title if procedure.documents.record else "Record of the professional"
    assert " ".join(title.split()[:4]) in " ".join(pages[0].split())
    assert all(f"OFFICIAL-SENSITIVE · {d.reference}" in page for page in pages)
    keep(slug, name, content)
    content, name = record_make(person=walker.cast.at("school", 1), pk=d.pk, copy="child", kind="docx")
    assert docx.Document(io.BytesIO(content)).sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    keep(slug, name, content)

    board = get_user_model().objects.create_superuser("board@example.test", "board@example.test", "x" * 20)
    for report in procedure.documents.reports:
        content, name = board_report_make(
            user=board,
            partnership=cast.partnership,
            slug=report.slug,
            start=date(2026, 10, 1),
            end=date(2026, 12, 31),
            kind="pdf",
        )
        text = " ".join(pdf_text(content))
        assert d.reference in text  # the disagreement reached the report's stage in the period
        assert d.child.reference not in text
        keep(slug, name, content)

    content, name = quarterly_make(user=board, partnership=cast.partnership, year=2026, quarter=4, kind="pdf")
    text = " ".join(pdf_text(content))
    assert "OFFICIAL-SENSITIVE · quarterly 2026 Q4" in text
    assert d.child.reference not in text
    keep(slug, name, content)
