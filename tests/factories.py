"""Factories for the domain models, one per model; a partnership comes with its procedure adopted.

Each factory is generic over its model, so ``PartnershipFactory.create(...)`` is typed as a
``Partnership`` (calling the factory, ``PartnershipFactory(...)``, does the same at run time, but
mypy cannot see through factory-boy's metaclass and types it as the factory).
"""

from __future__ import annotations

import factory

from resolve.disagreements.models import Child
from resolve.partnerships.models import Agency, Partnership, Person, RoleAssignment
from resolve.procedures.services import procedure_version_from_bundle


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership

    class Params:
        procedure_slug = "enfield"

    slug = factory.Sequence(lambda n: f"partnership-{n}")
    name = factory.Sequence(lambda n: f"Partnership {n}")
    nation = "ENG"
    procedure = factory.LazyAttribute(lambda o: procedure_version_from_bundle(o.procedure_slug))


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    email = factory.Sequence(lambda n: f"agency{n}@example.test")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    partnership = factory.LazyAttribute(lambda o: o.agency.partnership if o.agency else PartnershipFactory())
    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    job_title = "Practitioner"
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    phone = "020 7946 0000"
    level = 1


class RoleAssignmentFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory, agency=None)
    partnership = factory.LazyAttribute(lambda o: o.person.partnership)
    role = "business-unit"


class ChildFactory(factory.django.DjangoModelFactory[Child]):
    class Meta:
        model = Child

    partnership = factory.SubFactory(PartnershipFactory)
    reference = factory.Sequence(lambda n: f"CHILD-{n:04d}")
