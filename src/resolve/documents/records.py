"""The record of a disagreement for the child's file and for each agency's file, as PDF and Word.

Every seed asks for a written record of the disagreement kept on the child's file (and, in most,
on the agencies' files): ``procedure.documents.record`` gives its title, the form it follows and
the files that keep it. Where the procedure names a form it gives only the title of (Peterborough's
Appendix 2), the fields are Resolve's own design and the record says so; where the procedure names
no record, it is Resolve's own "Record of the professional disagreement".

``record_of`` reads everything one record shows, for someone who may see the disagreement (anyone
else: ``NotFound``, and the refusal is in the audit trail), in a fixed number of queries whatever the
number of stages, records and outcomes. ``record_make`` makes one copy as PDF or Word and writes the
``DOCUMENT_MADE`` event that is the read log of the child's record. The copies (the child's file,
each party agency's file) have the same content; only the copy line and the file name differ.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from resolve.access.policy import AccessNotFound, require
from resolve.access.policy import Action as Can
from resolve.access.refusals import refusal_record
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event, event_record
from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Action,
    Confirmation,
    Disagreement,
    Meeting,
    OutcomeDispute,
    Participant,
    RecordEntry,
    StageDeadline,
    WrittenOutcome,
)
from resolve.documents import render
from resolve.documents.render import Made
from resolve.partnerships.models import Agency, Person
from resolve.reports.deadlines import MET, MISSED, PENDING, with_state

CHILD = "child"
GENERIC_TITLE = "Record of the professional disagreement"
STATE_WORDS = {MET: "Met", MISSED: "Missed", PENDING: "Pending"}
#: the kinds of entry that say how outstanding issues are pursued (shown there, not with the discussions)
AFTERWARDS = (RecordEntry.Kind.FEEDBACK, RecordEntry.Kind.RAISER_RESPONSE)
#: what a record's data holds that is not its text: identifiers, and the retention marker
HIDDEN_FIELDS = {"requested_role", "to", "erased", "correction_reason", "id"}


@dataclass(frozen=True)
class Line:
    """One labelled value: a row of a description list."""

    label: str
    value: str


@dataclass(frozen=True)
class PersonLine:
    name: str
    job_title: str
    agency: str
    capacity: str


@dataclass(frozen=True)
class DeadlineLine:
    what: str
    due: str
    rule: str
    state: str


@dataclass(frozen=True)
class StageLine:
    name: str
    lines: list[Line]
    people: list[PersonLine]
    deadlines: list[DeadlineLine]


@dataclass(frozen=True)
class EntryLine:
    """A discussion, meeting record or other entry: its latest text, and whether it was corrected."""

    title: str
    stage: str
    lines: list[Line]
    corrected: str


@dataclass(frozen=True)
class MeetingLine:
    title: str
    stage: str
    when: str
    place: str
    invitees: str
    status: str


@dataclass(frozen=True)
class ConfirmationLine:
    agency: str
    answer: str
    who: str
    when: str


@dataclass(frozen=True)
class OutcomeLine:
    stage: str
    text: str
    proposed: str
    confirmations: list[ConfirmationLine]


@dataclass(frozen=True)
class ActionLine:
    description: str
    owner: str
    due: str
    done: str


@dataclass(frozen=True)
class Record:
    """Everything one copy of the record shows, as words: the page, the PDF and the Word file read it."""

    disagreement: Disagreement
    reference: str
    title: str
    #: "The fields of this record are Resolve's own design, modelled on ...", or empty
    modelled_on: str
    kept_by: str
    source: str
    copy: str
    copy_line: str
    #: the agency whose file the copy is for ("" for the child's file)
    copy_agency: str
    #: the other copies that can be made: (copy, its line)
    copies: list[tuple[str, str]]
    erased: str
    summary: list[Line]
    agencies: list[Line]
    concern: list[Line]
    stages: list[StageLine]
    entries: list[EntryLine]
    meetings: list[MeetingLine]
    outcomes: list[OutcomeLine]
    actions: list[ActionLine]
    afterwards: list[Line] = field(default_factory=list)

    def filename(self, kind: str) -> str:
        if self.copy == CHILD:
            which = "childs-file"
        else:  # the agency's name as ASCII words; its id where none are left (a name in another script)
            which = "copy-for-" + (f"{slugify(self.copy_agency)}s-file" if slugify(self.copy_agency) else self.copy)
        return f"{self.reference}-record-{which}.{kind}"


def _when(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y H:i") if moment else ""


def _day(day: date | None) -> str:
    return formats.date_format(day, "j F Y") if day else ""


def _who(person: Person | None) -> str:
    if person is None:
        return ""
    agency = person.agency.name if person.agency_id is not None and person.agency else ""
    return ", ".join(x for x in (person.name, person.job_title, agency) if x)


def _text(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(str(v) for v in (value.get("name"), value.get("job_title")) if v)
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return "" if value is None else str(value)


def _fields(data: object, removed: str) -> list[Line]:
    if not isinstance(data, dict):
        return []
    if data.get("erased"):
        return [Line(_("Contents"), removed)]
    lines = []
    for name, value in data.items():
        text = _text(value)
        if text and name not in HIDDEN_FIELDS and not name.endswith("_id"):
            lines.append(Line(name.replace("_", " ").capitalize(), text))
    return lines


def _disagreement(person: Person, pk: UUID | str) -> Disagreement:
    """The disagreement, if ``person`` may see it; else ``NotFound``, with the refusal in the audit trail."""
    try:
        disagreement = Disagreement.objects.select_related(
            "procedure_version", "child", "raising_agency", "raised_by__agency", "partnership", "closed_by__agency"
        ).get(pk=pk)
    except (Disagreement.DoesNotExist, ValueError, ValidationError):
        event_record(
            verb=Verb.ACCESS_REFUSED, partnership=person.partnership, actor=person, data={"requested": _identifier(pk)}
        )
        raise NotFound(_("There is no such disagreement, or you do not have access to it.")) from None
    try:
        require(person, Can.VIEW, disagreement)
    except AccessNotFound as refusal:
        refusal_record(refusal)
        raise NotFound(refusal.message) from None
    return disagreement


def record_check(*, person: Person, pk: UUID | str) -> None:
    """``NotFound`` (and the refusal recorded) unless ``person`` may see the disagreement's record."""
    _disagreement(person, pk)


def _identifier(value: object) -> str | None:
    """What was asked for, if it is an identifier: anything else typed into an address is not kept."""
    try:
        return str(UUID(str(value)))
    except ValueError:
        return None


def record_of(*, person: Person, pk: UUID | str, copy: str = CHILD) -> Record:
    """One copy of the record, for someone who may see the disagreement (anyone else: ``NotFound``).

    ``copy``: ``"child"`` for the child's file, or the id of an agency in dispute for its own file.
    """
    d = _disagreement(person, pk)
    procedure = rules.procedure_of(d)
    pathway = rules.pathway_of(d)
    removed = _("Removed at the end of the retention period") if d.erased_at else ""
    parties = {a.pk: a for a in Agency.objects.filter(pk__in=rules.party_agency_ids(d)).order_by("name")}
    others = [a for a in parties.values() if a.pk != d.raising_agency_id]
    copy_agency = _copy_agency(copy, parties)
    copy_line = (
        _("Copy for %(agency)s's file") % {"agency": copy_agency} if copy_agency else _("Copy for the child's file")
    )
    chosen = procedure.documents.record
    modelled = (
        _(
            "The fields of this record are Resolve's own design, modelled on %(form)s: "
            "the procedure gives only its title."
        )
        % {"form": chosen.modelled_on}
        if chosen is not None and chosen.modelled_on
        else ""
    )

    runs = list(d.stage_runs.select_related("started_by").order_by("position"))
    names = {r.pk: r.name for r in runs}
    now = timezone.now()
    deadlines: dict[UUID, list[DeadlineLine]] = defaultdict(list)
    for deadline in with_state(StageDeadline.objects.filter(stage_run__disagreement=d), now=now).order_by("due", "id"):
        state = str(getattr(deadline, "state", ""))
        deadlines[deadline.stage_run_id].append(
            DeadlineLine(
                deadline.what,
                _when(deadline.due),
                f"{deadline.rule} [{deadline.source}]",
                STATE_WORDS.get(state, state),
            )
        )
    capacities = dict(Participant.Capacity.choices)
    people: dict[UUID | None, list[PersonLine]] = defaultdict(list)
    for p in (
        Participant.objects.filter(disagreement=d)
        .select_related("person__agency")
        .order_by("added_at", "person__name", "pk")
    ):
        people[p.stage_run_id].append(
            PersonLine(
                p.person.name,
                p.person.job_title,
                p.person.agency.name if p.person.agency else _("The partnership"),
                str(capacities.get(p.capacity, p.capacity)),
            )
        )
    stages = []
    for k, run in enumerate(runs):
        lines = [
            Line(_("How it started"), run.get_entry_display()),
            Line(_("Started"), _when(run.started_at)),
            Line(_("Ended"), _when(run.ended_at) or _("Not ended: this is the current stage")),
        ]
        if run.ended_at:
            lines.append(Line(_("Outcome"), run.get_outcome_display() or run.outcome))
            lines.append(Line(_("Reason"), run.outcome_reason or removed or _("None recorded")))
        # those who joined with no stage named took part from the start: with the first stage
        joined = people.get(run.pk, []) + (people.get(None, []) if k == 0 else [])
        stages.append(StageLine(run.name, lines, joined, deadlines.get(run.pk, [])))

    entries, afterwards = _entries(d, names, removed)
    return Record(
        disagreement=d,
        reference=d.reference,
        title=chosen.title if chosen is not None else _(GENERIC_TITLE),
        modelled_on=modelled,
        kept_by="; ".join(chosen.kept_by) if chosen is not None else "",
        source=f"{procedure.name} [{chosen.source}]" if chosen is not None else procedure.name,
        copy=copy,
        copy_line=copy_line,
        copy_agency=copy_agency,
        copies=[(CHILD, _("Copy for the child's file"))]
        + [(str(a.pk), _("Copy for %(agency)s's file") % {"agency": a.name}) for a in parties.values()],
        erased=_(
            "The personal data of this disagreement was removed at the end of the retention period on %(when)s: "
            "this record shows what remains."
        )
        % {"when": _when(d.erased_at)}
        if d.erased_at
        else "",
        summary=[
            Line(_("Reference"), d.reference),
            Line(_("Child reference"), d.child.reference),
            Line(_("Status"), d.get_status_display() + (f" ({_when(d.closed_at)})" if d.closed_at else "")),
            Line(_("Raised on"), _when(d.raised_at)),
            Line(_("Raised by"), _who(d.raised_by)),
            Line(_("Procedure"), f"{procedure.name}, version {d.procedure_version.version}"),
            Line(_("Pathway"), pathway.name),
        ],
        agencies=[Line(_("Raised by"), d.raising_agency.name)] + [Line(_("Disagreed with"), a.name) for a in others],
        concern=_concern(d, procedure, removed),
        stages=stages,
        entries=entries,
        meetings=_meetings(d, names, removed),
        outcomes=_outcomes(d, names, parties, removed),
        actions=_actions(d, removed),
        afterwards=[
            Line(_("Closing reason"), d.closing_reason or removed or (_("Not closed yet") if d.is_open else "")),
            Line(_("Closed by"), _who(d.closed_by)),
            *afterwards,
        ],
    )


def _copy_agency(copy: str, parties: dict[UUID, Agency]) -> str:
    """The name of the agency in dispute whose file ``copy`` is for; "" for the child's file."""
    if copy == CHILD:
        return ""
    try:
        agency = parties.get(UUID(str(copy)))
    except ValueError:
        agency = None
    if agency is None:
        raise NotFound(
            _("There is no such copy of this record: choose the child's file or one of the agencies in dispute."),
            field="copy",
        )
    return agency.name


def _concern(d: Disagreement, procedure: Any, removed: str) -> list[Line]:
    categories = {c.slug: c.name for c in procedure.categories}
    flags = [f.name for f in procedure.flags if f.slug in d.flags]
    urgency = _("Urgent") + (f": {d.urgent_reason}" if d.urgent_reason else "") if d.urgent else _("Not urgent")
    return [
        Line(_("Category"), categories.get(d.category, d.category) or _("None given")),
        Line(_("What is expected of the other agency"), d.expected or removed),
        Line(_("Why the safeguarding arrangements are not being applied"), d.why or removed),
        Line(_("What needs to be done"), d.what_needed or removed),
        Line(_("Evidence"), d.evidence or removed or _("None given")),
        Line(_("Urgency"), urgency),
        Line(_("Significant harm"), _("Yes") if d.significant_harm else _("No")),
        Line(_("Child protection"), _("Yes") if d.child_protection else _("No")),
        Line(_("Flags"), ", ".join(flags) or _("None")),
    ]


def _entries(d: Disagreement, names: dict[UUID, str], removed: str) -> tuple[list[EntryLine], list[Line]]:
    """Every entry as it stands: an entry corrected shows its latest correction's text, and says so."""
    entries = list(
        RecordEntry.objects.filter(disagreement=d).select_related("author__agency").order_by("created_at", "pk")
    )
    by_pk = {e.pk: e for e in entries}
    latest: dict[UUID, RecordEntry] = {}
    for entry in entries:  # oldest first, so the last correction of a chain wins
        root = entry
        while root.corrects_id is not None and root.corrects_id in by_pk:
            root = by_pk[root.corrects_id]
        if root is not entry:
            latest[root.pk] = entry
    shown, afterwards = [], []
    for entry in sorted((e for e in entries if e.corrects_id is None), key=lambda e: (e.occurred_at, e.created_at)):
        current = latest.get(entry.pk, entry)
        lines = [
            Line(_("When it took place"), _when(entry.occurred_at)),
            Line(_("Recorded by"), _who(entry.author)),
            *_fields(current.data, removed),
        ]
        corrected = ""
        if current is not entry:
            reason = current.data.get("correction_reason", "") if isinstance(current.data, dict) else ""
            corrected = _("Corrected on %(when)s by %(who)s%(why)s. The text shown is the corrected text.") % {
                "when": _when(current.created_at),
                "who": _who(current.author),
                "why": f": {str(reason).rstrip('.')}" if reason else "",
            }
        if entry.kind in AFTERWARDS:
            text = "; ".join(f"{line.label}: {line.value}" for line in lines[2:]) or removed
            afterwards.append(
                Line(f"{entry.get_kind_display()} ({_when(entry.occurred_at)}, {_who(entry.author)})", text)
            )
            continue
        title = f"{entry.get_kind_display()}, {_when(entry.occurred_at)}"
        shown.append(EntryLine(title, names.get(entry.stage_run_id, ""), lines, corrected))
    return shown, afterwards


def _meetings(d: Disagreement, names: dict[UUID, str], removed: str) -> list[MeetingLine]:
    meetings = Meeting.objects.filter(disagreement=d).prefetch_related(
        Prefetch("invitees", queryset=Person.objects.select_related("agency").order_by("name", "pk"))
    )
    shown = []
    for m in meetings.order_by("starts_at", "id"):
        if m.cancelled_at:
            status = _("Cancelled on %(when)s") % {"when": _when(m.cancelled_at)}
        elif m.moved_at:
            status = _("Moved on %(when)s") % {"when": _when(m.moved_at)}
        else:
            status = _("As scheduled")
        shown.append(
            MeetingLine(
                m.title,
                names.get(m.stage_run_id, ""),
                f"{_when(m.starts_at)} to {_when(m.ends_at)}",
                m.place or removed,
                "; ".join(_who(p) for p in m.invitees.all()),
                status,
            )
        )
    return shown


def _outcomes(d: Disagreement, names: dict[UUID, str], parties: dict[UUID, Agency], removed: str) -> list[OutcomeLine]:
    outcomes = (
        WrittenOutcome.objects.filter(disagreement=d)
        .select_related("proposed_by__agency")
        .prefetch_related(
            Prefetch("confirmations", queryset=Confirmation.objects.select_related("agency", "person__agency")),
            Prefetch("disputes", queryset=OutcomeDispute.objects.select_related("agency", "person__agency")),
        )
        .order_by("proposed_at", "pk")
    )
    shown = []
    for o in outcomes:
        confirmed = {c.agency_id: c for c in o.confirmations.all()}
        disputed = {x.agency_id: x for x in o.disputes.all()}
        lines = []
        for agency in parties.values():
            if agency.pk in confirmed:
                c = confirmed[agency.pk]
                lines.append(ConfirmationLine(agency.name, _("Confirmed"), _who(c.person), _when(c.confirmed_at)))
            elif agency.pk in disputed:
                x = disputed[agency.pk]
                answer = _("Disputed") + (f": {x.reason}" if x.reason else (f": {removed}" if removed else ""))
                lines.append(ConfirmationLine(agency.name, answer, _who(x.person), _when(x.disputed_at)))
            else:
                lines.append(ConfirmationLine(agency.name, _("Not confirmed"), "", ""))
        shown.append(
            OutcomeLine(
                names.get(o.stage_run_id, ""),
                o.text or removed,
                _("Proposed on %(when)s by %(who)s") % {"when": _when(o.proposed_at), "who": _who(o.proposed_by)},
                lines,
            )
        )
    return shown


def _actions(d: Disagreement, removed: str) -> list[ActionLine]:
    shown = []
    for a in Action.objects.filter(disagreement=d).select_related("owner__agency").order_by("created_at", "pk"):
        done = (
            _("Done on %(when)s") % {"when": _when(a.completed_at)}
            + (f": {a.completion_note}" if a.completion_note else "")
            if a.completed_at
            else _("Not done")
        )
        shown.append(ActionLine(a.description or removed, _who(a.owner) or _("No one named"), _day(a.due_on), done))
    return shown


# -------------------------------------------------------------------------------------------- making


TEMPLATE = "documents/record.html"


def record_pdf(record: Record, made: Made) -> bytes:
    return render.pdf(TEMPLATE, {"record": record, "title": record.title}, made=made)


def record_docx(record: Record, made: Made) -> bytes:
    doc = render.docx_document(title=record.title, made=made)
    doc.add_paragraph(record.copy_line).runs[0].bold = True
    if record.modelled_on:
        doc.add_paragraph(record.modelled_on)
    if record.kept_by:
        doc.add_paragraph(_("Kept on: %(files)s") % {"files": record.kept_by})
    doc.add_paragraph(_("From: %(source)s") % {"source": record.source})
    if record.erased:
        doc.add_paragraph(record.erased)

    def lines(title: str, rows: list[Line], level: int = 2) -> None:
        doc.add_heading(title, level=level)
        render.docx_table(doc, [_("Item"), _("Detail")], [[r.label, r.value] for r in rows])

    lines(_("The disagreement"), record.summary)
    lines(_("The agencies"), record.agencies)
    lines(_("The concern"), record.concern)
    doc.add_heading(_("Stages"), level=2)
    for stage in record.stages:
        lines(stage.name, stage.lines, level=3)
        if stage.people:
            doc.add_paragraph(_("People at this stage"))
            render.docx_table(
                doc,
                [_("Name"), _("Job title"), _("Agency"), _("Taking part as")],
                [[p.name, p.job_title, p.agency, p.capacity] for p in stage.people],
            )
        if stage.deadlines:
            doc.add_paragraph(_("Deadlines"))
            render.docx_table(
                doc,
                [_("What is due"), _("Due"), _("Rule"), _("Met or missed")],
                [[x.what, x.due, x.rule, x.state] for x in stage.deadlines],
            )
    doc.add_heading(_("Discussions and records"), level=2)
    if not record.entries:
        doc.add_paragraph(_("None recorded."))
    for entry in record.entries:
        lines(entry.title, [Line(_("Stage"), entry.stage), *entry.lines], level=3)
        if entry.corrected:
            doc.add_paragraph(entry.corrected)
    doc.add_heading(_("Meetings"), level=2)
    if record.meetings:
        render.docx_table(
            doc,
            [_("Meeting"), _("Stage"), _("When"), _("Where"), _("Invited"), _("Status")],
            [[m.title, m.stage, m.when, m.place, m.invitees, m.status] for m in record.meetings],
        )
    else:
        doc.add_paragraph(_("None scheduled."))
    doc.add_heading(_("Agreed outcome"), level=2)
    if not record.outcomes:
        doc.add_paragraph(_("No written outcome proposed."))
    for outcome in record.outcomes:
        doc.add_heading(outcome.stage, level=3)
        doc.add_paragraph(outcome.text)
        doc.add_paragraph(outcome.proposed)
        render.docx_table(
            doc,
            [_("Agency"), _("Answer"), _("By"), _("When")],
            [[c.agency, c.answer, c.who, c.when] for c in outcome.confirmations],
        )
    doc.add_heading(_("How outstanding issues will be pursued"), level=2)
    if record.actions:
        render.docx_table(
            doc,
            [_("Action"), _("Owner"), _("Due"), _("Done")],
            [[a.description, a.owner, a.due, a.done] for a in record.actions],
        )
    else:
        doc.add_paragraph(_("No actions agreed."))
    render.docx_table(doc, [_("Item"), _("Detail")], [[r.label, r.value] for r in record.afterwards if r.value])
    return render.docx_bytes(doc)


MAKERS = {render.PDF: record_pdf, render.DOCX: record_docx}


def record_page(*, person: Person, pk: UUID | str) -> Record:
    """The record on screen (the child's file's copy): the read is logged as any read of the disagreement."""
    record = record_of(person=person, pk=pk, copy=CHILD)
    d = record.disagreement
    disagreement_event(d, Verb.VIEWED, by=person, child=str(d.child_id), document="record")
    return record


def record_make(*, person: Person, pk: UUID | str, copy: str, kind: str) -> tuple[bytes, str]:
    """One copy of the record as PDF or Word, for someone who may see it; the making is the read logged."""
    if kind not in MAKERS:
        raise ResolveError(_("Choose PDF or Word (docx) for the record."), field="kind")
    record = record_of(person=person, pk=pk, copy=copy)
    made = render.made_now(record.reference, person)
    content = MAKERS[kind](record, made)
    with transaction.atomic():
        render.document_made(
            document="record",
            kind=kind,
            partnership=record.disagreement.partnership,
            by=person,
            made=made,
            disagreement=record.disagreement,
            copy=record.copy,
        )
    return content, record.filename(kind)
