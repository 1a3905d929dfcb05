"""Reading definitions: a bad one is refused with the file, the path, the line and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from resolve.procedures.loader import (
    DefinitionError,
    UnknownProcedure,
    bundled,
    bundled_slugs,
    load_file,
    load_text,
)

MINIMAL = """\
slug: ours
name: Our procedure
partnership: Our partnership
version: "1"
document: our-procedure.pdf
summary: Two stages.
pathways:
  - slug: main
    name: Main
    description: Everything.
    source: p1
    stages:
      - slug: one
        name: Stage one
        summary: Practitioners talk.
        source: p1
        handlers: {description: practitioners, level: 1, source: p1}
        timescales:
          - {slug: talk, what: Talked, rule: working_days, n: 5, source: p1}
      - slug: two
        name: Stage two
        summary: Managers talk.
        source: p2
        handlers: {description: managers, level: 2, source: p2}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_text(text, filename="ours.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_five_seed_procedures_are_bundled() -> None:
    assert set(bundled_slugs()) >= {"north-east-lincolnshire", "enfield", "peterborough", "pan-lancashire", "cumbria"}
    for slug in bundled_slugs():
        assert bundled(slug).slug == slug


def test_a_minimal_definition_loads() -> None:
    procedure = load_text(MINIMAL, filename="ours.yaml")
    assert [s.slug for s in procedure.pathways[0].stages] == ["one", "two"]


def test_unknown_procedure_names_the_bundled_ones() -> None:
    with pytest.raises(UnknownProcedure, match=r"Bundled procedures: .*enfield"):
        bundled("atlantis")


def test_a_working_days_timescale_without_n_names_file_path_and_line() -> None:
    text = MINIMAL.replace("rule: working_days, n: 5,", "rule: working_days,")
    (problem,) = problems_of(text)
    assert problem.startswith("ours.yaml:19: pathways[main].stages[one].timescales[talk]")
    assert "needs n" in problem


def test_a_misspelt_field_is_named() -> None:
    text = MINIMAL.replace("summary: Managers talk.", "sumary: Managers talk.")
    found = problems_of(text)
    assert any("pathways[main].stages[two].sumary: is not a field" in p for p in found)
    assert any("pathways[main].stages[two].summary: is required but missing" in p for p in found)


def test_a_bad_anchor_is_explained() -> None:
    text = MINIMAL.replace("n: 5, source: p1}", "n: 5, from: stage_start:two, source: p1}")
    (problem,) = problems_of(text)
    assert "measured from the start of 'two', which is not this stage or one before it" in problem


def test_a_notification_to_an_unknown_role_is_refused() -> None:
    text = MINIMAL.replace(
        "handlers: {description: managers, level: 2, source: p2}",
        "handlers: {description: managers, level: 2, source: p2}\n"
        "        notifications: [{to: nobody, what: Told, source: p2}]",
    )
    (problem,) = problems_of(text)
    assert "notification to 'nobody' names no role" in problem


def test_invalid_yaml_gives_the_line() -> None:
    (problem,) = problems_of("slug: [unclosed\nname: x\n")
    assert problem.startswith("ours.yaml:")
    assert "is not valid YAML" in problem


def test_duplicate_stage_slugs_are_refused() -> None:
    text = MINIMAL.replace("slug: two", "slug: one")
    (problem,) = problems_of(text)
    assert "stage slugs must be unique in a pathway; repeated: one" in problem


def test_a_valid_definition_is_parsed_once_and_shared() -> None:
    first = load_text(MINIMAL, filename="ours.yaml")
    assert load_text(MINIMAL, filename="theirs.yaml") is first  # the same text: no second parse
    changed = load_text(MINIMAL.replace("name: Our procedure", "name: Our procedure (revised)"))
    assert changed is not first
    assert changed.name == "Our procedure (revised)"


def test_a_bad_definition_is_refused_every_time_with_its_own_file_name() -> None:
    bad = MINIMAL.replace("slug: ours", "slug: Not A Slug")
    for filename in ("first.yaml", "second.yaml"):
        with pytest.raises(DefinitionError) as refused:
            load_text(bad, filename=filename)
        assert str(refused.value).startswith(f"{filename}:")


def test_a_key_given_twice_is_refused_at_the_line_of_the_second() -> None:
    # `n: 7` then `n: 70` used to load and count 70 working days: PyYAML keeps the last of two keys
    text = MINIMAL.replace(
        "          - {slug: talk, what: Talked, rule: working_days, n: 5, source: p1}",
        "          - slug: talk\n            what: Talked\n            rule: working_days\n"
        "            n: 7\n            n: 70\n            source: p1",
    )
    (problem,) = problems_of(text)
    assert problem.startswith("ours.yaml:23: (top level): is not valid YAML")
    assert "the key 'n' is given twice (first on line 22)" in problem


def test_a_top_level_key_given_twice_is_refused() -> None:
    (problem,) = problems_of(MINIMAL.replace("name: Our procedure\n", "name: Our procedure\nname: Theirs\n"))
    assert problem.startswith("ours.yaml:3:")
    assert "the key 'name' is given twice (first on line 2)" in problem


def test_yaml_merge_keys_may_still_be_overridden() -> None:
    text = MINIMAL.replace(
        "        handlers: {description: managers, level: 2, source: p2}",
        "        handlers:\n          <<: {description: managers, level: 1, source: p2}\n          level: 2",
    )
    assert load_text(text, filename="ours.yaml").pathways[0].stages[1].handlers.level == 2


def test_a_file_that_is_not_utf8_names_the_file_the_offset_and_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "ours.yaml"
    bad.write_bytes(
        MINIMAL.replace("Practitioners talk.", "Practitioners talk \u2013 in Windows-1252.").encode("cp1252")
    )
    offset = MINIMAL.index("Practitioners talk.") + len("Practitioners talk ")
    with pytest.raises(DefinitionError) as refused:
        load_file(bad)
    (problem,) = refused.value.problems
    assert str(problem).startswith(f"{bad}:15: (top level): is not UTF-8 text")
    assert f"the byte 0x96 at offset {offset}" in str(problem)
    assert "save the file as UTF-8" in str(problem)


def test_a_category_naming_an_unknown_pathway_names_the_category_line() -> None:
    text = MINIMAL.replace(
        "pathways:\n",
        "categories:\n  - {slug: threshold, name: Thresholds, source: p1}\n"
        "  - {slug: other, name: Other, pathway: nowhere, source: p1}\npathways:\n",
    )
    (problem,) = problems_of(text)
    assert problem.startswith("ours.yaml:9: categories[other].pathway: category 'other' names pathway 'nowhere'")


def test_a_notification_to_an_unknown_role_names_the_notification_line() -> None:
    text = MINIMAL.replace(
        "handlers: {description: managers, level: 2, source: p2}",
        "handlers: {description: managers, level: 2, source: p2}\n"
        "        notifications:\n          - {to: handlers, what: Told, source: p2}\n"
        "          - {to: nobody, what: Told, source: p2}",
    )
    (problem,) = problems_of(text)
    assert problem.startswith("ours.yaml:27: pathways[main].stages[two].notifications[1].to:")


def test_a_timescale_from_an_unknown_stage_names_the_timescale_line() -> None:
    text = MINIMAL.replace("n: 5, source: p1}", "n: 5, from: stage_start:three, source: p1}")
    (problem,) = problems_of(text)
    assert problem.startswith("ours.yaml:19: pathways[main].stages[one].timescales[talk].from:")
    assert "measured from the start of 'three'" in problem


def test_a_timescale_due_from_an_unknown_timescale_names_its_line() -> None:
    text = MINIMAL.replace(
        "          - {slug: talk, what: Talked, rule: working_days, n: 5, source: p1}",
        "          - {slug: talk, what: Talked, rule: working_days, n: 5, source: p1}\n"
        "          - {slug: meet, what: Met, rule: working_days, n: 2, from: 'due:later', source: p1}",
    )
    (problem,) = problems_of(text)
    assert problem.startswith("ours.yaml:20: pathways[main].stages[one].timescales[meet].from:")


def test_every_unknown_reference_is_reported_at_its_own_line() -> None:
    text = MINIMAL.replace(
        "        handlers: {description: managers, level: 2, source: p2}",
        "        handlers: {description: managers, level: 2, roles: [panel], source: p2}\n"
        "        notifications: [{to: nobody, what: Told, source: p2}]",
    )
    found = problems_of(text)
    assert [p.split(": ")[0:2] for p in found] == [
        ["ours.yaml:24", "pathways[main].stages[two].handlers.roles[0]"],
        ["ours.yaml:25", "pathways[main].stages[two].notifications[0].to"],
    ]


def test_a_repeated_category_slug_names_the_line_of_the_repeat() -> None:
    text = MINIMAL.replace(
        "pathways:\n",
        "categories:\n  - {slug: threshold, name: Thresholds, source: p1}\n"
        "  - {slug: threshold, name: Thresholds again, source: p1}\npathways:\n",
    )
    (problem,) = problems_of(text)
    assert problem.startswith("ours.yaml:9: categories[threshold].slug: category slugs must be unique")
