"""Events every procedure needs, as e-mails: a proposed outcome asks others to confirm; feedback tells the raiser."""

from __future__ import annotations

from typing import Any

import pytest

from resolve.core.errors import Refused
from resolve.disagreements import services
from resolve.disagreements.models import Notice
from resolve.notifications.models import Message
from resolve.partnerships.models import Person
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.disagreements.walker import Walker, at
from tests.notifications.conftest import Inbox

pytestmark = pytest.mark.django_db


def mailed(smtp: Inbox, cast: Cast) -> list[str]:
    """Who the mail server took messages for, by name, then forgotten (so each check sees only what is new)."""
    names = {p.email: p.name for p in Person.objects.filter(partnership=cast.partnership)}
    got = sorted(names.get(a, a) for r in smtp.received for a in r.rcpt_tos)
    smtp.received.clear()
    return got


def raised(cast: Cast, time_machine: object, smtp: Inbox, work: Any, **kwargs: Any) -> Walker:
    """An Enfield disagreement raised by the school against csc, its first e-mails sent and set aside."""
    walker = Walker(cast, time_machine)
    walker.raise_("2027-01-11T10:00", pathway="escalation", **kwargs)
    work()
    smtp.received.clear()
    return walker


def test_a_proposed_outcome_asks_the_other_agencys_confirmers_and_not_the_proposer(
    cast_for, time_machine, smtp: Inbox, work
) -> None:
    cast = cast_for("enfield")
    walker = raised(cast, time_machine, smtp, work)
    proposer = walker.person("school", walker.current())  # stage 1: line managers (level 2)
    outcome = services.outcome_propose(disagreement=walker.d, by=proposer, text="Assessment starts on Monday.")
    work()
    # csc's line manager and everyone above them: each may confirm for csc; nobody in the school is asked
    assert mailed(smtp, cast) == ["csc level 2", "csc level 3", "csc level 4", "csc level 5"]
    asked = Message.objects.get(person=cast.at("csc", 2), notice__kind=Notice.Kind.OUTCOME_PROPOSED)
    assert asked.subject == f"{walker.d.reference}: Outcome proposed: please confirm"
    assert f"/disagreements/{walker.d.pk}/" in asked.body  # they take part (through their chain): the page opens
    services.outcome_confirm(outcome=outcome, by=cast.at("csc", 2))
    work()
    assert mailed(smtp, cast) == []  # confirming asks nobody anything


def test_with_three_agencies_each_other_agency_is_asked(cast_for, time_machine, smtp: Inbox, work) -> None:
    cast = cast_for("enfield")
    time_machine.move_to(at("2027-01-11T10:00"), tick=False)
    d = raise_one(cast, against=("csc", "police"), pathway="escalation")
    work()
    smtp.received.clear()
    services.outcome_propose(disagreement=d, by=cast.at("csc", 2), text="Police visit first.")
    work()
    # the school's and the police's line managers and up; csc confirmed it by proposing it
    assert mailed(smtp, cast) == [
        *(f"police level {n}" for n in (2, 3, 4, 5)),
        *(f"school level {n}" for n in (2, 3, 4, 5)),
    ]


def test_a_refused_proposal_tells_nobody(cast_for, time_machine, smtp: Inbox, work) -> None:
    cast = cast_for("enfield")
    walker = raised(cast, time_machine, smtp, work)
    with pytest.raises(Refused):  # stage 1 is for line managers: the practitioner cannot propose it
        services.outcome_propose(disagreement=walker.d, by=cast.at("school", 1), text="Agreed.")
    work()
    assert mailed(smtp, cast) == []
    assert not Notice.objects.filter(disagreement=walker.d, kind=Notice.Kind.OUTCOME_PROPOSED).exists()


def test_an_urgent_proposal_is_not_held_for_a_daily_digest(cast_for, time_machine, smtp: Inbox, work) -> None:
    cast = cast_for("enfield")
    for person in (cast.at("csc", 2), cast.at("csc", 3)):
        person.daily_digest = True
        person.save()
    walker = raised(cast, time_machine, smtp, work, significant_harm=True)
    services.outcome_propose(disagreement=walker.d, by=cast.at("school", 2), text="Visit today.")
    work()
    assert mailed(smtp, cast) == ["csc level 2", "csc level 3", "csc level 4", "csc level 5"]


def test_a_proposal_that_is_not_urgent_waits_for_the_digest_of_whoever_takes_one(
    cast_for, time_machine, smtp: Inbox, work
) -> None:
    cast = cast_for("enfield")
    csc2 = cast.at("csc", 2)
    csc2.daily_digest = True
    csc2.save()
    walker = raised(cast, time_machine, smtp, work)
    services.outcome_propose(disagreement=walker.d, by=cast.at("school", 2), text="Assessment on Monday.")
    work()
    assert mailed(smtp, cast) == ["csc level 3", "csc level 4", "csc level 5"]
    assert Message.objects.get(person=csc2, notice__kind=Notice.Kind.OUTCOME_PROPOSED).status == Message.Status.HELD


def test_feedback_tells_the_raiser_and_nobody_else(cast_for, time_machine, smtp: Inbox, work) -> None:
    cast = cast_for("enfield")
    walker = raised(cast, time_machine, smtp, work)
    services.feedback_give(disagreement=walker.d, by=cast.at("csc", 1), text="A social worker visits on Monday.")
    work()
    assert mailed(smtp, cast) == ["school level 1"]
    told = Message.objects.get(notice__kind=Notice.Kind.FEEDBACK_GIVEN)
    assert told.subject == f"{walker.d.reference}: Feedback given"
    assert f"/disagreements/{walker.d.pk}/" in told.body
    assert "A social worker visits" not in told.body  # what was said is read in Resolve, not in an e-mail


def test_the_raiser_cannot_give_feedback_so_is_never_told_of_their_own(
    cast_for, time_machine, smtp: Inbox, work
) -> None:
    cast = cast_for("enfield")
    walker = raised(cast, time_machine, smtp, work)
    with pytest.raises(Refused):
        services.feedback_give(disagreement=walker.d, by=cast.at("school", 1), text="Done.")
    work()
    assert mailed(smtp, cast) == []
