"""A partnership's procedure version history: which versions it adopted, who adopted each and when.

From ``Adoption`` (written by ``partnership_adopt_procedure``). A partnership that adopted before
``Adoption`` existed (the demo, tests' factories) has its ``PROCEDURE_ADOPTED`` audit entries, and
at least its current version, shown as "adopted before version history was kept". Read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Adoption, Partnership, Person
from resolve.procedures.models import ProcedureVersion

#: ``Disagreement.Status.OPEN``: the disagreements app is above this one, so it is named by its value
_OPEN = "open"


@dataclass(frozen=True)
class VersionEntry:
    """One adoption of a version, newest first (a version adopted twice appears twice)."""

    version: ProcedureVersion
    adopted_at: datetime | None  # None: adopted before version history was kept
    adopted_by: str  # the account's person's name, else its e-mail, else the operator; "" if not known
    open_disagreements: int  # this partnership's open disagreements on the version
    current: bool  # the version new disagreements start on (its latest adoption only)


def _who(user: Any) -> str:
    if user is None:
        return ""
    person = Person.objects.filter(user=user).order_by("-is_active").first()
    return person.name if person is not None else (user.email or user.get_username())


def _who_from_event(event: Event) -> str:
    if event.actor is not None:
        return event.actor.name
    if event.data.get("operator"):
        return str(event.data["operator"])
    user = get_user_model().objects.filter(pk=event.data.get("user")).first() if event.data.get("user") else None
    return _who(user)


def adopted_versions(partnership: Partnership) -> QuerySet[ProcedureVersion]:
    """Every version the partnership has adopted, as far as the records say.

    Its adoptions; its current version; and, from before ``Adoption`` was kept, the versions its
    ``PROCEDURE_ADOPTED`` entries name (adopted, and the one each replaced) and those its
    disagreements started on.
    """
    ids = set(Adoption.objects.filter(partnership=partnership).values_list("version_id", flat=True))
    if partnership.procedure_id is not None:
        ids.add(partnership.procedure_id)
    named = Q(pk__in=[])
    for data in Event.objects.filter(partnership=partnership, verb=Verb.PROCEDURE_ADOPTED).values_list(
        "data", flat=True
    ):
        if not isinstance(data, dict):
            continue
        if data.get("procedure") and data.get("version"):
            named |= Q(slug=data["procedure"], version=data["version"])
        if isinstance(data.get("previous_version_id"), int):
            ids.add(data["previous_version_id"])
    ids |= set(ProcedureVersion.objects.filter(disagreements__partnership=partnership).values_list("pk", flat=True))
    return ProcedureVersion.objects.filter(Q(pk__in=ids) | named).order_by("-created_at", "-pk")


def versions_for(partnership: Partnership) -> list[VersionEntry]:
    """The partnership's adoptions, newest first, with how many open disagreements are on each version."""
    annotated = adopted_versions(partnership).annotate(
        open=Count("disagreements", filter=Q(disagreements__partnership=partnership, disagreements__status=_OPEN))
    )
    versions: dict[int, ProcedureVersion] = {}
    open_on: dict[int, int] = {}
    for v in annotated:
        versions[v.pk], open_on[v.pk] = v, v.open
    entries: list[tuple[ProcedureVersion, datetime | None, str]] = []
    adoptions = list(Adoption.objects.filter(partnership=partnership).select_related("adopted_by"))
    for adoption in adoptions:
        who = _who(adoption.adopted_by) or adoption.operator
        entries.append((versions[adoption.version_id], adoption.adopted_at, who))
    first_adoption = min((a.adopted_at for a in adoptions), default=None)
    events = Event.objects.filter(partnership=partnership, verb=Verb.PROCEDURE_ADOPTED).select_related("actor")
    for event in events:
        if first_adoption is not None and event.at >= first_adoption:
            continue  # an adoption since Adoption was kept: the Adoption row says it
        found = next(
            (
                v
                for v in versions.values()
                if v.slug == event.data.get("procedure") and v.version == event.data.get("version")
            ),
            None,
        )
        if found is not None:
            entries.append((found, event.at, _who_from_event(event)))
    shown = {version.pk for version, _at, _who_ in entries}
    for version in versions.values():
        if version.pk not in shown:
            entries.append((version, None, ""))
    dated = sorted((e for e in entries if e[1] is not None), key=lambda e: (e[1], e[0].pk), reverse=True)
    entries = dated + [e for e in entries if e[1] is None]  # adopted before history was kept: last
    current_pk = partnership.procedure_id
    result = []
    marked = False
    for version, at, who in entries:
        current = version.pk == current_pk and not marked
        marked = marked or current
        result.append(
            VersionEntry(
                version=version,
                adopted_at=at,
                adopted_by=who,
                open_disagreements=open_on[version.pk],
                current=current,
            )
        )
    return result
