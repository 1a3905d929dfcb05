"""Shared fixtures: a partnership on a bundled procedure, with agencies and people at every level."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from resolve.partnerships.models import Agency, Partnership, Person, RoleAssignment
from tests.factories import AgencyFactory, PartnershipFactory, PersonFactory

# The walker's assertions are the scenario tests' checks: show their values when they fail.
pytest.register_assert_rewrite("tests.disagreements.walker")

# key: (agency name, seniority-matrix column)
AGENCIES = {
    "school": ("Oakfield Primary School", "education"),
    "csc": ("Children's Social Care", "childrens-social-care"),
    "police": ("Police", "met-police"),
    "health": ("Community Health", "community-health"),
}
LEVELS = range(1, 6)


@dataclass
class Cast:
    """A partnership with four agencies, each with one person at every level 1-5 managed by the next."""

    partnership: Partnership
    agencies: dict[str, Agency]
    people: dict[tuple[str, int], Person]
    role_holders: dict[str, Person] = field(default_factory=dict)

    def at(self, agency: str, level: int) -> Person:
        return self.people[(agency, level)]

    def role(self, slug: str) -> Person:
        return self.role_holders[slug]


def build_cast(procedure_slug: str) -> Cast:
    partnership = PartnershipFactory.create(procedure_slug=procedure_slug)
    agencies = {
        key: AgencyFactory.create(partnership=partnership, name=name, matrix_agency=column)
        for key, (name, column) in AGENCIES.items()
    }
    people: dict[tuple[str, int], Person] = {}
    for key, agency in agencies.items():
        manager = None
        for level in reversed(LEVELS):
            manager = PersonFactory.create(
                partnership=partnership,
                agency=agency,
                level=level,
                line_manager=manager,
                name=f"{key} level {level}",
                job_title=f"Level {level} in {agency.name}",
            )
            people[(key, level)] = manager
    cast = Cast(partnership, agencies, people)
    assert partnership.procedure is not None
    for role in partnership.procedure.procedure.roles:
        holder = PersonFactory.create(
            partnership=partnership, agency=None, level=None, name=f"{role.slug} holder", job_title=role.name[:200]
        )
        RoleAssignment.objects.create(partnership=partnership, person=holder, role=role.slug)
        cast.role_holders[role.slug] = holder
    return cast


@pytest.fixture
def cast_for(db: None) -> Callable[[str], Cast]:
    return build_cast


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Sign-in lockout counts and used two-factor codes live in the cache: no test inherits another's."""
    cache.clear()


@pytest.fixture
def administrator(db: None) -> Client:
    """A signed-in superuser: the partnership's administrator in the admin."""
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.test", "x" * 20))
    return client
