"""The flowchart: one box per stage of a pathway, an arrow for each escalation, named and described."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from resolve.procedures.flowchart import WIDTH, Box, flowchart_svg
from resolve.procedures.loader import bundled, bundled_slugs

SVG = "{http://www.w3.org/2000/svg}"
PATHWAYS = [(slug, pathway.slug) for slug in bundled_slugs() for pathway in bundled(slug).pathways]


def draw(boxes: list[Box], **kwargs: str) -> ET.Element:
    svg = flowchart_svg(boxes, title="A title", description="A description", escalate_label="Escalate", **kwargs)
    return ET.fromstring(svg)


@pytest.mark.parametrize(("procedure", "pathway"), PATHWAYS)
def test_every_bundled_pathway_draws_one_box_per_stage_and_one_arrow_between_each(procedure: str, pathway: str) -> None:
    stages = bundled(procedure).pathway(pathway).stages
    chart = draw([Box(slug=s.slug, name=s.name, labels=("5 working days",)) for s in stages])
    boxes = chart.findall(f"{SVG}g[@class='resolve-flowchart__stage']")
    assert [b.get("data-stage") for b in boxes] == [s.slug for s in stages]
    assert all(b.find(f"{SVG}rect") is not None for b in boxes)
    assert len(chart.findall(f"{SVG}g[@class='resolve-flowchart__escalation']")) == len(stages) - 1


def test_the_chart_is_an_image_named_by_its_title_and_described_by_its_desc_and_the_list() -> None:
    chart = draw([Box(slug="one", name="Stage 1")], element_id="chart", described_by="stages")
    assert chart.get("role") == "img"
    assert chart.get("aria-labelledby") == "chart-title chart-desc"
    assert chart.get("aria-describedby") == "stages"
    title, desc = chart.find(f"{SVG}title"), chart.find(f"{SVG}desc")
    assert title is not None
    assert title.get("id") == "chart-title"
    assert title.text == "A title"
    assert desc is not None
    assert desc.get("id") == "chart-desc"
    assert desc.text == "A description"


def test_it_fits_any_width_from_its_view_box_and_stacks_the_boxes_downwards() -> None:
    chart = draw([Box(slug=f"s{i}", name=f"Stage {i}") for i in range(3)])
    assert chart.get("width") == "100%"
    assert chart.get("viewBox", "").startswith(f"0 0 {WIDTH} ")
    tops = [float(r.get("y", "0")) for r in chart.iter(f"{SVG}rect")]
    assert tops == sorted(tops)
    assert len(set(tops)) == 3
    assert all(float(r.get("x", "0")) + float(r.get("width", "0")) <= WIDTH for r in chart.iter(f"{SVG}rect"))


def test_long_names_wrap_inside_the_box_and_the_box_grows() -> None:
    short = draw([Box(slug="a", name="Stage 1")])
    long = draw([Box(slug="a", name="Escalation to the Chair of the Safeguarding Children Partnership Board")])
    height = lambda chart: float(next(chart.iter(f"{SVG}rect")).get("height", "0"))  # noqa: E731
    assert height(long) > height(short)
    assert len(list(long.iter(f"{SVG}tspan"))) > 1


def test_a_procedures_words_are_escaped_never_markup() -> None:
    svg = flowchart_svg(
        [Box(slug="a", name="<script>alert(1)</script> & co", labels=('"quoted" <b>',))],
        title="T <x>",
        description="D & E",
        escalate_label="Escalate",
    )
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "<x>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&amp; co" in svg
    ET.fromstring(svg)


def test_an_urgent_start_stage_is_marked_with_its_note() -> None:
    svg = flowchart_svg(
        [Box(slug="a", name="Stage 1"), Box(slug="b", name="Stage 2", urgent_start=True, note="Urgent may start here")],
        title="T",
        description="D",
        escalate_label="Escalate",
    )
    assert "Urgent may start here" in svg
    assert len(re.findall('stroke-width="4"', svg)) == 1
