"""Refusals by the policy are audited after the service's own rollback (decision 0007).

Every disagreement service wears ``@service`` in place of ``@transaction.atomic``. A service the
policy refuses raises ``AccessRefused`` or ``AccessNotFound`` from inside its atomic block; the
block rolls back whatever the service had done, and only then does the decorator write one
``ACCESS_REFUSED`` entry with what the refusal carries (identifiers only), so the entry is the
one change a refused call leaves. Services that call services: each layer writes the entry
after its own rollback, which removed the inner layer's, so exactly one survives.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

from resolve.access.policy import AccessNotFound, AccessRefused
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event, event_record
from resolve.disagreements import rules

P = ParamSpec("P")
R = TypeVar("R")


def refusal_record(refusal: AccessRefused | AccessNotFound) -> None:
    """The audit entry for one refusal: who asked, for what, on which disagreement; nothing personal."""
    if isinstance(refusal, AccessNotFound):
        # As the selectors do for a refused read: in the asker's partnership, naming only what was asked for.
        event_record(
            verb=Verb.ACCESS_REFUSED,
            partnership=refusal.person.partnership,
            actor=refusal.person,
            data={"requested": str(refusal.disagreement.pk), "action": str(refusal.action)},
        )
        return
    run = rules.latest_run(refusal.disagreement)
    disagreement_event(
        refusal.disagreement,
        Verb.ACCESS_REFUSED,
        by=refusal.person,
        action=str(refusal.action),
        stage=run.stage if run else None,
    )


def service(func: Callable[P, R]) -> Callable[P, R]:
    """One transaction for the service; a refusal by the policy is recorded once it has rolled back."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except (AccessRefused, AccessNotFound) as refusal:
            refusal_record(refusal)
            raise

    return wrapper
