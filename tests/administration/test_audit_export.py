"""An administrator exports the audit trail from the admin, for a disagreement or a person; entries stay read only."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from resolve.audit.chain import verify
from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_the_trail_for_a_disagreement_downloads_as_json_and_the_export_is_logged_naming_who_made_it(
    trail: Cast, administrator: Client
) -> None:
    raised = Event.objects.get(verb=Verb.RAISED)
    response = administrator.post(
        reverse("admin:audit_event_export"), {"disagreement": str(raised.disagreement_id), "format": "json"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-trail-disagreement-{raised.disagreement_id}.json"'
    )
    rows = json.loads(response.content)
    assert rows[0]["what"] == "raised"
    assert {r["disagreement"] for r in rows} == {str(raised.disagreement_id)}
    exported = Event.objects.get(verb=Verb.EXPORTED)
    account = get_user_model().objects.get(username="admin")
    assert exported.data == {"disagreement": str(raised.disagreement_id), "entries": len(rows), "user": account.pk}
    assert {r["exported_by"] for r in rows} == {f"account {account.pk}"}
    assert verify().ok


def test_a_subject_access_request_exports_a_persons_entries_from_the_people_list(
    trail: Cast, administrator: Client
) -> None:
    counterpart = trail.at("csc", 1)
    response = administrator.post(
        reverse("admin:partnerships_person_changelist"),
        {"action": "export_person_trail", "_selected_action": [str(counterpart.pk)]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(StringIO(response.content.decode())))
    whats = [row["what"] for row in rows]
    assert {row["exported_by"] for row in rows} == {f"account {get_user_model().objects.get(username='admin').pk}"}
    assert "participant_added" in whats
    assert "action_added" in whats
    assert Event.objects.filter(verb=Verb.EXPORTED, data__person=str(counterpart.pk)).exists()


def test_an_unknown_identifier_is_named_on_the_form_and_nothing_is_logged(trail: Cast, administrator: Client) -> None:
    response = administrator.post(reverse("admin:audit_event_export"), {"person": "not-an-id", "format": "csv"})
    assert response.status_code == 400
    assert "No such person: check the identifier." in response.content.decode()
    both = administrator.post(reverse("admin:audit_event_export"), {"format": "csv"})
    assert both.status_code == 400
    assert "Give either a disagreement&#x27;s identifier or a person&#x27;s" in both.content.decode()
    assert not Event.objects.filter(verb=Verb.EXPORTED).exists()


def test_entries_cannot_be_added_changed_or_deleted_in_the_admin(trail: Cast, administrator: Client) -> None:
    entry = Event.objects.order_by("id").first()
    assert entry is not None
    listing = administrator.get(reverse("admin:audit_event_changelist")).content.decode()
    assert reverse("admin:audit_event_export") in listing
    assert administrator.get(reverse("admin:audit_event_add")).status_code == 403
    assert administrator.post(reverse("admin:audit_event_delete", args=[entry.pk])).status_code == 403
    before = (entry.verb, entry.data, entry.hash)
    assert (
        administrator.post(reverse("admin:audit_event_change", args=[entry.pk]), {"verb": "raised"}).status_code == 403
    )
    entry.refresh_from_db()
    assert (entry.verb, entry.data, entry.hash) == before
    assert verify().ok


def test_only_staff_reach_the_export(trail: Cast) -> None:
    client = Client()
    response = client.get(reverse("admin:audit_event_export"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login") + "?next=")
    assert not Event.objects.filter(verb=Verb.EXPORTED).exists()


def test_the_export_command_names_the_operator_who_ran_it_in_the_entry_and_the_file(trail: Cast) -> None:
    raised = Event.objects.get(verb=Verb.RAISED)
    out = StringIO()
    call_command("audit", "export", "--disagreement", str(raised.disagreement_id), stdout=out)
    operator = Operator.current().name
    assert {row["exported_by"] for row in json.loads(out.getvalue())} == {f"operator {operator}"}
    exported = Event.objects.get(verb=Verb.EXPORTED)
    assert (exported.actor, exported.data["operator"]) == (None, operator)
