"""The dashboard's figures as tables and charts: what the page, the print and the exports show.

``tables(dashboard, below=None)`` turns each figure into a ``FigureTable`` (a title, a header and rows
of cells): the exact figures for the dashboard (``below=None``), or with small numbers suppressed
(``below=partnership.suppress_below``) for whatever leaves it. Each table carries its chart's geometry
(``Chart``: bars with x, y, width and height, axis ticks, a legend), drawn from the same cells, so a
suppressed count draws no bar. The template ``web/oversight/_chart.html`` draws it as SVG on the
server, for the page and for print alike. A chart repeats its table: the table is the content.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from resolve.reports.figures import Breakdown, Dashboard
from resolve.reports.suppression import is_suppressed, shown, suppress_row

Cell = int | float | str | date | None

#: series colours: GOV.UK blue and purple (each at least 3:1 against white)
COLOURS = ("#1d70b8", "#912b88")
WIDTH = 640


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    value: str  # as the table shows it
    value_x: float
    value_y: float
    value_anchor: str = "start"


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "end"


@dataclass(frozen=True)
class Tick:
    x1: float
    y1: float
    x2: float
    y2: float
    label: Label


@dataclass(frozen=True)
class Key:
    x: float
    y: float
    colour: str
    text: str

    @property
    def text_x(self) -> float:
        return self.x + 16

    @property
    def text_y(self) -> float:
        return self.y + 10


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    labels: tuple[Label, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[Key, ...]
    baseline: tuple[float, float, float, float]


@dataclass(frozen=True)
class FigureTable:
    key: str  # the figure's key in FIGURES
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    chart: Chart | None = None

    @property
    def text(self) -> list[list[str]]:
        """The rows as a page or a document's table shows them."""
        return text_rows(self)


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (1, 2, 2.5 or 5 times a power of ten apart)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if step < 1:
        step = 1.0
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _number(cell: Cell) -> float | None:
    return float(cell) if isinstance(cell, int | float) and not isinstance(cell, bool) else None


def _tick_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _short(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_chart(key: str, caption: str, labels: list[str], series: list[tuple[str, list[Cell]]]) -> Chart:
    """Horizontal bars, one group a row, one bar a series; a cell that is not a number draws no bar."""
    left, right, top_pad = 230.0, 50.0, 24.0 if len(series) > 1 else 8.0
    bar_h, gap = 14.0, 10.0
    group = bar_h * len(series) + gap
    plot_w = WIDTH - left - right
    values = [_number(c) for _, cells in series for c in cells]
    ticks_at = nice_ticks(max([v for v in values if v is not None] or [0.0]))
    scale = plot_w / ticks_at[-1]
    plot_h = group * len(labels)
    bars, names = [], []
    for i, label in enumerate(labels):
        y0 = top_pad + i * group + gap / 2
        names.append(Label(left - 8, y0 + bar_h * len(series) / 2 + 4, _short(label)))
        for s, (_name, cells) in enumerate(series):
            v = _number(cells[i])
            y = y0 + s * bar_h
            w = (v or 0.0) * scale
            text = _tick_text(v) if v is not None else str(cells[i] or "")
            bars.append(Bar(left, y, w, bar_h - 2, COLOURS[s % 2], text, left + w + 4, y + bar_h - 4))
    bottom = top_pad + plot_h
    ticks = tuple(
        Tick(
            left + t * scale,
            top_pad,
            left + t * scale,
            bottom,
            Label(left + t * scale, bottom + 14, _tick_text(t), "middle"),
        )
        for t in ticks_at
    )
    legend = _legend(series, left)
    return Chart(
        key, caption, WIDTH, int(bottom + 22), tuple(bars), tuple(names), ticks, legend, (left, top_pad, left, bottom)
    )


def column_chart(key: str, caption: str, labels: list[str], series: list[tuple[str, list[Cell]]]) -> Chart:
    """Vertical columns, one group a label (a month), one column a series."""
    left, right, top_pad, plot_h = 40.0, 10.0, 24.0, 180.0
    plot_w = WIDTH - left - right
    values = [_number(c) for _, cells in series for c in cells]
    ticks_at = nice_ticks(max([v for v in values if v is not None] or [0.0]))
    scale = plot_h / ticks_at[-1]
    bottom = top_pad + plot_h
    group = plot_w / max(len(labels), 1)
    col_w = max(min(group * 0.8 / len(series), 24.0), 1.0)
    every = max(1, math.ceil(len(labels) / 8))  # at most 8 month names, so they never overlap
    bars, names = [], []
    for i, label in enumerate(labels):
        x0 = left + i * group + (group - col_w * len(series)) / 2
        if i % every == 0:
            names.append(Label(left + i * group + group / 2, bottom + 14, label, "middle"))
        for s, (_name, cells) in enumerate(series):
            v = _number(cells[i])
            h = (v or 0.0) * scale
            x = x0 + s * col_w
            text = _tick_text(v) if v is not None else ""
            bars.append(Bar(x, bottom - h, col_w - 1, h, COLOURS[s % 2], text, x + col_w / 2, bottom - h - 3, "middle"))
    ticks = tuple(
        Tick(
            left,
            bottom - t * scale,
            left + plot_w,
            bottom - t * scale,
            Label(left - 6, bottom - t * scale + 4, _tick_text(t)),
        )
        for t in ticks_at
    )
    return Chart(
        key,
        caption,
        WIDTH,
        int(bottom + 22),
        tuple(bars),
        tuple(names),
        ticks,
        _legend(series, left),
        (left, bottom, left + plot_w, bottom),
    )


def _legend(series: list[tuple[str, list[Cell]]], left: float) -> tuple[Key, ...]:
    if len(series) < 2:
        return ()
    return tuple(Key(left + i * 140, 6, COLOURS[i % 2], name) for i, (name, _cells) in enumerate(series))


# ---------------------------------------------------------------------------------------------- tables


def _breakdown(key: str, title: str, what: str, figure: Breakdown, below: int | None) -> FigureTable:
    counts = [r.count for r in figure.rows]
    if below is None:
        cells: list[Cell] = list(counts)
    elif figure.adds_up:
        cells = [_cell(c) for c in suppress_row(counts, below)]
    else:
        cells = [_cell(shown(c, below)) for c in counts]
    rows: list[tuple[Cell, ...]] = [(r.label, c) for r, c in zip(figure.rows, cells, strict=True)]
    labels = [r.label for r in figure.rows]
    chart = bar_chart(key, title, labels, [(_("Disagreements"), cells)]) if rows else None
    if figure.adds_up and rows:
        # a total under the threshold is itself a small number (one row would give its cell away)
        rows.append((_("Total"), figure.total if below is None else _cell(shown(figure.total, below))))
    return FigureTable(key, title, (what, _("Disagreements")), tuple(rows), chart=chart)


def _cell(text: str) -> Cell:
    """A shown count back as a number where it is one, so that a spreadsheet can add it up."""
    return int(text) if text.isdigit() else text


def tables(dash: Dashboard, *, below: int | None = None) -> list[FigureTable]:
    """The dashboard's figures as tables with their charts; ``below``: suppress counts under it."""

    def count(n: int) -> Cell:
        return n if below is None else _cell(shown(n, below))

    t = dash.totals
    total_rows: list[tuple[Cell, ...]] = [
        (_("Raised in the period"), count(t.raised)),
        (_("Resolved in the period"), count(t.resolved)),
        (_("Withdrawn in the period"), count(t.withdrawn)),
        (_("Open at the end of the period"), count(t.open_at_end)),
    ]
    found = [
        FigureTable(
            "totals",
            _("Open and closed"),
            (_("Disagreements"), _("Number")),
            tuple(total_rows),
            chart=bar_chart(
                "totals",
                _("Open and closed"),
                [str(r[0]) for r in total_rows],
                [(_("Number"), [r[1] for r in total_rows])],
            ),
        ),
        _breakdown("by_stage", _("By the furthest stage reached"), _("Stage"), dash.by_stage, below),
        _breakdown("by_raising_agency", _("By the agency that raised it"), _("Agency"), dash.by_raising_agency, below),
        _breakdown(
            "by_receiving_agency", _("By the agency it was raised with"), _("Agency"), dash.by_receiving_agency, below
        ),
        _breakdown("by_category", _("By category"), _("Category"), dash.by_category, below),
    ]
    s = dash.time_to_resolution
    hidden = below is not None and is_suppressed(s.count, below)
    stats = [
        (_("Median"), s.median),
        (_("Lower quartile"), s.lower_quartile),
        (_("Upper quartile"), s.upper_quartile),
        (_("Shortest"), s.shortest),
        (_("Longest"), s.longest),
    ]
    spread_rows: list[tuple[Cell, ...]] = [(_("Closed in the period, with working days counted"), count(s.count))]
    spread_rows += [(name, _("suppressed") if hidden else ("" if v is None else v)) for name, v in stats]
    found.append(
        FigureTable(
            "time_to_resolution",
            _("Time to resolution in working days"),
            (_("Measure"), _("Working days")),
            tuple(spread_rows),
            note=_("Working days from raising to closing, of the disagreements closed in the period."),
            chart=bar_chart(
                "time_to_resolution",
                _("Time to resolution in working days"),
                [str(n) for n, _v in stats],
                [(_("Working days"), [r[1] for r in spread_rows[1:]])],
            )
            if s.count
            else None,
        )
    )
    d_rows: list[tuple[Cell, ...]] = []
    met_cells: list[Cell] = []
    missed_cells: list[Cell] = []
    for r in dash.deadlines_by_stage.rows:
        cells = (
            [r.met, r.missed, r.pending]
            if below is None
            else [_cell(c) for c in suppress_row([r.met, r.missed, r.pending], below)]
        )
        d_rows.append((r.label, *cells, r.total if below is None else _cell(shown(r.total, below))))
        met_cells.append(cells[0])
        missed_cells.append(cells[1])
    labels = [r.label for r in dash.deadlines_by_stage.rows]
    found.append(
        FigureTable(
            "deadlines_by_stage",
            _("Deadlines met and missed, by stage"),
            (_("Stage"), _("Met"), _("Missed"), _("Still to come"), _("Total")),
            tuple(d_rows),
            note=_("The procedure's deadlines due in the period."),
            chart=bar_chart(
                "deadlines_by_stage",
                _("Deadlines met and missed, by stage"),
                labels,
                [(_("Met"), met_cells), (_("Missed"), missed_cells)],
            )
            if d_rows
            else None,
        )
    )
    found.append(
        _breakdown("escalations", _("Escalations, by the stage escalated to"), _("Stage"), dash.escalations, below)
    )
    months = dash.trend.months
    m_rows: list[tuple[Cell, ...]] = [(m.month.strftime("%B %Y"), count(m.raised), count(m.closed)) for m in months]
    found.append(
        FigureTable(
            "trend",
            _("Raised and closed by month"),
            (_("Month"), _("Raised"), _("Closed")),
            tuple(m_rows),
            chart=column_chart(
                "trend",
                _("Raised and closed by month"),
                [m.month.strftime("%b %y") for m in months],
                [(_("Raised"), [r[1] for r in m_rows]), (_("Closed"), [r[2] for r in m_rows])],
            )
            if months
            else None,
        )
    )
    return found


def as_text(cell: Cell) -> str:
    """A cell as a document's table shows it."""
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, float):
        return _tick_text(round(cell, 1))
    return str(cell)


def text_rows(table: FigureTable) -> list[list[str]]:
    return [[as_text(c) for c in row] for row in table.rows]
