"""Reading disagreements. Every selector takes the person asking and shows only what they may see."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import cast
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Case, Exists, F, OrderBy, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.access.policy import (
    disagreements_visible_to,
    involving_partnership,
    people_managed_by,
    roles_held,
    stages_reached_by_roles_of,
)
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event, event_record, list_viewed
from resolve.calendar import WorkingCalendar
from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Confirmation,
    Disagreement,
    Notice,
    Participant,
    RecordEntry,
    StageDeadline,
    StageRun,
    WrittenOutcome,
)
from resolve.partnerships.matrix import matrix_titles_for
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
        raise NotFound(_("There is no such disagreement, or you do not have access to it.")) from None
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
        raise NotFound(_("There is no disagreement with that reference that you have access to."))
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
    qs = disagreements_visible_to(person).select_related("child", "raising_agency", "raised_by", "procedure_version")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-raised_at")


# The disagreements list: filters, search and sort ----------------------------------------------------

#: the status filter of the disagreements list: a status, every closed one, or every status
CLOSED = "closed"
LIST_STATUSES = (Disagreement.Status.OPEN, CLOSED, Disagreement.Status.RESOLVED, Disagreement.Status.WITHDRAWN, "all")
#: the due filter: a current deadline already passed, due by the end of today, or by the end of this week
DUE_FILTERS = ("overdue", "today", "week")
#: the orders the list can be sorted in (the first is the default)
LIST_SORTS = ("raised", "raised-oldest", "deadline", "reference")
LIST_PAGE_SIZE = 50
SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class ListFilters:
    """What the list is narrowed to; every value is checked by ``disagreement_page_for``."""

    status: str = Disagreement.Status.OPEN
    #: a short reference or a child's reference, or part of one
    q: str = ""
    agency: UUID | None = None
    #: ``pathway.stage``: the stage a disagreement is at now (its latest stage)
    stage: str = ""
    category: str = ""
    due: str = ""
    sort: str = LIST_SORTS[0]


@dataclass(frozen=True)
class ListChoices:
    """The values the list's filters offer: from the person's partnership and its adopted procedure."""

    agencies: list[tuple[UUID, str]]
    stages: list[tuple[str, str]]
    categories: list[tuple[str, str]]


def list_choices_for(*, person: Person) -> ListChoices:
    agencies = list(Agency.objects.filter(partnership=person.partnership_id).order_by("name").values_list("pk", "name"))
    version = person.partnership.procedure
    if version is None:
        return ListChoices(agencies, [], [])
    procedure = version.procedure
    several = len(procedure.pathways) > 1
    stages = [
        (f"{pathway.slug}.{stage.slug}", f"{pathway.name}: {stage.name}" if several else stage.name)
        for pathway in procedure.pathways
        for stage in pathway.stages
    ]
    categories = [(c.slug, c.name) for c in procedure.categories if not c.refuse_with]
    return ListChoices(agencies, stages, categories)


@dataclass(frozen=True)
class DisagreementPage:
    """One page of the disagreements list: the rows, each annotated with ``stage_name`` (its latest stage),
    ``next_due``, ``next_what`` and ``next_rule`` (its earliest deadline as it stands, if it has one)."""

    filters: ListFilters
    page: Page[Disagreement]
    #: a search shows its first page only (its words are never put in a page address)
    searched: bool = False


def _day_end(calendar: WorkingCalendar, now: datetime, days: int = 0) -> datetime:
    """Midnight at the end of the local day ``days`` after ``now``'s, as an aware UTC instant."""
    day = calendar.local_date(now) + timedelta(days=days + 1)
    return datetime.combine(day, time(0), tzinfo=calendar.timezone).astimezone(UTC)


def _governing_deadlines() -> QuerySet[StageDeadline]:
    """The dated deadlines of each disagreement's stage in progress, as they stand (``OuterRef("pk")``)."""
    return (
        StageDeadline.objects.filter(
            stage_run__disagreement=OuterRef("pk"),
            stage_run__ended_at__isnull=True,
            due__isnull=False,
            replaced_at__isnull=True,
        )
        .exclude(StageDeadline.shortened_for_case())
        .order_by("due", "id")
    )


def _check(filters: ListFilters) -> None:
    if filters.status not in LIST_STATUSES:
        raise ResolveError(_("Choose open, closed, resolved, withdrawn or all disagreements to show."), field="status")
    if filters.due and filters.due not in DUE_FILTERS:
        raise ResolveError(_("Choose overdue, due today or due this week, or any time."), field="due")
    if filters.sort not in LIST_SORTS:
        raise ResolveError(_("Choose how to sort the disagreements from the list."), field="sort")
    if len(filters.q) > SEARCH_MAX_LENGTH:
        raise ResolveError(
            _("Enter a reference of %(most)s characters or fewer.") % {"most": SEARCH_MAX_LENGTH},
            field="q",
        )


def disagreement_page_for(
    *, person: Person, filters: ListFilters, page: str | int | None, now: datetime | None = None
) -> DisagreementPage:
    """One page (50 rows) of the disagreements the person may see, narrowed by ``filters``.

    The rows shown are logged once: one VIEWED entry naming the disagreements and children on the page.
    A page number out of range gives the nearest page; a bad filter is refused before anything is read.
    The number of queries is the same whatever the number of rows (the stage and deadline are subqueries).
    """
    _check(filters)
    now = now or timezone.now()
    status = {"all": None, CLOSED: None}.get(filters.status, filters.status)
    rows = disagreement_list_for(person=person, status=status)
    if filters.status == CLOSED:
        rows = rows.exclude(status=Disagreement.Status.OPEN)
    latest = StageRun.objects.filter(disagreement=OuterRef("pk")).order_by("-position")
    rows = rows.annotate(
        stage_name=Subquery(latest.values("name")[:1]),
        stage_slug=Subquery(latest.values("stage")[:1]),
        next_due=Subquery(_governing_deadlines().values("due")[:1]),
        next_what=Subquery(_governing_deadlines().values("what")[:1]),
        next_rule=Subquery(_governing_deadlines().values("rule")[:1]),
    )
    if filters.q:
        rows = rows.filter(Q(reference__icontains=filters.q.strip()) | Q(child__reference__icontains=filters.q.strip()))
    if filters.agency is not None:
        disputed = Disagreement.other_agencies.through.objects.filter(agency_id=filters.agency)
        rows = rows.filter(Q(raising_agency=filters.agency) | Q(pk__in=disputed.values("disagreement_id")))
    if filters.stage:
        pathway, _dot, stage = filters.stage.partition(".")
        rows = rows.filter(pathway=pathway, stage_slug=stage)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.due:
        calendar = calendar_for(person.partnership)
        window = {
            "overdue": Q(due__lt=now),
            "today": Q(due__gte=now, due__lt=_day_end(calendar, now)),
            "week": Q(due__gte=now, due__lt=_day_end(calendar, now, 6 - calendar.local_date(now).weekday())),
        }[filters.due]
        rows = rows.filter(Exists(_governing_deadlines().filter(window)))
    order: list[str | OrderBy] = {
        "raised": ["-raised_at"],
        "raised-oldest": ["raised_at"],
        "deadline": [F("next_due").asc(nulls_last=True), "-raised_at"],
        "reference": ["reference"],
    }[filters.sort]  # type: ignore[assignment]
    rows = rows.order_by(*order, "pk")  # a stable order, so that no row is on two pages or none
    shown = Paginator(cast("QuerySet[Disagreement]", rows), LIST_PAGE_SIZE).get_page(1 if filters.q else page)
    list_viewed(person=person, listing="disagreements", disagreements=list(shown.object_list))
    return DisagreementPage(filters=filters, page=shown, searched=bool(filters.q))


# My work ----------------------------------------------------------------------------------------------

#: how many closed disagreements My work shows (the list page has them all)
CLOSED_SHOWN = 10


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
    """A person's work, in the lists My work shows; each disagreement at most once in each list.

    ``overdue``, ``due_today`` and ``due_next`` (by the end of the next working day, after today) each
    show the earliest deadline of the stage in progress that falls in them; the other lists show the
    next deadline. ``open`` is every open disagreement the person may see; ``others`` those of them in
    none of the person's own lists (handled, raised, seen as a manager), so nothing open is left out.
    """

    open: list[WorkItem]
    overdue: list[WorkItem] = field(default_factory=list)
    due_today: list[WorkItem] = field(default_factory=list)
    due_next: list[WorkItem] = field(default_factory=list)
    #: a current written outcome that the person's agency, a party, has not confirmed
    awaiting_confirmation: list[WorkItem] = field(default_factory=list)
    #: the person has the authority of the stage in progress, or was added as a handler of it
    handling: list[WorkItem] = field(default_factory=list)
    raised: list[WorkItem] = field(default_factory=list)
    #: seen because someone the person line-manages (at any depth) takes part, and the person does not
    managed: list[WorkItem] = field(default_factory=list)
    others: list[WorkItem] = field(default_factory=list)
    #: the most recently closed (resolved or withdrawn), at most ``CLOSED_SHOWN``, of ``closed_total``
    closed: list[WorkItem] = field(default_factory=list)
    closed_total: int = 0
    #: the person holds a partnership role, so My work links to the oversight page
    oversight: bool = False
    #: the procedure's out-of-hours contacts, when the list is read outside working hours
    out_of_hours: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class _Bulk:
    """What each row's lists need, read for all the rows at once (a fixed number of queries)."""

    parties: dict[UUID, set[UUID]]
    takes_part: dict[UUID, set[tuple[UUID, str, UUID | None]]]
    requested: dict[UUID, set[str]]
    unconfirmed: set[UUID]


def _bulk(person: Person, disagreements: list[Disagreement], runs: dict[UUID, StageRun]) -> _Bulk:
    parties: dict[UUID, set[UUID]] = {d.pk: {d.raising_agency_id} for d in disagreements}
    for disagreement_id, agency_id in Disagreement.other_agencies.through.objects.filter(
        disagreement__in=disagreements
    ).values_list("disagreement_id", "agency_id"):
        parties[disagreement_id].add(agency_id)
    takes_part: dict[UUID, set[tuple[UUID, str, UUID | None]]] = {d.pk: set() for d in disagreements}
    for disagreement_id, person_id, capacity, run_id in Participant.objects.filter(
        disagreement__in=disagreements
    ).values_list("disagreement_id", "person_id", "capacity", "stage_run_id"):
        takes_part[disagreement_id].add((person_id, capacity, run_id))
    # as rules.requested_roles: the on-request roles requested at the run, as first written
    requested: dict[UUID, set[str]] = {}
    for run_id, data in RecordEntry.objects.filter(
        stage_run__in=runs.values(), kind=RecordEntry.Kind.WRITTEN_REQUEST, corrects__isnull=True
    ).values_list("stage_run_id", "data"):
        if data.get("requested_role"):
            requested.setdefault(run_id, set()).add(str(data["requested_role"]))
    # as the policy's _outcome_waiting_for: the run's latest written outcome, not confirmed by the agency
    unconfirmed: set[UUID] = set()
    if person.agency_id is not None:
        latest: dict[UUID, bool] = {}
        for run_id, mine in (
            WrittenOutcome.objects.filter(stage_run__in=runs.values())
            .annotate(mine=Exists(Confirmation.objects.filter(outcome=OuterRef("pk"), agency_id=person.agency_id)))
            .order_by("-proposed_at")
            .values_list("stage_run_id", "mine")
        ):
            latest.setdefault(run_id, mine)
        unconfirmed = {run_id for run_id, mine in latest.items() if not mine}
    return _Bulk(parties, takes_part, requested, unconfirmed)


def _handles(person: Person, held: set[str], run: StageRun, bulk: _Bulk) -> bool:
    """The policy's ``handles_stage``, from what ``_bulk`` read, so that the list costs no query a row."""
    disagreement = run.disagreement
    handlers = rules.stage_of(run).handlers
    if held & set(handlers.roles) or held & set(handlers.on_request) & bulk.requested.get(run.pk, set()):
        return True
    if person.agency_id is None or person.agency_id not in bulk.parties[disagreement.pk]:
        return False
    level = rules.acting_level(disagreement, run, person.agency)
    return level is None or (person.level is not None and person.level >= level)


def work_for(*, person: Person, now: datetime | None = None) -> WorkList:
    """The person's work, in the lists My work shows (see ``WorkList``).

    The dashboard shows these with each child's reference, so the read is logged: one VIEWED entry
    naming the disagreements and children shown (identifiers only), not one per row. The number of
    queries does not grow with the number of disagreements.
    """
    now = now or timezone.now()
    calendar = calendar_for(person.partnership)
    today_ends = _day_end(calendar, now)
    horizon = calendar.next_working_day(now)
    disagreements = list(disagreement_list_for(person=person))
    closed_rows = disagreement_list_for(person=person, status=None).exclude(status=Disagreement.Status.OPEN)
    closed = list(closed_rows.order_by(F("closed_at").desc(nulls_last=True), "-raised_at", "pk")[:CLOSED_SHOWN])
    closed_total = closed_rows.count()  # counted even when few, so that the queries made do not vary
    runs = {
        r.disagreement_id: r for r in StageRun.objects.filter(disagreement__in=disagreements, ended_at__isnull=True)
    }
    last_runs: dict[UUID, StageRun] = {}
    for r in StageRun.objects.filter(disagreement__in=closed).order_by("-position"):
        last_runs.setdefault(r.disagreement_id, r)
    deadlines: dict[object, list[StageDeadline]] = {}
    for d in (
        StageDeadline.objects.filter(stage_run__in=runs.values(), due__isnull=False, replaced_at__isnull=True)
        .exclude(StageDeadline.shortened_for_case())  # a cap gives way to the earlier date set for the case
        .order_by("due", "id")
    ):
        deadlines.setdefault(d.stage_run_id, []).append(d)
    instructions: dict[object, list[StageDeadline]] = {}
    for d in StageDeadline.objects.filter(
        stage_run__in=runs.values(), kind=StageDeadline.Kind.INSTRUCTION, replaced_at__isnull=True
    ).order_by("id"):
        instructions.setdefault(d.stage_run_id, []).append(d)
    bulk = _bulk(person, disagreements, runs)
    held = roles_held(person, person.partnership_id)
    below = people_managed_by(person)
    work = WorkList(open=[], oversight=bool(held), closed_total=closed_total)
    for disagreement in disagreements:
        run = runs[disagreement.pk]
        run.disagreement = disagreement  # read once, with its procedure, for every rule below
        dated = deadlines.get(run.pk, [])
        procedure = rules.procedure_of(disagreement)

        def item(deadline: StageDeadline | None, told: tuple[StageDeadline, ...] = ()) -> WorkItem:
            return WorkItem(disagreement, run, deadline, told, _after_hours(procedure, deadline, calendar))  # noqa: B023

        first = item(dated[0] if dated else None, tuple(instructions.get(run.pk, [])))
        work.open.append(first)
        for bucket, falls in (
            (work.overdue, lambda due: due < now),
            (work.due_today, lambda due: now <= due < today_ends),
            (work.due_next, lambda due: today_ends <= due <= horizon),
        ):
            earliest = next((d for d in dated if d.due is not None and falls(d.due)), None)
            if earliest is not None:
                bucket.append(item(earliest))
        taking_part = bulk.takes_part[disagreement.pk]
        mine = {capacity for who, capacity, _ in taking_part if who == person.pk}
        own = False
        if person.agency_id in bulk.parties[disagreement.pk] and run.pk in bulk.unconfirmed:
            work.awaiting_confirmation.append(first)
        if _handles(person, held, run, bulk) or (person.pk, Participant.Capacity.HANDLER, run.pk) in taking_part:
            work.handling.append(first)
            own = True
        if disagreement.raised_by_id == person.pk or Participant.Capacity.RAISER in mine:
            work.raised.append(first)
            own = True
        if not mine and any(who in below for who, _, _ in taking_part):
            work.managed.append(first)
            own = True
        if not own:
            work.others.append(first)
    for disagreement in closed:
        work.closed.append(WorkItem(disagreement, last_runs[disagreement.pk], None))
    list_viewed(person=person, listing="dashboard", disagreements=[*disagreements, *closed])
    version = person.partnership.procedure
    now_contacts = out_of_hours_contacts(version.procedure, now, calendar=calendar) if version else ()
    return replace(work, out_of_hours=now_contacts)


# Oversight --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OversightList:
    """The disagreements that reached a stage the person's partnership roles handle."""

    #: the names of the roles the person holds, and of the stages those roles handle
    roles: list[str]
    stages: list[str]
    page: Page[Disagreement]


def oversight_for(*, person: Person, page: str | int | None = None) -> OversightList:
    """For someone holding a partnership role: the disagreements they see that reached their roles' stages.

    Those of their own partnership, and cross-borough ones raised in another partnership that name
    one of theirs, once they reach a stage the raising procedure gives a role that theirs matches
    (the access policy's ``stages_reached_by_roles_of``).

    Open ones first, then the most recently raised. Anyone holding no role is told "not found" (the page
    does not exist for them). The rows shown are logged once, as a list.
    """
    held = roles_held(person, person.partnership_id)
    version = person.partnership.procedure
    if not held or version is None or not person.is_active:
        raise NotFound(_("There is no such page."))
    procedure = version.procedure
    roles = [r.name for r in procedure.roles if r.slug in held]
    stages = [
        s.name
        for pathway in procedure.pathways
        for s in pathway.stages
        if held & (set(s.handlers.roles) | set(s.handlers.on_request))
    ]
    # and, in a cross-borough case raised elsewhere, the stages the raising procedure gives the roles these match
    reached = stages_reached_by_roles_of(person, on_request=True)
    latest = StageRun.objects.filter(disagreement=OuterRef("pk")).order_by("-position").values("name")[:1]
    rows: QuerySet[Disagreement] = (
        disagreement_list_for(person=person, status=None)
        .filter(reached)
        .annotate(
            stage_name=Subquery(latest),
            closed=Case(When(status=Disagreement.Status.OPEN, then=Value(0)), default=Value(1)),
        )
        .order_by("closed", "-raised_at", "pk")
    )
    shown = Paginator(rows, LIST_PAGE_SIZE).get_page(page)
    list_viewed(person=person, listing="oversight", disagreements=list(shown.object_list))
    return OversightList(roles=roles, stages=stages, page=shown)


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
    comes from the seniority matrix of the disagreement's own procedure version, as its partnership
    has corrected it (``matrix_titles_for``), for the agency's column at the level found.
    """
    return counterparts_at(
        disagreement=disagreement_get(person=person, pk=disagreement.pk), person=person, upcoming=upcoming
    )


def counterparts_at(*, disagreement: Disagreement, person: Person, upcoming: bool = False) -> list[Counterpart]:
    """``counterparts_for`` for a disagreement the page has already read with ``disagreement_get``.

    The read is logged once, by that call; a page that shows the counterparts beside its own read
    (the escalate page) uses this, so that one page view is one VIEWED entry.
    """
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
    matrix = matrix_titles_for(partnership=disagreement.partnership_id, procedure=rules.procedure_of(disagreement))
    result = []
    agencies = Agency.objects.filter(pk__in=parties).order_by("name")
    if person.agency_id is not None:
        agencies = agencies.exclude(pk=person.agency_id)
    for agency in agencies:
        # each agency at its own level where the stage gives one per agency (Enfield stage 2, Appendix B)
        level = handlers.level_for(agency.matrix_agency) or handlers.level
        result.append(counterparts_in(agency=agency, level=level, matrix=matrix))
    return result


@dataclass(frozen=True)
class NoticeShown:
    """What someone told of a disagreement sees: the notice, never the child's record.

    ``reference`` is the disagreement's short reference (NEL-2026-0042), to quote on the telephone;
    there is no child detail here (no name, birth date or the child's own reference), because being
    told is not taking part, and no link, since the notice does not open the record.
    """

    notice: int
    reference: str
    stage: str
    what: str
    timing: str
    form: str
    source: str
    created_at: datetime


#: the kinds of notice whose source is a line of the procedure (the others are Resolve's own events)
SOURCED = frozenset({Notice.Kind.PROCEDURE, Notice.Kind.DEADLINE_COMING, Notice.Kind.DEADLINE_MISSED})


def notices_for(*, person: Person) -> list[NoticeShown]:
    """The notices sent to the person, newest first.

    By its recipients, not by the role it was addressed to: a notice for a role "within their
    organisation" went to one agency's holders only, and advice that is offered (Peterborough L36)
    went to the raiser, not to the role's holders; other holders of the role were not told.
    """
    if not person.is_active:
        return []
    # the person's partnership's disagreements, and cross-borough ones naming one of its agencies
    notices = (
        Notice.objects.filter(disagreement__in=involving_partnership(person.partnership_id))
        .filter(recipients=person)
        .select_related("stage_run", "disagreement")
        .distinct()
        .order_by("-created_at", "-id")
    )
    return [
        NoticeShown(
            notice=n.pk,
            reference=n.disagreement.reference,
            stage=n.stage_run.name if n.stage_run is not None else "",
            what=n.what,
            timing=n.timing,
            form=n.form,
            source=n.source if n.kind in SOURCED else "",  # a line of the procedure, not Resolve's own name
            created_at=n.created_at,
        )
        for n in notices
    ]
