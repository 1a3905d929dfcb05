"""`resolve procedures list|show|check|versions` (`adopt` is in tests/partnerships/test_commands.py)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from resolve.procedures.services import procedure_version_from_file
from tests.procedures.test_loader import MINIMAL

SEEDS = ["north-east-lincolnshire", "enfield", "peterborough", "pan-lancashire", "cumbria"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("procedures", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("slug", SEEDS)
def test_show_as_json_gives_pathways_and_stages(slug: str) -> None:
    shown = json.loads(run("show", slug, "--format", "json"))
    assert shown["slug"] == slug
    assert shown["name"]
    for pathway in shown["pathways"]:
        assert pathway["slug"]
        assert pathway["name"]
        assert all(stage["slug"] and stage["name"] for stage in pathway["stages"])


def test_show_as_text_lists_stages_and_timescales() -> None:
    text = run("show", "enfield")
    assert "Stage 1 [stage-1]" in text
    assert "5 working days" in text


def test_list_names_all_five_seeds() -> None:
    text = run("list")
    for slug in SEEDS:
        assert slug in text


def test_check_with_no_files_validates_every_bundled_definition() -> None:
    assert "All 5 definition(s) are valid." in run("check")


def test_check_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "ours.yaml"
    bad.write_text(MINIMAL.replace("rule: working_days, n: 5,", "rule: fortnightly, n: 5,"))
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("procedures", "check", str(bad), stdout=out, stderr=StringIO())
    assert exited.value.code == 1
    assert f"{bad}:19: pathways[main].stages[one].timescales[talk].rule:" in out.getvalue()


def test_check_accepts_a_good_file(tmp_path: Path) -> None:
    good = tmp_path / "ours.yaml"
    good.write_text(MINIMAL)
    assert f"{good}: ok" in run("check", str(good))


def test_check_a_missing_file_says_so(tmp_path: Path) -> None:
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("procedures", "check", str(tmp_path / "nope.yaml"), stdout=out, stderr=StringIO())
    assert "cannot be read" in out.getvalue()


@pytest.mark.django_db
def test_versions_lists_every_stored_version_of_a_procedure(tmp_path: Path) -> None:
    ours = tmp_path / "ours.yaml"
    ours.write_text(MINIMAL)
    procedure_version_from_file(ours)
    ours.write_text(MINIMAL.replace("name: Our procedure", "name: Our procedure (revised)"))
    procedure_version_from_file(ours)
    listed = run("versions", "ours").splitlines()
    assert [line.split()[0] for line in listed] == ["v1", "v2"]


def not_utf8(tmp_path: Path) -> Path:
    bad = tmp_path / "ours.yaml"
    bad.write_bytes(MINIMAL.replace("name: Our procedure", "name: Our procédure").encode("latin-1"))
    return bad


def test_check_a_file_that_is_not_utf8_names_it_and_the_offset(tmp_path: Path) -> None:
    bad = not_utf8(tmp_path)
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("procedures", "check", str(bad), stdout=out, stderr=StringIO())
    assert exited.value.code == 1
    offset = MINIMAL.index("procedure") + len("proc")
    assert f"{bad}:2: (top level): is not UTF-8 text: the byte 0xe9 at offset {offset}" in out.getvalue()


def test_show_a_file_that_is_not_utf8_says_so_without_a_traceback(tmp_path: Path) -> None:
    bad = not_utf8(tmp_path)
    with pytest.raises(CommandError, match=rf"{bad}:2: \(top level\): is not UTF-8 text"):
        call_command("procedures", "show", str(bad), stdout=StringIO())


def test_check_refuses_a_count_given_twice(tmp_path: Path) -> None:
    # `n: 7` then `n: 70` used to pass and count 70 working days
    twice = tmp_path / "ours.yaml"
    twice.write_text(MINIMAL.replace("n: 5, source: p1}", "n: 7, n: 70, source: p1}"))
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("procedures", "check", str(twice), stdout=out, stderr=StringIO())
    assert f"{twice}:19: (top level): is not valid YAML: the key 'n' is given twice" in out.getvalue()


def test_show_as_text_prints_the_contacts_with_the_out_of_hours_one_marked() -> None:
    # Enfield L105: the Emergency out-of-hours duty team, "between 5pm and 9am weekdays or anytime at the weekend"
    text = run("show", "enfield")
    assert "\nContacts:\n" in text
    assert (
        "  - Emergency out-of-hours duty team: 020 8379 1000 "
        "(between 5pm and 9am weekdays or anytime at the weekend) (out of hours) [L105, L56]"
    ) in text
    assert '  - MASH ("If you are worried about a child for any reason"): 0208 379 5555 [L103]' in text


def test_show_as_text_prints_the_conditions_notifications_turn_on() -> None:
    # Enfield L84-86: the business unit is copied once anyone at level 4 or above is involved
    assert "only once someone at level 4 or above is involved) [L84-86]" in run("show", "enfield")
    # Pan-Lancashire L27: MASA told at the earliest opportunity, only with the life-threatening flag
    pan = run("show", "pan-lancashire")
    assert (
        "(when the stage begins; once per disagreement; only with flag life-threatening-non-involvement; "
        "timing: at the earliest opportunity) [L27]"
    ) in pan
    # Peterborough L54: the PSCB told on close, only if the disagreement reached the line managers
    assert (
        "(when the disagreement ends at this stage; once per disagreement; only if it reached line-manager; "
        "form: Appendix 2"
    ) in run("show", "peterborough")


def test_show_as_text_prints_flags_and_the_records_and_timescales_they_govern() -> None:
    pan = run("show", "pan-lancashire")
    assert "\nFlags (conditions of a case, set when raising it):\n  - Intervention is needed" in pan
    assert "[life-threatening-non-involvement] [L27]" in pan
    assert "record: The immediate action taken by all relevant parties to reduce the risk of harm" in pan
    assert "(before escalate or resolve; only with flag life-threatening-non-involvement;" in pan
    # Cumbria L35: the 24 hours apply only where it concerns child protection
    assert "24 hours from stage_start (only when child protection) [L35]" in run("show", "cumbria")


def test_show_as_text_prints_nels_reasons_apart_from_its_categories() -> None:
    # NEL L43: the causes apply to all four categories and route none of them
    text = run("show", "north-east-lincolnshire")
    reasons = text.index("Reasons (apply to every category; they choose no pathway):")
    assert text.index("Categories (each chooses a pathway):") < reasons
    assert "  - Differing views of thresholds [thresholds] [L43]" in text[reasons:]


def test_show_as_text_prints_the_handlers_roles_and_levels_with_sources() -> None:
    text = run("show", "north-east-lincolnshire")
    # NEL L85: "an Independent Scrutiny Officer may be requested"; L205 "will be requested"
    assert "(roles: safeguarding-partners; on request only: independent-scrutiny-officer) [L85]" in text
    assert "(roles: independent-scrutiny-officer) [L205]" in text
    assert "Significant harm: Concerns escalated (significant harm): same working day" in text
    assert "(level 3 in each agency) [L71-73]" in text
    # Enfield stage 2 (L62, Appendix B): "Head of Service or equivalent" is level 3 or 4 by agency
    enfield = run("show", "enfield")
    assert "level by agency: early-help 3, yot 3, childrens-social-care 4," in enfield
    assert "; level 3 in any other agency) [L62, L78, Appendix B L115-132]" in enfield
