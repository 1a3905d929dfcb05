"""The procedure's documents section: which record the partnership files, and which reports go to its board.

Every seed asks for written records; Enfield (L84-86), Peterborough (L53, L60) and Cumbria (L41) ask for a
report. A report names which disagreements it covers by a stage of the procedure or a seniority level, and
a definition that names one it does not have is refused with the line to change.
"""

from __future__ import annotations

import pytest
import yaml

from resolve.procedures.loader import DefinitionError, bundled, bundled_path, load_text


def test_each_seed_names_its_record_and_the_reports_its_text_asks_for() -> None:
    reports = {
        slug: [(r.slug, r.reached_stage, r.min_level) for r in bundled(slug).documents.reports]
        for slug in ("north-east-lincolnshire", "enfield", "peterborough", "pan-lancashire", "cumbria")
    }
    assert reports == {
        "north-east-lincolnshire": [],  # reporting NOT IN SEED (READING 1.5)
        "enfield": [("level-4-log", "step-4", 4)],  # READING 2.7: the level of the people involved, and Step 4
        "peterborough": [("appendix-3", "independent-chair", None)],  # READING 3.2
        "pan-lancashire": [],  # NOT IN SEED (READING 4.1)
        "cumbria": [("formal-use", "formal-process", None)],  # L41
    }
    peterborough = bundled("peterborough").documents.record
    assert peterborough is not None
    assert peterborough.modelled_on is not None
    assert peterborough.modelled_on.startswith("Appendix 2")  # the fields are Resolve's: the seed has only its title
    enfield = bundled("enfield").documents.record
    assert enfield is not None
    assert enfield.kept_by == ("the child's case file", "the agency raising the concern")


def _enfield_with(report: dict[str, object]) -> str:
    data = yaml.safe_load(bundled_path("enfield").read_text(encoding="utf-8"))
    data["documents"]["reports"] = [report]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reached_stage": "step-9"}, "reached_stage 'step-9' is no stage of any pathway"),
        ({"min_level": 9}, "min_level 9 is not a seniority level"),
        ({"to": ["board-secretary"]}, "goes to 'board-secretary', which is not in roles"),
        ({"reached_stage": None, "min_level": None}, "needs reached_stage or min_level"),
    ],
)
def test_a_report_naming_what_the_procedure_does_not_have_is_refused(change: dict[str, object], message: str) -> None:
    report: dict[str, object] = {
        "slug": "log",
        "title": "Log",
        "what": "Collated and monitored",
        "reached_stage": "step-4",
        "to": ["business-unit"],
        "source": "L84-86",
        **change,
    }
    with pytest.raises(DefinitionError) as caught:
        load_text(_enfield_with({k: v for k, v in report.items() if v is not None}))
    assert message in " ".join(str(p) for p in caught.value.problems)


def test_a_procedure_without_a_documents_section_loads_with_resolves_own_record() -> None:
    data = yaml.safe_load(bundled_path("cumbria").read_text(encoding="utf-8"))
    del data["documents"]
    procedure = load_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert procedure.documents.record is None
    assert procedure.documents.reports == ()
