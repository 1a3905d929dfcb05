"""One disagreement's page: who may see it, and each section in the states a disagreement goes through.

The states: just raised; escalated once; with records, agreed actions and a written outcome one agency
has confirmed; resolved. The people: a practitioner in an agency in dispute, their line manager, and
someone in an agency not in dispute (who gets the same "Page not found" as for a missing one).
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolve.access.policy import Action, allowed, who_can_act
from resolve.audit.models import Event, Verb
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement
from resolve.disagreements.page import PAGES_FOR, OfferedPage
from resolve.partnerships.models import Person
from resolve.web.templatetags.resolve_actions import ACTION_PAGES
from tests.conftest import Cast, build_cast
from tests.disagreements.test_services import raise_one
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def page_of(person: Person, d: Disagreement) -> str:
    response = signed_in(person).get(reverse("disagreement", args=[d.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def main_of(page: str) -> str:
    found = re.search(r"<main.*?</main>", page, re.DOTALL)
    assert found is not None
    return found.group(0)


def words(fragment: str) -> str:
    """The text a person reads in a piece of the page, with tags and runs of spaces gone."""
    return re.sub(r" ([,.:;])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", fragment).split()))


def section(page: str, heading: str) -> str:
    """From the h2 that starts with ``heading`` to the next h2 (or the end of main)."""
    found = re.search(rf"<h2[^>]*>\s*{re.escape(heading)}.*?(?=<h2|</main>)", page, re.DOTALL)
    assert found is not None, f"no section {heading!r}"
    return found.group(0)


def stages_of(page: str) -> list[tuple[str, str]]:
    """Each stage of the pathway as shown: its name and the status it is marked with."""
    items = re.findall(r'<li class="govuk-task-list__item stage stage--\w+">(.*?)</li>', page, re.DOTALL)
    shown = []
    for item in items:
        name = re.search(r'name-and-hint">\s*<div>(.*?)</div>', item, re.DOTALL)
        status = re.search(r'govuk-task-list__status">(.*?)</div>', item, re.DOTALL)
        assert name is not None
        assert status is not None
        shown.append((words(name.group(1)), words(status.group(1))))
    return shown


def offered(page: str) -> list[str]:
    """The words of each action the page offers under "What you can do"."""
    actions = re.search(r'<ul class="govuk-list govuk-list--spaced actions">(.*?)</ul>', page, re.DOTALL)
    return [] if actions is None else [words(li) for li in re.findall(r"<li>(.*?)</li>", actions.group(1), re.DOTALL)]


def link_words(page: OfferedPage) -> str:
    return str(ACTION_PAGES[page][1])


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def discussed_and_escalated(cast: Cast) -> Disagreement:
    """Enfield: raised by a school practitioner, discussed by the line managers, escalated to stage 2."""
    d = raise_one(cast)
    services.discussion_record(
        disagreement=d, by=cast.at("school", 2), held_at=d.raised_at, method="telephone", summary="Talked first."
    )
    services.disagreement_escalate(disagreement=d, by=cast.at("school", 2), reason="No agreement.")
    return d


def with_outcome_confirmed_by_one(cast: Cast) -> Disagreement:
    """Enfield stage 1 with a discussion, two agreed actions (one done) and an outcome the school confirmed."""
    d = raise_one(cast)
    services.discussion_record(
        disagreement=d, by=cast.at("school", 2), held_at=d.raised_at, method="meeting", summary="Met at the school."
    )
    visit = services.action_add(
        disagreement=d,
        by=cast.at("school", 2),
        description="Home visit",
        owner=cast.at("csc", 1),
        due_on=date(2030, 1, 6),
    )
    services.action_add(disagreement=d, by=cast.at("school", 2), description="Send the referral again")
    services.action_complete(action=visit, by=cast.at("csc", 1), note="Visited on Monday.")
    services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="Agreed: a visit on Monday.")
    return d  # proposing it confirms it for the proposer's agency


def resolved(cast: Cast) -> Disagreement:
    d = raise_one(cast)
    outcome = services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="Agreed: an assessment.")
    services.outcome_confirm(outcome=outcome, by=cast.at("csc", 2))
    services.disagreement_resolve(disagreement=d, by=cast.at("school", 2))
    d.refresh_from_db()
    return d


# The summary


def test_the_heading_and_summary_give_the_reference_the_child_the_agencies_and_the_procedure(enfield: Cast) -> None:
    d = raise_one(enfield, significant_harm=True)
    page = page_of(enfield.at("school", 1), d)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
    assert heading is not None
    assert words(heading.group(1)) == f"Disagreement {d.reference}"
    assert f"<title>Disagreement {d.reference}" in page
    summary = words(re.search(r'<dl class="govuk-summary-list summary">.*?</dl>', page, re.DOTALL).group(0))  # type: ignore[union-attr]
    assert f"Reference {d.reference}" in summary
    assert f"Child reference {d.child.reference}" in summary
    assert f"Raised by school level 1, Level 1 in {enfield.agencies['school'].name}" in summary
    assert f"Agencies disagreed with {enfield.agencies['csc'].name}" in summary
    assert "Significant harm" in summary
    version = d.procedure_version
    assert f"version {version.version}" in summary
    assert version.procedure.pathway(d.pathway).name in summary
    category = version.procedure.category(d.category).name
    assert f"Category {category}" in summary


def test_the_childs_reference_is_in_the_summary_not_in_the_address(enfield: Cast) -> None:
    d = raise_one(enfield)
    address = reverse("disagreement", args=[d.pk])
    assert address == f"/disagreements/{d.pk}/"
    assert d.child.reference not in address
    assert d.reference not in address


# The stages of the pathway


def test_just_raised_the_first_stage_is_current_and_the_others_are_to_come(enfield: Cast) -> None:
    d = raise_one(enfield)
    stages = stages_of(page_of(enfield.at("school", 1), d))
    pathway = d.procedure_version.procedure.pathway(d.pathway)
    assert [name for name, _ in stages] == [s.name for s in pathway.stages]
    assert stages[0][1] == "Current stage"
    assert {status for _, status in stages[1:]} == {"To come"}


def test_escalated_once_the_first_stage_is_done_with_its_reason_and_the_second_is_current(enfield: Cast) -> None:
    d = discussed_and_escalated(enfield)
    page = page_of(enfield.at("school", 1), d)
    stages = stages_of(page)
    assert [status for _, status in stages[:3]] == ["Done", "Current stage", "To come"]
    assert "Escalated on" in section(page, "Stages")
    assert "No agreement." in section(page, "Stages")  # the first stage's outcome, with its reason


def test_an_urgent_start_at_a_later_stage_marks_the_stages_before_it_not_used(cast_for: Callable[[str], Cast]) -> None:
    cumbria = cast_for("cumbria")
    d = raise_one(cumbria, urgent=True, start_stage="formal-process", urgent_reason="Child protection today.")
    page = page_of(cumbria.at("school", 1), d)
    stages = stages_of(page)
    current = [name for name, status in stages].index("Formal process")
    assert stages[current][1] == "Current stage"
    assert {status for _, status in stages[:current]} == {"Not used: started at a later stage"}
    assert "Child protection today." in main_of(page)  # the urgent reason, in the summary


def test_resolved_the_stage_it_was_resolved_at_is_done_and_the_rest_were_not_reached(enfield: Cast) -> None:
    d = resolved(enfield)
    page = page_of(enfield.at("school", 1), d)
    stages = stages_of(page)
    assert stages[0][1] == "Done"
    assert {status for _, status in stages[1:]} == {"Not reached"}
    assert "Resolved on" in section(page, "Stages")
    assert "Current stage:" not in page
    assert "Who is involved now" not in page


# The current stage: deadlines, rules and clocks


def test_the_current_deadline_is_shown_with_its_rule_and_the_procedures_reference(enfield: Cast) -> None:
    d = raise_one(enfield, significant_harm=True)
    page = page_of(enfield.at("school", 1), d)
    run = d.stage_runs.get()
    assert f"Current stage: {run.name}" in page
    deadline = run.governing_deadlines().exclude(due=None).first()
    assert deadline is not None
    assert deadline.rule in page  # Enfield L60: the same working day as the start of this stage
    assert f"[{deadline.source}]" in page


def test_enfield_stage_2_shows_both_clocks_its_own_and_the_five_days_from_stage_1_l68(enfield: Cast) -> None:
    d = discussed_and_escalated(enfield)
    current = section(page_of(enfield.at("school", 1), d), "Current stage:")
    assert "Two clocks run at this stage" in current
    rows = [words(r) for r in re.findall(r'<tr class="govuk-table__row deadline">(.*?)</tr>', current, re.DOTALL)]
    resolution = next(r for r in rows if r.startswith("Dispute resolved"))
    assert "Measured from the start of Stage 1." in resolution
    assert "[L68]" in resolution
    referral = next(r for r in rows if r.startswith("Referred to a Head of Service"))
    assert "Measured from the start of this stage." in referral
    meeting = next(r for r in rows if r.startswith("Professionals meeting held"))
    assert "Measured from the start of this stage." in meeting  # two days after the referral's deadline


def test_a_stage_with_one_clock_says_nothing_of_two(enfield: Cast) -> None:
    d = raise_one(enfield)
    page = page_of(enfield.at("school", 1), d)
    run = d.stage_runs.get()
    anchors = {words(m) for m in re.findall(r'<p class="govuk-body-s[^"]*clock">(.*?)</p>', page, re.DOTALL)}
    assert ("Two clocks run at this stage" in page) == (len(anchors) > 1), (run.name, anchors)


# Who is involved, now and at the next stage


def test_who_is_involved_names_each_agencys_people_at_the_stages_level_with_their_contact_details(
    enfield: Cast,
) -> None:
    d = raise_one(enfield)
    manager = enfield.at("csc", 2)
    manager.phone = "020 8379 1000"
    manager.save()
    involved = section(page_of(enfield.at("school", 1), d), "Who is involved now")
    text = words(involved)
    # Enfield stage 1: "the first line manager ... with their equivalent in the partner agency" (level 2)
    for key in ("school", "csc"):
        person = enfield.at(key, 2)
        assert f"{person.name}, {person.job_title}" in text
        assert f'href="mailto:{person.email}"' in involved
    assert 'href="tel:020 8379 1000"' in involved
    assert enfield.at("school", 1).name not in re.sub(r"Who can act at this stage.*", "", text, flags=re.DOTALL)
    assert "raised it" in text  # the raising agency is marked
    assert who_can_act(d) in text
    assert enfield.at("police", 2).name not in text  # not an agency in dispute


def test_the_next_stage_names_who_it_would_go_to_in_each_agency_at_its_own_level(enfield: Cast) -> None:
    d = raise_one(enfield)
    text = words(section(page_of(enfield.at("school", 1), d), "If it is escalated"))
    assert "If it is escalated: Stage 2" in text
    # Enfield stage 2 (Appendix B): Head of Service or equivalent, level 4 in children's social care, 3 elsewhere
    assert enfield.at("csc", 4).name in text
    assert enfield.at("school", 3).name in text
    assert enfield.at("csc", 3).name not in text


def test_at_a_last_stage_handled_by_roles_the_role_holders_are_named_and_there_is_no_next_stage(
    cast_for: Callable[[str], Cast],
) -> None:
    cumbria = cast_for("cumbria")
    d = raise_one(cumbria, urgent=True, start_stage="formal-process", urgent_reason="Child protection today.")
    page = page_of(cumbria.at("school", 1), d)
    involved = words(section(page, "Who is involved now"))
    # Cumbria L37-39: the SCP Chair names an SCP member; each agency acts through its Executive Lead (level 4)
    assert "SCP Chair" in involved
    assert cumbria.role("scp-chair").name in involved
    assert cumbria.at("csc", 4).name in involved
    assert "If it is escalated" not in page  # the formal process is the last stage: its decision is final


# The timeline


def test_the_timeline_shows_every_event_and_record_newest_first_and_no_reads(enfield: Cast) -> None:
    d = discussed_and_escalated(enfield)
    client = signed_in(enfield.at("school", 1))
    client.get(reverse("disagreement", args=[d.pk]))  # a read before: it is no part of the timeline
    timeline = section(html.unescape(client.get(reverse("disagreement", args=[d.pk])).content.decode()), "Timeline")
    titles = [words(t) for t in re.findall(r"<h3[^>]*>(.*?)</h3>", timeline, re.DOTALL)]
    assert titles[-1] == "Disagreement raised"  # the oldest last
    assert (
        titles.index("Escalated")
        < titles.index("Discussion recorded: Discussion")
        < titles.index("Disagreement raised")
    )
    text = words(timeline)
    assert "Talked first." in text  # the record's own words
    assert "by school level 2, Level 2 in" in text  # who recorded it
    assert "Reason No agreement." in text  # why it was escalated
    assert "Child's record read" not in text
    assert "Deadline set" in titles


# Agreed actions and written outcomes


def test_agreed_actions_show_owner_due_date_and_whether_done_and_an_outcome_who_confirmed_it(enfield: Cast) -> None:
    d = with_outcome_confirmed_by_one(enfield)
    page = page_of(enfield.at("school", 1), d)
    actions = words(section(page, "Agreed actions"))
    assert "Home visit Done Owner: csc level 1, Level 1 in Children's Social Care Due 6 January 2030" in actions
    assert "Done by csc level 1" in actions
    assert "Send the referral again Not done yet No owner named No due date" in actions
    outcomes = words(section(page, "Written outcomes"))
    assert "Agreed: a visit on Monday." in outcomes
    assert "Current" in outcomes
    school, csc = enfield.agencies["school"].name, enfield.agencies["csc"].name
    assert f"Confirmed by {school}: school level 2," in outcomes
    assert f"Not confirmed by {csc}" in outcomes


def test_an_open_action_offers_mark_as_done_to_who_may_record_and_a_done_one_does_not(enfield: Cast) -> None:
    d = with_outcome_confirmed_by_one(enfield)
    actions = section(page_of(enfield.at("school", 1), d), "Agreed actions")
    assert words(actions).count("Mark as done") == 1
    assert "Mark as done: Send the referral again" in words(actions)  # its visually hidden context
    outsider_manager = enfield.at("police", 5)  # sees nothing, so is offered nothing
    assert not allowed(outsider_manager, Action.RECORD, d)


def test_with_nothing_agreed_or_proposed_the_page_says_so(enfield: Cast) -> None:
    d = raise_one(enfield)
    page = page_of(enfield.at("school", 1), d)
    assert "No actions have been agreed yet." in page
    assert "No written outcome has been proposed yet." in page


# The actions offered


def expected_offers(person: Person, d: Disagreement) -> list[str]:
    """What the policy allows, as the page's words (the pages an action leads to, from urls.md's table)."""
    shown = []
    for action, pages in PAGES_FOR.items():
        if allowed(person, action, d):
            shown += [link_words(p) for p in pages]
            if action == Action.RECORD and d.procedure_version.procedure.conditions:
                shown.append(link_words(OfferedPage.CONDITION))
            if action == Action.RECORD and d.procedure_version.procedure.pathway(d.pathway).conference:
                shown.append(link_words(OfferedPage.CONFERENCE))
    return shown


@pytest.mark.parametrize("state", ["raised", "escalated", "outcome", "resolved"])
def test_the_actions_offered_are_those_the_policy_allows_a_practitioner_and_their_line_manager(
    enfield: Cast, state: str
) -> None:
    d = {
        "raised": raise_one,
        "escalated": discussed_and_escalated,
        "outcome": with_outcome_confirmed_by_one,
        "resolved": resolved,
    }[state](enfield)
    level = 3 if state == "escalated" else 2
    practitioner, manager = enfield.at("school", 1), enfield.at("school", level)
    shown = {}
    for person in (practitioner, manager):
        shown[person.name] = offered(page_of(person, d))
        assert shown[person.name] == expected_offers(person, d), (state, person.name)
    if state == "resolved":
        # once closed: the raiser answers the outcome (feedback is given to them, by others)
        assert shown[practitioner.name] == [link_words(OfferedPage.RESPONSE)]
        # and whoever resolved it (or handles its last stage) records its wider learning
        assert shown[manager.name] == [link_words(OfferedPage.FEEDBACK), link_words(OfferedPage.LEARNING)]
    else:
        # the line manager may do more here than the practitioner who raised it (Enfield's stage authority)
        assert link_words(OfferedPage.ESCALATE) in shown[manager.name]
        assert link_words(OfferedPage.ESCALATE) not in shown[practitioner.name]
        assert link_words(OfferedPage.DISCUSSION) in shown[practitioner.name]


def test_the_confirm_link_is_offered_only_to_an_agency_that_has_not_confirmed_yet(enfield: Cast) -> None:
    d = with_outcome_confirmed_by_one(enfield)
    confirm = link_words(OfferedPage.OUTCOME_CONFIRM)
    assert confirm not in offered(page_of(enfield.at("school", 2), d))  # the school has confirmed
    assert confirm in offered(page_of(enfield.at("csc", 2), d))


def test_an_action_page_not_built_yet_shows_as_plain_words_and_one_built_as_a_link(enfield: Cast) -> None:
    d = raise_one(enfield)
    page = page_of(enfield.at("school", 2), d)
    actions = re.search(r'<ul class="govuk-list govuk-list--spaced actions">(.*?)</ul>', page, re.DOTALL)
    assert actions is not None
    for item in re.findall(r"<li>(.*?)</li>", actions.group(1), re.DOTALL):
        name = next(n for n, text, _ in ACTION_PAGES.values() if str(text) == words(item))
        assert f'href="{reverse(name, kwargs={"pk": d.pk})}"' in item


def test_each_offer_links_to_its_action_pages_address(enfield: Cast) -> None:
    d = with_outcome_confirmed_by_one(enfield)
    page = page_of(enfield.at("csc", 2), d)
    base = f"/disagreements/{d.pk}/"
    outcome = d.outcomes.get()
    open_action = d.actions.get(completed_at=None)
    for address, text in (
        ("discussion/", link_words(OfferedPage.DISCUSSION)),
        ("meeting/", link_words(OfferedPage.MEETING)),
        ("actions/add/", link_words(OfferedPage.ACTION_ADD)),
        (f"outcome/{outcome.pk}/confirm/", link_words(OfferedPage.OUTCOME_CONFIRM)),
        (f"actions/{open_action.pk}/complete/", "Mark as done"),
    ):
        assert re.search(rf'<a class="govuk-link" href="{re.escape(base + address)}">{re.escape(text)}', page), text


def test_someone_in_an_agency_not_in_dispute_is_offered_nothing_because_they_see_nothing(enfield: Cast) -> None:
    d = raise_one(enfield)
    response = signed_in(enfield.at("police", 5)).get(reverse("disagreement", args=[d.pk]))
    assert response.status_code == 404
    assert link_words(OfferedPage.DISCUSSION) not in response.content.decode()


# Who may see it


@pytest.mark.parametrize("who", ["outsider", "other partnership", "bad id"])
def test_a_disagreement_the_person_may_not_see_gets_the_same_page_not_found_as_a_missing_one(
    enfield: Cast, who: str
) -> None:
    d = raise_one(enfield)
    viewer = {
        "outsider": enfield.at("police", 3),  # an agency not in dispute
        "other partnership": build_cast("enfield").at("school", 5),
        "bad id": enfield.at("school", 1),
    }[who]
    client = signed_in(viewer)
    missing = client.get(reverse("disagreement", args=[uuid.uuid4()]))
    address = "/disagreements/not-a-uuid/" if who == "bad id" else reverse("disagreement", args=[d.pk])
    response = client.get(address)
    assert response.status_code == missing.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert d.child.reference not in body
    assert d.reference not in body
    assert main_of(body) == main_of(missing.content.decode())  # nothing tells a refusal from a missing one


def test_someone_signed_in_without_a_person_record_gets_page_not_found(enfield: Cast, django_user_model) -> None:
    d = raise_one(enfield)
    client = Client()
    client.force_login(django_user_model.objects.create_user(username="nobody", password="x" * 20))
    assert client.get(reverse("disagreement", args=[d.pk])).status_code == 404


# Reading it: one logged read, and a fixed number of queries


def test_opening_the_page_logs_one_viewed_entry_for_the_disagreement(enfield: Cast) -> None:
    d = with_outcome_confirmed_by_one(enfield)
    viewer = enfield.at("school", 1)
    page_of(viewer, d)
    views = list(Event.objects.filter(verb=Verb.VIEWED, disagreement=d))
    assert len(views) == 1
    assert views[0].actor == viewer
    assert d.child.reference not in str(views[0].data)  # identifiers only


def test_a_refused_read_is_logged_as_refused_and_not_as_viewed(enfield: Cast) -> None:
    d = raise_one(enfield)
    outsider = enfield.at("police", 3)
    signed_in(outsider).get(reverse("disagreement", args=[d.pk]))
    assert not Event.objects.filter(verb=Verb.VIEWED, disagreement=d).exists()
    assert Event.objects.filter(verb=Verb.ACCESS_REFUSED, actor=outsider).count() == 1


def queries_with(cast: Cast, records: int) -> int:
    d = raise_one(cast)
    by = cast.at("school", 2)
    for n in range(records):
        services.discussion_record(
            disagreement=d, by=by, held_at=d.raised_at, method="telephone", summary=f"Discussion {n}."
        )
        services.action_add(disagreement=d, by=by, description=f"Action {n}", owner=cast.at("csc", 1))
    services.outcome_propose(disagreement=d, by=by, text="Agreed.")
    client = signed_in(cast.at("school", 1))
    client.get(reverse("disagreement", args=[d.pk]))  # the session and the like settle first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("disagreement", args=[d.pk]))
    assert response.status_code == 200
    assert f"Discussion {records - 1}." in response.content.decode()
    return len(queries)


def test_the_number_of_queries_is_the_same_with_5_and_with_50_records(cast_for: Callable[[str], Cast]) -> None:
    assert queries_with(cast_for("enfield"), 5) == queries_with(cast_for("enfield"), 50)


def test_each_child_reference_on_the_dashboard_links_to_the_disagreements_page(enfield: Cast) -> None:
    d = raise_one(enfield)
    page = signed_in(enfield.at("school", 1)).get(reverse("home")).content.decode()
    assert f'href="{reverse("disagreement", args=[d.pk])}"' in page


def test_every_page_the_disagreement_page_can_offer_has_an_address() -> None:
    for page, (name, _words, target) in ACTION_PAGES.items():
        kwargs = {"pk": uuid.uuid4()} | ({target: uuid.uuid4()} if target else {})
        assert reverse(name, kwargs=kwargs).startswith("/disagreements/"), page
    assert set(ACTION_PAGES) == set(OfferedPage)
