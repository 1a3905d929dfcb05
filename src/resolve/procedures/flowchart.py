"""A pathway drawn as a flowchart: one box per stage, top to bottom, an arrow for each escalation.

Pure string building (nothing fetched, no JavaScript, no library): the page puts the SVG inline. It
is drawn on a 320-unit-wide ``viewBox`` at ``width="100%"``, so it fits a 320 px screen and grows
with its column; boxes are stacked, never side by side, so nothing is squeezed. Every piece of text
is escaped here, so a procedure's words cannot become markup.

The chart is an image (``role="img"``) named by its ``<title>`` and described by its ``<desc>``;
``described_by`` names the element on the page that holds the same stages as text (the ordered list
of steps), for anyone who cannot see the picture.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 320
MARGIN = 10
BOX_WIDTH = WIDTH - 2 * MARGIN
PADDING = 10
NAME_SIZE = 15
NAME_LINE = 19
LABEL_SIZE = 14
LABEL_LINE = 18
# characters a line holds in the box at those sizes, in Arial (an average glyph is about half the size)
NAME_CHARACTERS = 32
LABEL_CHARACTERS = 37
ARROW = 44
TEXT = "#0b0c0c"
SECONDARY = "#505a5f"
URGENT = "#1d70b8"


@dataclass(frozen=True)
class Box:
    """One stage as the chart shows it: its name, then the lines under it (its timescales)."""

    slug: str
    name: str
    labels: tuple[str, ...] = ()
    #: an urgent case may start here: drawn with a thicker, blue edge and the ``note``
    urgent_start: bool = False
    note: str = ""


@dataclass(frozen=True)
class _Laid:
    box: Box
    top: int
    height: int
    name_lines: list[str]
    label_lines: list[str]


def _lay_out(boxes: Sequence[Box]) -> tuple[list[_Laid], int]:
    laid: list[_Laid] = []
    top = MARGIN
    for box in boxes:
        name_lines = textwrap.wrap(box.name, NAME_CHARACTERS) or [""]
        label_lines = [line for label in box.labels for line in textwrap.wrap(label, LABEL_CHARACTERS)]
        if box.urgent_start and box.note:
            label_lines += textwrap.wrap(box.note, LABEL_CHARACTERS)
        height = 2 * PADDING + len(name_lines) * NAME_LINE + len(label_lines) * LABEL_LINE
        laid.append(_Laid(box, top, height, name_lines, label_lines))
        top += height + ARROW
    return laid, top - ARROW + MARGIN


def _text(x: int, y: int, lines: Sequence[str], *, size: int, step: int, colour: str, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    spans = "".join(f'<tspan x="{x}" y="{y + i * step}">{escape(line)}</tspan>' for i, line in enumerate(lines) if line)
    return f'<text font-family="arial, sans-serif" font-size="{size}" fill="{colour}"{weight}>{spans}</text>'


def _arrow(top: int, label: str) -> str:
    """Down from one box's bottom edge (``top``) to the next box's top, labelled to its right."""
    x = WIDTH // 2
    end = top + ARROW
    return (
        '<g class="resolve-flowchart__escalation">'
        f'<line x1="{x}" y1="{top}" x2="{x}" y2="{end - 8}" stroke="{TEXT}" stroke-width="2"/>'
        f'<polygon points="{x - 6},{end - 9} {x + 6},{end - 9} {x},{end}" fill="{TEXT}"/>'
        f'<text x="{x + 10}" y="{top + ARROW // 2 + 5}" font-family="arial, sans-serif" font-size="{LABEL_SIZE}" '
        f'fill="{SECONDARY}">{escape(label)}</text>'
        "</g>"
    )


def flowchart_svg(
    boxes: Sequence[Box],
    *,
    title: str,
    description: str,
    escalate_label: str,
    element_id: str = "flowchart",
    described_by: str | None = None,
) -> str:
    """The SVG of ``boxes`` in order, an arrow labelled ``escalate_label`` between each and the next.

    ``element_id`` prefixes the ids of the title and description, so two charts on a page differ.
    """
    laid, height = _lay_out(boxes)
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    describe = f" aria-describedby={quoteattr(described_by)}" if described_by else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(element_id)} role="img" '
        f'aria-labelledby="{title_id} {desc_id}"{describe} viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" class="resolve-flowchart">',
        f"<title id={quoteattr(title_id)}>{escape(title)}</title>",
        f"<desc id={quoteattr(desc_id)}>{escape(description)}</desc>",
    ]
    for i, item in enumerate(laid):
        edge, thickness = (URGENT, 4) if item.box.urgent_start else (TEXT, 2)
        parts.append(f'<g class="resolve-flowchart__stage" data-stage={quoteattr(item.box.slug)}>')
        parts.append(
            f'<rect x="{MARGIN}" y="{item.top}" width="{BOX_WIDTH}" height="{item.height}" '
            f'fill="#ffffff" stroke="{edge}" stroke-width="{thickness}"/>'
        )
        x = MARGIN + PADDING
        first = item.top + PADDING + NAME_SIZE
        parts.append(_text(x, first, item.name_lines, size=NAME_SIZE, step=NAME_LINE, colour=TEXT, bold=True))
        if item.label_lines:
            below = item.top + PADDING + len(item.name_lines) * NAME_LINE + LABEL_SIZE
            parts.append(_text(x, below, item.label_lines, size=LABEL_SIZE, step=LABEL_LINE, colour=TEXT))
        parts.append("</g>")
        if i < len(laid) - 1:
            parts.append(_arrow(item.top + item.height, escalate_label))
    parts.append("</svg>")
    return "".join(parts)
