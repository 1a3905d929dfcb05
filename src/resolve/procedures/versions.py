"""A readable difference between two stored procedure versions: their YAML, line by line, and their timescales.

The text compared is each version's ``source_text``, exactly as adopted, so the difference is what a
business manager would see between the two files. Read-only.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from resolve.procedures.models import ProcedureVersion
from resolve.procedures.schema import Procedure, Timescale

LineKind = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Line:
    kind: LineKind
    old: int | None  # its line number in the earlier version's file, if it is there
    new: int | None  # its line number in the later version's file, if it is there
    text: str

    @property
    def mark(self) -> str:
        return {"same": " ", "added": "+", "removed": "-"}[self.kind]


@dataclass(frozen=True)
class Hunk:
    """One changed part of the file, with a few unchanged lines around it."""

    old_start: int
    new_start: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class TimescaleChange:
    """A stage's timescale added, removed or changed between the versions (from the parsed definitions)."""

    pathway: str
    stage: str
    timescale: str
    was: str  # "" when added
    now: str  # "" when removed


@dataclass(frozen=True)
class Difference:
    old: ProcedureVersion
    new: ProcedureVersion
    hunks: tuple[Hunk, ...]
    added: int
    removed: int
    timescales: tuple[TimescaleChange, ...]

    @property
    def same(self) -> bool:
        return not self.hunks


def timescale_text(timescale: Timescale) -> str:
    """A timescale's rule in words: "5 working days, from the stage's start"."""
    rule = {
        "same_working_day": _("same working day"),
        "next_working_day": _("next working day"),
        "working_days": _("%(n)s working days") % {"n": timescale.n},
        "hours": _("%(n)s hours") % {"n": timescale.n},
        "words": _("in words: %(words)s") % {"words": timescale.words},
    }[timescale.rule]
    parts = [rule, _anchor_text(timescale.from_)]
    if timescale.applies != "always":
        parts.append(_("when %(applies)s") % {"applies": timescale.applies.replace("_", " ")})
    if timescale.flag:
        parts.append(_("with the flag %(flag)s") % {"flag": timescale.flag})
    return ", ".join(parts)


def _anchor_text(anchor: str) -> str:
    if anchor == "stage_start":
        return _("from the stage's start")
    if anchor == "disagreement_start":
        return _("from the disagreement's start")
    kind, _sep, slug = anchor.partition(":")
    if kind == "due":
        return _("from when %(slug)s is due") % {"slug": slug}
    return _("from the start of %(slug)s") % {"slug": slug}


def _timescales(procedure: Procedure) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """(pathway, stage, timescale) slugs to (pathway name, stage name, rule in words)."""
    return {
        (p.slug, s.slug, t.slug): (p.name, s.name, timescale_text(t))
        for p in procedure.pathways
        for s in p.stages
        for t in s.timescales
    }


def timescale_changes(old: Procedure, new: Procedure) -> tuple[TimescaleChange, ...]:
    """Which stages' timescales changed, in the later version's order, then those removed."""
    before, after = _timescales(old), _timescales(new)
    changes = []
    for key, (pathway, stage, text) in after.items():
        was = before.get(key)
        if was is None or was[2] != text:
            changes.append(TimescaleChange(pathway, stage, key[2], was[2] if was else "", text))
    for key, (pathway, stage, text) in before.items():
        if key not in after:
            changes.append(TimescaleChange(pathway, stage, key[2], text, ""))
    return tuple(changes)


def version_difference(old: ProcedureVersion, new: ProcedureVersion, *, context: int = 3) -> Difference:
    """The changed lines from ``old``'s YAML to ``new``'s, in hunks with ``context`` unchanged lines around them."""
    a, b = old.source_text.splitlines(), new.source_text.splitlines()
    hunks = []
    added = removed = 0
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        lines: list[Line] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", i + 1, j1 + (i - i1) + 1, a[i]) for i in range(i1, i2)]
                continue
            if tag in ("replace", "delete"):
                lines += [Line("removed", i + 1, None, a[i]) for i in range(i1, i2)]
                removed += i2 - i1
            if tag in ("replace", "insert"):
                lines += [Line("added", None, j + 1, b[j]) for j in range(j1, j2)]
                added += j2 - j1
        first = group[0]
        hunks.append(Hunk(old_start=first[1] + 1, new_start=first[3] + 1, lines=tuple(lines)))
    return Difference(
        old=old,
        new=new,
        hunks=tuple(hunks),
        added=added,
        removed=removed,
        timescales=timescale_changes(old.procedure, new.procedure),
    )
