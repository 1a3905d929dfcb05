"""The seniority matrix a partnership works with: its procedure's, with the partnership's own corrections.

The adopted procedure's ``seniority`` block (Enfield's Appendix B is the model) is the starting
point: levels by agency column, each cell a role title. A ``SeniorityTitle`` row is the
partnership's correction of one cell and wins over the procedure; a blank one is a cell the
partnership says is empty. Typing a cell back to the procedure's printed title removes the
correction, so the cell follows the procedure again. Every change is one call of
``seniority_titles_set``, recorded cell by cell in the audit trail.

Readers:

- ``matrix_titles_for``: what the matrix calls someone at a level in a column (one query), for the
  pages that show counterparts and the next in the chain;
- ``seniority_matrix_for``: the whole matrix for its administration page, with where each cell came
  from, the procedure's notes per column and which of the partnership's agencies use each column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from resolve.audit.models import Event, Verb
from resolve.audit.services import event_record
from resolve.core.errors import ResolveError
from resolve.partnerships.models import Agency, Partnership, SeniorityTitle
from resolve.partnerships.services import Asking, administrator_check

if TYPE_CHECKING:
    from resolve.procedures.models import ProcedureVersion
    from resolve.procedures.schema import Procedure, Seniority

#: the levels a partnership may keep titles for when its procedure has no matrix
DEFAULT_LEVELS = (1, 2, 3, 4, 5)
TITLE_LIMIT = SeniorityTitle._meta.get_field("title").max_length or 200


def cell_field(column: str, level: int) -> str:
    """The form field (and ``ResolveError.field``) of one cell: ``cell-met-police-4``."""
    return f"cell-{column}-{level}"


@dataclass(frozen=True)
class Titles:
    """What the matrix calls someone at a level in an agency column: the procedure's, as corrected."""

    printed: Seniority | None
    corrections: Mapping[tuple[str, int], str] = field(default_factory=dict)

    def title(self, column: str, level: int | None) -> str | None:
        """The cell's title; None for an empty cell, a column the matrix lacks, or no column at all."""
        if not column or level is None:
            return None
        if (column, level) in self.corrections:
            return self.corrections[(column, level)] or None
        return self.printed.title(column, level) if self.printed is not None else None


def _seniority(procedure: Procedure | None) -> Seniority | None:
    return procedure.seniority if procedure is not None else None


def matrix_titles_for(*, partnership: Partnership | UUID, procedure: Procedure | None) -> Titles:
    """The titles of ``procedure``'s matrix (a disagreement's own version, say), corrected by the partnership.

    One query, whatever the number of cells: read it once per page.
    """
    rows = SeniorityTitle.objects.filter(partnership=partnership).values_list("column", "level", "title")
    return Titles(_seniority(procedure), {(column, level): title for column, level, title in rows})


@dataclass(frozen=True)
class Cell:
    """One cell: the title shown now, the procedure's, and whether (when, by whom) the partnership corrected it."""

    column: str
    level: int
    title: str  # "" for an empty cell
    printed: str  # the procedure's title, "" where it names none
    corrected: bool
    changed_at: datetime | None = None
    changed_by: str = ""  # who, from the audit trail, where it says

    @property
    def field(self) -> str:
        return cell_field(self.column, self.level)


@dataclass(frozen=True)
class Level:
    level: int
    name: str


@dataclass(frozen=True)
class Column:
    """An agency column: the procedure's (with its notes, the AMBIGUOUS readings), or one an agency names."""

    slug: str
    name: str
    in_procedure: bool
    notes: tuple[str, ...]
    agencies: tuple[str, ...]  # the names of the partnership's agencies in this column
    cells: tuple[Cell, ...]  # one per level, in the order of ``SeniorityMatrix.levels``


@dataclass(frozen=True)
class SeniorityMatrix:
    partnership: Partnership
    version: ProcedureVersion | None
    #: whether the procedure has a matrix at all (a procedure may have none, or none may be adopted)
    from_procedure: bool
    levels: tuple[Level, ...]
    columns: tuple[Column, ...]
    caveat: str
    notes: tuple[str, ...]
    above_top: str
    source: str
    #: the partnership's agencies that name no column, by name
    unplaced: tuple[str, ...]
    titles: Titles

    def title(self, column: str, level: int | None) -> str | None:
        return self.titles.title(column, level)

    def cell(self, column: str, level: int) -> Cell | None:
        for c in self.columns:
            if c.slug == column:
                return next((cell for cell in c.cells if cell.level == level), None)
        return None

    @property
    def rows(self) -> list[tuple[Level, list[Cell]]]:
        """Level by level, each column's cell: the table as it is drawn."""
        return [(level, [c.cells[i] for c in self.columns]) for i, level in enumerate(self.levels)]

    @property
    def corrected(self) -> int:
        return sum(1 for c in self.columns for cell in c.cells if cell.corrected)


def _who(event: Event, users: Mapping[Any, Any]) -> str:
    if event.actor is not None:
        return event.actor.name
    if "operator" in event.data:
        return _("%(operator)s at the command line") % {"operator": event.data["operator"]}
    user = users.get(event.data.get("user"))
    if user is not None:
        return str(user.get_full_name() or user.get_username())
    return ""


def _history(partnership: Partnership) -> dict[tuple[str, int], tuple[datetime, str]]:
    """When each cell was last changed, and by whom, from the audit trail (two queries)."""
    events = list(
        Event.objects.filter(
            partnership=partnership, verb=Verb.REFERENCE_CHANGED, data__model=SeniorityTitle._meta.label
        )
        .select_related("actor")
        .order_by("id")
    )
    ids = {e.data.get("user") for e in events if e.actor is None and e.data.get("user") is not None}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)} if ids else {}
    last: dict[tuple[str, int], tuple[datetime, str]] = {}
    for event in events:
        column, level = event.data.get("column"), event.data.get("level")
        if isinstance(column, str) and isinstance(level, int):
            last[(column, level)] = (event.at, _who(event, users))
    return last


def seniority_matrix_for(
    *, partnership: Partnership, version: ProcedureVersion | None = None, history: bool = True
) -> SeniorityMatrix:
    """The partnership's matrix: ``version``'s (by default the adopted one), with its corrections.

    Columns: the procedure's, then any an agency of the partnership names that the procedure lacks,
    then any the partnership has corrected that neither has (a correction is never hidden). Levels:
    the procedure's, or 1 to 5 when it has no matrix. ``history``: when and by whom each corrected
    cell was changed, from the audit trail.
    """
    version = version if version is not None else partnership.procedure
    printed = _seniority(version.procedure if version is not None else None)
    titles = matrix_titles_for(partnership=partnership, procedure=version.procedure if version else None)
    changes = _history(partnership) if history else {}
    agencies: dict[str, list[str]] = {}
    unplaced: list[str] = []
    for agency in Agency.objects.filter(partnership=partnership, retired_at__isnull=True).order_by("name"):
        if agency.matrix_agency:
            agencies.setdefault(agency.matrix_agency, []).append(agency.name)
        else:
            unplaced.append(agency.name)
    if printed is not None:
        levels = tuple(Level(lv.level, lv.name) for lv in printed.levels)
    else:
        levels = tuple(Level(n, _("Level %(level)s") % {"level": n}) for n in DEFAULT_LEVELS)
    known: list[tuple[str, str, bool, tuple[str, ...]]] = [
        (a.slug, a.name, True, a.notes) for a in (printed.agencies if printed else ())
    ]
    slugs = {slug for slug, *_rest in known}
    for slug in sorted(set(agencies) - slugs):
        known.append((slug, ", ".join(agencies[slug]), False, ()))
        slugs.add(slug)
    for slug in sorted({column for column, _level in titles.corrections} - slugs):
        known.append((slug, slug, False, ()))
    columns = []
    for slug, name, in_procedure, notes in known:
        cells = []
        for level in levels:
            key = (slug, level.level)
            when, who = changes.get(key, (None, ""))
            corrected = key in titles.corrections
            cells.append(
                Cell(
                    column=slug,
                    level=level.level,
                    title=titles.title(slug, level.level) or "",
                    printed=(printed.title(slug, level.level) if printed else None) or "",
                    corrected=corrected,
                    changed_at=when if corrected else None,
                    changed_by=who if corrected else "",
                )
            )
        columns.append(Column(slug, name, in_procedure, tuple(notes), tuple(agencies.get(slug, ())), tuple(cells)))
    return SeniorityMatrix(
        partnership=partnership,
        version=version,
        from_procedure=printed is not None,
        levels=levels,
        columns=tuple(columns),
        caveat=(printed.caveat or "") if printed else "",
        notes=printed.notes if printed else (),
        above_top=(printed.above_top or "") if printed else "",
        source=printed.source if printed else "",
        unplaced=tuple(unplaced),
        titles=titles,
    )


def _where(matrix: SeniorityMatrix, column: str, level: int) -> str:
    name = next((c.name for c in matrix.columns if c.slug == column), column)
    level_name = next((lv.name for lv in matrix.levels if lv.level == level), str(level))
    return f"{name}, {level_name}"


@transaction.atomic
def seniority_titles_set(
    *, partnership: Partnership, titles: Mapping[tuple[str, int], str], by: Asking
) -> list[tuple[str, int]]:
    """Set cells of the partnership's matrix; returns the cells that changed, in the order given.

    ``titles`` maps (column, level) to the title the cell should show ("" for an empty cell). Only
    cells that differ from what the matrix shows now are stored and recorded, each as its own audit
    entry. A title equal to the procedure's printed one removes the correction: the cell follows
    the procedure again. Every value is checked before anything is written: an unknown column or
    level, a title too long or with a NUL character is a ``ResolveError`` naming the cell.
    """
    asker = administrator_check(partnership=partnership, by=by)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)  # one save at a time
    matrix = seniority_matrix_for(partnership=partnership, history=False)
    levels = {lv.level for lv in matrix.levels}
    columns = {c.slug for c in matrix.columns}
    wanted: dict[tuple[str, int], str] = {}
    for key, value in titles.items():
        column, level = key
        if not isinstance(column, str) or column not in columns:
            raise ResolveError(_("The matrix has no column %(column)s.") % {"column": repr(column)})
        if not isinstance(level, int) or isinstance(level, bool) or level not in levels:
            raise ResolveError(_("The matrix has no level %(level)s.") % {"level": repr(level)})
        text = (value if isinstance(value, str) else "").strip()
        where = _where(matrix, column, level)
        if "\x00" in text:
            raise ResolveError(
                _("The title for %(cell)s must be plain text.") % {"cell": where}, field=cell_field(column, level)
            )
        if len(text) > TITLE_LIMIT:
            raise ResolveError(
                _("The title for %(cell)s must be %(limit)s characters or fewer.")
                % {"cell": where, "limit": TITLE_LIMIT},
                field=cell_field(column, level),
            )
        wanted[(column, level)] = text
    existing = {
        (row.column, row.level): row
        for row in SeniorityTitle.objects.select_for_update().filter(partnership=partnership).order_by("pk")
    }
    changed = []
    for (column, level), text in wanted.items():
        cell = matrix.cell(column, level)
        assert cell is not None  # checked above
        if text == cell.title:
            continue
        row = existing.get((column, level))
        if text == cell.printed:
            action = "removed"  # back to the procedure's title
            if row is not None:
                row.delete()
        elif row is None:
            action = "added"
            SeniorityTitle.objects.create(partnership=partnership, column=column, level=level, title=text)
        else:
            action = "changed"
            row.title = text
            row.save(update_fields=["title", "changed_at"])
        event_record(
            verb=Verb.REFERENCE_CHANGED,
            partnership=partnership,
            actor=asker.actor,
            data={
                "model": SeniorityTitle._meta.label,
                "object": f"{column}:{level}",
                "action": action,
                "fields": ["title"],
                "column": column,
                "level": level,
                "title": text,
                "previous": cell.title,
                "printed": cell.printed,
                **asker.data,
            },
        )
        changed.append((column, level))
    return changed
