"""The reports to the partnership board: who is covered in a period, the figures with small numbers
suppressed, the PDF's text and the Word document's tables, the audit event, and who may make one."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import docx
import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements.models import Disagreement, Participant, StageDeadline, StageRun
from resolve.documents import board_reports
from resolve.documents.board_reports import board_report, board_report_make
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
START, END = date(2026, 7, 1), date(2026, 9, 30)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
CHILD_NAME = "Amelia Hiddenchild"
CONCERN = "Concernwords that could identify"

#: (pathway, the stage before, the report's stage, its position) for each procedure
STAGES = {
    "enfield": ("escalation", "stage-1", "step-4", "Step 4", 3),
    "cumbria": ("escalation", "level-1", "formal-process", "Formal process", 4),
    "peterborough": ("escalation", "practitioner", "independent-chair", "Independent Chair", 3),
}


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def make(
    cast: Cast,
    *,
    reached: date | None,
    raised: date | None = None,
    agency: str = "school",
    against: tuple[str, ...] = ("csc",),
    category: str = "",
    status: str = "open",
    closed: date | None = None,
    days: int | None = None,
    due: datetime | None = None,
) -> Disagreement:
    """A disagreement that reached the report's stage on ``reached`` (None: never), made directly."""
    p = cast.partnership
    assert p.procedure is not None
    slug = p.procedure.procedure.slug
    pathway, first, stage, name, position = STAGES[slug]
    raised = raised or (reached - timedelta(days=20) if reached else START)
    n = Disagreement.objects.filter(partnership=p).count() + 1
    d = Disagreement.objects.create(
        partnership=p,
        reference=f"TST-2026-{n:04d}",
        procedure_version=p.procedure,
        pathway=pathway,
        category=category,
        child=ChildFactory.create(partnership=p, name=CHILD_NAME),
        raised_by=cast.at(agency, 1),
        raising_agency=cast.agencies[agency],
        expected=CONCERN,
        why=CONCERN,
        what_needed=CONCERN,
        raised_at=at(raised),
        status=status,
        closed_at=at(closed, 15) if closed else None,
        working_days_taken=days,
    )
    d.other_agencies.set([cast.agencies[a] for a in against])
    by = cast.at(agency, 1)
    Participant.objects.create(disagreement=d, person=by, capacity=Participant.Capacity.RAISER, added_at=at(raised))
    ended = at(reached) if reached else (at(closed, 15) if closed else None)
    StageRun.objects.create(
        disagreement=d,
        stage=first,
        name="The first stage",
        position=0,
        entry=StageRun.Entry.RAISED,
        started_at=at(raised),
        started_by=by,
        ended_at=ended,
        outcome="escalated" if reached else ("resolved" if closed else ""),
    )
    if reached:
        run = StageRun.objects.create(
            disagreement=d,
            stage=stage,
            name=name,
            position=position,
            entry=StageRun.Entry.ESCALATED,
            started_at=at(reached),
            started_by=by,
            ended_at=at(closed, 15) if closed else None,
            outcome="resolved" if closed else "",
        )
        if due is not None:
            StageDeadline.objects.create(
                stage_run=run,
                timescale="respond",
                what="respond",
                due=due,
                rule="test",
                source="test",
                computed_at=at(reached),
            )
    return d


def user_of(person: Person) -> object:
    user = get_user_model().objects.create_user(username=person.email, email=person.email, password="x" * 20)
    person.user = user
    person.save()
    return user


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def docx_tables(content: bytes) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(content))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for s in document.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
    return "\n".join(parts)


def figure(tables: list[list[list[str]]], label: str) -> str:
    return next(row[1] for table in tables for row in table if row[0] == label)


def test_enfield_level_4_log_covers_step_4_and_level_4_participants_in_the_period_only(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    in_step4 = make(cast, reached=date(2026, 8, 10), status="resolved", closed=date(2026, 8, 20), days=9)
    by_level = make(cast, reached=None, raised=date(2026, 7, 3), agency="police", against=("health",))
    Participant.objects.create(
        disagreement=by_level,
        person=cast.at("police", 4),
        capacity=Participant.Capacity.HANDLER,
        added_at=at(date(2026, 9, 2)),
    )
    before = make(cast, reached=date(2026, 6, 30))
    after = make(cast, reached=date(2026, 10, 1))
    level3 = make(cast, reached=None, raised=date(2026, 7, 5))
    Participant.objects.create(
        disagreement=level3, person=cast.at("school", 3), capacity="handler", added_at=at(date(2026, 7, 20))
    )
    data = board_report(
        user=user_of(cast.role("business-unit")), partnership=cast.partnership, slug="level-4-log", start=START, end=END
    )
    assert [r.reference for r in data.rows] == [by_level.reference, in_step4.reference]
    assert data.total == 2
    row = next(r for r in data.rows if r.reference == in_step4.reference)
    assert (row.reached_on, row.closed_on, row.working_days, row.status) == (
        date(2026, 8, 10),
        date(2026, 8, 20),
        9,
        "Resolved",
    )
    assert row.stage_now == "Step 4"
    assert next(r for r in data.rows if r.reference == by_level.reference).reached_on == date(2026, 9, 2)
    for outside in (before, after, level3):
        assert outside.reference not in {r.reference for r in data.rows}


def test_the_pdf_and_word_document_say_what_the_report_is_and_list_the_covered_without_the_child(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    covered = make(
        cast,
        reached=date(2026, 8, 10),
        category="threshold-referral",
        status="resolved",
        closed=date(2026, 8, 20),
        days=9,
    )
    user = user_of(cast.role("business-unit"))
    content, filename = board_report_make(
        user=user, partnership=cast.partnership, slug="level-4-log", start=START, end=END, kind="pdf"
    )
    assert filename == "level-4-log-2026-07-01-2026-09-30.pdf"
    text = pdf_text(content)
    assert "Log of escalations at Level 4 or above" in text
    assert "All escalations of Level 4 or above" in text
    assert "L84-86" in text
    assert cast.partnership.name in text
    assert "1 July 2026 to 30 September 2026" in text
    assert cast.partnership.procedure.procedure.role("business-unit").name in text  # type: ignore[union-attr]
    assert covered.reference in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "level-4-log 2026-07-01\u20132026-09-30" in text
    assert cast.role("business-unit").name in text
    assert CHILD_NAME not in text
    assert covered.child.reference not in text
    assert "Concernwords" not in text
    assert "never shows a child's name or reference" in text

    content, filename = board_report_make(
        user=user, partnership=cast.partnership, slug="level-4-log", start=START, end=END, kind="docx"
    )
    assert filename.endswith(".docx")
    tables = docx_tables(content)
    listing = next(t for t in tables if t[0][0] == "Reference")
    category = cast.partnership.procedure.procedure.category("threshold-referral").name  # type: ignore[union-attr]
    assert listing[1] == [
        covered.reference,
        category,
        cast.agencies["school"].name,
        cast.agencies["csc"].name,
        "21/07/2026",
        "10/08/2026",
        "Step 4",
        "Resolved",
        "20/08/2026",
        "9",
    ]
    assert figure(tables, "Disagreements covered") == "1"
    assert figure(tables, "Resolved") == "fewer than 5"
    everything = docx_text(content)
    assert CHILD_NAME not in everything
    assert covered.child.reference not in everything
    assert "Concernwords" not in everything
    assert "OFFICIAL-SENSITIVE" in everything

    events = Event.objects.filter(verb=Verb.DOCUMENT_MADE).order_by("id")
    assert [(e.data["format"], e.data["report"], e.data["start"], e.data["end"]) for e in events] == [
        ("pdf", "level-4-log", "2026-07-01", "2026-09-30"),
        ("docx", "level-4-log", "2026-07-01", "2026-09-30"),
    ]
    assert all(e.actor == cast.role("business-unit") and e.data["document"] == "board_report" for e in events)
    assert all(CHILD_NAME not in str(e.data) and cast.role("business-unit").name not in str(e.data) for e in events)


def test_small_numbers_are_suppressed_below_the_partnerships_threshold(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("cumbria")
    user = user_of(cast.role("scp-business-manager"))
    for k in range(3):
        make(cast, reached=date(2026, 7, 10 + k), agency="school")
    for k in range(5):
        make(
            cast, reached=date(2026, 8, 10 + k), agency="police", status="resolved", closed=date(2026, 9, 1), days=k + 1
        )

    data = board_report(user=user, partnership=cast.partnership, slug="formal-use", start=START, end=END)
    assert data.total == 8
    status = {f.label: f.value for f in data.by_status}
    assert status == {"Open": "fewer than 5", "Resolved": "suppressed", "Withdrawn": "0"}
    agency = {f.label: f.value for f in data.by_agency}
    assert agency == {cast.agencies["police"].name: "suppressed", cast.agencies["school"].name: "fewer than 5"}
    assert data.median_days == "3"  # 1 2 3 4 5
    assert {f.label: f.value for f in data.by_category} == {"No category": "8"}

    cast.partnership.suppress_below = 3
    cast.partnership.save()
    data = board_report(user=user, partnership=cast.partnership, slug="formal-use", start=START, end=END)
    assert {f.label: f.value for f in data.by_status} == {"Open": "3", "Resolved": "5", "Withdrawn": "0"}

    cast.partnership.suppress_below = 10
    cast.partnership.save()
    data = board_report(user=user, partnership=cast.partnership, slug="formal-use", start=START, end=END)
    assert data.by_status[0].value == "fewer than 10"
    assert data.median_days == "Not shown: fewer than 10 closed"
    text = pdf_text(
        board_report_make(user=user, partnership=cast.partnership, slug="formal-use", start=START, end=END, kind="pdf")[
            0
        ]
    )
    assert "fewer than 10" in text
    assert "Report of the formal use of the procedure" in text


def test_deadlines_at_the_stage_met_and_missed_and_the_median_of_an_even_count(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("peterborough")
    cast.partnership.suppress_below = 1
    cast.partnership.save()
    # closed 2026-08-20 15:00: met when due after, missed when due before
    make(cast, reached=date(2026, 8, 1), status="resolved", closed=date(2026, 8, 20), days=4, due=at(date(2026, 8, 25)))
    make(cast, reached=date(2026, 8, 2), status="resolved", closed=date(2026, 8, 20), days=7, due=at(date(2026, 8, 10)))
    make(cast, reached=date(2026, 8, 3), due=at(date(2026, 8, 12)))  # open, due passed: missed
    make(cast, reached=date(2026, 9, 3), status="withdrawn", closed=date(2026, 9, 5), days=2)
    data = board_report(
        user=user_of(cast.role("head-of-service-boards")),
        partnership=cast.partnership,
        slug="appendix-3",
        start=START,
        end=END,
        now=NOW,
    )
    assert {f.label: f.value for f in data.deadlines} == {"Met": "1", "Missed": "2", "Still to come": "0"}
    assert data.median_days == "4"  # 2 4 7
    assert {f.label: f.value for f in data.by_status} == {"Open": "1", "Resolved": "2", "Withdrawn": "1"}
    assert "Resolve's own design, modelled on Appendix 3" in data.notes[0]
    assert data.to == (
        "Head of Service for the Safeguarding Boards",
        "Independent Chair of the Peterborough Safeguarding Children Board",
    )
    made = board_reports.render.made_now(data.reference, None, by_name="Someone")
    content = board_reports.board_report_docx(data, made)
    tables = docx_tables(content)
    assert figure(tables, "Met") == "1"
    assert figure(tables, "Missed") == "2"
    assert figure(tables, "Median working days to close") == "4"
    assert "Resolve's own design, modelled on Appendix 3" in docx_text(content)
    assert "Head of Service for the Safeguarding Boards" in figure(tables, "Goes to")


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (date(2026, 9, 1), date(2026, 8, 1), "end", "The end date must be the same as or after the start date"),
        (date(2025, 1, 1), date(2026, 1, 2), "end", "The period must be 366 days or shorter"),
        (date(2026, 11, 1), date(2026, 12, 25), "end", "The end date must be today or in the past"),
        (date(2026, 12, 1), date(2026, 12, 25), "start", "The start date must be today or in the past"),
        (None, END, "start", "Enter the start date"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(
    cast_for: Callable[[str], Cast], time_machine, start: date | None, end: date | None, field: str, message: str
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    user = user_of(cast.role("business-unit"))
    with pytest.raises(ResolveError) as refused:
        board_report(user=user, partnership=cast.partnership, slug="level-4-log", start=start, end=end)
    assert refused.value.field == field
    assert refused.value.message.startswith(message)
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()


def test_only_an_overseer_may_have_a_report_and_only_one_the_procedure_names(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    time_machine.move_to(NOW)
    cast, other = cast_for("enfield"), cast_for("enfield")
    for user in (user_of(cast.at("school", 5)), user_of(other.role("business-unit"))):
        with pytest.raises(NotFound):
            board_report(user=user, partnership=cast.partnership, slug="level-4-log", start=START, end=END)
    chair = user_of(cast.role("escp-chair"))
    with pytest.raises(NotFound):
        board_report(user=chair, partnership=cast.partnership, slug="formal-use", start=START, end=END)
    with pytest.raises(NotFound):
        board_report_make(
            user=chair, partnership=cast.partnership, slug="level-4-log", start=START, end=END, kind="xlsx"
        )
    assert board_report(user=chair, partnership=cast.partnership, slug="level-4-log", start=START, end=END).total == 0


def test_an_administrator_without_a_person_makes_one_recorded_by_account(
    cast_for: Callable[[str], Cast], time_machine
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    make(cast, reached=date(2026, 8, 10))
    admin = get_user_model().objects.create_user("partnership-admin", "a@example.test", "x" * 20, is_staff=True)
    admin.first_name, admin.last_name = "Ada", "Admin"
    admin.save()
    cast.partnership.administrators.add(admin)
    content, _ = board_report_make(
        user=admin, partnership=cast.partnership, slug="level-4-log", start=START, end=END, kind="pdf"
    )
    assert "by Ada Admin" in pdf_text(content)
    event = Event.objects.get(verb=Verb.DOCUMENT_MADE)
    assert event.actor is None
    assert event.data["user"] == admin.pk


def test_the_number_of_queries_does_not_grow_with_the_data(
    cast_for: Callable[[str], Cast], time_machine, django_assert_max_num_queries
) -> None:
    time_machine.move_to(NOW)
    cast = cast_for("enfield")
    cast.partnership.suppress_below = 1  # every figure computed, the median too, at both sizes
    cast.partnership.save()
    user = user_of(cast.role("business-unit"))
    counts = []
    for size in (2, 12):
        while Disagreement.objects.filter(partnership=cast.partnership).count() < size:
            k = Disagreement.objects.filter(partnership=cast.partnership).count()
            make(
                cast,
                reached=date(2026, 7, 1) + timedelta(days=k),
                agency=("school", "police", "health")[k % 3],
                status="resolved",
                closed=date(2026, 10, 1),
                days=k,
                due=at(date(2026, 9, 1)),
            )
        with CaptureQueriesContext(connection) as queries:
            data = board_report(user=user, partnership=cast.partnership, slug="level-4-log", start=START, end=END)
            board_reports.board_report_docx(data, board_reports.render.made_now(data.reference, None, by_name="x"))
        assert data.total == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        board_report(user=user, partnership=cast.partnership, slug="level-4-log", start=START, end=END)
