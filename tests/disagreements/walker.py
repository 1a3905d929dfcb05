"""Walks a disagreement through a pathway as its people would, for the seed scenario tests.

At each stage the walker does what the procedure requires before the stage can close (read from
the definition, not hard-coded), moves the clock to the given moment, escalates, and returns the
due times the new stage was given, so each test can check them against hand-computed dates. The
procedure's instructions (never dated) are kept apart from them (``instructions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from resolve.calendar import LONDON
from resolve.disagreements import rules, services
from resolve.disagreements.models import Disagreement, StageDeadline, StageRun
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.factories import ChildFactory


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def local(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Step:
    """Move to ``when`` and enter ``stage``; it must have exactly these computed due times."""

    stage: str
    when: str
    dated: dict[str, str]


class Walker:
    def __init__(self, cast: Cast, time_machine: object, *, raiser: str = "school", other: str = "csc") -> None:
        self.cast = cast
        self.clock = time_machine
        self.raiser = raiser
        self.other = other
        self.disagreement: Disagreement | None = None

    def person(self, agency: str, run: StageRun) -> Person:
        """Who acts for ``agency`` at ``run``'s stage: the person at the level the procedure gives it.

        On a stage that names only roles, the level of the stage before it (``rules.acting_level``);
        where no stage names a level, the practitioner. The level is the agency's own where the stage
        gives one per agency (Enfield stage 2).
        """
        return self.cast.at(agency, rules.acting_level(self.d, run, self.cast.agencies[agency]) or 1)

    @property
    def d(self) -> Disagreement:
        assert self.disagreement is not None
        return self.disagreement

    def current(self) -> StageRun:
        return self.d.stage_runs.get(ended_at__isnull=True)

    def dated(self) -> dict[str, str]:
        run = self.current()
        return {x.timescale: local(x.due) for x in run.current_deadlines() if x.due is not None}

    def undated(self) -> list[str]:
        return [x.rule for x in self.current().current_deadlines() if x.due is None]

    def instructions(self) -> dict[str, str]:
        """The procedure's instructions shown at the current stage (never dated): source -> words."""
        run = self.current()
        return {x.source: x.rule for x in run.current_deadlines().filter(kind=StageDeadline.Kind.INSTRUCTION)}

    def raise_(self, when: str, *, pathway: str, **kwargs: object) -> StageRun:
        self.clock.move_to(at(when), tick=False)  # type: ignore[attr-defined]
        procedure = self.cast.partnership.procedure.procedure  # type: ignore[union-attr]
        category = next(
            (c.slug for c in procedure.categories if not c.refuse_with and c.pathway in (None, pathway)), ""
        )
        self.disagreement = services.disagreement_raise(
            by=self.cast.at(self.raiser, 1),
            child=ChildFactory.create(partnership=self.cast.partnership),
            other_agencies=[self.cast.agencies[self.other]],
            counterparts=[self.cast.at(self.other, 1)],
            category=category,
            pathway=pathway,
            expected="The other agency acts on the concerns.",
            why="The safeguarding arrangements are not being applied.",
            what_needed="A joint plan for the child.",
            **kwargs,  # type: ignore[arg-type]
        )
        return self.current()

    def fulfil(self, transition: str) -> None:
        """Make every record the current stage requires before ``transition``, as its people would."""
        run = self.current()
        ours, theirs = self.person(self.raiser, run), self.person(self.other, run)
        now = datetime.now(LONDON)
        for requirement in rules.missing_records(run, transition):
            kind = requirement.kind
            if kind == "discussion_note":
                services.discussion_record(
                    disagreement=self.d,
                    by=ours,
                    held_at=now,
                    method="meeting",
                    with_people=[theirs],
                    summary="Discussed; views differ.",
                )
            elif kind == "written_confirmation":
                outcome = services.outcome_propose(
                    disagreement=self.d,
                    by=ours,
                    text="The disagreement is about the threshold; it goes to senior managers next.",
                )
                services.outcome_confirm(outcome=outcome, by=theirs)
            elif kind == "meeting_record":
                services.meeting_record(
                    disagreement=self.d,
                    by=ours,
                    held_at=now,
                    chair=ours,
                    attendees=[ours, theirs],
                    areas_of_discussion="Thresholds.",
                    disagreement_text="Whether to assess.",
                    agreements="Assessment to start.",
                    actions="Social worker visits on Monday.",
                )
            elif kind == "conference_record":
                services.record_add(
                    disagreement=self.d,
                    by=ours,
                    kind=kind,
                    occurred_at=now,
                    fields={
                        "view": "majority",
                        "decision": "No plan.",
                        "minority_view": "Health believe a plan is needed.",
                    },
                )
            elif kind == "written_request":
                services.record_add(
                    disagreement=self.d,
                    by=ours,
                    kind=kind,
                    occurred_at=now,
                    fields={"sent_to": "as the procedure names", "summary": "The request."},
                )
            elif kind == "executive_summary":
                services.record_add(
                    disagreement=self.d,
                    by=ours,
                    kind=kind,
                    occurred_at=now,
                    fields={"summary": "Concerns and how they were resolved."},
                )
            elif kind == "form":
                services.record_add(
                    disagreement=self.d,
                    by=ours,
                    kind=kind,
                    occurred_at=now,
                    fields={"form": requirement.form or requirement.title, "summary": "Completed."},
                )
            elif kind == "reviewer_decision":
                self.decide()
            else:  # pragma: no cover - a new record kind must be taught to the walker
                raise AssertionError(f"walker cannot make a {kind} record")

    def decide(self) -> None:
        """The chair names a reviewer from an uninvolved agency, who records the decision."""
        chair = next(
            self.cast.role(r.slug)
            for r in self.cast.partnership.procedure.procedure.roles  # type: ignore[union-attr]
            if r.kind == "chair"
        )
        reviewer = self.cast.at("police", 4)
        services.reviewer_appoint(disagreement=self.d, by=chair, reviewer=reviewer)
        services.reviewer_decision_record(
            disagreement=self.d, by=reviewer, decision="The request is upheld.", reasons="The evidence supports it."
        )

    def escalate(self, step: Step) -> StageRun:
        self.clock.move_to(at(step.when), tick=False)  # type: ignore[attr-defined]
        self.fulfil("escalate")
        run = self.current()
        return services.disagreement_escalate(
            disagreement=self.d, by=self.person(self.raiser, run), reason="Still unresolved at this stage."
        )

    def resolve(self, when: str) -> Disagreement:
        self.clock.move_to(at(when), tick=False)  # type: ignore[attr-defined]
        run = self.current()
        stage = rules.stage_of(run)
        if stage.independent_reviewer:
            self.fulfil("resolve")
            self.d.refresh_from_db()
            if self.d.is_open:
                services.disagreement_resolve(disagreement=self.d, by=self.person(self.raiser, run))
        else:
            outcome = services.outcome_propose(
                disagreement=self.d, by=self.person(self.raiser, run), text="Agreed: assessment starts on Monday."
            )
            services.outcome_confirm(outcome=outcome, by=self.person(self.other, run))
            self.fulfil("resolve")
            services.disagreement_resolve(disagreement=self.d, by=self.person(self.raiser, run))
        self.d.refresh_from_db()
        return self.d

    def walk(self, first: Step, *rest: Step, resolve_at: str, pathway: str, **kwargs: object) -> Disagreement:
        """Raise at ``first``, escalate through ``rest``, check every stage's dates, then resolve."""
        run = self.raise_(first.when, pathway=pathway, **kwargs)
        assert (run.stage, self.dated()) == (first.stage, first.dated)
        for step in rest:
            run = self.escalate(step)
            assert (run.stage, self.dated()) == (step.stage, step.dated)
        d = self.resolve(resolve_at)
        assert d.status == Disagreement.Status.RESOLVED
        assert [r.stage for r in d.stage_runs.order_by("position")] == [first.stage] + [s.stage for s in rest]
        return d
