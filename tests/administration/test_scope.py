"""A staff account that administers partnership A sees, changes and exports only A's reference data and trail."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Agency, Partnership, Person, RoleAssignment
from tests.administration.conftest import TwoPartnerships

pytestmark = pytest.mark.django_db


def person_form(person: Person, **changes: object) -> dict[str, object]:
    """The person's change form as the admin posts it, with ``changes``."""
    values: dict[str, object] = {
        "partnership": person.partnership_id,
        "agency": person.agency_id or "",
        "user": person.user_id or "",
        "name": person.name,
        "job_title": person.job_title,
        "email": person.email,
        "phone": person.phone,
        "level": person.level or "",
        "line_manager": person.line_manager_id or "",
        "is_active": "on",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def partnership_form(partnership: Partnership, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "slug": partnership.slug,
        "name": partnership.name,
        "nation": partnership.nation,
        "retention_days": partnership.retention_days,
        "message_channel": partnership.message_channel,
        "day_starts": "09:00",
        "day_ends": "17:00",
        "calendar_days-TOTAL_FORMS": 0,
        "calendar_days-INITIAL_FORMS": 0,
    }
    if partnership.mfa_required:
        values["mfa_required"] = "on"
    values.update(changes)
    return values


@pytest.mark.parametrize("page", ["partnership", "agency", "person", "roleassignment"], ids=lambda p: f"{p}-list")
def test_a_partnership_administrator_lists_only_their_own_partnerships_reference_data(
    two: TwoPartnerships, page: str
) -> None:
    response = two.client.get(reverse(f"admin:partnerships_{page}_changelist"))
    assert response.status_code == 200
    listed = {str(pk) for pk in response.context["cl"].result_list.values_list("pk", flat=True)}
    model = response.context["cl"].model
    a_rows = {
        str(pk)
        for pk in model.objects.filter(**{ScopeLookups[page]: two.a.partnership.pk}).values_list("pk", flat=True)
    }
    assert listed == a_rows
    assert a_rows
    page_text = response.content.decode()
    assert two.b.partnership.name not in page_text  # not in the list, nor in its filters


ScopeLookups = {"partnership": "pk", "agency": "partnership", "person": "partnership", "roleassignment": "partnership"}


def test_another_partnerships_person_cannot_be_seen_or_changed(two: TwoPartnerships) -> None:
    theirs = two.b.at("school", 2)
    page = reverse("admin:partnerships_person_change", args=[theirs.pk])
    assert two.client.get(page).status_code == 302  # the admin's answer for an object that does not exist
    two.client.post(page, person_form(theirs, name="Renamed", partnership=two.a.partnership.pk))
    theirs.refresh_from_db()
    assert (theirs.name, theirs.partnership_id) == ("school level 2", two.b.partnership.pk)


def test_another_partnerships_retention_and_two_factor_settings_cannot_be_lowered(two: TwoPartnerships) -> None:
    theirs = two.b.partnership
    theirs.mfa_required = True
    theirs.save()
    page = reverse("admin:partnerships_partnership_change", args=[theirs.pk])
    assert two.client.get(page).status_code == 302
    form = partnership_form(theirs, retention_days=1)
    del form["mfa_required"]
    two.client.post(page, form)
    theirs.refresh_from_db()
    assert (theirs.retention_days, theirs.mfa_required) == (6 * 365, True)
    assert not Event.objects.filter(verb=Verb.REFERENCE_CHANGED).exists()


def test_a_partnership_administrator_changes_their_own_partnerships_settings(two: TwoPartnerships) -> None:
    ours = two.a.partnership
    response = two.client.post(
        reverse("admin:partnerships_partnership_change", args=[ours.pk]), partnership_form(ours, retention_days=400)
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.retention_days == 400


def test_only_superusers_add_partnerships_or_choose_their_administrators(two: TwoPartnerships) -> None:
    assert two.client.get(reverse("admin:partnerships_partnership_add")).status_code == 403
    someone = get_user_model().objects.create_user("someone", "someone@example.test", "x" * 20, is_staff=True)
    ours = two.a.partnership
    two.client.post(
        reverse("admin:partnerships_partnership_change", args=[ours.pk]),
        partnership_form(ours, administrators=[someone.pk, two.staff.pk]),
    )
    assert list(ours.administrators.all()) == [two.staff]
    assert (
        two.client.post(reverse("admin:partnerships_partnership_delete", args=[ours.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Partnership.objects.filter(pk=ours.pk).exists()


@pytest.mark.parametrize(
    ("field", "theirs"),
    [
        ("partnership", lambda two: two.b.partnership.pk),
        ("agency", lambda two: two.b.agencies["school"].pk),
        ("line_manager", lambda two: two.b.at("school", 3).pk),
        ("user", lambda two: two.b.at("school", 1).user_id),  # another partnership's person's account
        ("user", lambda two: two.staff.pk),  # an administrator's account
    ],
)
def test_a_person_cannot_be_given_another_partnerships_partnership_agency_manager_or_account(
    two: TwoPartnerships, field: str, theirs: object
) -> None:
    ours = two.a.at("school", 2)
    before = person_form(ours)
    response = two.client.post(
        reverse("admin:partnerships_person_change", args=[ours.pk]),
        person_form(ours, **{field: theirs(two)}),  # type: ignore[operator]
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    ours.refresh_from_db()
    assert person_form(ours) == before


def test_an_account_nobody_holds_can_be_linked_to_ones_own_person(two: TwoPartnerships) -> None:
    account = get_user_model().objects.create_user("new@example.test", "new@example.test", "x" * 20)
    ours = two.a.at("school", 2)
    response = two.client.post(
        reverse("admin:partnerships_person_change", args=[ours.pk]), person_form(ours, user=account.pk)
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.user_id == account.pk


def test_a_role_cannot_be_given_to_another_partnerships_person(two: TwoPartnerships) -> None:
    response = two.client.post(
        reverse("admin:partnerships_roleassignment_add"),
        {"partnership": two.a.partnership.pk, "person": two.b.at("school", 5).pk, "role": "business-unit"},
    )
    assert response.status_code == 200
    assert "person" in response.context["adminform"].form.errors
    assert not RoleAssignment.objects.filter(person=two.b.at("school", 5)).exists()


def test_an_agency_cannot_be_added_to_another_partnership(two: TwoPartnerships) -> None:
    response = two.client.post(
        reverse("admin:partnerships_agency_add"),
        {"partnership": two.b.partnership.pk, "name": "Planted", "matrix_agency": "", "email": "", "phone": ""},
    )
    assert response.status_code == 200
    assert not Agency.objects.filter(name="Planted").exists()


def test_the_audit_trail_list_shows_only_ones_own_partnerships_entries(two: TwoPartnerships) -> None:
    response = two.client.get(reverse("admin:audit_event_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("partnership", flat=True))
    assert shown == {two.a.partnership.pk}
    assert two.b.partnership.name not in response.content.decode()
    b_entry = Event.objects.filter(partnership=two.b.partnership).first()
    assert b_entry is not None
    assert two.client.get(reverse("admin:audit_event_change", args=[b_entry.pk])).status_code == 302


@pytest.mark.parametrize("kind", ["disagreement", "person"])
def test_another_partnerships_trail_cannot_be_exported(two: TwoPartnerships, kind: str) -> None:
    subject = two.b_case.pk if kind == "disagreement" else two.b.at("csc", 1).pk
    response = two.client.post(reverse("admin:audit_event_export"), {kind: str(subject), "format": "json"})
    assert response.status_code == 400
    assert f"No such {kind}: check the identifier." in response.content.decode()
    assert not Event.objects.filter(verb=Verb.EXPORTED).exists()


def test_ones_own_partnerships_trail_exports_naming_the_account(two: TwoPartnerships) -> None:
    response = two.client.post(
        reverse("admin:audit_event_export"), {"disagreement": str(two.a_case.pk), "format": "json"}
    )
    assert response.status_code == 200
    exported = Event.objects.get(verb=Verb.EXPORTED)
    assert (exported.partnership_id, exported.data["user"]) == (two.a.partnership.pk, two.staff.pk)


def test_another_partnerships_person_cannot_be_exported_from_the_people_list(two: TwoPartnerships) -> None:
    response = two.client.post(
        reverse("admin:partnerships_person_changelist"),
        {"action": "export_person_trail", "_selected_action": [str(two.b.at("csc", 1).pk)]},
    )
    assert response.get("Content-Disposition") is None
    assert not Event.objects.filter(verb=Verb.EXPORTED).exists()


def test_a_superuser_sees_every_partnership(two: TwoPartnerships, administrator: Client) -> None:
    response = administrator.get(reverse("admin:partnerships_person_changelist"))
    shown = set(response.context["cl"].queryset.values_list("partnership", flat=True))
    assert shown == {two.a.partnership.pk, two.b.partnership.pk}


def test_a_staff_account_that_administers_nothing_sees_nothing(two: TwoPartnerships) -> None:
    two.a.partnership.administrators.clear()
    for page in ("partnerships_person", "partnerships_partnership", "audit_event"):
        response = two.client.get(reverse(f"admin:{page}_changelist"))
        assert response.context["cl"].result_count == 0


def test_choosing_a_line_manager_offers_only_ones_own_partnerships_people(two: TwoPartnerships) -> None:
    response = two.client.get(
        reverse("admin:autocomplete"),
        {"app_label": "partnerships", "model_name": "person", "field_name": "line_manager", "term": "school level 3"},
    )
    assert response.status_code == 200
    offered = {r["id"] for r in response.json()["results"]}
    assert str(two.a.at("school", 3).pk) in offered
    assert str(two.b.at("school", 3).pk) not in offered
    assert offered <= {
        str(pk) for pk in Person.objects.filter(partnership=two.a.partnership).values_list("pk", flat=True)
    }
