"""Reading definitions: a bad one is refused with the file, the path, the line and the problem."""

from __future__ import annotations

import pytest

from resolve.procedures.loader import DefinitionError, UnknownProcedure, bundled, bundled_slugs, load_text

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
