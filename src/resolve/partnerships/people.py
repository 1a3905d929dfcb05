"""A partnership's agencies and people, as its administrators keep them: add, change, retire, restore.

Every service checks who is asking (``administrator_check``), checks every value before writing
anything (a ``ResolveError`` naming the form field to fix), and records the change in the audit
trail as ``Verb.REFERENCE_CHANGED`` with ids and field names only: never a person's name, e-mail
or telephone. What the adopted procedure says (its seniority levels, its matrix columns, its roles)
bounds the choices: :func:`levels_of`, :func:`matrix_columns_of`, :func:`roles_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.partnerships.models import Agency, Partnership, Person, RoleAssignment
from resolve.partnerships.services import Asker, Asking, administrator_check, role_assign

#: the levels a person may have when the adopted procedure has no seniority matrix
DEFAULT_LEVELS = (1, 2, 3, 4, 5)


# --- what the adopted procedure allows -------------------------------------------------------------


def levels_of(partnership: Partnership) -> list[tuple[int, str]]:
    """The seniority levels a person may have: the adopted procedure's matrix levels (with names), else 1-5."""
    version = partnership.procedure
    seniority = version.procedure.seniority if version is not None else None
    if seniority is None:
        return [(level, "") for level in DEFAULT_LEVELS]
    return sorted((lv.level, lv.name) for lv in seniority.levels)


def matrix_columns_of(partnership: Partnership) -> list[tuple[str, str]]:
    """The adopted procedure's seniority-matrix columns (slug, name): what an agency's matrix column may be."""
    version = partnership.procedure
    seniority = version.procedure.seniority if version is not None else None
    return [(a.slug, a.name) for a in seniority.agencies] if seniority is not None else []


def roles_of(partnership: Partnership) -> list[tuple[str, str]]:
    """Every partnership role the adopted procedure names (slug, name), in the procedure's order."""
    version = partnership.procedure
    return [(r.slug, r.name) for r in version.procedure.roles] if version is not None else []


# --- selectors ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyRow:
    agency: Agency
    active_people: int


def agencies_for(partnership: Partnership) -> list[AgencyRow]:
    """The partnership's agencies by name, retired ones too, each with its number of active people."""
    found = Agency.objects.filter(partnership=partnership).annotate(
        active=Count("people", filter=Q(people__is_active=True))
    )
    return [AgencyRow(agency=a, active_people=a.active) for a in found.order_by("name")]


def agencies_choosable(partnership: Partnership) -> QuerySet[Agency]:
    """The agencies a new person (or a new disagreement) may be given: those not retired."""
    return Agency.objects.filter(partnership=partnership, retired_at__isnull=True).order_by("name")


def agency_of(partnership: Partnership, agency_id: Any) -> Agency:
    """The partnership's agency with that id; NotFound for another partnership's or none."""
    found = Agency.objects.filter(partnership=partnership, pk=agency_id).first()
    if found is None:
        raise NotFound(_("There is no such agency in %(name)s.") % {"name": partnership.name}, field="agency")
    return found


def person_in(partnership: Partnership, person_id: Any) -> Person:
    """The partnership's person with that id (active or left); NotFound for another partnership's or none."""
    found = (
        Person.objects.filter(partnership=partnership, pk=person_id)
        .select_related("agency", "line_manager", "user")
        .first()
    )
    if found is None:
        raise NotFound(_("There is no such person in %(name)s.") % {"name": partnership.name}, field="person")
    return found


def people_list_for(
    partnership: Partnership, *, q: str = "", agency: Agency | None = None, team_only: bool = False
) -> QuerySet[Person]:
    """The partnership's people (active and left) by name, those whose name has ``q``, in ``agency``."""
    found = Person.objects.filter(partnership=partnership).select_related("agency", "line_manager", "user")
    q = q.strip()
    if q:
        found = found.filter(name__icontains=q)
    if agency is not None:
        found = found.filter(agency=agency)
    elif team_only:
        found = found.filter(agency__isnull=True)
    return found.order_by("name", "pk")


def roles_held_by(person: Person) -> list[str]:
    return sorted(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))


# --- checking values ---------------------------------------------------------------------------------


def text_checked(value: Any, *, model: type[Agency] | type[Person], name: str, what: str, required: bool) -> str:
    """``value`` stripped, within the model field's length, plain text; ``name`` is the field."""
    text = ("" if value is None else str(value)).strip()
    limit = getattr(model._meta.get_field(name), "max_length", None) or 0
    if required and not text:
        raise ResolveError(_("Enter %(what)s.") % {"what": what}, field=name)
    if "\x00" in text:
        raise ResolveError(_("Enter %(what)s as plain text.") % {"what": what}, field=name)
    if len(text) > limit:
        raise ResolveError(
            _("Enter %(what)s in at most %(limit)s characters.") % {"what": what, "limit": limit}, field=name
        )
    return text


def email_checked(value: Any, *, model: type[Agency] | type[Person], required: bool) -> str:
    email = text_checked(value, model=model, name="email", what=_("the e-mail address"), required=required)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ResolveError(
                _("Enter an e-mail address in the correct format, like name@example.org."), field="email"
            ) from None
    return email


def level_checked(partnership: Partnership, value: Any) -> int | None:
    """A level of the adopted procedure's matrix (or 1-5 without one), or None when blank."""
    text = ("" if value is None else str(value)).strip()
    if not text:
        return None
    allowed = [level for level, _name in levels_of(partnership)]
    if not text.isdigit() or int(text) not in allowed:
        raise ResolveError(
            _("Choose a seniority level from %(low)s to %(high)s.") % {"low": min(allowed), "high": max(allowed)},
            field="level",
        )
    return int(text)


def roles_checked(partnership: Partnership, values: Iterable[str]) -> list[str]:
    """Role slugs the adopted procedure names; a role's name is taken for its slug too (any case)."""
    known = roles_of(partnership)
    by_key = {slug.lower(): slug for slug, _name in known} | {name.strip().lower(): slug for slug, name in known}
    chosen: list[str] = []
    for value in values:
        key = str(value).strip().lower()
        if not key:
            continue
        if key not in by_key:
            names = ", ".join(slug for slug, _name in known) or _("none: the procedure names no roles")
            raise ResolveError(
                _("%(role)s is not a role the procedure names (its roles: %(names)s).")
                % {"role": str(value).strip(), "names": names},
                field="roles",
            )
        if by_key[key] not in chosen:
            chosen.append(by_key[key])
    return chosen


def _email_free(partnership: Partnership, email: str, *, but: Person | None = None) -> None:
    taken = Person.objects.filter(partnership=partnership, is_active=True, email__iexact=email)
    if but is not None:
        taken = taken.exclude(pk=but.pk)
    if taken.exists():
        raise ResolveError(
            _("Someone active in %(name)s already has this e-mail address: each person needs their own.")
            % {"name": partnership.name},
            field="email",
        )


def _agency_name_free(partnership: Partnership, name: str, *, but: Agency | None = None) -> None:
    taken = Agency.objects.filter(partnership=partnership, name__iexact=name)
    if but is not None:
        taken = taken.exclude(pk=but.pk)
    if taken.exists():
        raise ResolveError(
            _("%(partnership)s already has an agency called %(name)s: give this one another name.")
            % {"partnership": partnership.name, "name": name},
            field="name",
        )


def _column_checked(partnership: Partnership, value: Any) -> str:
    column = ("" if value is None else str(value)).strip()
    if column and column not in {slug for slug, _name in matrix_columns_of(partnership)}:
        raise ResolveError(
            _("Choose a column of the adopted procedure's seniority matrix, or none."), field="matrix_agency"
        )
    return column


def record_change(
    partnership: Partnership, asker: Asker, instance: Agency | Person, action: str, fields: Sequence[str]
) -> None:
    """The audit entry of a change to an agency or a person: ids and field names, never their values."""
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={
            "model": type(instance)._meta.label,
            "object": str(instance.pk),
            "action": action,
            "fields": list(fields),
            **asker.data,
        },
    )


# --- agencies ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyValues:
    name: str
    matrix_agency: str
    email: str
    phone: str


def _agency_values(
    partnership: Partnership, *, name: Any, matrix_agency: Any, email: Any, phone: Any, but: Agency | None = None
) -> AgencyValues:
    values = AgencyValues(
        name=text_checked(name, model=Agency, name="name", what=_("the agency's name"), required=True),
        matrix_agency=_column_checked(partnership, matrix_agency),
        email=email_checked(email, model=Agency, required=False),
        phone=text_checked(phone, model=Agency, name="phone", what=_("the telephone number"), required=False),
    )
    _agency_name_free(partnership, values.name, but=but)
    return values


@transaction.atomic
def agency_add(
    *, partnership: Partnership, name: str, matrix_agency: str = "", email: str = "", phone: str = "", by: Asking
) -> Agency:
    """A new agency in the partnership; its name is its own (no other agency of the partnership has it)."""
    asker = administrator_check(partnership=partnership, by=by)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()  # one new name at a time
    values = _agency_values(partnership, name=name, matrix_agency=matrix_agency, email=email, phone=phone)
    agency = Agency.objects.create(partnership=partnership, **values.__dict__)
    record_change(partnership, asker, agency, "added", [k for k, v in values.__dict__.items() if v])
    return agency


@transaction.atomic
def agency_change(
    *, partnership: Partnership, agency: Agency, name: str, matrix_agency: str, email: str, phone: str, by: Asking
) -> Agency:
    """Rename an agency, or change its matrix column, e-mail or telephone; its history stays with it."""
    asker = administrator_check(partnership=partnership, by=by)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    agency = _locked_agency(partnership, agency)
    values = _agency_values(
        partnership, name=name, matrix_agency=matrix_agency, email=email, phone=phone, but=agency
    ).__dict__
    changed = [field for field, value in values.items() if getattr(agency, field) != value]
    if not changed:
        return agency
    for field in changed:
        setattr(agency, field, values[field])
    agency.save(update_fields=changed)
    record_change(partnership, asker, agency, "changed", changed)
    return agency


def _locked_agency(partnership: Partnership, agency: Agency) -> Agency:
    found = Agency.objects.select_for_update().filter(partnership=partnership, pk=agency.pk).first()
    if found is None:
        raise NotFound(_("There is no such agency in %(name)s.") % {"name": partnership.name}, field="agency")
    return found


@transaction.atomic
def agency_retire(*, partnership: Partnership, agency: Agency, by: Asking) -> Agency:
    """The agency has left: nothing new is raised with it and nobody new joins it; its history stays."""
    asker = administrator_check(partnership=partnership, by=by)
    agency = _locked_agency(partnership, agency)
    if agency.retired_at is not None:
        raise Refused(_("%(name)s is already retired.") % {"name": agency.name})
    agency.retired_at = timezone.now()
    agency.save(update_fields=["retired_at"])
    record_change(partnership, asker, agency, "retired", ["retired_at"])
    return agency


@transaction.atomic
def agency_restore(*, partnership: Partnership, agency: Agency, by: Asking) -> Agency:
    """A retired agency is part of the partnership again."""
    asker = administrator_check(partnership=partnership, by=by)
    agency = _locked_agency(partnership, agency)
    if agency.retired_at is None:
        raise Refused(_("%(name)s is not retired.") % {"name": agency.name})
    agency.retired_at = None
    agency.save(update_fields=["retired_at"])
    record_change(partnership, asker, agency, "restored", ["retired_at"])
    return agency


# --- people ------------------------------------------------------------------------------------------


def _agency_for_person(partnership: Partnership, value: Any, *, current: Agency | None = None) -> Agency | None:
    """None (the partnership's own team), else an agency of the partnership not retired (or the one they are in)."""
    if value is None or value == "":
        return None
    try:  # read afresh: the instance given may be older than its retirement
        agency = Agency.objects.filter(partnership=partnership, pk=getattr(value, "pk", value)).first()
    except (ValueError, ValidationError):
        agency = None
    if agency is None:
        raise NotFound(_("Choose one of %(name)s's agencies.") % {"name": partnership.name}, field="agency")
    if agency.retired_at is not None and (current is None or agency.pk != current.pk):
        raise ResolveError(
            _("%(name)s is retired: choose an agency still in the partnership.") % {"name": agency.name}, field="agency"
        )
    return agency


def _manager_for_person(partnership: Partnership, value: Any) -> Person | None:
    if value is None or value == "":
        return None
    try:  # read afresh: the instance given may be older than their leaving
        manager = Person.objects.filter(partnership=partnership, pk=getattr(value, "pk", value)).first()
    except (ValueError, ValidationError):
        manager = None
    if manager is None:
        raise NotFound(_("Choose a line manager in %(name)s.") % {"name": partnership.name}, field="line_manager")
    if not manager.is_active:
        raise ResolveError(_("Choose a line manager who has not left."), field="line_manager")
    return manager


@dataclass(frozen=True)
class PersonValues:
    name: str
    email: str
    agency: Agency | None
    job_title: str
    level: int | None
    line_manager: Person | None
    phone: str


def person_values_checked(
    partnership: Partnership,
    *,
    name: Any,
    email: Any,
    agency: Any,
    job_title: Any,
    level: Any,
    line_manager: Any,
    phone: Any,
    current: Person | None = None,
) -> PersonValues:
    """Every value of a person checked against the partnership, before anything is written."""
    return PersonValues(
        name=text_checked(name, model=Person, name="name", what=_("the person's full name"), required=True),
        email=email_checked(email, model=Person, required=True),
        agency=_agency_for_person(partnership, agency, current=current.agency if current else None),
        job_title=text_checked(job_title, model=Person, name="job_title", what=_("the job title"), required=True),
        level=level_checked(partnership, level),
        line_manager=_manager_for_person(partnership, line_manager),
        phone=text_checked(phone, model=Person, name="phone", what=_("the telephone number"), required=False),
    )


def _valid_person(person: Person) -> None:
    """The model's own checks (line manager in the partnership, no chain going round) as a ResolveError."""
    try:
        person.clean()
    except ValidationError as exc:
        field, found = next(iter(exc.message_dict.items()))
        raise ResolveError(" ".join(found), field=None if field == "__all__" else field) from None


def _roles_removed(person: Person, asker: Asker, removed: Iterable[str]) -> None:
    for role in removed:
        for assignment in RoleAssignment.objects.filter(person=person, role=role):
            pk = assignment.pk
            assignment.delete()
            event_record(
                verb=Verb.REFERENCE_CHANGED,
                partnership=person.partnership,
                actor=asker.actor,
                data={
                    "model": RoleAssignment._meta.label,
                    "object": str(pk),
                    "action": "removed",
                    "person": str(person.pk),
                    "role": role,
                    **asker.data,
                },
            )


@transaction.atomic
def person_add(
    *,
    partnership: Partnership,
    name: str,
    email: str,
    agency: Agency | str | None,
    job_title: str,
    level: int | str | None = None,
    line_manager: Person | str | None = None,
    phone: str = "",
    roles: Sequence[str] = (),
    by: Asking,
) -> Person:
    """A new person in the partnership (active, without an account until invited), with their roles."""
    asker = administrator_check(partnership=partnership, by=by)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()  # one new e-mail at a time
    values = person_values_checked(
        partnership,
        name=name,
        email=email,
        agency=agency,
        job_title=job_title,
        level=level,
        line_manager=line_manager,
        phone=phone,
    )
    chosen = roles_checked(partnership, roles)
    _email_free(partnership, values.email)
    person = Person(partnership=partnership, **values.__dict__)
    _valid_person(person)
    person.save()
    record_change(partnership, asker, person, "added", [k for k, v in values.__dict__.items() if v not in ("", None)])
    for role in chosen:
        role_assign(person=person, role=role, by=by)
    return person


@transaction.atomic
def person_change(
    *,
    partnership: Partnership,
    person: Person,
    name: str,
    email: str,
    agency: Agency | str | None,
    job_title: str,
    level: int | str | None,
    line_manager: Person | str | None,
    phone: str,
    roles: Sequence[str],
    by: Asking,
) -> Person:
    """Change a person's details and roles: the roles given are what they hold afterwards."""
    asker = administrator_check(partnership=partnership, by=by)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    locked = Person.objects.select_for_update().filter(partnership=partnership, pk=person.pk).first()
    if locked is None:
        raise NotFound(_("There is no such person in %(name)s.") % {"name": partnership.name}, field="person")
    person = locked
    values = person_values_checked(
        partnership,
        name=name,
        email=email,
        agency=agency,
        job_title=job_title,
        level=level,
        line_manager=line_manager,
        phone=phone,
        current=person,
    ).__dict__
    chosen = roles_checked(partnership, roles)
    if person.is_active:
        _email_free(partnership, values["email"], but=person)
    changed = [field for field, value in values.items() if getattr(person, field) != value]
    for field in changed:
        setattr(person, field, values[field])
    _valid_person(person)
    held = roles_held_by(person)
    if changed:
        person.save(update_fields=changed)
        record_change(partnership, asker, person, "changed", changed)
    named = {slug for slug, _name in roles_of(partnership)}  # a role the procedure no longer names stays
    _roles_removed(person, asker, [role for role in held if role in named and role not in chosen])
    for role in chosen:
        if role not in held:
            role_assign(person=person, role=role, by=by)
    return person
