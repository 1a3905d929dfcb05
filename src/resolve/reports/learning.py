"""The learning log: wider learning recorded at resolution, themes over time, and what was done about each.

Enfield asks that learning from a disagreement be identified and fed back into practice (L82-86),
Cumbria that the partnership learns from how disagreements were resolved (L41). So:

- ``learning_record``: whoever handles a disagreement's latest stage, or resolved it, records a gap
  in policy or procedure, a training need, other wider learning and themes from the partnership's
  list (``partnerships.themes``); while it is open and after it is resolved, never once withdrawn.
  Append-only: a second entry adds to the first.
- ``themes_over_time``, ``learning_entries``, ``responses_by_theme``: what the business unit reads
  (``reports.access.oversight_check`` first), each a fixed number of queries whatever the data.
- ``learning_response_record``: what the practice-improvement group did about a theme, recorded by
  an overseer who is a person (an administrator's account with no person reads, but cannot record).

Audit entries carry identifiers and field names only: never the words recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.access.policy import Action, disagreements_visible_to, require
from resolve.access.refusals import service
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event, event_record
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements.models import Disagreement
from resolve.disagreements.services.guards import lock, optional_text, required_text
from resolve.partnerships.models import LearningTheme, Partnership, Person
from resolve.reports.access import oversight_check
from resolve.reports.models import LearningEntry, LearningResponse

#: the longest text of one field of learning or of a response: about two pages
LEARNING_TEXT_LIMIT = 5000
#: the longest period the log counts over, in days: ten years
LONGEST_PERIOD = 3660

TEXT_FIELDS = ("policy_gap", "training_need", "note")


# --- recording ---------------------------------------------------------------------------------------


def _theme_ids(values: object) -> list[int]:
    if values is None:
        return []
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ResolveError(_("Choose the themes from the list."), field="theme_ids")
    ids: list[int] = []
    for given in values:
        value = given.pk if isinstance(given, LearningTheme) else given
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
            raise ResolveError(_("Choose the themes from the list."), field="theme_ids")
        if int(value) not in ids:
            ids.append(int(value))
    return ids


@service
def learning_record(
    *,
    disagreement: Disagreement,
    by: Person,
    policy_gap: str = "",
    training_need: str = "",
    note: str = "",
    theme_ids: Iterable[object] = (),
) -> LearningEntry:
    """Add wider learning to the disagreement: at least one of a policy gap, a training need, a note or a theme."""
    disagreement = lock(disagreement)
    require(by, Action.RECORD_LEARNING, disagreement)
    if disagreement.status == Disagreement.Status.WITHDRAWN:
        raise Refused(_("This disagreement was withdrawn: there is no resolution to record wider learning from."))
    texts = {
        "policy_gap": optional_text(
            policy_gap, "policy_gap", _("the gap in policy or procedure"), limit=LEARNING_TEXT_LIMIT
        ),
        "training_need": optional_text(
            training_need, "training_need", _("the training need"), limit=LEARNING_TEXT_LIMIT
        ),
        "note": optional_text(note, "note", _("the other wider learning"), limit=LEARNING_TEXT_LIMIT),
    }
    ids = _theme_ids(theme_ids)
    themes = list(
        LearningTheme.objects.filter(partnership=disagreement.partnership_id, pk__in=ids, retired_at__isnull=True)
    )
    if len(themes) != len(ids):
        raise ResolveError(
            _("Choose themes from the partnership's list: one chosen is retired or not the partnership's."),
            field="theme_ids",
        )
    if not ids and not any(texts.values()):
        raise ResolveError(
            _(
                "Record at least one of: a gap in policy or procedure, a training need, other wider learning "
                "or a theme."
            ),
            field="policy_gap",
        )
    now = timezone.now()
    entry = LearningEntry.objects.create(
        partnership_id=disagreement.partnership_id,
        disagreement=disagreement,
        recorded_by=by,
        recorded_at=now,
        **texts,
    )
    entry.themes.set(themes)
    disagreement_event(
        disagreement,
        Verb.LEARNING_RECORDED,
        by=by,
        at=now,
        entry=str(entry.pk),
        themes=sorted(ids),
        fields=[name for name in TEXT_FIELDS if texts[name]],
    )
    return entry


def learning_of(disagreement: Disagreement) -> list[LearningEntry]:
    """The learning recorded for one disagreement, oldest first, with its themes and who recorded it (2 queries).

    For the disagreement's page, which has already checked that the person sees the disagreement.
    """
    return list(
        LearningEntry.objects.filter(disagreement=disagreement)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("themes", queryset=LearningTheme.objects.order_by("name", "pk")))
        .order_by("recorded_at", "pk")
    )


@transaction.atomic
def learning_response_record(
    *, user: Any, partnership: Partnership, theme_id: object, kind: str, text: str
) -> LearningResponse:
    """What the practice-improvement group did about one of the partnership's themes, as an overseer records it."""
    overseer = oversight_check(user=user, partnership=partnership)
    if overseer.person is None:
        raise Refused(
            _(
                "Your account is not one of the partnership's people, so it can read the learning log but not record "
                "what the group did: ask someone in the business unit to record it."
            )
        )
    theme = (
        LearningTheme.objects.select_for_update().filter(partnership=partnership, pk=theme_id).first()
        if isinstance(theme_id, int) and not isinstance(theme_id, bool)
        else None
    )
    if theme is None:
        raise NotFound(_("There is no such learning theme in this partnership."), field="theme")
    if kind not in LearningResponse.Kind.values:
        raise ResolveError(_("Choose what the group did."), field="kind")
    words = required_text(text, "text", _("what the group did or decided"), limit=LEARNING_TEXT_LIMIT)
    now = timezone.now()
    response = LearningResponse.objects.create(
        partnership=partnership, theme=theme, kind=kind, text=words, recorded_by=overseer.person, recorded_at=now
    )
    event_record(
        verb=Verb.LEARNING_RESPONSE_RECORDED,
        partnership=partnership,
        actor=overseer.person,
        at=now,
        data={"response": str(response.pk), "theme": theme.pk, "kind": kind},
    )
    return response


# --- reading -----------------------------------------------------------------------------------------


def period_checked(start: object, end: object) -> tuple[date, date]:
    """A period of whole days, ``start`` to ``end`` inclusive, at most ten years long."""
    if isinstance(start, datetime) or not isinstance(start, date):
        raise ResolveError(_("Enter the start of the period as a date."), field="start")
    if isinstance(end, datetime) or not isinstance(end, date):
        raise ResolveError(_("Enter the end of the period as a date."), field="end")
    if end < start:
        raise ResolveError(_("The end of the period must be the same as or after its start."), field="end")
    if (end - start).days > LONGEST_PERIOD:
        raise ResolveError(_("Choose a period of at most ten years."), field="start")
    return start, end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as aware datetimes in UK time: from the start's midnight to the midnight after the end."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def quarters_between(start: date, end: date) -> list[tuple[int, int]]:
    """The calendar quarters (year, 1-4) the period touches, in order."""
    found = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while (year, quarter) <= (end.year, (end.month - 1) // 3 + 1):
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def quarter_label(year: int, quarter: int) -> str:
    months = {1: _("Jan to Mar"), 2: _("Apr to Jun"), 3: _("Jul to Sep"), 4: _("Oct to Dec")}
    return f"{months[quarter]} {year}"


@dataclass(frozen=True)
class ThemeRow:
    theme: LearningTheme
    counts: list[int]  # one per quarter, in the order of ``ThemesOverTime.quarters``
    total: int


@dataclass(frozen=True)
class ThemesOverTime:
    """How many disagreements had learning recorded under each theme, per calendar quarter of the period."""

    start: date
    end: date
    quarters: list[tuple[int, int]]
    labels: list[str]
    rows: list[ThemeRow]
    #: disagreements with any learning recorded in each quarter, themed or not
    disagreements: list[int]


def themes_over_time(*, user: Any, partnership: Partnership, start: date, end: date) -> ThemesOverTime:
    """Per theme and per quarter, the disagreements whose learning recorded in the period names the theme.

    Counted by disagreement, not by entry (two entries naming one theme for one case count once), in
    the quarter the learning was recorded (UK time). Every theme the partnership keeps has a row; a
    retired one only if something in the period names it. Three queries, whatever the data.
    """
    oversight_check(user=user, partnership=partnership)
    start, end = period_checked(start, end)
    since, until = _bounds(start, end)
    quarters = quarters_between(start, end)
    position = {q: i for i, q in enumerate(quarters)}
    through: Any = LearningEntry.themes.through  # the themes' join table: one row per entry and theme
    counted = (
        through.objects.filter(
            learningentry__partnership=partnership,
            learningentry__recorded_at__gte=since,
            learningentry__recorded_at__lt=until,
        )
        .annotate(year=ExtractYear("learningentry__recorded_at"), quarter=ExtractQuarter("learningentry__recorded_at"))
        .values("learningtheme_id", "year", "quarter")
        .annotate(n=Count("learningentry__disagreement_id", distinct=True))
        .order_by()
    )
    totals = (
        through.objects.filter(
            learningentry__partnership=partnership,
            learningentry__recorded_at__gte=since,
            learningentry__recorded_at__lt=until,
        )
        .values("learningtheme_id")
        .annotate(n=Count("learningentry__disagreement_id", distinct=True))
        .order_by()
    )
    by_theme: dict[int, list[int]] = {}
    for row in counted:
        where = position.get((row["year"], row["quarter"]))
        if where is not None:
            by_theme.setdefault(row["learningtheme_id"], [0] * len(quarters))[where] = row["n"]
    total_of = {row["learningtheme_id"]: row["n"] for row in totals}
    rows = [
        ThemeRow(theme=theme, counts=by_theme.get(theme.pk, [0] * len(quarters)), total=total_of.get(theme.pk, 0))
        for theme in LearningTheme.objects.filter(partnership=partnership).order_by("name", "pk")
        if theme.retired_at is None or theme.pk in total_of
    ]
    per_quarter = (
        LearningEntry.objects.filter(partnership=partnership, recorded_at__gte=since, recorded_at__lt=until)
        .annotate(year=ExtractYear("recorded_at"), quarter=ExtractQuarter("recorded_at"))
        .values("year", "quarter")
        .annotate(n=Count("disagreement_id", distinct=True))
        .order_by()
    )
    disagreements = [0] * len(quarters)
    for row in per_quarter:
        where = position.get((row["year"], row["quarter"]))
        if where is not None:
            disagreements[where] = row["n"]
    return ThemesOverTime(
        start=start,
        end=end,
        quarters=quarters,
        labels=[quarter_label(*q) for q in quarters],
        rows=rows,
        disagreements=disagreements,
    )


@dataclass(frozen=True)
class EntryShown:
    """One piece of learning for the log: the case's reference, and whether the viewer may open the case."""

    entry: LearningEntry
    reference: str
    disagreement_id: UUID
    may_open: bool
    themes: list[LearningTheme] = field(default_factory=list)


def learning_entries(*, user: Any, partnership: Partnership, start: date, end: date) -> list[EntryShown]:
    """The policy gaps, training needs and other learning recorded in the period, newest first.

    Each names the disagreement by its reference, never the child; ``may_open`` only where the
    viewer sees the disagreement (``policy.disagreements_visible_to``), so that the page links only
    those. The number of queries does not grow with the entries.
    """
    overseer = oversight_check(user=user, partnership=partnership)
    start, end = period_checked(start, end)
    since, until = _bounds(start, end)
    entries = list(
        LearningEntry.objects.filter(partnership=partnership, recorded_at__gte=since, recorded_at__lt=until)
        .filter(~Q(policy_gap="") | ~Q(training_need="") | ~Q(note=""))
        .select_related("disagreement")
        .prefetch_related(Prefetch("themes", queryset=LearningTheme.objects.order_by("name", "pk")))
        .order_by("-recorded_at", "-pk")
    )
    visible: set[UUID] = set()
    if overseer.person is not None and entries:
        visible = set(
            disagreements_visible_to(overseer.person)
            .filter(pk__in={e.disagreement_id for e in entries})
            .values_list("pk", flat=True)
        )
    return [
        EntryShown(
            entry=e,
            reference=e.disagreement.reference,
            disagreement_id=e.disagreement_id,
            may_open=e.disagreement_id in visible,
            themes=list(e.themes.all()),
        )
        for e in entries
    ]


@dataclass(frozen=True)
class ThemeResponses:
    theme: LearningTheme
    responses: list[LearningResponse]


def responses_by_theme(*, user: Any, partnership: Partnership) -> list[ThemeResponses]:
    """Every theme of the partnership with what the group did about it, newest first (two queries)."""
    oversight_check(user=user, partnership=partnership)
    themes = LearningTheme.objects.filter(partnership=partnership).prefetch_related(
        Prefetch(
            "responses",
            queryset=LearningResponse.objects.filter(partnership=partnership)
            .select_related("recorded_by")
            .order_by("-recorded_at", "-pk"),
        )
    )
    return [
        ThemeResponses(theme=t, responses=list(t.responses.all()))
        for t in themes.order_by("name", "pk")
        if t.retired_at is None or t.responses.all()
    ]


def response_theme(*, user: Any, partnership: Partnership, theme_id: object) -> LearningTheme:
    """The theme a response is about, for the respond page: the partnership's own, else NotFound."""
    oversight_check(user=user, partnership=partnership)
    found = (
        LearningTheme.objects.filter(partnership=partnership, pk=theme_id).first()
        if isinstance(theme_id, int) and not isinstance(theme_id, bool)
        else None
    )
    if found is None:
        raise NotFound(_("There is no such learning theme in this partnership."), field="theme")
    return found


@dataclass(frozen=True)
class LearningLog:
    """The learning log's page in one read: the themes over time, the learning recorded, the responses."""

    over_time: ThemesOverTime
    entries: list[EntryShown]
    responses: list[ThemeResponses]
    #: False for an administrator's account with no person: it reads, but cannot record a response
    may_respond: bool


def learning_log(*, user: Any, partnership: Partnership, start: date, end: date) -> LearningLog:
    """Everything the learning log shows for the period (each part checks who asks again)."""
    overseer = oversight_check(user=user, partnership=partnership)
    return LearningLog(
        over_time=themes_over_time(user=user, partnership=partnership, start=start, end=end),
        entries=learning_entries(user=user, partnership=partnership, start=start, end=end),
        responses=responses_by_theme(user=user, partnership=partnership),
        may_respond=overseer.person is not None,
    )


def default_period(today: date) -> tuple[date, date]:
    """The last four calendar quarters, this one included: from the start of the quarter three before, to today."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _step in range(3):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return date(year, 3 * (quarter - 1) + 1, 1), today
