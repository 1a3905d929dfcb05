"""What one disagreement's page shows, read in one selector call (``disagreement_page``).

Built on ``disagreement_get``, so the read is logged once (VIEWED) and a disagreement the person may
not see is "not found", exactly as one that does not exist. The actions are those ``allowed()``
gives the person now; the page lists them and decides nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.utils.translation import gettext_lazy as _

from resolve.access.policy import Action, allowed, who_can_act
from resolve.disagreements import rules
from resolve.disagreements.models import Disagreement, RecordEntry, StageDeadline, StageRun
from resolve.disagreements.selectors import disagreement_get
from resolve.partnerships.models import Agency, Person

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

#: each policy action in the words a person reads on the page ("view" is the page itself)
ACTION_WORDS: dict[Action, StrPromise] = {
    Action.RECORD: _("Record a discussion, a meeting or an action"),
    Action.ADD_HANDLER: _("Ask for a handler the procedure names"),
    Action.PROPOSE_OUTCOME: _("Propose a written outcome"),
    Action.CONFIRM_OUTCOME: _("Confirm the proposed outcome for your agency"),
    Action.ESCALATE: _("Escalate to the next stage"),
    Action.RESOLVE: _("Resolve the disagreement"),
    Action.WITHDRAW: _("Withdraw the disagreement"),
    Action.GIVE_FEEDBACK: _("Give feedback to the person who raised it"),
    Action.APPOINT_REVIEWER: _("Appoint an independent reviewer"),
    Action.DECIDE: _("Record the independent reviewer's decision"),
    Action.SET_DEADLINE: _("Set an earlier deadline for this case"),
}


@dataclass(frozen=True)
class EarlierStage:
    run: StageRun
    outcome: str


@dataclass(frozen=True)
class RecordShown:
    record: RecordEntry
    #: its text fields, each as (label, text), in the order they were recorded
    fields: list[tuple[str, str]]


def _text(value: object) -> str:
    """A recorded value as words: people recorded (attendees, a chair) by name and job title."""
    if isinstance(value, dict):
        return ", ".join(str(v) for v in (value.get("name"), value.get("job_title")) if v)
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if value is None:
        return ""
    return str(value)


def _fields(record: RecordEntry) -> list[tuple[str, str]]:
    shown = []
    for name, value in record.data.items():
        text = _text(value)
        if text and not name.endswith("_id"):
            shown.append((name.replace("_", " ").capitalize(), text))
    return shown


@dataclass(frozen=True)
class DisagreementPage:
    disagreement: Disagreement
    category: str
    pathway: str
    procedure: str
    #: the procedure's own flags that apply, by their names
    flags: list[str]
    other_agencies: list[Agency]
    current: StageRun | None
    deadlines: list[StageDeadline]
    instructions: list[StageDeadline]
    who_can_act: str
    earlier: list[EarlierStage]
    records: list[RecordShown]
    #: what the person may do here now, in words, in the policy's order
    actions: list[StrPromise]


def disagreement_page(*, person: Person, pk: UUID | str) -> DisagreementPage:
    """Everything one disagreement's page shows to ``person``; ``NotFound`` if they may not see it."""
    disagreement = disagreement_get(person=person, pk=pk)
    procedure = rules.procedure_of(disagreement)
    pathway = rules.pathway_of(disagreement)
    categories = {c.slug: c.name for c in procedure.categories}
    runs = list(disagreement.stage_runs.order_by("position"))
    current = next((r for r in runs if r.ended_at is None), None)
    deadlines: list[StageDeadline] = []
    instructions: list[StageDeadline] = []
    if current is not None:
        for deadline in current.governing_deadlines().order_by("due", "id"):
            if deadline.kind == StageDeadline.Kind.INSTRUCTION:
                instructions.append(deadline)
            elif deadline.due is not None:
                deadlines.append(deadline)
    records = list(
        RecordEntry.objects.filter(disagreement=disagreement)
        .select_related("author", "stage_run")
        .order_by("occurred_at", "created_at")
    )
    return DisagreementPage(
        disagreement=disagreement,
        category=categories.get(disagreement.category, disagreement.category),
        pathway=pathway.name,
        procedure=f"{procedure.name}, version {disagreement.procedure_version.version}",
        flags=[f.name for f in procedure.flags if f.slug in disagreement.flags],
        other_agencies=list(disagreement.other_agencies.order_by("name")),
        current=current,
        deadlines=deadlines,
        instructions=instructions,
        who_can_act=who_can_act(disagreement) if current is not None else "",
        earlier=[EarlierStage(r, r.get_outcome_display() or r.outcome) for r in runs if r.ended_at is not None],
        records=[RecordShown(r, _fields(r)) for r in records],
        actions=[words for action, words in ACTION_WORDS.items() if allowed(person, action, disagreement)],
    )
