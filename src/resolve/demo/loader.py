"""A demo partnership: agencies, people at every level with line managers, and disagreements in
different states. Used by ``resolve demo`` for the README's first command, never in production."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from resolve.core.actors import Operator
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.partnerships.models import Agency, LearningTheme, Partnership, Person, RoleAssignment
from resolve.partnerships.services import partnership_adopt_procedure
from resolve.procedures.services import procedure_version_from_bundle

DEMO_SLUG = "demo-enfield"
DEMO_PASSWORD = "resolve-demo-2026"  # noqa: S105 - printed for the local demo only; never in production
DOMAIN = "demo.resolve.test"
#: the demo partnership's administrator (a staff account, no person): signs in to the /manage/ pages
ADMINISTRATOR = "administrator"

# agency name, seniority-matrix column, then people from level 1 up: (username, name, job title)
AGENCIES: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "Oakfield Primary School",
        "education",
        [
            ("teacher", "Amira Shah", "Teacher"),
            ("dsl", "Ben Okafor", "Designated Safeguarding Lead"),
            ("head", "Carol Price", "Headteacher"),
            ("exec-head", "Daniel Reyes", "Executive Headteacher"),
        ],
    ),
    (
        "Children's Social Care",
        "childrens-social-care",
        [
            ("social-worker", "Erin Walsh", "Social Worker"),
            ("team-manager", "Femi Adeyemi", "Team Manager"),
            ("service-manager", "Grace Liu", "Service Manager"),
            ("head-of-service", "Hassan Ali", "Head of Service"),
            ("director", "Isla Murray", "Director of Children and Family Services"),
        ],
    ),
    (
        "Metropolitan Police",
        "met-police",
        [
            ("dc", "Jack Turner", "Detective Constable"),
            ("ds", "Kemi Bello", "Detective Sergeant"),
            ("di", "Liam O'Brien", "Detective Inspector"),
            ("dci", "Maya Singh", "Detective Chief Inspector"),
            ("supt", "Noah Evans", "Detective Superintendent"),
        ],
    ),
    (
        "Community Health",
        "community-health",
        [
            ("health-visitor", "Olivia Brown", "Health Visitor"),
            ("named-nurse", "Priya Patel", "Named Nurse"),
            ("head-safeguarding", "Quinn Harris", "Head of Safeguarding"),
            ("provider-lead", "Rosa Martin", "Provider Executive Lead"),
        ],
    ),
]
# partnership team: (username, name, job title, procedure role)
PARTNERSHIP_TEAM = [
    ("business-unit", "Sam Taylor", "Safeguarding business unit officer", "business-unit"),
    ("partnership-manager", "Tara Novak", "Strategic Safeguarding Partnership Manager", "partnership-manager"),
    ("chair", "Uma Clarke", "Independent Chair of the partnership", "escp-chair"),
]
# the partnership's own list of learning themes (its examples, offered when recording wider learning): name, description
THEMES = [
    ("Thresholds and referral", "Whether a referral met the threshold, and how the decision was explained"),
    ("Information sharing", "What was shared between agencies, when, and with whom"),
    ("Attendance at meetings", "Who came to strategy discussions, conferences and core groups"),
    ("Understanding of roles", "What each agency expected of the others"),
]


@dataclass(frozen=True)
class DemoResult:
    partnership: Partnership
    created: bool


def username(short: str) -> str:
    return f"{short}@{DOMAIN}"


@transaction.atomic
def load_demo() -> DemoResult:
    existing = Partnership.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return DemoResult(existing, created=False)
    partnership = Partnership.objects.create(
        slug=DEMO_SLUG,
        name="Enfield Safeguarding Children's Partnership (demo)",
        nation="ENG",
        reference_prefix="ESCP",
    )
    partnership_adopt_procedure(
        partnership=partnership, version=procedure_version_from_bundle("enfield"), by=Operator.current()
    )
    people: dict[str, Person] = {}
    for agency_name, column, staff in AGENCIES:
        agency = Agency.objects.create(
            partnership=partnership, name=agency_name, matrix_agency=column, email=f"safeguarding@{column}.{DOMAIN}"
        )
        manager = None
        for level, (short, name, title) in reversed(list(enumerate(staff, 1))):
            person = _person(partnership, agency, short=short, name=name, title=title, level=level, manager=manager)
            people[short] = manager = person
    for short, name, title, role in PARTNERSHIP_TEAM:
        person = _person(partnership, None, short=short, name=name, title=title, level=None, manager=None)
        RoleAssignment.objects.create(partnership=partnership, person=person, role=role)
        people[short] = person
    for name, description in THEMES:
        LearningTheme.objects.create(partnership=partnership, name=name, description=description)
    _disagreements(partnership, people)
    # the partnership's administrator: a staff account with no person, who keeps it in /manage/
    administrator = get_user_model().objects.create_user(
        username=username(ADMINISTRATOR),
        email=username(ADMINISTRATOR),
        password=DEMO_PASSWORD,
        first_name="Demo administrator",
        is_staff=True,
    )
    partnership.administrators.add(administrator)
    return DemoResult(partnership, created=True)


def _person(
    partnership: Partnership,
    agency: Agency | None,
    *,
    short: str,
    name: str,
    title: str,
    level: int | None,
    manager: Person | None,
) -> Person:
    user = get_user_model().objects.create_user(
        username=username(short), email=username(short), password=DEMO_PASSWORD, first_name=name
    )
    return Person.objects.create(
        partnership=partnership,
        agency=agency,
        user=user,
        name=name,
        job_title=title,
        email=username(short),
        phone="020 7946 0000",
        level=level,
        line_manager=manager,
    )


def _disagreements(partnership: Partnership, p: dict[str, Person]) -> None:
    csc = Agency.objects.get(partnership=partnership, name="Children's Social Care")
    police = Agency.objects.get(partnership=partnership, name="Metropolitan Police")
    health = Agency.objects.get(partnership=partnership, name="Community Health")

    def child(ref: str) -> services.RegisteredChild:
        return services.child_register(by=p["teacher"], reference=ref)

    # 1. Just raised at Stage 1: a referral judged not to meet the threshold.
    services.disagreement_raise(
        by=p["teacher"],
        child=child("DEMO-CHILD-001"),
        other_agencies=[csc],
        counterparts=[p["social-worker"]],
        category="threshold-referral",
        expected="An assessment by children's social care.",
        why="Repeated disclosures at school were judged below the threshold without a home visit.",
        what_needed="A strategy discussion and a home visit this week.",
    )
    # 2. Escalated to Stage 2 after the line managers talked.
    second = services.disagreement_raise(
        by=p["health-visitor"],
        child=child("DEMO-CHILD-002"),
        other_agencies=[csc],
        counterparts=[p["social-worker"]],
        category="case-closure",
        expected="The case stays open until the health plan is in place.",
        why="Closure is planned while the baby's weight is still falling.",
        what_needed="Keep the case open and hold a review meeting.",
    )
    services.discussion_record(
        disagreement=second,
        by=p["named-nurse"],
        held_at=timezone.now() - timedelta(minutes=1),
        method="telephone",
        with_people=[p["team-manager"]],
        summary="Line managers discussed the closure and did not agree.",
    )
    services.disagreement_escalate(
        disagreement=second, by=p["named-nurse"], reason="Line managers could not agree on closure."
    )
    # 3. Resolved at Stage 1 with both agencies confirming the written outcome.
    third = services.disagreement_raise(
        by=p["dc"],
        child=child("DEMO-CHILD-003"),
        other_agencies=[csc],
        counterparts=[p["social-worker"]],
        category="action-not-completed",
        expected="The joint visit agreed at the strategy meeting.",
        why="It was not arranged.",
        what_needed="Arrange the joint visit.",
    )
    outcome = services.outcome_propose(
        disagreement=third, by=p["ds"], text="Joint visit booked for Thursday; team manager to confirm by e-mail."
    )
    services.outcome_confirm(outcome=outcome, by=p["team-manager"])
    services.disagreement_resolve(disagreement=third, by=p["ds"])
    services.feedback_give(disagreement=third, by=p["ds"], text="The joint visit is booked for Thursday.")
    # 4. Significant harm, with the police and health: Enfield states no deadline for it, so its own words
    # (refer now under the safeguarding procedures, L103, L107) are shown, undated.
    services.disagreement_raise(
        by=p["social-worker"],
        child=child("DEMO-CHILD-004"),
        other_agencies=[police, health],
        counterparts=[p["dc"], p["health-visitor"]],
        category="course-of-action",
        significant_harm=True,
        expected="A joint section 47 enquiry today.",
        why="New injuries reported this morning.",
        what_needed="Police to join the enquiry today.",
    )
    # 5. Withdrawn by the school.
    fifth = services.disagreement_raise(
        by=p["dsl"],
        child=child("DEMO-CHILD-005"),
        other_agencies=[health],
        counterparts=[p["health-visitor"]],
        category="course-of-action",
        expected="A paediatric referral.",
        why="Concerns about development.",
        what_needed="Refer to paediatrics.",
    )
    services.disagreement_withdraw(disagreement=fifth, by=p["dsl"], reason="The referral was made the same day.")
    assert Disagreement.objects.filter(partnership=partnership).count() == 5
