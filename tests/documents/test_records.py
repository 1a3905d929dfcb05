"""The record for the child's file and each agency's file (resolve.documents.records), read back from its files."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta

import docx
import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from resolve.audit.models import Event, Verb
from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements import rules, services
from resolve.disagreements.models import Disagreement, RecordEntry
from resolve.disagreements.retention import _erase
from resolve.documents import records
from resolve.documents.records import record_make, record_of
from resolve.partnerships.services import Asker
from tests.conftest import Cast
from tests.disagreements.test_services import LONDON, raise_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)


def at(moment: datetime, time_machine) -> datetime:
    time_machine.move_to(moment, tick=False)
    return moment


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    section = document.sections[0]
    parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def flat(text: str) -> str:
    """PDF text with its line breaks as spaces: a table cell's words may wrap."""
    return " ".join(text.split())


def a_full_case(cast: Cast, time_machine) -> Disagreement:
    """Raised on a Monday, talked about, corrected, met about, escalated on Tuesday, agreed and resolved at stage 2."""
    at(MONDAY, time_machine)
    d = raise_one(cast)
    at(MONDAY + timedelta(hours=1), time_machine)
    note = services.discussion_record(
        disagreement=d,
        by=cast.at("school", 2),
        held_at=MONDAY + timedelta(minutes=30),
        method="telephone",
        summary="Views differ on the threshold.",
        with_people=[cast.at("csc", 2)],
    )
    services.record_correct(
        record=note,
        by=cast.at("school", 2),
        fields={"summary": "Views differ on the threshold for a home visit."},
        reason="The first note left out the home visit.",
    )
    at(MONDAY + timedelta(days=1, hours=1), time_machine)  # Tuesday 11:00
    services.disagreement_escalate(disagreement=d, by=cast.at("school", 2), reason="The line managers did not agree.")
    services.meeting_schedule(
        disagreement=d,
        by=cast.at("school", 3),
        kind="meeting",
        starts_at=MONDAY + timedelta(days=2, hours=4),
        ends_at=MONDAY + timedelta(days=2, hours=5),
        place="Room 4, Civic Centre",
        invitees=[cast.at("school", 3), cast.at("csc", 3)],
    )
    outcome = services.outcome_propose(
        disagreement=d, by=cast.at("school", 3), text="Agreed: a home visit on Thursday."
    )
    services.outcome_confirm(outcome=outcome, by=cast.at("csc", 4))
    services.action_add(
        disagreement=d,
        by=cast.at("school", 3),
        description="Book the home visit",
        owner=cast.at("csc", 1),
        due_on=date(2026, 12, 10),
    )
    at(MONDAY + timedelta(days=2, hours=6), time_machine)  # Wednesday 16:00, after the meeting
    services.meeting_record(
        disagreement=d,
        by=cast.at("school", 3),
        held_at=MONDAY + timedelta(days=2, hours=4),
        chair=cast.at("school", 3),
        attendees=[cast.at("school", 3), cast.at("csc", 3)],
        areas_of_discussion="The threshold and the home visit.",
        disagreement_text="Whether a visit is needed this week.",
        agreements="A home visit on Thursday.",
        actions="Children's social care books the visit.",
    )
    services.discussion_record(
        disagreement=d,
        by=cast.at("school", 3),
        held_at=MONDAY + timedelta(days=2, hours=5),
        method="meeting",
        summary="Heads of service talked after the meeting.",
        with_people=[cast.at("csc", 3)],
    )
    services.record_add(
        disagreement=d,
        by=cast.at("school", 3),
        kind=RecordEntry.Kind.EXECUTIVE_SUMMARY,
        occurred_at=MONDAY + timedelta(days=2, hours=5),
        fields={"summary": "Resolved at the professionals meeting: a home visit."},
    )
    services.disagreement_resolve(disagreement=d, by=cast.at("school", 3))
    services.feedback_give(disagreement=d, by=cast.at("school", 3), text="The home visit is booked for Thursday.")
    return Disagreement.objects.get(pk=d.pk)


def made_events(d: Disagreement) -> list[Event]:
    return list(Event.objects.filter(verb=Verb.DOCUMENT_MADE, disagreement=d).order_by("pk"))


def test_the_pdf_for_the_childs_file_has_the_stages_deadlines_records_outcome_actions_and_footer(
    enfield: Cast, time_machine
) -> None:
    d = a_full_case(enfield, time_machine)
    content, filename = record_make(person=enfield.at("school", 1), pk=d.pk, copy="child", kind="pdf")
    assert content.startswith(b"%PDF")
    assert filename == f"{d.reference}-record-childs-file.pdf"
    text = flat(pdf_text(content))
    # Enfield's own title for the record (L64), the copy line under it, and the files that keep it
    assert "Written record of the discussions, with an executive summary of the concerns" in text
    assert "Copy for the child's file" in text
    assert "Kept on: the child's case file; the agency raising the concern" in text
    # the agencies and the concern
    assert "Raised by Oakfield Primary School Disagreed with Children's Social Care" in text
    assert "What is expected of the other agency An assessment." in text
    assert "Significant harm No" in text
    # each stage with its dates, entry and outcome
    assert (
        "Stage 1 How it started Raised at this stage Started 7 December 2026 10:00 Ended 8 December 2026 11:00" in text
    )
    assert "Outcome Escalated Reason The line managers did not agree." in text
    assert "Stage 2 How it started Escalated from the stage before" in text
    # the deadlines with their rules: the line managers were not told by 17:00 on Monday (the stage ended on
    # Tuesday); the 5 working days from stage 1 were met, the disagreement resolved on Wednesday
    assert (
        "The line managers informed 7 December 2026 17:00 same working day as the start of this stage [L60] Missed"
        in text
    )
    assert "5 working days from the start of Stage 1 [L68] Met" in text
    # the people at each stage
    assert "csc level 2 Level 2 in Children's Social Care Children's Social Care Attended a meeting" in text
    assert "Raised the disagreement" in text
    # a corrected discussion shows its latest text, and that it was corrected
    assert "Views differ on the threshold for a home visit." in text
    assert "Views differ on the threshold. " not in text
    assert "Corrected on 7 December 2026 11:00 by school level 2" in text
    assert "The first note left out the home visit. The text shown is the corrected text." in text
    assert "Multi-agency meeting record, 9 December 2026 14:00" in text
    assert "Agreements A home visit on Thursday." in text
    # the meeting, the outcome with each agency's confirmation, the action and the feedback
    assert "Room 4, Civic Centre" in text
    assert "As scheduled" in text
    assert "Agreed: a home visit on Thursday." in text
    assert "Children's Social Care Confirmed csc level 4" in text
    assert "Oakfield Primary School Confirmed school level 3" in text
    assert "Book the home visit csc level 1" in text
    assert "10 December 2026 Not done" in text
    assert "The home visit is booked for Thursday." in text
    # the footer on every page: marking, reference, when, by whom
    assert f"OFFICIAL-SENSITIVE · {d.reference} · made 09/12/2026 16:00 by school level 1" in text


def test_the_word_copy_for_an_agencys_file_has_the_same_content_and_its_own_copy_line(
    enfield: Cast, time_machine
) -> None:
    d = a_full_case(enfield, time_machine)
    csc = enfield.agencies["csc"]
    content, filename = record_make(person=enfield.at("csc", 1), pk=d.pk, copy=str(csc.pk), kind="docx")
    assert filename == f"{d.reference}-record-copy-for-childrens-social-cares-file.docx"
    document = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0].startswith("Written record of the discussions")
    assert paragraphs[1] == "Copy for Children's Social Care's file"
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["Outcome", "Escalated"] in rows
    assert [
        "The line managers informed",
        "7 December 2026 17:00",
        "same working day as the start of this stage [L60]",
        "Missed",
    ] in rows
    assert [
        "Children's Social Care",
        "Confirmed",
        "csc level 4, Level 4 in Children's Social Care, Children's Social Care",
        "8 December 2026 11:00",
    ] in rows
    assert [
        "Book the home visit",
        "csc level 1, Level 1 in Children's Social Care, Children's Social Care",
        "10 December 2026",
        "Not done",
    ] in rows
    assert ["Summary", "Views differ on the threshold for a home visit."] in rows
    assert any(p.startswith("Corrected on 7 December 2026 11:00") for p in paragraphs)
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer == f"OFFICIAL-SENSITIVE · {d.reference} · made 09/12/2026 16:00 by csc level 1"
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"


def test_each_copy_made_is_one_document_made_event_with_ids_and_no_names(enfield: Cast, time_machine) -> None:
    d = a_full_case(enfield, time_machine)
    maker = enfield.at("school", 1)
    csc = enfield.agencies["csc"]
    record_make(person=maker, pk=d.pk, copy="child", kind="pdf")
    record_make(person=maker, pk=d.pk, copy=str(csc.pk), kind="docx")
    first, second = made_events(d)
    assert first.actor == maker
    assert first.partnership == d.partnership
    assert first.data == {"document": "record", "format": "pdf", "reference": d.reference, "copy": "child"}
    assert second.data == {"document": "record", "format": "docx", "reference": d.reference, "copy": str(csc.pk)}
    written = json.dumps([first.data, second.data])
    for name in (maker.name, d.child.reference, "Children's Social Care", "home visit"):
        assert name not in written


def test_peterboroughs_record_says_it_is_resolves_design_modelled_on_appendix_2(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("peterborough")
    d = raise_one(cast)
    content, _ = record_make(person=cast.at("school", 1), pk=d.pk, copy="child", kind="pdf")
    text = flat(pdf_text(content))
    assert "Record of the inter-agency conflict and its resolution, for the service user's file" in text
    assert (
        "The fields of this record are Resolve's own design, modelled on Appendix 2 — Pro-forma for recording "
        "inter-agency conflict and resolution on service user file: the procedure gives only its title."
    ) in text
    docx_content, _ = record_make(person=cast.at("school", 1), pk=d.pk, copy="child", kind="docx")
    assert "modelled on Appendix 2" in docx_text(docx_content)


def test_enfields_record_is_not_said_to_be_modelled_on_a_form(enfield: Cast) -> None:
    record = record_of(person=enfield.at("school", 1), pk=raise_one(enfield).pk, copy="child")
    assert record.modelled_on == ""


def test_a_procedure_with_no_record_gets_the_generic_title(enfield: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    d = raise_one(enfield)
    procedure = rules.procedure_of(d)
    bare = procedure.model_copy(update={"documents": procedure.documents.model_copy(update={"record": None})})
    monkeypatch.setattr(records.rules, "procedure_of", lambda _: bare)
    record = record_of(person=enfield.at("school", 1), pk=d.pk, copy="child")
    assert record.title == "Record of the professional disagreement"
    assert record.kept_by == ""
    assert record.modelled_on == ""


def test_someone_who_may_not_see_it_is_told_not_found_and_the_refusal_is_recorded(enfield: Cast) -> None:
    d = raise_one(enfield)
    outsider = enfield.at("police", 1)
    for kind in ("pdf", "docx"):
        with pytest.raises(NotFound):
            record_make(person=outsider, pk=d.pk, copy="child", kind=kind)
    with pytest.raises(NotFound):
        record_of(person=outsider, pk=d.pk, copy="child")
    assert made_events(d) == []
    refused = Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=outsider)
    assert refused.count() == 3
    assert {e.data["requested"] for e in refused} == {str(d.pk)}


def test_an_unknown_disagreement_is_not_found_too(enfield: Cast) -> None:
    with pytest.raises(NotFound):
        record_make(person=enfield.at("school", 1), pk=uuid.uuid4(), copy="child", kind="pdf")
    assert not Event.objects.filter(verb=Verb.DOCUMENT_MADE).exists()


@pytest.mark.parametrize("copy", ["", "police", "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_copy_for_no_agency_in_dispute_is_refused_with_a_clear_message(enfield: Cast, copy: str) -> None:
    d = raise_one(enfield)
    with pytest.raises(NotFound, match="choose the child's file or one of the agencies in dispute"):
        record_make(person=enfield.at("school", 1), pk=d.pk, copy=copy, kind="pdf")
    assert made_events(d) == []


def test_a_copy_for_an_agency_not_in_dispute_is_refused(enfield: Cast) -> None:
    d = raise_one(enfield)
    with pytest.raises(NotFound):
        record_make(person=enfield.at("school", 1), pk=d.pk, copy=str(enfield.agencies["police"].pk), kind="pdf")


def test_a_format_other_than_pdf_or_word_is_refused(enfield: Cast) -> None:
    d = raise_one(enfield)
    with pytest.raises(ResolveError, match="Choose PDF or Word") as refused:
        record_make(person=enfield.at("school", 1), pk=d.pk, copy="child", kind="xlsx")
    assert refused.value.status == 400
    assert made_events(d) == []


def test_a_disagreement_whose_personal_data_was_removed_still_gives_a_record_of_what_remains(
    enfield: Cast, time_machine
) -> None:
    d = a_full_case(enfield, time_machine)
    _erase(d, timezone.now(), Asker(actor=None, data={"operator": "test@server"}))
    maker = enfield.at("school", 1)
    for kind, read in (("pdf", pdf_text), ("docx", docx_text)):
        content, _ = record_make(person=maker, pk=d.pk, copy="child", kind=kind)
        text = flat(read(content))
        assert "removed at the end of the retention period" in text
        assert "Removed at the end of the retention period" in text
        assert "Stage 1" in text
        assert "Missed" in text
        assert "Met" in text
        assert "An assessment." not in text
        assert "Agreed: a home visit on Thursday." not in text
        assert "Book the home visit" not in text
        assert "Views differ" not in text


def _escalate(d: Disagreement, cast: Cast, level: int) -> None:
    services.discussion_record(
        disagreement=d,
        by=cast.at("school", level),
        held_at=timezone.now(),
        method="telephone",
        summary=f"Talked at level {level}.",
        with_people=[cast.at("csc", level)],
    )
    services.disagreement_escalate(disagreement=d, by=cast.at("school", level), reason=f"No agreement at {level}.")


def test_the_number_of_queries_does_not_grow_with_the_stages_and_entries(
    enfield: Cast, django_assert_max_num_queries
) -> None:
    small = raise_one(enfield)  # one stage, one entry, one outcome (prefetches run only for what exists)
    services.outcome_propose(disagreement=small, by=enfield.at("school", 2), text="Agreed.")
    person = enfield.at("school", 1)
    with CaptureQueriesContext(connection) as captured:
        record_of(person=person, pk=small.pk, copy="child")
    big = raise_one(enfield)
    for level in (2, 3, 4):
        _escalate(big, enfield, level)
        for n in range(5):
            services.action_add(disagreement=big, by=enfield.at("school", 2), description=f"Action {n}")
        outcome = services.outcome_propose(disagreement=big, by=enfield.at("school", 4), text="Agreed.")
        services.outcome_confirm(outcome=outcome, by=enfield.at("csc", 5))
    assert big.stage_runs.count() == 4
    with django_assert_max_num_queries(len(captured)):
        record = record_of(person=person, pk=big.pk, copy="child")
    assert len(record.stages) == 4
    assert len(record.actions) == 15


def test_a_copy_for_an_agency_named_in_another_script_is_named_by_the_agencys_id(enfield: Cast) -> None:
    csc = enfield.agencies["csc"]
    csc.name = "Служба"
    csc.save()
    d = raise_one(enfield)
    content, filename = record_make(person=enfield.at("school", 1), pk=d.pk, copy=str(csc.pk), kind="docx")
    assert filename == f"{d.reference}-record-copy-for-{csc.pk}.docx"
    assert "Copy for Служба's file" in docx_text(content)
