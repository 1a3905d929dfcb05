"""A person's open work, for someone leaving: what must be handed over before they are deactivated (reads only).

Open work is what a person would leave undone: every open disagreement they take part in (as its
raiser, a handler, a counterpart, a reviewer or a meeting's attendee) or are its named independent
reviewer, the open actions they own, and the meetings to come they are invited to. The page that
shows it is an administrator's: it names each disagreement by its short reference and current stage,
never the child, and no action's words (they may be about the child).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from resolve.audit.models import Event, Verb
from resolve.disagreements.models import Action, Disagreement, Meeting, Participant, StageRun
from resolve.partnerships.models import Person


@dataclass
class Part:
    """One open disagreement and the person's part in it."""

    disagreement: Disagreement
    run: StageRun  # the stage it is at
    capacities: list[str] = field(default_factory=list)  # Participant.Capacity values, in the model's order
    named_reviewer: bool = False
    actions: int = 0
    meetings: int = 0

    @property
    def capacity_labels(self) -> list[str]:
        names = dict(Participant.Capacity.choices)
        return [str(names[c]) for c in self.capacities]


@dataclass
class OpenWork:
    parts: list[Part]
    actions: list[Action]
    meetings: list[Meeting]

    @property
    def empty(self) -> bool:
        return not self.parts

    @property
    def reviewing(self) -> list[Part]:
        """The disagreements the person is the named independent reviewer of."""
        return [p for p in self.parts if p.named_reviewer]


def open_work_of(*, person: Person, now: datetime | None = None) -> OpenWork:
    """Everything open that ``person`` holds, in their own partnership, disagreements by reference."""
    now = now or timezone.now()
    open_here = Q(disagreement__status=Disagreement.Status.OPEN, disagreement__partnership=person.partnership_id)
    participations = list(Participant.objects.filter(open_here, person=person).values_list("disagreement", "capacity"))
    actions = list(
        Action.objects.filter(open_here, owner=person, completed_at__isnull=True)
        .select_related("disagreement", "stage_run")
        .order_by("due_on", "created_at", "pk")
    )
    meetings = list(
        Meeting.objects.filter(open_here, invitees=person, cancelled_at__isnull=True, ends_at__gt=now)
        .select_related("disagreement")
        .order_by("starts_at", "pk")
    )
    ids: set[UUID] = {d for d, _ in participations}
    ids |= {a.disagreement_id for a in actions} | {m.disagreement_id for m in meetings}
    ids |= set(
        Disagreement.objects.filter(
            status=Disagreement.Status.OPEN, partnership=person.partnership_id, reviewer=person
        ).values_list("pk", flat=True)
    )
    disagreements = Disagreement.objects.filter(pk__in=ids).order_by("reference", "pk")
    runs = {r.disagreement_id: r for r in StageRun.objects.filter(disagreement__in=ids, ended_at__isnull=True)}
    parts = {
        d.pk: Part(disagreement=d, run=runs[d.pk], named_reviewer=d.reviewer_id == person.pk) for d in disagreements
    }
    order = list(Participant.Capacity.values)
    for disagreement_id, capacity in sorted(participations, key=lambda row: order.index(row[1])):
        parts[disagreement_id].capacities.append(capacity)
    for action in actions:
        parts[action.disagreement_id].actions += 1
    for meeting in meetings:
        parts[meeting.disagreement_id].meetings += 1
    return OpenWork(parts=list(parts.values()), actions=actions, meetings=meetings)


def left_at(person: Person) -> datetime | None:
    """When an inactive person was last deactivated by an administrator (the trail says), if it does."""
    if person.is_active:
        return None
    event = (
        Event.objects.filter(
            verb=Verb.REFERENCE_CHANGED,
            partnership=person.partnership_id,
            data__model=Person._meta.label,
            data__object=str(person.pk),
            data__action="deactivated",
        )
        .order_by("-at", "-pk")
        .first()
    )
    return event.at if event is not None else None
