"""The procedure draft and adopting from it (resolve.partnerships.drafting): only a partnership's own
administrators, every refusal changing nothing, every change recorded, open disagreements kept on
the version they started on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers

from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements.models import Disagreement
from resolve.partnerships import drafting
from resolve.partnerships.models import Adoption, Partnership, ProcedureDraft
from resolve.procedures.loader import bundled_path, read_definition
from resolve.procedures.models import ProcedureVersion
from tests.accounts.conftest import give_account
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one

pytestmark = pytest.mark.django_db

ENFIELD = read_definition(bundled_path("enfield"))
#: Enfield with its escalation pathway's first stage renamed
EDITED = ENFIELD.replace("        name: Stage 1\n", "        name: Stage 1, the line managers talk\n", 1)


def snapshot() -> str:
    models = (ProcedureDraft, ProcedureVersion, Adoption, Partnership, Event)
    return "".join(serializers.serialize("json", m._default_manager.order_by("pk")) for m in models)


@contextmanager
def nothing_changes() -> Iterator[None]:
    before = snapshot()
    yield
    assert snapshot() == before


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def admin_of(partnership: Partnership, name: str = "admin") -> Any:
    user = get_user_model().objects.create_user(name, f"{name}@example.test", "x" * 20, is_staff=True)
    partnership.administrators.add(user)
    return user


def draft_events(partnership: Partnership) -> list[dict[str, Any]]:
    return [
        e.data
        for e in Event.objects.filter(partnership=partnership, verb=Verb.REFERENCE_CHANGED).order_by("pk")
        if e.data.get("model") == "partnerships.ProcedureDraft"
    ]


def test_a_copy_of_the_current_version_goes_into_the_draft_and_is_recorded(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    draft = drafting.draft_start(partnership=enfield.partnership, source="current", by=admin)
    assert draft.text == enfield.partnership.procedure.source_text  # type: ignore[union-attr]
    assert draft.based_on == enfield.partnership.procedure
    assert draft.updated_by == admin
    (event,) = draft_events(enfield.partnership)
    assert event["action"] == "added"
    assert event["object"] == str(draft.pk)
    assert event["source"] == "current"
    assert event["user"] == admin.pk
    assert "text" in event["fields"]
    assert ENFIELD[:40] not in str(event)


def test_a_copy_of_a_bundled_procedure_goes_into_the_draft(enfield: Cast) -> None:
    draft = drafting.draft_start(
        partnership=enfield.partnership, source="bundled:cumbria", by=admin_of(enfield.partnership)
    )
    assert draft.text == read_definition(bundled_path("cumbria"))
    assert draft.origin == "bundled:cumbria"


@pytest.mark.parametrize("source", ["", "bundled:", "bundled:nowhere", "bundled:../enfield", "somewhere"])
def test_starting_from_nothing_known_is_refused_and_changes_nothing(enfield: Cast, source: str) -> None:
    admin = admin_of(enfield.partnership)
    with nothing_changes(), pytest.raises(ResolveError) as refused:
        drafting.draft_start(partnership=enfield.partnership, source=source, by=admin)
    assert refused.value.field == "source"


def test_a_second_draft_is_refused_while_one_exists(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    drafting.draft_start(partnership=enfield.partnership, source="current", by=admin)
    with nothing_changes(), pytest.raises(Refused, match="already have a draft"):
        drafting.draft_start(partnership=enfield.partnership, source="bundled:cumbria", by=admin)
    with nothing_changes(), pytest.raises(Refused):
        drafting.draft_upload(partnership=enfield.partnership, filename="ours.yaml", content=b"slug: x\n", by=admin)


@pytest.mark.parametrize("who", ["another partnership's administrator", "a practitioner", "staff"])
def test_nobody_but_the_partnerships_administrators_touches_its_draft(
    cast_for: Callable[[str], Cast], who: str
) -> None:
    a, b = cast_for("enfield"), cast_for("enfield")
    drafting.draft_start(partnership=a.partnership, source="current", by=admin_of(a.partnership, "a-admin"))
    if who == "another partnership's administrator":
        user = admin_of(b.partnership, "b-admin")
    elif who == "staff":
        user = get_user_model().objects.create_user("staff", "staff@example.test", "x" * 20, is_staff=True)
    else:
        user = give_account(a.at("school", 1)).user
    calls: list[Callable[[], object]] = [
        lambda: drafting.draft_save(partnership=a.partnership, text=EDITED, by=user),
        lambda: drafting.draft_discard(partnership=a.partnership, by=user),
        lambda: drafting.draft_adopt(partnership=a.partnership, by=user),
        lambda: drafting.draft_upload(partnership=a.partnership, filename="x.yaml", content=b"a: b", by=user),
        lambda: drafting.bundled_adopt(partnership=a.partnership, slug="cumbria", by=user),
    ]
    for call in calls:
        with nothing_changes(), pytest.raises(Refused):
            call()


def test_an_upload_goes_into_the_draft_even_before_it_is_a_good_definition(enfield: Cast) -> None:
    draft = drafting.draft_upload(
        partnership=enfield.partnership,
        filename="C:\\Users\\bm\\Our procedure.YML",
        content=b"slug: ours\r\nname: Ours\r\n",
        by=admin_of(enfield.partnership),
    )
    assert draft.text == "slug: ours\nname: Ours\n"
    assert draft.origin == "file:Our procedure.YML"
    assert draft_events(enfield.partnership)[-1]["source"] == "file"


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("ours.yaml", "slug: caf\xe9\n".encode("latin-1"), "must be UTF-8 text: line 1"),
        ("ours.yaml", b"a: b\n" + b"#" * drafting.MAX_BYTES, "smaller than 1 MB"),
        ("ours.txt", b"slug: ours\n", "ending .yaml or .yml"),
        ("ours.yaml", b"", "is empty"),
        ("ours.yaml", b"slug: ours\x00\n", "NUL"),
        ("ours.yaml", b"  \n\n", "Enter the procedure"),
    ],
)
def test_a_bad_file_is_refused_with_what_to_fix_and_changes_nothing(
    enfield: Cast, filename: str, content: bytes, message: str
) -> None:
    admin = admin_of(enfield.partnership)
    with nothing_changes(), pytest.raises(ResolveError, match=message) as refused:
        drafting.draft_upload(partnership=enfield.partnership, filename=filename, content=content, by=admin)
    assert refused.value.field == "file"


def test_saving_keeps_the_text_even_with_problems_and_records_each_change(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    broken = ENFIELD.replace("slug: enfield\n", "slugg: enfield\n", 1)
    draft = drafting.draft_save(partnership=enfield.partnership, text=broken, by=admin)
    assert draft.text == broken
    checked = drafting.draft_checked(partnership=enfield.partnership)
    assert checked is not None
    assert not checked.clean
    assert any(p.path == "slugg" and p.line == 8 for p in checked.problems)
    drafting.draft_save(partnership=enfield.partnership, text=broken, by=admin)  # unchanged: nothing recorded
    drafting.draft_save(partnership=enfield.partnership, text=EDITED, by=admin)
    assert [e["action"] for e in draft_events(enfield.partnership)] == ["added", "changed"]
    assert drafting.draft_checked(partnership=enfield.partnership).clean  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "message"), [("", "Enter"), ("a: b\x00", "NUL"), ("#" * 1_000_001, "1 MB")])
def test_saving_bad_text_is_refused_and_changes_nothing(enfield: Cast, text: str, message: str) -> None:
    admin = admin_of(enfield.partnership)
    drafting.draft_start(partnership=enfield.partnership, source="current", by=admin)
    with nothing_changes(), pytest.raises(ResolveError, match=message) as refused:
        drafting.draft_save(partnership=enfield.partnership, text=text, by=admin)
    assert refused.value.field == "text"


def test_discarding_removes_the_draft_and_is_recorded(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    draft = drafting.draft_start(partnership=enfield.partnership, source="current", by=admin)
    drafting.draft_discard(partnership=enfield.partnership, by=admin)
    assert not ProcedureDraft.objects.exists()
    assert draft_events(enfield.partnership)[-1] | {"user": 0} == {
        "model": "partnerships.ProcedureDraft",
        "object": str(draft.pk),
        "action": "removed",
        "fields": [],
        "user": 0,
    }
    with nothing_changes(), pytest.raises(NotFound):
        drafting.draft_discard(partnership=enfield.partnership, by=admin)


def test_adopting_makes_one_new_version_and_open_disagreements_stay_on_theirs(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    old = enfield.partnership.procedure
    assert old is not None
    opened = raise_one(enfield)
    drafting.draft_start(partnership=enfield.partnership, source="current", by=admin)
    drafting.draft_save(partnership=enfield.partnership, text=EDITED, by=admin)
    versions, adoptions = ProcedureVersion.objects.count(), Adoption.objects.count()

    version = drafting.draft_adopt(partnership=enfield.partnership, by=admin)

    assert ProcedureVersion.objects.count() == versions + 1
    assert Adoption.objects.count() == adoptions + 1
    assert (version.slug, version.version) == ("enfield", old.version + 1)
    assert version.source_text == EDITED
    assert version.origin == f"draft:version:{old.pk}"
    enfield.partnership.refresh_from_db()
    assert enfield.partnership.procedure == version
    assert Adoption.objects.filter(partnership=enfield.partnership).first().adopted_by == admin  # type: ignore[union-attr]
    assert not ProcedureDraft.objects.filter(partnership=enfield.partnership).exists()
    opened.refresh_from_db()
    assert opened.procedure_version == old  # stays on the version it started on
    assert opened.procedure_version.procedure.pathway("escalation").stages[0].name == "Stage 1"
    raised_after = raise_one(enfield)
    assert raised_after.procedure_version == version
    assert raised_after.procedure_version.procedure.pathway("escalation").stages[0].name == (
        "Stage 1, the line managers talk"
    )
    adopted = Event.objects.filter(partnership=enfield.partnership, verb=Verb.PROCEDURE_ADOPTED).last()
    assert adopted is not None
    assert adopted.data["version"] == version.version
    assert draft_events(enfield.partnership)[-1]["action"] == "adopted"
    assert draft_events(enfield.partnership)[-1]["version"] == version.pk


def test_a_draft_with_problems_cannot_be_adopted(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    drafting.draft_save(partnership=enfield.partnership, text=EDITED.replace("pathways:", "pathway:"), by=admin)
    with nothing_changes(), pytest.raises(ResolveError, match="has problems"):
        drafting.draft_adopt(partnership=enfield.partnership, by=admin)


def test_a_draft_identical_to_the_current_version_is_already_it(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    drafting.draft_start(partnership=enfield.partnership, source="current", by=admin)
    with nothing_changes(), pytest.raises(Refused, match="already your current version"):
        drafting.draft_adopt(partnership=enfield.partnership, by=admin)
    with nothing_changes(), pytest.raises(Refused, match="already your current version"):
        drafting.bundled_adopt(partnership=enfield.partnership, slug="enfield", by=admin)


def test_a_draft_with_another_bundled_procedures_slug_says_so(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    drafting.draft_save(
        partnership=enfield.partnership, text=EDITED.replace("slug: enfield\n", "slug: cumbria\n", 1), by=admin
    )
    with nothing_changes(), pytest.raises(ResolveError, match="is the bundled procedure cumbria's") as refused:
        drafting.draft_adopt(partnership=enfield.partnership, by=admin)
    assert refused.value.field == "text"


def test_a_draft_with_another_partnerships_procedures_slug_says_so(cast_for: Callable[[str], Cast]) -> None:
    a, b = cast_for("enfield"), cast_for("enfield")
    b_admin = admin_of(b.partnership, "b-admin")
    drafting.draft_save(
        partnership=b.partnership, text=EDITED.replace("slug: enfield\n", "slug: b-own\n", 1), by=b_admin
    )
    drafting.draft_adopt(partnership=b.partnership, by=b_admin)
    a_admin = admin_of(a.partnership, "a-admin")
    drafting.draft_save(
        partnership=a.partnership, text=EDITED.replace("slug: enfield\n", "slug: b-own\n", 1), by=a_admin
    )
    with nothing_changes(), pytest.raises(ResolveError, match="already another procedure's"):
        drafting.draft_adopt(partnership=a.partnership, by=a_admin)


def test_a_new_slug_starts_at_version_1(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    drafting.draft_save(
        partnership=enfield.partnership, text=EDITED.replace("slug: enfield\n", "slug: ours\n", 1), by=admin
    )
    version = drafting.draft_adopt(partnership=enfield.partnership, by=admin)
    assert (version.slug, version.version, version.origin) == ("ours", 1, "draft")


def test_adopting_a_bundled_procedure_as_it_is(enfield: Cast) -> None:
    admin = admin_of(enfield.partnership)
    opened = raise_one(enfield)
    version = drafting.bundled_adopt(partnership=enfield.partnership, slug="cumbria", by=admin)
    enfield.partnership.refresh_from_db()
    assert enfield.partnership.procedure == version
    assert version.origin == "bundled:cumbria"
    opened.refresh_from_db()
    assert opened.procedure_version.slug == "enfield"
    assert Disagreement.objects.filter(procedure_version__slug="enfield", status="open").count() == 1
    with nothing_changes(), pytest.raises(NotFound):
        drafting.bundled_adopt(partnership=enfield.partnership, slug="nowhere", by=admin)


def test_an_operator_at_the_command_line_may_adopt_a_draft(enfield: Cast) -> None:
    operator = Operator(name="bm@server")
    drafting.draft_save(partnership=enfield.partnership, text=EDITED, by=operator)
    version = drafting.draft_adopt(partnership=enfield.partnership, by=operator)
    assert Adoption.objects.filter(version=version).get().operator == "bm@server"
