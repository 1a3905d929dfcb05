"""Django's admin is for superusers only: a partnership's administrator (a staff account) is refused it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
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


ADMIN_PAGES = [
    ("admin:index", lambda two: []),
    ("admin:partnerships_partnership_changelist", lambda two: []),
    ("admin:partnerships_partnership_change", lambda two: [two.a.partnership.pk]),
    ("admin:partnerships_partnership_add", lambda two: []),
    ("admin:partnerships_person_changelist", lambda two: []),
    ("admin:partnerships_person_change", lambda two: [two.a.at("school", 2).pk]),
    ("admin:partnerships_agency_add", lambda two: []),
    ("admin:partnerships_roleassignment_add", lambda two: []),
    ("admin:auth_user_changelist", lambda two: []),
    ("admin:audit_event_changelist", lambda two: []),
    ("admin:audit_event_export", lambda two: []),
    ("admin:autocomplete", lambda two: []),
]


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES, ids=[n for n, _ in ADMIN_PAGES])
def test_a_partnership_administrator_is_refused_every_admin_page(two: TwoPartnerships, name: str, args: Any) -> None:
    """Their partnership's pages are at /manage/ now: Django's admin is for superusers only (issue 18)."""
    page = reverse(name, args=args(two))
    assert two.client.get(page).status_code == 403
    assert two.client.post(page, {"name": "Renamed", "retention_days": 1}).status_code == 403
    assert two.client.get(reverse("admin:login")).status_code == 403


def test_a_partnership_administrator_changes_nothing_through_the_admin(two: TwoPartnerships) -> None:
    ours, person = two.a.partnership, two.a.at("school", 2)
    two.client.post(
        reverse("admin:partnerships_partnership_change", args=[ours.pk]), partnership_form(ours, retention_days=400)
    )
    two.client.post(reverse("admin:partnerships_person_change", args=[person.pk]), person_form(person, name="New"))
    two.client.post(
        reverse("admin:partnerships_agency_add"),
        {"partnership": ours.pk, "name": "Planted", "matrix_agency": "", "email": "", "phone": ""},
    )
    two.client.post(reverse("admin:audit_event_export"), {"disagreement": str(two.a_case.pk), "format": "json"})
    ours.refresh_from_db()
    person.refresh_from_db()
    assert (ours.retention_days, person.name) == (6 * 365, "school level 2")
    assert not Agency.objects.filter(name="Planted").exists()
    assert not Event.objects.filter(verb__in=[Verb.REFERENCE_CHANGED, Verb.EXPORTED]).exists()


def test_signed_out_the_admin_sends_to_the_sign_in_page() -> None:
    response = Client().get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_superuser_reaches_the_admin(administrator: Client) -> None:
    assert administrator.get(reverse("admin:index")).status_code == 200


def test_a_superuser_whose_account_is_turned_off_is_refused(administrator: Client) -> None:
    get_user_model().objects.filter(username="admin").update(is_active=False)
    assert administrator.get(reverse("admin:index")).status_code != 200


@pytest.mark.parametrize("model", [Partnership, Agency, Person, RoleAssignment], ids=lambda m: m.__name__)
def test_the_admins_scoping_still_limits_a_staff_account_to_its_partnerships(two: TwoPartnerships, model: Any) -> None:
    """A second guard behind the superusers-only site: the lists' own scoping, asked directly."""
    request = RequestFactory().get("/admin/")
    request.user = two.staff
    shown = admin.site._registry[model].get_queryset(request)
    lookup = "pk" if model is Partnership else "partnership"
    assert shown.exists()
    assert set(shown.values_list(lookup, flat=True)) == {two.a.partnership.pk}


def test_a_superuser_sees_every_partnership(two: TwoPartnerships, administrator: Client) -> None:
    response = administrator.get(reverse("admin:partnerships_person_changelist"))
    shown = set(response.context["cl"].queryset.values_list("partnership", flat=True))
    assert shown == {two.a.partnership.pk, two.b.partnership.pk}
