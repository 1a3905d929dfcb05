"""What a recalculation of deadlines would move, and to when: shown before a calendar change is saved.

One comparison serves the preview and the recorded recalculation (``deadlines_recalculate``): each
open stage run's deadlines are computed by the procedure's rules (``rules.run_deadlines``) against a
calendar, and set beside the due times stored for it. Nothing here writes: a deadline moves only
when an administrator asks for the recorded recalculation (decision 0003).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from resolve.calendar import WorkingCalendar
from resolve.disagreements import rules
from resolve.disagreements.models import Disagreement, StageDeadline, StageRun
from resolve.partnerships.models import Partnership
from resolve.procedures.engine import Due


@dataclass(frozen=True)
class Move:
    """One stored deadline that the calendar would move: where it is now and where it would go.

    ``stored`` is None for a deadline the run has none of yet (its procedure's rule gave no date before).
    """

    run: StageRun
    stored: StageDeadline | None
    due: Due

    @property
    def reference(self) -> str:
        """The disagreement's short reference (never the child's name)."""
        disagreement = self.run.disagreement
        return disagreement.reference or str(disagreement.pk)[:8]

    @property
    def stage(self) -> str:
        return self.run.name

    @property
    def was(self) -> datetime | None:
        return self.stored.due if self.stored is not None else None

    @property
    def becomes(self) -> datetime | None:
        return self.due.due


def run_moves(run: StageRun, *, calendar: WorkingCalendar | None = None) -> list[Move]:
    """The deadlines of ``run`` whose due time comes out different against ``calendar`` (default: the stored one)."""
    earlier = list(run.disagreement.stage_runs.filter(position__lt=run.position))
    stored = {d.timescale: d for d in run.current_deadlines()}
    moves = []
    for due in rules.run_deadlines(run, earlier=earlier, calendar=calendar):
        old = stored.get(due.timescale)
        if old is not None and old.due == due.due:
            continue
        moves.append(Move(run=run, stored=old, due=due))
    return moves


def open_runs(partnership: Partnership) -> list[StageRun]:
    """The stage runs in progress of the partnership's open disagreements, oldest first."""
    return list(
        StageRun.objects.filter(
            disagreement__partnership=partnership,
            disagreement__status=Disagreement.Status.OPEN,
            ended_at__isnull=True,
        )
        .select_related("disagreement__procedure_version", "disagreement__partnership")
        .order_by("disagreement__raised_at", "disagreement__reference", "position")
    )


def deadlines_moved(*, partnership: Partnership, calendar: WorkingCalendar | None = None) -> list[Move]:
    """Every open deadline of the partnership that a recalculation against ``calendar`` would move.

    ``calendar`` None: the partnership's stored calendar (what "recalculate now" would move, after a
    change saved without recalculating). Reads only.
    """
    return [move for run in open_runs(partnership) for move in run_moves(run, calendar=calendar)]
