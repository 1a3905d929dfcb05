"""Someone leaving: their open work handed to a named successor, then they are deactivated (never deleted).

``person_leave`` is one transaction. Everything is checked before anything is written: who is
asking (an administrator of the person's partnership), the successor (active, in the same
partnership, not the person leaving), and, for each open disagreement, that the successor may take
each part the person had (a handler's part at the current stage needs the stage's authority, as
``participant_add`` asks; a reviewer's part needs someone from none of the agencies in dispute). One
part the successor may not take refuses the whole handover, naming the disagreement's reference and
what is missing, and nothing changes.

Then, on each open disagreement: the successor takes part in the same capacities, owns the open
actions, is invited to the meetings to come in the person's place, becomes its named reviewer if the
person was, and a ``HANDED_OVER`` entry on its timeline names (by id) who left and who took over; the
successor is sent a notice saying what was handed to them. Last, the person is deactivated, with
their account, and every session of that account is ended.

The person who raised a disagreement is the only one who answers its feedback (accepts it or asks for
it to go further). ``raised_by`` is history and never changes; the successor takes the raiser's part
as a participant, and ``rules.raiser_of`` makes them the one who answers and is told, once the person
who raised it has left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resolve.access.policy import handles_stage, may_be_handler, who_can_act
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event, event_record
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import Action, Disagreement, Meeting, Notice, Participant
from resolve.disagreements.services import stages
from resolve.disagreements.work import OpenWork, Part, open_work_of
from resolve.partnerships.models import Person
from resolve.partnerships.services import Asker, Asking, administrator_check


@dataclass(frozen=True)
class Handover:
    """What ``person_leave`` did: the person (now inactive), who took over, and the work moved."""

    person: Person
    successor: Person | None
    disagreements: int
    actions: int
    meetings: int
    sessions_ended: int


def _successor_checked(person: Person, successor: object) -> Person | None:
    if successor is None:
        return None
    if not isinstance(successor, Person):
        raise ResolveError(_("Choose who takes over from the people listed."), field="successor")
    if successor.partnership_id != person.partnership_id:
        raise NotFound(_("There is no such person in this partnership."), field="successor")
    if successor.pk == person.pk:
        raise ResolveError(
            _("Choose someone else to take over: %(name)s is the person leaving.") % {"name": person.name},
            field="successor",
        )
    if not successor.is_active:
        raise ResolveError(
            _("%(name)s has left the partnership: choose someone active to take over.") % {"name": successor.name},
            field="successor",
        )
    return successor


def _problems(person: Person, successor: Person, work: OpenWork) -> list[str]:
    """Each part of the open work the successor may not take, in words naming the disagreement."""
    problems = []
    handler = Participant.Capacity.HANDLER
    handler_runs = dict(
        Participant.objects.filter(
            person=person, capacity=handler, disagreement__in=[p.disagreement for p in work.parts]
        ).values_list("disagreement", "stage_run")
    )
    for part in work.parts:
        disagreement, run = part.disagreement, part.run
        reference = disagreement.reference
        if handler in part.capacities:
            # a handler's part at the current stage carries its authority; one from a stage that
            # has ended carries none, and the successor takes it at that stage
            at_current = handler_runs.get(disagreement.pk) in (None, run.pk) or handles_stage(person, run)
            if at_current and not may_be_handler(successor, run):
                problems.append(
                    _("%(reference)s: %(name)s cannot handle %(stage)s. %(who)s")
                    % {
                        "reference": reference,
                        "name": successor.name,
                        "stage": run.name,
                        "who": who_can_act(disagreement),
                    }
                )
        reviewing = part.named_reviewer or Participant.Capacity.REVIEWER in part.capacities
        if (
            reviewing
            and successor.agency_id is not None
            and successor.agency_id in rules.party_agency_ids(disagreement)
        ):
            problems.append(
                _(
                    "%(reference)s: %(name)s belongs to %(agency)s, an agency in this dispute, and cannot take "
                    "over as its independent reviewer. Choose someone from none of the agencies in dispute."
                )
                % {
                    "reference": reference,
                    "name": successor.name,
                    "agency": successor.agency.name if successor.agency else "",
                }
            )
    return problems


def _what_was_handed(person: Person, part: Part) -> str:
    """The notice's words to the successor: whose work, and which parts of it (nothing about the child)."""
    pieces = [label.lower() for label in part.capacity_labels]
    if part.named_reviewer:
        pieces.append(_("the named independent reviewer"))
    if part.actions:
        pieces.append(ngettext("%(n)d open action", "%(n)d open actions", part.actions) % {"n": part.actions})
    if part.meetings:
        pieces.append(ngettext("%(n)d meeting to come", "%(n)d meetings to come", part.meetings) % {"n": part.meetings})
    return _("%(name)s has left. Their part in this disagreement is now yours: %(parts)s.") % {
        "name": person.name,
        "parts": "; ".join(pieces),
    }


def _hand_over(*, person: Person, successor: Person, part: Part, asker: Asker, now: datetime) -> None:
    disagreement, run = part.disagreement, part.run
    mine = {p.capacity: p for p in Participant.objects.filter(disagreement=disagreement, person=person)}
    for capacity in part.capacities:
        taken_at = run
        if capacity == Participant.Capacity.HANDLER:
            earlier = mine[capacity].stage_run
            if earlier is not None and earlier.ended_at is not None and not may_be_handler(successor, run):
                taken_at = earlier  # a handler's part at a stage that has ended, taken at that stage
        stages.participant_ensure(
            disagreement=disagreement, person=successor, capacity=capacity, run=taken_at, by=asker.actor, at=now
        )
    if part.named_reviewer:
        Disagreement.objects.filter(pk=disagreement.pk).update(reviewer=successor)
        stages.participant_ensure(
            disagreement=disagreement,
            person=successor,
            capacity=Participant.Capacity.REVIEWER,
            run=run,
            by=asker.actor,
            at=now,
        )
    actions = list(
        Action.objects.select_for_update()
        .filter(disagreement=disagreement, owner=person, completed_at__isnull=True)
        .order_by("pk")
    )
    Action.objects.filter(pk__in=[a.pk for a in actions]).update(owner=successor)
    meetings = list(
        Meeting.objects.select_for_update()
        .filter(disagreement=disagreement, invitees=person, cancelled_at__isnull=True, ends_at__gt=now)
        .order_by("pk")
    )
    for meeting in meetings:
        meeting.invitees.remove(person)
        meeting.invitees.add(successor)
    disagreement_event(
        disagreement,
        Verb.HANDED_OVER,
        by=asker.actor,
        at=now,
        person=str(person.pk),
        successor=str(successor.pk),
        capacities=part.capacities,
        named_reviewer=part.named_reviewer,
        actions=[str(a.pk) for a in actions],
        meetings=[str(m.pk) for m in meetings],
        stage=run.stage,
        **asker.data,
    )
    stages.notice_send(
        disagreement=disagreement,
        run=run,
        to="successor",
        what=_what_was_handed(person, part),
        recipients=[successor],
        source="handover",
        kind=Notice.Kind.HANDED_OVER,
        by=asker.actor,
        at=now,
    )


def _sessions_end(person: Person) -> int:
    """The account can no longer sign in, and every browser signed in to it is signed out."""
    if person.user_id is None:
        return 0
    get_user_model().objects.filter(pk=person.user_id).update(is_active=False)
    sessions = list(UserSession.objects.filter(user_id=person.user_id))
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def person_leave(*, person: Person, successor: Person | None, by: Asking) -> Handover:
    """``person`` leaves: their open work goes to ``successor`` (their line manager, say), and they are deactivated.

    Someone with no open work needs no successor. Refused, changing nothing: a successor elsewhere,
    inactive or the person themself; a person who has already left; and open work the successor may
    not take (the message names each disagreement and what is missing).
    """
    asker = administrator_check(partnership=person.partnership, by=by)
    person = Person.objects.select_for_update().select_related("partnership").get(pk=person.pk)
    if not person.is_active:
        raise Refused(_("%(name)s has already left: restore them first if they are back.") % {"name": person.name})
    successor = _successor_checked(person, successor)
    work = open_work_of(person=person)
    if not work.empty and successor is None:
        raise ResolveError(_("Choose who takes over %(name)s's open work.") % {"name": person.name}, field="successor")
    # lock what changes, then read the work again under the locks
    list(
        Disagreement.objects.select_for_update()
        .filter(pk__in=[p.disagreement.pk for p in work.parts])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    work = open_work_of(person=person)
    if successor is not None and not work.empty:
        problems = _problems(person, successor, work)
        if problems:
            raise ResolveError(
                _("%(name)s cannot take over all of the open work. %(problems)s")
                % {"name": successor.name, "problems": " ".join(problems)},
                field="successor",
            )
    now = timezone.now()
    for part in work.parts:
        assert successor is not None
        _hand_over(person=person, successor=successor, part=part, asker=asker, now=now)
    person.is_active = False
    person.save(update_fields=["is_active"])
    sessions = _sessions_end(person)
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=person.partnership,
        actor=asker.actor,
        data={
            "model": Person._meta.label,
            "object": str(person.pk),
            "action": "deactivated",
            "fields": ["is_active"],
            "successor": str(successor.pk) if successor is not None else None,
            "disagreements": [str(p.disagreement.pk) for p in work.parts],
            "account_deactivated": person.user_id is not None,
            "sessions_ended": sessions,
            **asker.data,
        },
    )
    return Handover(
        person=person,
        successor=successor,
        disagreements=len(work.parts),
        actions=len(work.actions),
        meetings=len(work.meetings),
        sessions_ended=sessions,
    )


@transaction.atomic
def person_restore(*, person: Person, by: Asking) -> Person:
    """A person who left is active again, with their account (recorded). Work handed over stays handed over."""
    asker = administrator_check(partnership=person.partnership, by=by)
    person = Person.objects.select_for_update().select_related("partnership").get(pk=person.pk)
    if person.is_active:
        raise Refused(_("%(name)s has not left: there is nothing to restore.") % {"name": person.name})
    person.is_active = True
    person.save(update_fields=["is_active"])
    if person.user_id is not None:
        get_user_model().objects.filter(pk=person.user_id).update(is_active=True)
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=person.partnership,
        actor=asker.actor,
        data={
            "model": Person._meta.label,
            "object": str(person.pk),
            "action": "restored",
            "fields": ["is_active"],
            "account_restored": person.user_id is not None,
            **asker.data,
        },
    )
    return person
