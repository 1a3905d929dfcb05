"""Reading the audit trail for a subject access request or a review of one disagreement."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from resolve.audit.models import Event, Verb

if TYPE_CHECKING:
    from resolve.disagreements.models import Disagreement
    from resolve.partnerships.models import Person


def trail_for_disagreement(disagreement: Disagreement) -> QuerySet[Event]:
    return Event.objects.filter(disagreement=disagreement).order_by("id")


def trail_for_person(person: Person) -> list[Event]:
    """Entries the person made, and entries that name them (added to a case, named reviewer, ...)."""
    pk = str(person.pk)
    named = Event.objects.filter(Q(actor=person) | Q(data__icontains=pk)).order_by("id")
    return [e for e in named if e.actor_id == person.pk or pk in _identifiers(e.data)]


def _identifiers(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set().union(*(_identifiers(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_identifiers(v) for v in data)) if data else set()
    return {str(data)}


def as_row(event: Event) -> dict[str, Any]:
    return {
        "entry": event.pk,
        "at": event.at.isoformat(),
        "what": event.verb,
        "description": event.description,
        "by": str(event.actor_id) if event.actor_id else None,
        "disagreement": str(event.disagreement_id) if event.disagreement_id else None,
        "from": event.remote_addr,
        "details": event.data,
        "hash": event.hash,
    }


#: entries that record someone reading or exporting, not a change to the disagreement
READS = (Verb.VIEWED, Verb.ACCESS_REFUSED, Verb.EXPORTED)


def last_change(disagreement: Disagreement) -> int:
    """The number of the disagreement's latest change in the trail (0 if none): what a page was loaded at."""
    latest = (
        Event.objects.filter(disagreement=disagreement).exclude(verb__in=READS).order_by("-id").values("id").first()
    )
    return int(latest["id"]) if latest else 0


def changes_since(disagreement: Disagreement, seen: int) -> list[Event]:
    """The disagreement's changes after entry ``seen`` (reads left out), oldest first, with who made them."""
    return list(
        Event.objects.filter(disagreement=disagreement, id__gt=seen)
        .exclude(verb__in=READS)
        .select_related("actor")
        .order_by("id")
    )
