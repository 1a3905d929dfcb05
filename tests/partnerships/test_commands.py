"""`resolve procedures adopt` and `resolve timeline --partnership`: the commands that need a partnership.

They extend the procedures app's own commands (tests/procedures/), which know nothing of partnerships.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from resolve.partnerships.models import CalendarDay
from tests.factories import PartnershipFactory
from tests.procedures.test_loader import MINIMAL

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("procedures", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def timeline(*args: str) -> list[dict[str, str]]:
    out = StringIO()
    call_command("timeline", *args, "--start", "2026-12-21T10:00", "--format", "json", stdout=out)
    rows: list[dict[str, str]] = json.loads(out.getvalue())
    return rows


def test_a_partnership_adopts_its_own_file_and_versions_are_kept(tmp_path: Path) -> None:
    partnership = PartnershipFactory.create(procedure_slug="enfield")
    ours = tmp_path / "ours.yaml"
    ours.write_text(MINIMAL)
    assert "now uses Our procedure, version 1" in run("adopt", partnership.slug, str(ours))
    ours.write_text(MINIMAL.replace("name: Our procedure", "name: Our procedure (revised)"))
    assert "version 2" in run("adopt", partnership.slug, str(ours))
    partnership.refresh_from_db()
    assert partnership.procedure is not None
    assert (partnership.procedure.slug, partnership.procedure.version) == ("ours", 2)
    assert run("versions", "ours").count("ours.yaml") == 2


def test_a_partnership_adopts_a_bundled_procedure_by_its_slug() -> None:
    partnership = PartnershipFactory.create(procedure_slug="enfield")
    assert "version 1" in run("adopt", partnership.slug, "cumbria")
    partnership.refresh_from_db()
    assert partnership.procedure is not None
    assert partnership.procedure.slug == "cumbria"


def test_adopting_a_bad_file_changes_nothing(tmp_path: Path) -> None:
    partnership = PartnershipFactory.create(procedure_slug="enfield")
    before = partnership.procedure
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("slug: ours", "slug: Not A Slug"))
    with pytest.raises(CommandError, match="cannot be used"):
        run("adopt", partnership.slug, str(bad))
    partnership.refresh_from_db()
    assert partnership.procedure == before


def test_adopting_for_an_unknown_partnership_names_it() -> None:
    with pytest.raises(CommandError, match="There is no partnership 'atlantis'"):
        run("adopt", "atlantis", "enfield")


def test_the_procedures_command_still_lists_shows_and_checks() -> None:
    assert "enfield" in run("list")
    assert "Stage 1 [stage-1]" in run("show", "enfield")
    assert "All 5 definition(s) are valid." in run("check")


def test_the_timeline_uses_a_partnerships_closure_days() -> None:
    partnership = PartnershipFactory.create(procedure_slug="enfield")
    CalendarDay.objects.create(partnership=partnership, date=date(2026, 12, 21), kind=CalendarDay.Kind.CLOSURE)
    first = timeline("enfield", "--partnership", partnership.slug)[0]
    assert first["due"] == "2026-12-22T17:00:00+00:00"  # the partnership is closed on the 21st


def test_the_timeline_uses_a_partnerships_nation() -> None:
    # Pan-Lancashire stage 1 from Tue 29 Dec 2026: in Scotland 1 and 4 January are holidays.
    partnership = PartnershipFactory.create(procedure_slug="pan-lancashire", nation="SCT")
    out = StringIO()
    call_command(
        "timeline",
        "pan-lancashire",
        "--from-stage",
        "stage-1",
        "--partnership",
        partnership.slug,
        "--start",
        "2026-12-29T10:00",
        "--format",
        "json",
        stdout=out,
    )
    first = sorted(r["due"] for r in json.loads(out.getvalue()) if r["stage"] == "stage-1" and r["due"])
    assert first[0] == "2027-01-07T17:00:00+00:00"


def test_the_timeline_table_names_the_partnerships_nation_and_own_days() -> None:
    partnership = PartnershipFactory.create(procedure_slug="enfield", nation="WLS")
    CalendarDay.objects.create(partnership=partnership, date=date(2026, 12, 21), kind=CalendarDay.Kind.CLOSURE)
    out = StringIO()
    call_command("timeline", "enfield", "--partnership", partnership.slug, "--start", "2026-12-21T10:00", stdout=out)
    assert out.getvalue().startswith("Working days: the bank holidays of Wales, and 1 day(s) of the partnership's own.")


def test_the_timeline_for_an_unknown_partnership_names_it() -> None:
    with pytest.raises(CommandError, match="There is no partnership 'atlantis'"):
        timeline("enfield", "--partnership", "atlantis")


def test_the_timeline_refuses_a_nation_that_would_override_the_partnerships_own() -> None:
    partnership = PartnershipFactory.create(procedure_slug="enfield", nation="ENG")
    with pytest.raises(CommandError, match="Give --partnership or --nation, not both"):
        timeline("enfield", "--partnership", partnership.slug, "--nation", "SCT")
