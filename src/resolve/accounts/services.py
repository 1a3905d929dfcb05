"""Audit entries about a person's account: signing in and out, lockouts, two-factor changes."""

from __future__ import annotations

from typing import Any

from resolve.audit.models import Event, Verb
from resolve.audit.services import event_record
from resolve.partnerships.models import Person


def account_event(verb: Verb, person: Person, *, by_them: bool = True, **data: Any) -> Event:
    """One entry about ``person``'s account. ``by_them=False`` when someone else may have done it
    (a wrong password): the person is then named by identifier in the data, not as the actor."""
    if not by_them:
        data = {"account_of": str(person.pk), **data}
    return event_record(verb=verb, partnership=person.partnership, actor=person if by_them else None, data=data)
