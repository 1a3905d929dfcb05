"""What holds for every page, found by walking the URL patterns rather than listing the pages by hand.

- Any id or reference in an address that the person may not see is a 404 that looks the same as a
  missing one, for a GET and for a POST, and changes nothing.
- Every action page and every raise question page, sent nothing, empty fields, values of the wrong
  type, too much text, NUL characters or markup, answers with a 4xx (never a 500); a 400 shows the
  GOV.UK error summary, each error linking to a field on the page; and nothing is changed.
- Pages without ids in their address, given a nonsense query string, never answer 500.

A page added later is covered without anyone listing it: the walker finds its pattern, and the test
asks for a scenario (a disagreement in the state the page acts on) when it has none.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from resolve.audit.models import Event, Verb
from resolve.calendar import LONDON
from resolve.disagreements import services
from resolve.disagreements.models import Disagreement, Meeting
from resolve.partnerships.models import LearningTheme, Person
from resolve.procedures.loader import bundled_path, load_file
from resolve.web.raising import SESSION_KEY
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.disagreements.walker import Step, Walker
from tests.factories import AgencyFactory, ChildFactory, PartnershipFactory, PersonFactory
from tests.notifications.written import message_to, notice_about

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
#: the parts of the site whose addresses carry a disagreement's id, a pathway's slug, and so on
GUARDED = ("disagreements/", "raise/", "procedure/", "oversight/", "messages/")
#: what a read writes (it is logged, as it must be): everything else counts as a change
READS = (Verb.VIEWED, Verb.ACCESS_REFUSED)


# --------------------------------------------------------------------------------------------- the walker


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    #: the address's parameters: name -> converter's class name ("UUIDConverter", "SlugConverter")
    params: tuple[tuple[str, str], ...]

    def url(self, values: dict[str, Any]) -> str:
        return reverse(self.name, kwargs={name: values[name] for name, _kind in self.params})


def walk(
    patterns: list[Any] | None = None,
    prefix: str = "",
    converters: dict[str, Any] | None = None,
    namespace: str = "",
) -> Iterator[Route]:
    """Every named pattern of ``resolve.urls``, with its whole route and the converters of its parameters.

    A namespaced pattern's name carries its namespace (``manage:overview``), as ``reverse`` wants it.
    """
    converters = dict(converters or {})
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        found = {**converters, **getattr(pattern.pattern, "converters", {})}
        # a regular expression's named groups (django-allauth's keys) are parameters too
        found.update({group: "regex" for group in pattern.pattern.regex.groupindex if group not in found})
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, route, found, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            params = tuple((k, v if isinstance(v, str) else type(v).__name__) for k, v in found.items())
            yield Route(route, namespace + pattern.name, params)


def guarded() -> list[Route]:
    return [r for r in walk() if r.params and r.route.startswith(GUARDED)]


def plain() -> list[Route]:
    """Pages without parameters, outside the admin (Django's own) and the framework's static files."""
    return [r for r in walk() if not r.params and not r.route.startswith(("admin/", "static/"))]


def action_page_names() -> list[str]:
    """The action pages docs/pages.md lists (its table's "URL name" column)."""
    table = (ROOT / "docs" / "pages.md").read_text()
    return sorted(set(re.findall(r"^\|[^|\n]*\|[^|\n]*\|\s*(disagreement_\w+)\s*\|", table, re.MULTILINE)))


#: the pages under a disagreement's address that only read it (no form): covered by the outsider's 404 test
READ_ONLY = {"disagreement", "disagreement_files_record", "disagreement_record_download"}


def action_routes() -> list[Route]:
    return [r for r in guarded() if r.route.startswith("disagreements/") and r.name not in READ_ONLY]


def test_the_walker_finds_every_action_page_the_documentation_lists() -> None:
    documented = action_page_names()
    assert len(documented) >= 18
    found = {r.name for r in action_routes()}
    assert set(documented) <= found
    assert {"disagreement", "raise_done", "procedure_pathway", "message"} <= {r.name for r in guarded()}


# --------------------------------------------------------------------------------------------- helpers


def client_for(person: Person) -> Client:
    """Signed in as ``person``; an exception in a view is a 500 response here, not a test error."""
    user = get_user_model().objects.create_user(username=person.email, email=person.email, password="x" * 20)
    person.user = user
    person.save()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def state() -> dict[str, int]:
    """How many of everything there is, except the reads the audit trail logs."""
    counts = {
        model._meta.label: model._default_manager.count()
        for label in ("disagreements", "partnerships", "procedures", "notifications")
        for model in apps.get_app_config(label).get_models()
    }
    counts["audit.Event"] = Event.objects.exclude(verb__in=READS).count()
    return counts


def stored() -> str:
    """Everything the disagreements app keeps, as JSON, to look for what should never have been kept."""
    return "".join(
        serializers.serialize("json", model._default_manager.all())
        for model in apps.get_app_config("disagreements").get_models()
    )


def main_of(content: bytes) -> str:
    found = re.search(r"<main.*?</main>", content.decode(), re.DOTALL)
    assert found is not None, "the page has no <main>"
    return found.group(0)


def other_partnerships_person(procedure_slug: str = "cumbria") -> Person:
    agency = AgencyFactory.create(partnership=PartnershipFactory.create(procedure_slug=procedure_slug))
    return PersonFactory.create(agency=agency, level=5)


class Controls(HTMLParser):
    """The form controls inside a page's <main>: name -> (tag, type, the values offered)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: dict[str, tuple[str, str, list[str]]] = {}
        self.ids: set[str] = set()
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        name = a.get("name")
        if tag == "option" and self._select:
            self.controls[self._select][2].append(a.get("value", ""))
        if tag not in ("input", "textarea", "select", "button") or not name:
            return
        kind = a.get("type", "text") if tag == "input" else tag
        entry = self.controls.setdefault(name, (tag, kind, []))
        if kind in ("radio", "checkbox") or (tag == "input" and kind == "hidden"):
            entry[2].append(a.get("value", ""))
        if tag == "select":
            self._select = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def controls(content: bytes) -> Controls:
    parser = Controls()
    parser.feed(main_of(content))
    return parser


#: controls whose values are the page's own (the CSRF token, the seen value, a submit button)
PAGE_CONTROLS = {"csrfmiddlewaretoken", "seen"}


def fields_of(page: Controls) -> dict[str, tuple[str, str, list[str]]]:
    return {n: c for n, c in page.controls.items() if n not in PAGE_CONTROLS and c[0] != "button"}


def free_text_only(page: Controls) -> bool:
    """Every field takes any words (no choice, date box or hidden value): words of any kind may be an answer."""
    return all(
        kind in ("text", "textarea") and not re.search(r"_\d$", n) for n, (_t, kind, _v) in fields_of(page).items()
    )


def check_error_summary(content: bytes) -> None:
    """A 400 shows the error summary, and each of its links leads to an element on the page."""
    page = content.decode()
    assert 'class="govuk-error-summary"' in page, "a 400 without the GOV.UK error summary"
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets, "an error summary with no errors listed"
    ids = controls(content).ids | set(re.findall(r'id="([^"]+)"', page))
    for target in targets:
        assert target in ids, f"the error summary links to #{target}, which is not on the page"
    assert "<title>Error: " in page


# --------------------------------------------------------------------------------------------- outsiders


@pytest.fixture
def enfield_case(cast_for: Callable[[str], Cast]) -> tuple[Cast, Disagreement, dict[str, Any]]:
    """A disagreement with an outcome and an agreed action, so that every id in an address is a real one."""
    cast = cast_for("enfield")
    d = raise_one(cast)
    outcome = services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="A home visit on Monday.")
    action = services.action_add(disagreement=d, by=cast.at("school", 2), description="Visit.", owner=None, due_on=None)
    procedure = cast.partnership.procedure.procedure  # type: ignore[union-attr]
    theirs = {p.slug for p in load_file(bundled_path("cumbria")).pathways}
    ours = next(p.slug for p in procedure.pathways if p.slug not in theirs)
    meeting = _meeting(cast, d)
    # a message written to someone who takes part: nobody else may open it
    message = message_to(cast.at("school", 1), notice_about(d), subject=f"{d.reference}: raised", body="Words.")
    values = {
        "pk": d.pk,
        "outcome": outcome.pk,
        "action": action.pk,
        "pathway": ours,
        "meeting": meeting.pk,
        "message": message.pk,
        # the record for the files (resolve.web.records): the child's file's copy, as PDF
        "copy": "child",
        "kind": "pdf",
        # the partnership's oversight pages (resolve.web.oversight): a board report, the dashboard's exports,
        # a quarterly report
        "partnership": cast.partnership.slug,
        "report": "level-4-log",
        "what": "figures",
        "year": 2025,
        "quarter": 1,
        # and one of its learning themes
        "theme": LearningTheme.objects.create(partnership=cast.partnership, name="Information sharing").pk,
    }
    return cast, d, values


def _meeting(cast: Cast, d: Disagreement) -> Meeting:
    """A meeting tomorrow at 10:00, to which the other agency's practitioner is invited."""
    soon = (datetime.now(LONDON) + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    return services.meeting_schedule(
        disagreement=d,
        by=cast.at("school", 2),
        kind="meeting",
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        place="Room 4",
        invitees=[cast.at("csc", 1)],
    )


def missing_values(route: Route) -> dict[str, Any]:
    made_up = {"UUIDConverter": uuid.uuid4(), "IntConverter": 2**31 - 1}
    return {name: made_up.get(kind, "no-such-thing") for name, kind in route.params}


@pytest.mark.parametrize("outsider_kind", ["uninvolved agency", "another partnership"])
def test_every_address_with_an_id_the_outsider_may_not_see_is_the_same_404_as_a_missing_one(
    enfield_case: tuple[Cast, Disagreement, dict[str, Any]], outsider_kind: str
) -> None:
    cast, d, values = enfield_case
    # the other partnership runs Cumbria's procedure, so Enfield's pathway is not one of its own
    outsider = cast.at("health", 5) if outsider_kind == "uninvolved agency" else other_partnerships_person("cumbria")
    client = client_for(outsider)
    own_partnership = outsider.partnership_id == cast.partnership.pk
    assert client.get(reverse("disagreement", args=[d.pk])).status_code == 404
    routes = guarded()
    assert routes
    checked = []
    for route in routes:
        if own_partnership and all(kind not in ("UUIDConverter", "IntConverter") for _name, kind in route.params):
            continue  # a pathway of one's own partnership's procedure is for everyone in it to read
        missing = client.get(route.url(missing_values(route)))
        assert missing.status_code == 404, route.route
        before = state()
        for method in ("get", "post"):
            response = getattr(client, method)(
                route.url(values), {"seen": "0", "reason": "x"} if method == "post" else {}
            )
            assert response.status_code == 404, f"{method.upper()} {route.route}: {response.status_code}"
            assert main_of(response.content) == main_of(missing.content), f"{method.upper()} {route.route}"
        assert state() == before, route.route
        checked.append(route.name)
    assert set(action_page_names()) <= set(checked)
    assert "message" in checked  # someone else's message, too
    d.refresh_from_db()
    assert d.status == Disagreement.Status.OPEN


# --------------------------------------------------------------------------------------------- bad input


@dataclass
class Scenario:
    """A disagreement in the state one page acts on, and someone who may use that page."""

    person: Person
    values: dict[str, Any]
    stranger: Person = field(default_factory=lambda: other_partnerships_person("enfield"))


def _enfield(cast_for: Callable[[str], Cast]) -> tuple[Cast, Disagreement]:
    cast = cast_for("enfield")
    return cast, raise_one(cast)


def _simple(agency: str, level: int) -> Callable[..., Scenario]:
    def build(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
        cast, d = _enfield(cast_for)
        return Scenario(cast.at(agency, level), {"pk": d.pk})

    return build


def _learning(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    """Wider learning, with themes to choose from (the handler at Enfield's stage 1 records it)."""
    cast, d = _enfield(cast_for)
    for name in ("Information sharing", "Thresholds and referral"):
        LearningTheme.objects.create(partnership=cast.partnership, name=name)
    return Scenario(cast.at("school", 2), {"pk": d.pk})


def _action_complete(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    cast, d = _enfield(cast_for)
    action = services.action_add(disagreement=d, by=cast.at("school", 2), description="Visit.", owner=None, due_on=None)
    return Scenario(cast.at("school", 2), {"pk": d.pk, "action": action.pk})


def _escalate(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    """Ready to go on: Enfield's stage 1 has its discussion note."""
    cast, d = _enfield(cast_for)
    services.discussion_record(
        disagreement=d,
        by=cast.at("school", 2),
        held_at=datetime.now(LONDON),
        method="telephone",
        summary="Views differ on the threshold.",
        with_people=[cast.at("csc", 2)],
    )
    return Scenario(cast.at("school", 2), {"pk": d.pk})


def _outcome_confirm(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    cast, d = _enfield(cast_for)
    outcome = services.outcome_propose(disagreement=d, by=cast.at("school", 2), text="A home visit on Monday.")
    return Scenario(cast.at("csc", 2), {"pk": d.pk, "outcome": outcome.pk})


def _response(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    cast, d = _enfield(cast_for)
    services.feedback_give(disagreement=d, by=cast.at("csc", 1), text="A visit is booked.")
    return Scenario(cast.at("school", 1), {"pk": d.pk})


def _meeting_move(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    cast, d = _enfield(cast_for)
    return Scenario(cast.at("school", 2), {"pk": d.pk, "meeting": _meeting(cast, d).pk})


def _cumbria_formal(cast_for: Callable[[str], Cast]) -> tuple[Cast, Disagreement]:
    cast = cast_for("cumbria")
    d = raise_one(
        cast, urgent=True, start_stage="formal-process", urgent_reason="Child protection, today.", child_protection=True
    )
    return cast, d


def _reviewer(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    cast, d = _cumbria_formal(cast_for)
    return Scenario(cast.role("scp-chair"), {"pk": d.pk})


def _decision(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    cast, d = _cumbria_formal(cast_for)
    services.reviewer_appoint(disagreement=d, by=cast.role("scp-chair"), reviewer=cast.at("police", 4))
    return Scenario(cast.at("police", 4), {"pk": d.pk})


def _handler(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    walker = Walker(cast_for("north-east-lincolnshire"), time_machine)
    walker.raise_("2026-12-21T10:00", pathway="convening-conference")
    walker.escalate(Step("b-deputy-service-director", "2026-12-22T10:00", {}))
    walker.escalate(Step("c-multi-agency-review", "2026-12-23T10:00", {}))
    walker.escalate(Step("d-safeguarding-partners", "2026-12-24T10:00", {}))
    return Scenario(walker.cast.role("safeguarding-partners"), {"pk": walker.d.pk})


def _adjourned(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    cast = cast_for("north-east-lincolnshire")
    adjourned = datetime.now(LONDON).replace(second=0, microsecond=0) - timedelta(hours=2)
    d = raise_one(cast, pathway="conference-equally-divided", conference_kind="initial", started_at=adjourned)
    return Scenario(cast.role("conference-chair"), {"pk": d.pk})


def _majority(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    cast = cast_for("north-east-lincolnshire")
    d = raise_one(cast, pathway="conference-majority")
    return Scenario(cast.role("conference-chair"), {"pk": d.pk})


def _cross_borough(cast_for: Callable[[str], Cast], time_machine: Any) -> Scenario:
    cast, other = cast_for("enfield"), cast_for("enfield")
    d = services.disagreement_raise(
        by=cast.at("school", 1),
        child=ChildFactory.create(partnership=cast.partnership),
        other_agencies=[other.agencies["csc"]],
        category="threshold-referral",
        expected="An assessment.",
        why="Threshold.",
        what_needed="A visit.",
    )
    return Scenario(cast.at("school", 1), {"pk": d.pk})


#: for each action page: a disagreement in the state it acts on, and a person who may use it
SCENARIOS: dict[str, Callable[..., Scenario]] = {
    "disagreement_discussion": _simple("school", 2),
    "disagreement_meeting": _simple("school", 2),
    "disagreement_record": _simple("school", 2),
    "disagreement_condition": _simple("school", 2),
    "disagreement_action_add": _simple("school", 2),
    "disagreement_action_complete": _action_complete,
    "disagreement_outcome": _simple("school", 2),
    "disagreement_outcome_confirm": _outcome_confirm,
    "disagreement_escalate": _escalate,
    "disagreement_resolve": _simple("school", 2),
    "disagreement_withdraw": _simple("school", 1),
    "disagreement_feedback": _simple("csc", 1),
    "disagreement_response": _response,
    "disagreement_reviewer": _reviewer,
    "disagreement_decision": _decision,
    "disagreement_handler": _handler,
    "disagreement_deadline": _adjourned,
    "disagreement_conference": _majority,
    "disagreement_meeting_schedule": _simple("school", 2),
    "disagreement_meeting_move": _meeting_move,
    "disagreement_meeting_cancel": _meeting_move,
    "disagreement_counterpart_invite": _cross_borough,
    "disagreement_learning": _learning,
}

MARKUP = "<script>alert(1)</script>"
#: pages where every field is optional, so that sending them empty is an answer (a completion without a note)
EMPTY_IS_AN_ANSWER = {"disagreement_action_complete"}


def bad_values(stranger: Person) -> dict[str, str]:
    """Values of the wrong kind, each put in every field at once."""
    return {
        "words": "not a date, nor a choice",
        "stranger": str(stranger.pk),
        "too long": "x" * 100_000,
        "nul": "a\x00b",
        "markup": MARKUP,
    }


def payloads(
    page: Controls, seen: str | None, stranger: Person, *, empty_is_an_answer: bool = False
) -> Iterator[tuple[str, dict[str, str], bool]]:
    """(what is sent, the data, whether the page may accept it as an answer); no ``seen``: a page without one."""
    names = list(fields_of(page))
    with_seen = {"seen": seen} if seen is not None else {}
    yield "nothing", {}, seen is None and empty_is_an_answer
    yield "empty", {**dict.fromkeys(names, ""), **with_seen}, empty_is_an_answer
    for what, value in bad_values(stranger).items():
        words = what in ("words", "stranger", "markup")  # any words are words where only words are asked
        yield what, {**dict.fromkeys(names, value), **with_seen}, words and free_text_only(page)
    if seen is not None:
        yield "empty, without seen", dict.fromkeys(names, ""), False
        for what, value in bad_values(stranger).items():
            yield f"{what}, without seen", dict.fromkeys(names, value), False


def one_at_a_time(page: Controls, seen: str | None, stranger: Person) -> Iterator[tuple[str, dict[str, str], bool]]:
    """Plausible answers with one field (all the boxes of a date) given a value of the wrong kind."""
    base = {**valid_answers(page), **({"seen": seen} if seen is not None else {})}
    yield "plausible answers", base, True
    fields = fields_of(page)
    groups: dict[str, list[str]] = {}
    for name in fields:
        groups.setdefault(re.sub(r"_\d$", "", name), []).append(name)
    for group, names in groups.items():
        free = all(fields[n][1] in ("text", "textarea") for n in names) and names == [group]
        for what, value in bad_values(stranger).items():
            # a free-text field may take any words, and one the answer does not use (the reason when
            # confirming) may be ignored: send_and_check makes sure no NUL or overlong text was kept
            yield f"{group} = {what}", {**base, **dict.fromkeys(names, value)}, free


def send_and_check(client: Client, url: str, data: dict[str, str], may_accept: bool, what: str) -> None:
    """Send ``data`` in a transaction rolled back afterwards, so that each send meets the same state."""
    with transaction.atomic():
        before = state()
        response = client.post(url, data)
        status = response.status_code
        assert status != 500, f"{what}: 500"
        if may_accept and status == 302:
            shown = client.get(response["Location"])
            assert shown.status_code == 200
            assert MARKUP not in shown.content.decode(), f"{what}: markup shown unescaped"
            kept = stored()
            assert "\\u0000" not in kept, f"{what}: a NUL character was stored"
            assert "x" * 1000 not in kept, f"{what}: 100 000 characters were stored"
        else:
            assert 400 <= status < 500, f"{what}: {status}"
            if status == 400:
                check_error_summary(response.content)
            assert state() == before, f"{what}: something changed"
        transaction.set_rollback(True)


def test_every_action_page_has_a_scenario() -> None:
    assert {r.name for r in action_routes()} <= set(SCENARIOS), "give the new action page a scenario in SCENARIOS"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_bad_input_on_an_action_page_is_a_4xx_with_the_error_summary_and_changes_nothing(
    name: str, cast_for: Callable[[str], Cast], time_machine: Any
) -> None:
    scenario = SCENARIOS[name](cast_for, time_machine)
    route = next(r for r in action_routes() if r.name == name)
    url = route.url(scenario.values)
    client = client_for(scenario.person)
    form = client.get(url)
    assert form.status_code == 200, f"{scenario.person} may not use {name}: {form.status_code}"
    page = controls(form.content)
    assert "seen" in page.controls
    seen = page.controls["seen"][2][0]
    for what, data, may_accept in payloads(
        page, seen, scenario.stranger, empty_is_an_answer=name in EMPTY_IS_AN_ANSWER
    ):
        send_and_check(client, url, data, may_accept, what)
    for what, data, may_accept in one_at_a_time(page, seen, scenario.stranger):
        send_and_check(client, url, data, may_accept, what)


# --------------------------------------------------------------------------------------------- raising


def valid_answers(page: Controls) -> dict[str, Any]:
    """A plausible answer to each question: the first choice offered, a few words, an hour ago for a date."""
    answers: dict[str, Any] = {}
    before = datetime.now(LONDON) - timedelta(hours=1)
    boxes = [str(before.day), str(before.month), str(before.year), before.strftime("%H:%M")]
    for name, (_tag, kind, offered) in fields_of(page).items():
        box = re.search(r"_(\d)$", name)
        if kind in ("radio", "checkbox", "select"):
            answers[name] = next((v for v in offered if v), "")
        elif kind == "hidden":
            answers[name] = offered[0] if offered else ""
        elif box:
            answers[name] = boxes[int(box.group(1))]
        else:
            answers[name] = "CHILD-0001" if name == "reference" else "Some words."
    return answers


def raise_routes() -> list[Route]:
    return [r for r in walk() if r.route.startswith("raise/") and not r.params]


@pytest.mark.parametrize("procedure_slug", ["enfield", "north-east-lincolnshire"])
def test_bad_input_on_every_raise_question_page_is_a_4xx_with_the_error_summary_and_changes_nothing(
    procedure_slug: str, cast_for: Callable[[str], Cast]
) -> None:
    cast = cast_for(procedure_slug)
    client = client_for(cast.at("school", 1))
    stranger = other_partnerships_person(procedure_slug)
    url = reverse("raise_start")
    visited = []
    while url != reverse("raise_check"):
        form = client.get(url)
        assert form.status_code == 200, url
        page = controls(form.content)
        answers_before = dict(client.session.get(SESSION_KEY, {}))
        sends = [*payloads(page, None, stranger), *one_at_a_time(page, None, stranger)]
        for what, data, may_accept in sends:  # the answers are in the session: no seen value
            send_and_check(client, url, data, may_accept, f"{url} {what}")
            if not may_accept:
                assert dict(client.session.get(SESSION_KEY, {})) == answers_before, f"{url} {what}"
        visited.append(url)
        answered = client.post(url, valid_answers(page))
        assert answered.status_code == 302, f"{url}: {answered.status_code}"
        url = answered["Location"].split("?")[0]
    assert set(visited) >= {reverse(r.name) for r in raise_routes() if r.name not in ("raise_check",)} - {
        reverse("raise_category"),
        reverse("raise_pathway"),
    }
    # the check page raises once, whatever else is sent with it
    check = client.post(reverse("raise_check"), {"anything": MARKUP, "other_agencies": str(stranger.pk)})
    assert check.status_code in (302, 400, 409), check.status_code


# --------------------------------------------------------------------------------------------- query strings

GARBAGE = {
    "page": "x",
    "status": MARKUP,
    "sort": "'; drop table x; --",
    "due": "\x00",
    "agency": "not-a-uuid",
    "stage": "x" * 5000,
    "category": "%00",
    "next": "https://example.com/",
    "start_0": "x",
    "start_1": "99",
    "start_2": "-1",
    "start_3": "25:99",
    "from": "check",
}


@pytest.mark.parametrize("signed_in", [True, False])
def test_no_page_answers_500_to_a_nonsense_query_string(cast_for: Callable[[str], Cast], signed_in: bool) -> None:
    cast = cast_for("enfield")
    raise_one(cast)
    client = client_for(cast.at("school", 2)) if signed_in else Client(raise_request_exception=False)
    routes = plain() + [r for r in guarded() if r.name == "procedure_pathway"]
    procedure = cast.partnership.procedure.procedure  # type: ignore[union-attr]
    assert any(r.name == "disagreements" for r in routes)
    for route in routes:
        url = route.url({"pathway": procedure.pathways[0].slug})
        for query in (GARBAGE, {"page": "-1"}, {"page": "99999999999999999999"}, {"sort": ""}):
            response = client.get(url, query)
            assert response.status_code < 500, f"GET {route.route} {query}: {response.status_code}"


def test_a_search_of_nonsense_is_a_400_or_a_list_never_a_500(cast_for: Callable[[str], Cast]) -> None:
    cast = cast_for("enfield")
    raise_one(cast)
    client = client_for(cast.at("school", 2))
    for q in ("x" * 100_000, "a\x00b", MARKUP, "%", "_", "\\"):
        response = client.post(reverse("disagreements") + "?page=x&status=" + "nope", {"q": q})
        assert response.status_code in (200, 400), f"{q[:10]!r}: {response.status_code}"
        if response.status_code == 400:
            check_error_summary(response.content)
