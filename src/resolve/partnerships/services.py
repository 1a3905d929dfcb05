"""Changing a partnership's reference data: its procedure, its calendar, its roles and line management.

Each service first checks who is asking (``administrator_check``): an administrator of that
partnership (a staff account in ``Partnership.administrators``, or a superuser), or an operator
at the server's command line. Anyone else is refused before anything is written, and the audit
entry names who it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.core.actors import Operator
from resolve.core.errors import Refused, ResolveError
from resolve.partnerships.models import Adoption, CalendarDay, Partnership, Person, RoleAssignment
from resolve.partnerships.selectors import partnerships_administered_by, person_of
from resolve.procedures.models import ProcedureVersion

# Who may be asking: an operator at the command line, or a signed-in account (request.user).
Asking: TypeAlias = Operator | AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Asker:
    """Who asked for a change, as its audit entry names them: identifiers only."""

    actor: Person | None  # the person behind the account, when it has one
    data: dict[str, Any]  # {"operator": "<login>@<host>"} or {"user": <account id>}


def administrator_check(*, partnership: Partnership | None, by: Asking) -> Asker:
    """Refused unless ``by`` is an operator, a superuser, or a staff account administering ``partnership``.

    ``partnership`` None means the whole installation (every partnership at once): only an
    operator or a superuser may act on that.
    """
    if isinstance(by, Operator):
        return Asker(actor=None, data={"operator": by.name})
    if isinstance(by, AbstractBaseUser) and by.pk is not None:
        superuser = bool(by.is_active and getattr(by, "is_superuser", False))
        administers = partnership is not None and (partnerships_administered_by(by).filter(pk=partnership.pk).exists())
        if superuser or administers:
            return Asker(actor=person_of(by), data={"user": by.pk})
    where = "every partnership" if partnership is None else partnership.name
    raise Refused(
        _("Only an administrator of %(where)s, or an operator at the server's command line, can do this.")
        % {"where": where}
    )


def _valid(instance: Person | RoleAssignment) -> None:
    """The model's own checks (``clean``, used by the admin's forms too) as a clear ResolveError."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ResolveError(" ".join(messages), field=None if field == "__all__" else field) from None


@transaction.atomic
def partnership_adopt_procedure(*, partnership: Partnership, version: ProcedureVersion, by: Asking) -> Partnership:
    """New disagreements start on ``version``; disagreements already open stay on theirs."""
    asker = administrator_check(partnership=partnership, by=by)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    previous = partnership.procedure_id
    partnership.procedure = version
    partnership.save(update_fields=["procedure"])
    Adoption.objects.create(
        partnership=partnership,
        version=version,
        adopted_by=by if isinstance(by, AbstractBaseUser) else None,  # type: ignore[misc]
        operator=by.name if isinstance(by, Operator) else "",
    )
    event_record(
        verb=Verb.PROCEDURE_ADOPTED,
        partnership=partnership,
        actor=asker.actor,
        data={
            "procedure": version.slug,
            "version": version.version,
            "previous_version_id": previous,
            **asker.data,
        },
    )
    return partnership


@transaction.atomic
def calendar_day_set(*, partnership: Partnership, day: date, kind: str, reason: str, by: Asking) -> CalendarDay:
    """Add or change a closure day or extra working day.

    Deadlines already given to disagreements do not move: an administrator recalculates them
    explicitly (``deadlines_recalculate``), and that is recorded.
    """
    asker = administrator_check(partnership=partnership, by=by)
    if kind not in CalendarDay.Kind.values:
        raise ResolveError(_("Choose closure or working, not %(kind)s.") % {"kind": repr(kind)}, field="kind")
    if not isinstance(day, date):
        raise ResolveError(_("Give the day as a date."), field="date")
    reason = (reason or "").strip()
    limit = CalendarDay._meta.get_field("reason").max_length or 0
    if len(reason) > limit or "\x00" in reason:
        raise ResolveError(
            _("Give the reason in at most %(limit)s characters of plain text.") % {"limit": limit}, field="reason"
        )
    entry, _created = CalendarDay.objects.update_or_create(
        partnership=partnership, date=day, defaults={"kind": kind, "reason": reason}
    )
    event_record(
        verb=Verb.CALENDAR_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={"date": day.isoformat(), "kind": kind, **asker.data},
    )
    return entry


@transaction.atomic
def calendar_day_remove(*, partnership: Partnership, day: date, by: Asking) -> None:
    """Take a closure day or extra working day out of the calendar: the day is ordinary again."""
    asker = administrator_check(partnership=partnership, by=by)
    removed, _counts = CalendarDay.objects.filter(partnership=partnership, date=day).delete()
    if not removed:
        raise ResolveError(
            _("%(day)s is not a closure day or extra working day.") % {"day": day.isoformat()}, field="date"
        )
    event_record(
        verb=Verb.CALENDAR_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={"date": day.isoformat(), "kind": "removed", **asker.data},
    )


@transaction.atomic
def role_assign(*, person: Person, role: str, by: Asking) -> RoleAssignment:
    """``person`` holds the procedure's ``role`` in their own partnership (never in another)."""
    asker = administrator_check(partnership=person.partnership, by=by)
    assignment = RoleAssignment(partnership=person.partnership, person=person, role=(role or "").strip())
    _valid(assignment)
    assignment.save()
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=person.partnership,
        actor=asker.actor,
        data={
            "model": RoleAssignment._meta.label,
            "object": str(assignment.pk),
            "action": "added",
            "person": str(person.pk),
            "role": assignment.role,
            **asker.data,
        },
    )
    return assignment


@transaction.atomic
def person_line_manager_set(*, person: Person, line_manager: Person | None, by: Asking) -> Person:
    """``line_manager`` (someone in the same partnership) manages ``person``; None: nobody does."""
    asker = administrator_check(partnership=person.partnership, by=by)
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.line_manager = line_manager
    _valid(person)
    person.save(update_fields=["line_manager"])
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=person.partnership,
        actor=asker.actor,
        data={
            "model": Person._meta.label,
            "object": str(person.pk),
            "action": "changed",
            "fields": ["line_manager"],
            "line_manager": str(line_manager.pk) if line_manager else None,
            **asker.data,
        },
    )
    return person


#: the settings a partnership's administrators keep in its Settings page (the slug and nation have their own rules)
SETTINGS = ("name", "reference_prefix", "mfa_required", "message_channel", "retention_days", "suppress_below")
#: the shortest and longest a partnership may keep a closed disagreement's personal data, in days
RETENTION_DAYS = (365, 100 * 365)
#: the smallest and largest small-number threshold: a count under it leaves the oversight pages as "fewer than N"
SUPPRESS_BELOW = (1, 50)


@transaction.atomic
def partnership_settings_set(
    *,
    partnership: Partnership,
    name: str,
    reference_prefix: str,
    mfa_required: bool,
    message_channel: str,
    retention_days: int,
    suppress_below: int | None = None,
    by: Asking,
) -> list[str]:
    """Change the partnership's name, reference letters, two-factor rule, message channel, retention and
    small-number threshold (``suppress_below``; None keeps it as it is).

    Returns the names of the settings that changed (none: nothing is written). References already
    given keep their letters; a longer or shorter retention applies from the next retention run.
    """
    asker = administrator_check(partnership=partnership, by=by)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    name = (name or "").strip()
    if not name or len(name) > 200 or "\x00" in name:
        raise ResolveError(_("Enter the partnership's name in at most 200 characters."), field="name")
    reference_prefix = (reference_prefix or "").strip().upper()
    if message_channel not in Partnership.Channel.values:
        raise ResolveError(_("Choose how Resolve sends the partnership's messages."), field="message_channel")
    shortest, longest = RETENTION_DAYS
    if (
        isinstance(retention_days, bool)
        or not isinstance(retention_days, int)
        or not (shortest <= retention_days <= longest)
    ):
        raise ResolveError(
            _("Give the days to keep personal data as a whole number from %(shortest)s to %(longest)s.")
            % {"shortest": shortest, "longest": longest},
            field="retention_days",
        )
    if suppress_below is None:
        suppress_below = partnership.suppress_below
    fewest, most = SUPPRESS_BELOW
    whole = isinstance(suppress_below, int) and not isinstance(suppress_below, bool)
    if not whole or not (fewest <= suppress_below <= most):
        raise ResolveError(
            _("Give the smallest count shown as a whole number from %(fewest)s to %(most)s.")
            % {"fewest": fewest, "most": most},
            field="suppress_below",
        )
    wanted = {
        "name": name,
        "reference_prefix": reference_prefix,
        "mfa_required": bool(mfa_required),
        "message_channel": message_channel,
        "retention_days": retention_days,
        "suppress_below": suppress_below,
    }
    changed = [field for field in SETTINGS if getattr(partnership, field) != wanted[field]]
    if not changed:
        return []
    for field in changed:
        setattr(partnership, field, wanted[field])
    try:
        partnership.full_clean(exclude=["procedure"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ResolveError(" ".join(messages), field=None if field == "__all__" else field) from None
    partnership.save(update_fields=changed)
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={
            "model": Partnership._meta.label,
            "object": str(partnership.pk),
            "action": "changed",
            "fields": changed,
            **asker.data,
        },
    )
    return changed
