"""The raiser's response: they accept what they were told, or ask for it to go further.

Feedback to the raiser (``feedback_give``) and a proposed written outcome are what the raiser answers.
Only the person who raised the disagreement answers, once for each feedback or outcome. Asking for it
to go further does not escalate it: authority follows the procedure (DESIGN.md), and the raiser
may be below the stage's level. It tells the people who hold the current stage's authority, and the
raiser's line manager, in a notice saying what the raiser asks; no timescale is added to it, since
the procedures give none for this.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.access.policy import Action as Can
from resolve.access.policy import people_who_can_act, require
from resolve.access.refusals import service
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.core.errors import Refused
from resolve.disagreements import rules
from resolve.disagreements.models import Disagreement, Notice, RecordEntry
from resolve.disagreements.services import stages
from resolve.disagreements.services.guards import (
    entry_write,
    lock,
    optional_text,
    require_open,
    required_text,
    yes_or_no,
)
from resolve.partnerships.models import Person
from resolve.partnerships.selectors import managers_of

#: what the notice to the stage's handlers and the raiser's line manager says
ASKED_FURTHER = "The person who raised the disagreement asks for it to go further"


def response_refusal(disagreement: Disagreement, person: Person) -> str | None:
    """Why ``person`` cannot answer now (the page says it; the service refuses with it), or None."""
    if person.pk != rules.raiser_of(disagreement).pk:
        return _("Only the person who raised this disagreement can accept its outcome or ask for it to go further.")
    if rules.answerable(disagreement) is None:
        if RecordEntry.objects.filter(disagreement=disagreement, kind=RecordEntry.Kind.RAISER_RESPONSE).exists():
            return _(
                "You have already answered the latest feedback and outcome. You can answer again when "
                "there is new feedback or a new outcome."
            )
        return _(
            "There is nothing to answer yet: you can accept it, or ask for it to go further, once "
            "you have been given feedback or an outcome has been proposed."
        )
    return None


@service
def raiser_respond(*, disagreement: Disagreement, by: Person, accepts: bool, reason: str = "") -> RecordEntry:
    """The raiser accepts the feedback or outcome, or asks for it to go further (with the reason).

    Accepting is recorded (a reason is optional). Asking for it to go further is recorded and tells
    the people with the current stage's authority and the raiser's line manager; it needs the
    disagreement to be open (a closed one is raised again instead).
    """
    disagreement = lock(disagreement)
    require(by, Can.RESPOND, disagreement)
    problem = response_refusal(disagreement, by)
    if problem:
        raise Refused(problem)
    accepts = yes_or_no(accepts, "accepts", _("whether you accept it"))
    if accepts:
        reason = optional_text(reason, "reason", _("your reasons"))
    else:
        require_open(disagreement, _("taken further"))
        reason = required_text(reason, "reason", _("why you ask for it to go further"))
    run = rules.latest_run(disagreement)
    assert run is not None  # every disagreement starts with a stage run
    now = timezone.now()
    entry = entry_write(
        disagreement=disagreement,
        run=run,
        kind=RecordEntry.Kind.RAISER_RESPONSE,
        by=by,
        now=now,
        data={"answer": "accepted" if accepts else "asked for it to go further", "reason": reason},
    )
    verb = Verb.RAISER_ACCEPTED if accepts else Verb.RAISER_ASKED_FURTHER
    disagreement_event(disagreement, verb, by=by, at=now, record=str(entry.pk), stage=run.stage)
    if not accepts:
        told = {p.pk: p for p in people_who_can_act(disagreement) if p.pk != by.pk}
        for manager in managers_of(by)[:1]:
            told[manager.pk] = manager
        stages.notice_send(
            disagreement=disagreement,
            run=run,
            to="handlers",
            what=ASKED_FURTHER,
            recipients=told.values(),
            source="raiser_response",
            kind=Notice.Kind.ASKED_FURTHER,
            by=by,
            at=now,
        )
    return entry
