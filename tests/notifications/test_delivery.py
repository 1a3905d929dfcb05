"""A notice becomes one e-mail to each recipient, through a real SMTP server, exactly once."""

from __future__ import annotations

import pytest

from resolve.disagreements.models import Notice
from resolve.notifications.models import Message
from resolve.notifications.services import notice_dispatch
from tests.disagreements.walker import Walker
from tests.notifications.conftest import Inbox

pytestmark = pytest.mark.django_db


def test_raising_in_enfield_emails_both_line_managers_once(cast_for, time_machine, smtp: Inbox, work) -> None:
    cast = cast_for("enfield")
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation")
    work()
    told = Notice.objects.filter(disagreement=walker.d)
    assert told.exists()
    addresses = {p.email for n in told for p in n.recipients.all()}
    assert addresses, "the procedure tells someone when a disagreement is raised"
    got = {a for r in smtp.received for a in r.rcpt_tos}
    assert got == addresses
    for r in smtp.received:
        assert walker.d.reference in r.subject
        assert walker.d.child.reference not in r.body
        assert f"/disagreements/{walker.d.pk}/" in r.body or "/messages/" in r.body
    assert Message.objects.filter(status=Message.Status.SENT).count() == len(smtp.received)
    # a second run of the worker, and a re-dispatch, send nothing more
    work()
    for n in told:
        assert notice_dispatch(n.pk) == 0
    work()
    assert len(smtp.received) == len(addresses)
