"""Reading disagreements. Every selector takes the person asking and shows only what they may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from resolve.access.policy import disagreements_visible_to
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event, event_record, list_viewed
from resolve.calendar import WorkingCalendar
from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import Disagreement, Notice, StageDeadline, StageRun
from resolve.partnerships.models import Agency, Person
from resolve.partnerships.selectors import Counterpart, calendar_for, counterparts_in
from resolve.procedures.contacts import out_of_hours_contacts
from resolve.procedures.schema import Contact, Procedure


def disagreement_get(*, person: Person, pk: UUID | str) -> Disagreement:
    """One disagreement the person may see, and the read is logged; one they may not see is "not found".

    A refused read is logged too (with the identifier asked for), and the person is told the same
    as for a record that does not exist, so that refusals reveal nothing.
    """
    try:
        disagreement = (
            disagreements_visible_to(person)
            .select_related("procedure_version", "child", "raising_agency", "raised_by", "partnership")
            .get(pk=pk)
        )
    except (Disagreement.DoesNotExist, ValueError, ValidationError):
        event_record(
            verb=Verb.ACCESS_REFUSED, partnership=person.partnership, actor=person, data={"requested": _identifier(pk)}
        )
        raise NotFound("There is no such disagreement, or you do not have access to it.") from None
    disagreement_event(disagreement, Verb.VIEWED, by=person, child=str(disagreement.child_id))
    return disagreement


def disagreement_find(*, person: Person, reference: str) -> Disagreement:
    """The disagreement with this short reference (NEL-2026-0042, in any case), read as ``disagreement_get`` does.

    One the person may not see is "not found", exactly as one that does not exist; the refusal is
    logged without the reference typed (it may be anything, even a name).
    """
    wanted = reference.strip().upper() if isinstance(reference, str) else ""
    found = (
        disagreements_visible_to(person).filter(reference=wanted).values_list("pk", flat=True).first()
        if wanted and len(wanted) <= Disagreement._meta.get_field("reference").max_length  # type: ignore[operator]
        else None
    )
    if found is None:
        event_record(verb=Verb.ACCESS_REFUSED, partnership=person.partnership, actor=person, data={"requested": None})
        raise NotFound("There is no disagreement with that reference that you have access to.")
    return disagreement_get(person=person, pk=found)


def _identifier(value: object) -> str | None:
    """What was asked for, if it is an identifier; anything else typed into an address is not kept in the trail."""
    try:
        return str(UUID(str(value)))
    except ValueError:
        return None


def disagreement_list_for(*, person: Person, status: str | None = Disagreement.Status.OPEN) -> QuerySet[Disagreement]:
    """The disagreements the person may see, as a query. It logs nothing: a page that shows the rows gets
    them from a selector that logs the list once (``work_for``, or one like it calling ``list_viewed``).
    """
    qs = disagreements_visible_to(person).select_related("child", "raising_agency", "raised_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-raised_at")


#: the status filter of the disagreements list: a status, or every status
LIST_STATUSES = (*Disagreement.Status.values, "all")
LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class DisagreementPage:
    """One page of the disagreements list: the rows, each annotated with ``stage_name`` (its latest stage)."""

    status: str
    page: Page[Disagreement]


def disagreement_page_for(*, person: Person, status: str, page: str | int | None) -> DisagreementPage:
    """One page (50 rows) of the disagreements the person may see, with that status or ``all``.

    The rows shown are logged once: one VIEWED entry naming the disagreements and children on the page.
    A page number out of range gives the nearest page; an unknown status is refused before anything is read.
    """
    if status not in LIST_STATUSES:
        raise ResolveError(
            "Choose open, resolved, withdrawn or all disagreements to show.",
            field="status",
        )
    latest = StageRun.objects.filter(disagreement=OuterRef("pk")).order_by("-position").values("name")[:1]
    rows: QuerySet[Disagreement] = (
        disagreement_list_for(person=person, status=None if status == "all" else status)
        .annotate(stage_name=Subquery(latest))
        .order_by("-raised_at", "pk")
    )  # a stable order, so that no row is on two pages or none
    shown = Paginator(rows, LIST_PAGE_SIZE).get_page(page)
    list_viewed(person=person, listing="disagreements", disagreements=list(shown.object_list))
    return DisagreementPage(status=status, page=shown)


@dataclass(frozen=True)
class WorkItem:
    disagreement: Disagreement
    stage: StageRun
    deadline: StageDeadline | None
    #: the procedure's instructions at this stage (never dated): NEL's telephone-first duty (L34)...
    instructions: tuple[StageDeadline, ...] = ()
    #: whom to call if the deadline falls outside working hours (Enfield's duty team, L105, L56)
    out_of_hours: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class WorkList:
    """What is open for a person, and which of its current deadlines are overdue or due soon."""

    open: list[WorkItem]
    overdue: list[WorkItem]
    due: list[WorkItem]
    #: the procedure's out-of-hours contacts, when the list is read outside working hours
    out_of_hours: tuple[Contact, ...] = ()


def work_for(*, person: Person, now: datetime | None = None) -> WorkList:
    """Open disagreements the person can see; ``due`` means due by the end of the next working day.

    The dashboard shows this list with each child's reference, so the read is logged: one VIEWED
    entry naming the disagreements and children shown (identifiers only), not one per row.
    """
    now = now or timezone.now()
    calendar = calendar_for(person.partnership)
    horizon = calendar.next_working_day(now)
    disagreements = list(disagreement_list_for(person=person))
    runs = {
        r.disagreement_id: r for r in StageRun.objects.filter(disagreement__in=disagreements, ended_at__isnull=True)
    }
    deadlines: dict[object, list[StageDeadline]] = {}
    for d in (
        StageDeadline.objects.filter(stage_run__in=runs.values(), due__isnull=False, replaced_at__isnull=True)
        .exclude(StageDeadline.shortened_for_case())  # a cap gives way to the earlier date set for the case
        .order_by("due")
    ):
        deadlines.setdefault(d.stage_run_id, []).append(d)
    instructions: dict[object, list[StageDeadline]] = {}
    for d in StageDeadline.objects.filter(
        stage_run__in=runs.values(), kind=StageDeadline.Kind.INSTRUCTION, replaced_at__isnull=True
    ).order_by("id"):
        instructions.setdefault(d.stage_run_id, []).append(d)
    open_items, overdue, due = [], [], []
    for disagreement in disagreements:
        run = runs[disagreement.pk]
        dated = deadlines.get(run.pk, [])
        told = tuple(instructions.get(run.pk, []))
        procedure = rules.procedure_of(disagreement)
        first = dated[0] if dated else None
        open_items.append(WorkItem(disagreement, run, first, told, _after_hours(procedure, first, calendar)))
        for deadline in dated:
            item = WorkItem(disagreement, run, deadline, out_of_hours=_after_hours(procedure, deadline, calendar))
            if deadline.due is not None and deadline.due < now:
                overdue.append(item)
            elif deadline.due is not None and deadline.due <= horizon:
                due.append(item)
    list_viewed(person=person, listing="dashboard", disagreements=disagreements)
    version = person.partnership.procedure
    now_contacts = out_of_hours_contacts(version.procedure, now, calendar=calendar) if version else ()
    return WorkList(open=open_items, overdue=overdue, due=due, out_of_hours=now_contacts)


def _after_hours(
    procedure: Procedure, deadline: StageDeadline | None, calendar: WorkingCalendar
) -> tuple[Contact, ...]:
    """Whom to call if ``deadline`` falls outside working hours (Enfield L105, L56); nobody otherwise."""
    if deadline is None or deadline.due is None:
        return ()
    return out_of_hours_contacts(procedure, deadline.due, calendar=calendar)


def counterparts_for(*, disagreement: Disagreement, person: Person, upcoming: bool = False) -> list[Counterpart]:
    """Who the person should talk to in each other agency, at the level the stage is handled at.

    ``upcoming`` looks at the next stage instead, for someone about to escalate. The role title
    comes from the procedure's seniority matrix for the agency's column, where it has one.
    """
    disagreement = disagreement_get(person=person, pk=disagreement.pk)
    pathway = rules.pathway_of(disagreement)
    run = disagreement.stage_runs.order_by("-position").first()
    assert run is not None  # every disagreement starts with a stage run
    position = run.position + (1 if upcoming else 0)
    if position >= len(pathway.stages):
        return []
    handlers = pathway.stages[position].handlers
    if handlers.level is None:
        return []
    parties = rules.party_agency_ids(disagreement)
    matrix = rules.procedure_of(disagreement).seniority
    result = []
    agencies = Agency.objects.filter(pk__in=parties).order_by("name")
    if person.agency_id is not None:
        agencies = agencies.exclude(pk=person.agency_id)
    for agency in agencies:
        # each agency at its own level where the stage gives one per agency (Enfield stage 2, Appendix B)
        level = handlers.level_for(agency.matrix_agency) or handlers.level
        title = matrix.title(agency.matrix_agency, level) if matrix and agency.matrix_agency else None
        result.append(counterparts_in(agency=agency, level=level, role_title=title))
    return result


@dataclass(frozen=True)
class NoticeShown:
    """What someone told of a disagreement sees: the notice, never the child's record.

    ``reference`` is the disagreement's identifier; there is no child detail here (no name, birth
    date or the child's own reference), because being told is not taking part.
    """

    notice: int
    reference: UUID
    stage: str
    what: str
    timing: str
    form: str
    source: str
    created_at: datetime


def notices_for(*, person: Person) -> list[NoticeShown]:
    """The notices sent to the person, newest first.

    By its recipients, not by the role it was addressed to: a notice for a role "within their
    organisation" went to one agency's holders only, and advice that is offered (Peterborough L36)
    went to the raiser, not to the role's holders; other holders of the role were not told.
    """
    if not person.is_active:
        return []
    notices = (
        Notice.objects.filter(disagreement__partnership=person.partnership_id)
        .filter(recipients=person)
        .select_related("stage_run")
        .distinct()
        .order_by("-created_at", "-id")
    )
    return [
        NoticeShown(
            notice=n.pk,
            reference=n.disagreement_id,
            stage=n.stage_run.name if n.stage_run is not None else "",
            what=n.what,
            timing=n.timing,
            form=n.form,
            source=n.source,
            created_at=n.created_at,
        )
        for n in notices
    ]
