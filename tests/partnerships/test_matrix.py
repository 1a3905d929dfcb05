"""The partnership's seniority matrix: the procedure's cells, the partnership's corrections, and saving them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import Refused, ResolveError
from resolve.partnerships.matrix import matrix_titles_for, seniority_matrix_for, seniority_titles_set
from resolve.partnerships.models import SeniorityTitle
from resolve.procedures.models import ProcedureVersion
from resolve.procedures.services import procedure_version_from_bundle
from tests.conftest import Cast
from tests.factories import AgencyFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def admin_of(cast: Cast, username: str = "matrix-admin") -> Any:
    user = get_user_model().objects.create_user(
        username, f"{username}@example.test", "x" * 20, is_staff=True, first_name="Mina", last_name="Admin"
    )
    cast.partnership.administrators.add(user)
    return user


def matrix_events(cast: Cast) -> list[Event]:
    return list(
        Event.objects.filter(
            partnership=cast.partnership, verb=Verb.REFERENCE_CHANGED, data__model="partnerships.SeniorityTitle"
        ).order_by("id")
    )


# --- reading -----------------------------------------------------------------------------------------


def test_the_matrix_starts_from_the_procedures_cells_with_its_caveat_and_column_notes(enfield: Cast) -> None:
    matrix = seniority_matrix_for(partnership=enfield.partnership)
    assert matrix.from_procedure
    assert [lv.name for lv in matrix.levels] == ["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"]
    assert [c.slug for c in matrix.columns][:3] == ["met-police", "childrens-social-care", "early-help"]
    assert matrix.title("met-police", 4) == "Inspector"
    assert matrix.title("childrens-social-care", 4) is None  # blank in the chart
    cell = matrix.cell("met-police", 4)
    assert cell is not None
    assert (cell.title, cell.printed, cell.corrected) == ("Inspector", "Inspector", False)
    assert "reconstruction" in matrix.caveat
    assert "damaged" in matrix.caveat
    police = next(c for c in matrix.columns if c.slug == "met-police")
    assert any("Detective Chief Inspector" in note for note in police.notes)  # the AMBIGUOUS reading
    assert police.agencies == ("Police",)  # which of the partnership's agencies use the column
    assert next(c for c in matrix.columns if c.slug == "yot").agencies == ()
    assert matrix.above_top == "Executive Director for People"


def test_a_column_an_agency_names_that_the_procedure_lacks_is_shown_and_an_agency_without_one_is_named(
    enfield: Cast,
) -> None:
    AgencyFactory.create(partnership=enfield.partnership, name="Oakfield Academy Trust", matrix_agency="academies")
    AgencyFactory.create(partnership=enfield.partnership, name="Voluntary Sector", matrix_agency="")
    matrix = seniority_matrix_for(partnership=enfield.partnership)
    extra = matrix.columns[-1]
    assert (extra.slug, extra.name, extra.in_procedure) == ("academies", "Oakfield Academy Trust", False)
    assert [cell.title for cell in extra.cells] == ["", "", "", "", ""]
    assert matrix.unplaced == ("Voluntary Sector",)


def test_corrections_win_and_a_blank_correction_empties_the_cell(enfield: Cast) -> None:
    p = enfield.partnership
    SeniorityTitle.objects.create(partnership=p, column="met-police", level=4, title="Detective Chief Inspector")
    SeniorityTitle.objects.create(partnership=p, column="education", level=1, title="")
    matrix = seniority_matrix_for(partnership=p)
    assert matrix.title("met-police", 4) == "Detective Chief Inspector"
    assert matrix.title("education", 1) is None
    assert matrix.title("met-police", 3) == "Detective Inspector"  # others as printed
    cell = matrix.cell("met-police", 4)
    assert cell is not None
    assert cell.corrected
    assert cell.printed == "Inspector"
    assert matrix.corrected == 2
    titles = matrix_titles_for(partnership=p, procedure=p.procedure.procedure)  # type: ignore[union-attr]
    assert titles.title("met-police", 4) == "Detective Chief Inspector"
    assert titles.title("education", 1) is None
    assert titles.title("", 4) is None  # an agency with no column


def test_the_titles_for_a_page_are_one_query_whatever_the_number_of_cells(enfield: Cast) -> None:
    p = enfield.partnership
    for level in range(1, 6):
        SeniorityTitle.objects.create(partnership=p, column="met-police", level=level, title=f"Police {level}")
    procedure = p.procedure.procedure  # type: ignore[union-attr]
    with CaptureQueriesContext(connection) as captured:
        titles = matrix_titles_for(partnership=p.pk, procedure=procedure)
        assert [titles.title("met-police", n) for n in range(1, 6)] == [f"Police {n}" for n in range(1, 6)]
    assert len(captured) == 1


def test_without_a_procedure_the_partnership_keeps_titles_for_its_agencies_columns_at_levels_1_to_5() -> None:
    partnership = PartnershipFactory.create(procedure=None)
    AgencyFactory.create(partnership=partnership, name="Police", matrix_agency="police")
    matrix = seniority_matrix_for(partnership=partnership)
    assert not matrix.from_procedure
    assert matrix.version is None
    assert matrix.caveat == ""
    assert [lv.level for lv in matrix.levels] == [1, 2, 3, 4, 5]
    assert [c.slug for c in matrix.columns] == ["police"]
    operator = Operator(name="ops@server")
    assert seniority_titles_set(partnership=partnership, titles={("police", 2): "Sergeant"}, by=operator) == [
        ("police", 2)
    ]
    assert seniority_matrix_for(partnership=partnership).title("police", 2) == "Sergeant"


def test_a_procedure_without_a_matrix_still_has_levels_1_to_5() -> None:
    version = procedure_version_from_bundle("cumbria")
    assert version.procedure.seniority is None
    partnership = PartnershipFactory.create(procedure=version)
    matrix = seniority_matrix_for(partnership=partnership)
    assert not matrix.from_procedure
    assert matrix.version == version
    assert [lv.level for lv in matrix.levels] == [1, 2, 3, 4, 5]


# --- saving ------------------------------------------------------------------------------------------


def test_saving_stores_and_records_only_the_cells_that_changed(enfield: Cast) -> None:
    admin = admin_of(enfield)
    changed = seniority_titles_set(
        partnership=enfield.partnership,
        titles={
            ("met-police", 4): "  Detective Chief Inspector ",
            ("met-police", 3): "Detective Inspector",  # as shown now: not a change
            ("childrens-social-care", 4): "Head of Service",
        },
        by=admin,
    )
    assert changed == [("met-police", 4), ("childrens-social-care", 4)]
    stored = set(SeniorityTitle.objects.filter(partnership=enfield.partnership).values_list("column", "level", "title"))
    assert stored == {("met-police", 4, "Detective Chief Inspector"), ("childrens-social-care", 4, "Head of Service")}
    events = matrix_events(enfield)
    assert [(e.data["column"], e.data["level"], e.data["action"], e.data["title"]) for e in events] == [
        ("met-police", 4, "added", "Detective Chief Inspector"),
        ("childrens-social-care", 4, "added", "Head of Service"),
    ]
    assert events[0].data["previous"] == "Inspector"
    assert events[0].data["user"] == admin.pk
    assert events[0].data["fields"] == ["title"]
    # who and when, from the trail, on the page's matrix
    cell = seniority_matrix_for(partnership=enfield.partnership).cell("met-police", 4)
    assert cell is not None
    assert cell.changed_by == "Mina Admin"
    assert cell.changed_at == events[0].at
    # the same again changes nothing and records nothing
    assert (
        seniority_titles_set(
            partnership=enfield.partnership, titles={("met-police", 4): "Detective Chief Inspector"}, by=admin
        )
        == []
    )
    assert len(matrix_events(enfield)) == 2


def test_changing_a_correction_and_typing_back_the_procedures_title_are_recorded_changes(enfield: Cast) -> None:
    admin = admin_of(enfield)
    p = enfield.partnership
    seniority_titles_set(partnership=p, titles={("met-police", 4): "DCI"}, by=admin)
    seniority_titles_set(partnership=p, titles={("met-police", 4): "Detective Chief Inspector"}, by=admin)
    assert SeniorityTitle.objects.get(partnership=p, column="met-police", level=4).title == "Detective Chief Inspector"
    seniority_titles_set(partnership=p, titles={("met-police", 4): "Inspector"}, by=admin)  # the printed title
    assert not SeniorityTitle.objects.filter(partnership=p).exists()
    matrix = seniority_matrix_for(partnership=p)
    cell = matrix.cell("met-police", 4)
    assert cell is not None
    assert not cell.corrected
    assert cell.title == "Inspector"
    assert [(e.data["action"], e.data["previous"], e.data["title"]) for e in matrix_events(enfield)] == [
        ("added", "Inspector", "DCI"),
        ("changed", "DCI", "Detective Chief Inspector"),
        ("removed", "Detective Chief Inspector", "Inspector"),
    ]


def test_emptying_a_printed_cell_is_a_blank_correction(enfield: Cast) -> None:
    admin = admin_of(enfield)
    p = enfield.partnership
    seniority_titles_set(partnership=p, titles={("early-help", 1): ""}, by=admin)
    assert SeniorityTitle.objects.get(partnership=p, column="early-help", level=1).title == ""
    assert seniority_matrix_for(partnership=p).title("early-help", 1) is None


@pytest.mark.parametrize(
    ("titles", "field", "message"),
    [
        ({("no-such-column", 1): "X"}, None, "no column"),
        ({("met-police", 9): "X"}, None, "no level"),
        ({("met-police", 4): "x" * 201}, "cell-met-police-4", "Met Police, Level 4 must be 200 characters"),
        ({("met-police", 4): "Detective\x00Chief"}, "cell-met-police-4", "Met Police, Level 4 must be plain text"),
    ],
)
def test_bad_input_is_refused_naming_the_cell_and_nothing_changes(
    enfield: Cast, titles: dict[tuple[str, int], str], field: str | None, message: str
) -> None:
    admin = admin_of(enfield)
    before = Event.objects.count()
    with pytest.raises(ResolveError, match=message) as refused:
        # a good cell first: it is not saved either
        seniority_titles_set(
            partnership=enfield.partnership, titles={("education", 2): "Class teacher", **titles}, by=admin
        )
    assert refused.value.field == field
    assert not SeniorityTitle.objects.filter(partnership=enfield.partnership).exists()
    assert Event.objects.count() == before


def test_another_partnerships_administrator_and_a_practitioner_are_refused(
    enfield: Cast, cast_for: Callable[[str], Cast]
) -> None:
    other = cast_for("enfield")
    stranger = admin_of(other, "other-admin")
    nobody = get_user_model().objects.create_user("plain", "plain@example.test", "x" * 20)
    before = Event.objects.count()
    for by in (stranger, nobody):
        with pytest.raises(Refused):
            seniority_titles_set(partnership=enfield.partnership, titles={("met-police", 4): "DCI"}, by=by)
    assert not SeniorityTitle.objects.exists()
    assert Event.objects.count() == before


def test_a_disagreements_own_version_gives_the_columns_and_the_partnership_corrects_them(enfield: Cast) -> None:
    version: ProcedureVersion = enfield.partnership.procedure  # type: ignore[assignment]
    SeniorityTitle.objects.create(partnership=enfield.partnership, column="met-police", level=4, title="DCI")
    titles = matrix_titles_for(partnership=enfield.partnership, procedure=version.procedure)
    assert titles.title("met-police", 4) == "DCI"
    assert titles.title("met-police", 5) == "Det. Superintendent"
    assert matrix_titles_for(partnership=enfield.partnership, procedure=None).title("met-police", 5) is None
