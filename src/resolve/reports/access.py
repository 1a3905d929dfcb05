"""Who may see a partnership's oversight: its business unit and chair (``policy.oversees``), and its administrators.

Every oversight selector and service calls ``oversight_check`` first; the pages' decorator
(``resolve.web.oversight.base.oversees``) asks ``may_oversee`` to decide what to show, and the
service checks again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from resolve.access.policy import oversees
from resolve.core.errors import NotFound
from resolve.partnerships.models import Partnership, Person
from resolve.partnerships.selectors import partnerships_administered_by, person_of


@dataclass(frozen=True)
class Overseer:
    """Who is asking: their person (None for an administrator's account with no person) and their name."""

    person: Person | None
    name: str
    user_id: Any


def may_oversee(user: Any, partnership: Partnership) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    person = person_of(user)
    if person is not None and oversees(person, partnership.pk):
        return True
    return partnerships_administered_by(user).filter(pk=partnership.pk).exists()


def oversight_check(*, user: Any, partnership: Partnership) -> Overseer:
    """Refused with "not found" unless ``user`` oversees ``partnership``: its existence is not told."""
    if not may_oversee(user, partnership):
        raise NotFound(_("There is no such partnership, or you do not oversee it."))
    person = person_of(user)
    name = person.name if person is not None else (user.get_full_name() or user.get_username())
    return Overseer(person=person, name=name, user_id=user.pk)


def partnerships_overseen_by(user: Any) -> list[Partnership]:
    """The partnerships whose oversight ``user`` may open (for the navigation)."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = {p.pk: p for p in partnerships_administered_by(user)}
    person = person_of(user)
    if person is not None and oversees(person, person.partnership_id):
        found[person.partnership_id] = person.partnership
    return sorted(found.values(), key=lambda p: p.name)
