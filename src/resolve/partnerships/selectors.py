"""Reading a partnership's people, line management, seniority and calendar, and who administers it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import QuerySet

from resolve.calendar import WorkingCalendar
from resolve.partnerships.models import Agency, CalendarDay, Partnership, Person, RoleAssignment


def person_of(user: Any) -> Person | None:
    """The active person an account belongs to, or None (an administrator with no person, say)."""
    if user is None or getattr(user, "pk", None) is None:
        return None
    return Person.objects.filter(user__pk=user.pk, is_active=True).select_related("partnership").first()


def partnerships_administered_by(user: Any) -> QuerySet[Partnership]:
    """The partnerships an account may administer: every one for a superuser, else those naming it.

    Only an active staff account administers anything; ``Partnership.administrators`` says which.
    """
    if user is None or getattr(user, "pk", None) is None or not (user.is_active and user.is_staff):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(administrators__pk=user.pk)


def calendar_for(partnership: Partnership) -> WorkingCalendar:
    """The partnership's working-day calendar: its nation's bank holidays, its own days and its working hours."""
    days = list(CalendarDay.objects.filter(partnership=partnership).values_list("date", "kind"))
    return WorkingCalendar(
        nation=partnership.nation,
        closures=frozenset(d for d, k in days if k == CalendarDay.Kind.CLOSURE),
        extra_working_days=frozenset(d for d, k in days if k == CalendarDay.Kind.WORKING),
        day_starts=partnership.day_starts,
        day_ends=partnership.day_ends,
    )


def managers_of(person: Person) -> list[Person]:
    """The person's line manager, their line manager, and so on up the chain (cycles stopped)."""
    chain: list[Person] = []
    seen = {person.pk}
    current = person.line_manager
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.line_manager
    return chain


@dataclass(frozen=True)
class Counterpart:
    """Who to talk to at a level in another agency, with what the seniority matrix calls them."""

    agency: Agency
    level: int
    role_title: str | None
    people: list[Person]


class TitleAt(Protocol):
    """What a seniority matrix calls someone at a level in a column (``partnerships.matrix.Titles``)."""

    def title(self, column: str, level: int | None) -> str | None: ...


def counterparts_in(
    *, agency: Agency, level: int, role_title: str | None = None, matrix: TitleAt | None = None
) -> Counterpart:
    """The agency's active people at ``level``; if none, the nearest level above that has someone.

    ``matrix`` (the partnership's merged matrix, ``matrix_titles_for``) gives the role title of the
    level found in the agency's column; without it, ``role_title`` is taken as given.
    """
    people = list(Person.objects.filter(agency=agency, is_active=True, level__gte=level).order_by("level", "name"))
    nearest = (people[0].level if people else level) or level
    if matrix is not None:
        role_title = matrix.title(agency.matrix_agency, nearest)
    return Counterpart(
        agency=agency,
        level=nearest,
        role_title=role_title,
        people=[p for p in people if p.level == nearest],
    )


@dataclass(frozen=True)
class SetUp:
    """How far a partnership's set-up has got, for its administrators' overview page."""

    agencies: int
    people: int
    people_without_account: int
    roles_named: int
    roles_unfilled: list[str]  # the names of the procedure's roles nobody active holds
    procedure: str  # the adopted procedure's name and version, or ""
    calendar_days: int


def setup_of(partnership: Partnership) -> SetUp:
    """Counts only: no person's details."""
    people = Person.objects.filter(partnership=partnership, is_active=True)
    version = partnership.procedure
    roles = version.procedure.roles if version is not None else ()
    held = set(
        RoleAssignment.objects.filter(partnership=partnership, person__is_active=True).values_list("role", flat=True)
    )
    return SetUp(
        agencies=Agency.objects.filter(partnership=partnership, retired_at__isnull=True).count(),
        people=people.count(),
        people_without_account=people.filter(user__isnull=True).count(),
        roles_named=len(roles),
        roles_unfilled=[role.name for role in roles if role.slug not in held],
        procedure=f"{version.name}, version {version.version}" if version is not None else "",
        calendar_days=CalendarDay.objects.filter(partnership=partnership).count(),
    )
