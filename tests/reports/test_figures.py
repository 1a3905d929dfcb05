"""The dashboard's figures, against a dataset built here: two partnerships, known times, deadlines met and missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements.models import Child, Disagreement, StageDeadline, StageRun
from resolve.partnerships.models import Agency, Partnership, Person
from resolve.procedures.models import ProcedureVersion
from resolve.reports import figures
from resolve.reports.figures import FIGURES, Scope, dashboard, disagreement_rows, scope_for
from tests.factories import AgencyFactory, ChildFactory, PartnershipFactory, PersonFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
STAGES = ("Stage 1", "Stage 2", "Stage 3")
#: the scope's "now" in the dataset: after the period's last disagreement, before Stage 3's due time
NOW = datetime(2025, 6, 20, 12, 0, tzinfo=UTC)
START, END = date(2025, 1, 1), date(2025, 6, 30)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class World:
    a: Partnership
    b: Partnership
    agencies: dict[str, Agency]
    by: Person
    child: Child
    count: int = 0

    def make(
        self,
        *,
        raised: str,
        by: str = "School",
        to: tuple[str, ...] = ("Police",),
        category: str = "course-of-action",
        stages: tuple[tuple[str, str | None, str | None], ...] = (),
        status: str = "open",
        closed: str | None = None,
        days: int | None = None,
        partnership: Partnership | None = None,
    ) -> Disagreement:
        """A disagreement with its stage runs: (started, ended, due) for each stage in turn."""
        p = partnership or self.a
        self.count += 1
        d = Disagreement.objects.create(
            partnership=p,
            reference=f"T-2025-{self.count:04d}",
            procedure_version=version(p),
            pathway="escalation",
            category=category,
            child=self.child if p == self.a else ChildFactory.create(partnership=p),
            raised_by=self.by,
            raising_agency=self.agencies[by] if p == self.a else AgencyFactory.create(partnership=p, name=f"B {by}"),
            expected="x",
            why="the concern text, never exported",
            what_needed="y",
            raised_at=utc(raised),
            status=status,
            closed_at=utc(closed) if closed else None,
            working_days_taken=days,
        )
        d.other_agencies.set(
            [self.agencies[n] for n in to] if p == self.a else [AgencyFactory.create(partnership=p, name="B Other")]
        )
        for i, (started, ended, due) in enumerate(stages or ((raised, closed, None),)):
            run = StageRun.objects.create(
                disagreement=d,
                stage=f"stage-{i + 1}",
                name=STAGES[i],
                position=i,
                entry=StageRun.Entry.RAISED if i == 0 else StageRun.Entry.ESCALATED,
                started_at=utc(started),
                started_by=self.by,
                ended_at=utc(ended) if ended else None,
                outcome=("escalated" if i + 1 < len(stages) else "") if ended else "",
            )
            if due:
                StageDeadline.objects.create(
                    stage_run=run,
                    timescale="test",
                    what="respond",
                    due=utc(due),
                    rule="test rule",
                    source="test",
                    computed_at=utc(started),
                )
        return d


def version(p: Partnership) -> ProcedureVersion:
    assert p.procedure is not None
    return p.procedure


def world() -> World:
    a = PartnershipFactory.create(slug="alpha", name="Alpha")
    b = PartnershipFactory.create(slug="beta", name="Beta")
    agencies = {n: AgencyFactory.create(partnership=a, name=n) for n in ("School", "Police", "Health")}
    by = PersonFactory.create(agency=agencies["School"])
    return World(a, b, agencies, by, ChildFactory.create(partnership=a, reference="CHILD-SECRET", name="Alex Secret"))


def dataset(w: World) -> dict[str, Disagreement]:
    """Five raised in the first half of 2025, one closed in it that was raised before, one still open, one after."""
    found = {
        "d1": w.make(
            raised="2025-01-10T10:00",
            stages=(("2025-01-10T10:00", "2025-01-20T10:00", "2025-01-12T17:00"),),
            status="resolved",
            closed="2025-01-20T10:00",
            days=6,
        ),
        "d2": w.make(
            raised="2025-01-15T10:00",
            to=("Police", "Health"),
            stages=(
                ("2025-01-15T10:00", "2025-01-25T10:00", "2025-01-20T17:00"),
                ("2025-01-25T10:00", "2025-02-10T10:00", "2025-02-15T17:00"),
            ),
            status="resolved",
            closed="2025-02-10T10:00",
            days=18,
        ),
        "d3": w.make(
            raised="2025-02-03T10:00",
            by="Police",
            to=("Health",),
            category="threshold-referral",
            status="withdrawn",
            closed="2025-02-05T10:00",
            days=2,
        ),
        "d4": w.make(
            raised="2025-03-01T10:00",
            by="Health",
            to=("School",),
            stages=(
                ("2025-03-01T10:00", "2025-03-05T10:00", None),
                ("2025-03-05T10:00", "2025-03-10T10:00", "2025-03-08T17:00"),
                ("2025-03-10T10:00", None, "2025-06-25T17:00"),
            ),
        ),
        # 23:30 UTC on 31 March is 00:30 on 1 April in London (BST): April's
        "d5": w.make(
            raised="2025-03-31T23:30",
            to=("Health",),
            category="action-not-completed",
            stages=(("2025-03-31T23:30", "2025-04-30T10:00", "2025-05-10T17:00"),),
            status="resolved",
            closed="2025-04-30T10:00",
            days=20,
        ),
        "d6": w.make(raised="2024-12-01T10:00", status="resolved", closed="2025-01-05T10:00", days=23),
        "d7": w.make(raised="2024-11-01T10:00"),
        "d8": w.make(raised="2025-07-05T10:00", stages=(("2025-07-05T10:00", None, "2025-07-07T17:00"),)),
        # the other partnership's: never in Alpha's figures
        "b1": w.make(
            raised="2025-02-01T10:00",
            partnership=w.b,
            status="resolved",
            closed="2025-02-02T10:00",
            days=1,
            stages=(("2025-02-01T10:00", "2025-02-02T10:00", "2025-02-01T17:00"),),
        ),
    }
    return found


def scope(w: World, start: date = START, end: date = END, now: datetime = NOW) -> Scope:
    return Scope(partnership_ids=(w.a.pk,), start=start, end=end, now=now)


def rows(breakdown: Any) -> list[tuple[str, int]]:
    return [(r.label, r.count) for r in breakdown.rows]


def test_every_figure_counts_the_partnerships_own_disagreements_in_the_period() -> None:
    w = world()
    dataset(w)
    dash = dashboard(scope(w))
    enfield = version(w.a).procedure
    names = {c.slug: c.name for c in enfield.categories}

    assert (dash.totals.raised, dash.totals.resolved, dash.totals.withdrawn, dash.totals.open_at_end) == (5, 4, 1, 2)
    assert dash.totals.closed == 5
    assert rows(dash.by_stage) == [("Stage 1", 3), ("Stage 2", 1), ("Stage 3", 1)]
    assert rows(dash.by_raising_agency) == [("School", 3), ("Health", 1), ("Police", 1)]
    assert rows(dash.by_receiving_agency) == [("Health", 3), ("Police", 2), ("School", 1)]
    assert not dash.by_receiving_agency.adds_up
    assert rows(dash.by_category) == [
        (names["course-of-action"], 3),
        (names["action-not-completed"], 1),
        (names["threshold-referral"], 1),
    ]
    # working days of the five closed in the period: 2, 6, 18, 20, 23
    s = dash.time_to_resolution
    assert (s.count, s.median, s.lower_quartile, s.upper_quartile, s.shortest, s.longest) == (5, 18, 6, 20, 2, 23)
    assert [(r.label, r.met, r.missed, r.pending) for r in dash.deadlines_by_stage.rows] == [
        ("Stage 1", 1, 2, 0),
        ("Stage 2", 1, 1, 0),
        ("Stage 3", 0, 0, 1),
    ]
    assert rows(dash.escalations) == [("Stage 2", 2), ("Stage 3", 1)]
    assert [(m.month, m.raised, m.closed) for m in dash.trend.months] == [
        (date(2025, 1, 1), 2, 2),
        (date(2025, 2, 1), 1, 2),
        (date(2025, 3, 1), 1, 0),
        (date(2025, 4, 1), 1, 1),
        (date(2025, 5, 1), 0, 0),
        (date(2025, 6, 1), 0, 0),
    ]
    assert set(FIGURES) == {
        "totals",
        "by_stage",
        "by_raising_agency",
        "by_receiving_agency",
        "by_category",
        "time_to_resolution",
        "deadlines_by_stage",
        "escalations",
        "trend",
    }


def test_the_other_partnership_sees_only_its_own() -> None:
    w = world()
    dataset(w)
    dash = dashboard(Scope(partnership_ids=(w.b.pk,), start=START, end=END, now=NOW))
    assert (dash.totals.raised, dash.totals.resolved, dash.totals.open_at_end) == (1, 1, 0)
    assert rows(dash.by_raising_agency) == [("B School", 1)]
    assert [(r.met, r.missed) for r in dash.deadlines_by_stage.rows] == [(0, 1)]


def test_quartiles_interpolate_between_ranks_and_an_empty_period_has_none() -> None:
    w = world()
    for days in (1, 2, 4, 10):
        w.make(raised="2025-02-01T10:00", status="resolved", closed="2025-02-20T10:00", days=days)
    s = figures.time_to_resolution(scope(w))
    assert (s.count, s.lower_quartile, s.median, s.upper_quartile) == (4, 1.75, 3.0, 5.5)
    empty = dashboard(scope(w, start=date(2024, 1, 1), end=date(2024, 1, 31)))
    assert empty.time_to_resolution.count == 0
    assert empty.time_to_resolution.median is None
    assert empty.by_stage.rows == ()
    assert [m.raised for m in empty.trend.months] == [0]


def test_the_list_has_no_childs_details_nor_the_concern() -> None:
    w = world()
    dataset(w)
    found = disagreement_rows(scope(w))
    assert [r["reference"] for r in found] == [
        "T-2025-0001",
        "T-2025-0002",
        "T-2025-0003",
        "T-2025-0004",
        "T-2025-0005",
    ]
    d2 = found[1]
    assert d2["other_agencies"] == "Health; Police"
    assert (d2["raised"], d2["closed"], d2["stage_reached"], d2["status"], d2["working_days_taken"]) == (
        date(2025, 1, 15),
        date(2025, 2, 10),
        "Stage 2",
        "Resolved",
        18,
    )
    assert found[4]["raised"] == date(2025, 4, 1)
    text = repr(found)
    assert "CHILD-SECRET" not in text
    assert "Alex Secret" not in text
    assert "never exported" not in text


def _grow(w: World, n: int) -> None:
    for i in range(n):
        w.make(
            raised=f"2025-02-{1 + i % 27:02d}T10:00",
            by=("School", "Police", "Health")[i % 3],
            to=("Police", "Health"),
            category=("course-of-action", "threshold-referral")[i % 2],
            stages=(
                (f"2025-02-{1 + i % 27:02d}T10:00", "2025-03-01T10:00", "2025-02-25T17:00"),
                ("2025-03-01T10:00", "2025-03-20T10:00", "2025-03-10T17:00"),
            ),
            status="resolved",
            closed="2025-03-20T10:00",
            days=10 + i,
        )


def test_the_number_of_queries_does_not_grow_with_the_data(django_assert_max_num_queries: Any) -> None:
    w = world()
    dataset(w)
    s = scope(w)
    dashboard(s)  # the procedure validated once per process
    with django_assert_max_num_queries(20) as small:
        dashboard(s)
        disagreement_rows(s)
    _grow(w, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        dash = dashboard(s)
        listed = disagreement_rows(s)
    assert dash.totals.raised == 45
    assert len(listed) == 45


def test_scope_for_checks_who_asks_and_the_period() -> None:
    w = world()
    unit = RoleAssignmentFactory.create(person__partnership=w.a, partnership=w.a, role="business-unit").person
    user = get_user_model().objects.create_user(username="unit", password="x" * 20)
    unit.user = user
    unit.save()
    now = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
    found = scope_for(user=user, partnership=w.a, start=START, end=END, now=now)
    assert found == Scope((w.a.pk,), START, END, now)
    with pytest.raises(NotFound):
        scope_for(user=user, partnership=w.b, start=START, end=END, now=now)
    for start, end, field in (
        (date(2025, 6, 1), date(2025, 5, 1), "end"),
        (date(2019, 1, 1), date(2025, 6, 1), "end"),
        (date(2025, 7, 2), date(2025, 8, 1), "start"),
    ):
        with pytest.raises(ResolveError) as refused:
            scope_for(user=user, partnership=w.a, start=start, end=end, now=now)
        assert refused.value.field == field
