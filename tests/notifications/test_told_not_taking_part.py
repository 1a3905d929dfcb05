"""Being told is not taking part (DESIGN.md): the e-mail of someone only told links to their messages, not the child.

Enfield's business unit is "included in the emails" once Level 4 is involved (L84-86), but handles no
stage: its message links to the page of its own messages, and the disagreement's page is not found for
it. A line manager in the chain of someone taking part may see the disagreement, so their message links
to it. No message carries the child's name, date of birth or reference.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from resolve.notifications.models import Message
from resolve.partnerships.models import Person
from tests.disagreements.walker import Step, Walker
from tests.notifications.conftest import Inbox, Received
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def link_in(received: Received) -> str:
    found = re.search(r"See it in Resolve: (\S+)", received.body)
    assert found, received.body
    return found.group(1)


def only(smtp: Inbox, person: Person) -> Received:
    got = smtp.to(person.email)
    assert len(got) == 1, [r.subject for r in got]
    return got[0]


@pytest.fixture
def at_stage_3(cast_for, time_machine, smtp: Inbox, work: Any) -> Walker:
    """An Enfield disagreement about a named child with a date of birth, escalated to stage 3 (Level 4 involved)."""
    walker = Walker(cast_for("enfield"), time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    child = walker.d.child
    child.name = "Jasmine Okafor"
    child.date_of_birth = date(2019, 3, 4)
    child.save()
    walker.escalate(Step("stage-2", "2027-01-12T10:00", {}))
    walker.escalate(Step("stage-3", "2027-01-13T10:00", {}))
    work()
    return walker


def test_a_role_only_told_is_linked_to_its_messages_and_cannot_open_the_disagreement(
    at_stage_3: Walker, smtp: Inbox
) -> None:
    walker = at_stage_3
    unit = walker.cast.role("business-unit")
    message = only(smtp, unit)
    link = urlsplit(link_in(message))
    assert link.path == reverse("messages")
    assert str(walker.d.pk) not in message.body
    client = signed_in(unit)
    assert client.get(reverse("disagreement", args=[walker.d.pk])).status_code == 404
    page = client.get(link.path)
    assert page.status_code == 200
    assert walker.d.reference in page.content.decode()  # the message is there, by the short reference


def test_a_manager_in_the_chain_of_someone_taking_part_is_linked_to_the_disagreement(
    at_stage_3: Walker, smtp: Inbox
) -> None:
    walker = at_stage_3
    manager = walker.cast.at("csc", 2)  # told at stage 1 (L60), manages the csc practitioner taking part
    link = urlsplit(link_in(only(smtp, manager)))
    assert link.path == reverse("disagreement", args=[walker.d.pk])
    assert signed_in(manager).get(link.path).status_code == 200


def test_no_message_carries_the_childs_name_date_of_birth_or_reference(at_stage_3: Walker, smtp: Inbox) -> None:
    child = at_stage_3.d.child
    assert len(smtp.received) >= 4
    for received in smtp.received:
        text = received.subject + "\n" + received.body
        for detail in (child.reference, "Jasmine", "Okafor", "2019", "4 March", "04/03", "March 2019"):
            assert detail not in text, (detail, received.subject)
    for message in Message.objects.all():  # nor what Resolve keeps of what it sent
        assert "Okafor" not in message.subject + message.body + message.last_error
        assert child.reference not in message.body
