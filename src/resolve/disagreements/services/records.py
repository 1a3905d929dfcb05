"""The records kept at a stage: discussions, meetings, summaries, requests, corrections, people."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.access.policy import AccessRefused, handles_stage, may_be_handler, require, who_can_act
from resolve.access.policy import Action as Can
from resolve.access.refusals import service
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import (
    Disagreement,
    Participant,
    RecordEntry,
)
from resolve.disagreements.services import stages
from resolve.disagreements.services.guards import (
    current_run,
    entry_record,
    lock,
    optional_text,
    past,
    people_given,
    person_given,
    require_member,
    require_open,
    required_text,
)
from resolve.partnerships.models import Person, RoleAssignment

DISCUSSION_METHODS = ("telephone", "meeting", "video call", "e-mail")

#: What each kind of record must say, beyond who wrote it and when it happened.
RECORD_FIELDS: Mapping[str, tuple[str, ...]] = {
    RecordEntry.Kind.DISCUSSION_NOTE: ("method", "summary"),
    RecordEntry.Kind.MEETING_RECORD: (
        "areas_of_discussion",
        "disagreement",
        "agreements",
        "actions",
    ),
    RecordEntry.Kind.EXECUTIVE_SUMMARY: ("summary",),
    RecordEntry.Kind.CONFERENCE_RECORD: ("view", "decision"),
    RecordEntry.Kind.WRITTEN_REQUEST: ("sent_to", "summary"),
    RecordEntry.Kind.FORM: ("form", "summary"),
}
CONFERENCE_VIEWS = ("unanimous", "majority", "equally_divided")
# People and records


@service
def participant_add(*, disagreement: Disagreement, by: Person, person: Person, capacity: str) -> None:
    """Add someone to the disagreement. A handler is added only by the stage's handlers or a manager
    of someone taking part, and must have the stage's authority: its level in an agency in dispute, or its role."""
    disagreement = lock(disagreement)
    if capacity not in (Participant.Capacity.HANDLER, Participant.Capacity.COUNTERPART, Participant.Capacity.ATTENDEE):
        raise ResolveError(_("Add a person as a handler, a counterpart or an attendee."), field="capacity")
    require(by, Can.ADD_HANDLER if capacity == Participant.Capacity.HANDLER else Can.RECORD, disagreement)
    require_open(disagreement, _("changed"))
    require_member(disagreement.partnership, person)
    run = current_run(disagreement)
    if capacity == Participant.Capacity.HANDLER and not may_be_handler(person, run):
        raise ResolveError(
            _("The person chosen cannot handle %(name)s. %(who)s")
            % {"name": run.name, "who": who_can_act(disagreement)},
            field="person",
        )
    stages.participant_ensure(
        disagreement=disagreement, person=person, capacity=capacity, run=run, by=by, at=timezone.now()
    )


@service
def handler_request(*, disagreement: Disagreement, by: Person, role: str, reason: str) -> RecordEntry:
    """Request a role the current stage names "on request", with the reason: its holders take part from now.

    NEL's Independent Scrutiny Officer "may be requested ... to facilitate a mediation meeting"
    (L85, L117, L155, L183): only someone with the stage's authority asks, the request is kept as a
    written request on the stage (who, when, why) and in the audit trail, and the role's holders
    become the stage's handlers, who then see the child and act. Until then they do neither.
    """
    disagreement = lock(disagreement)
    require(by, Can.RECORD, disagreement)
    require_open(disagreement, _("changed"))
    run = current_run(disagreement)
    if not handles_stage(by, run):
        raise AccessRefused(
            _("Only the people with the authority of %(name)s can request a handler. %(who)s")
            % {"name": run.name, "who": who_can_act(disagreement)},
            person=by,
            action=Can.ADD_HANDLER,
            disagreement=disagreement,
        )
    stage = rules.stage_of(run)
    procedure = rules.procedure_of(disagreement)
    if role not in stage.handlers.on_request:
        offered = [procedure.role(slug).name for slug in stage.handlers.on_request]
        raise ResolveError(
            _("%(name)s names no such role on request: choose one of %(offered)s.")
            % {"name": run.name, "offered": ", ".join(offered)}
            if offered
            else _("%(name)s names no role to request: its handlers take part from the stage's start.")
            % {"name": run.name},
            field="role",
        )
    name = procedure.role(role).name
    if role in rules.requested_roles(run):
        raise Refused(_("The %(role)s has already been requested at %(stage)s.") % {"role": name, "stage": run.name})
    reason = required_text(reason, "reason", _("why the %(name)s is requested") % {"name": name})
    holders = [
        a.person
        for a in RoleAssignment.objects.filter(
            partnership=disagreement.partnership,
            person__partnership=disagreement.partnership,
            role=role,
            person__is_active=True,
        ).select_related("person")
    ]
    if not holders:
        raise Refused(
            _(
                "Nobody in this partnership holds the role of %(name)s: ask the partnership's "
                "administrator to assign it, then request it again."
            )
            % {"name": name}
        )
    now = timezone.now()
    entry = entry_record(
        disagreement=disagreement,
        run=run,
        kind=RecordEntry.Kind.WRITTEN_REQUEST,
        by=by,
        now=now,
        data={"sent_to": name, "summary": reason, "requested_role": role},
        requested_role=role,
    )
    for person in holders:
        stages.participant_ensure(
            disagreement=disagreement, person=person, capacity=Participant.Capacity.HANDLER, run=run, by=by, at=now
        )
    stages.notices_raise(disagreement=disagreement, run=run, when="entry", by=by, at=now)
    return entry


@service
def discussion_record(
    *,
    disagreement: Disagreement,
    by: Person,
    held_at: datetime,
    method: str,
    summary: str,
    with_people: Sequence[Person] = (),
    others_present: str = "",
) -> RecordEntry:
    """Record a discussion held for the current stage: when, who took part, and how."""
    with_people = people_given(with_people, "with_people", _("who took part"))
    if method not in DISCUSSION_METHODS:
        raise ResolveError(
            _("Say how the discussion was held: %(methods)s.") % {"methods": ", ".join(DISCUSSION_METHODS)},
            field="method",
        )
    return _record(
        disagreement=disagreement,
        by=by,
        kind=RecordEntry.Kind.DISCUSSION_NOTE,
        occurred_at=held_at,
        fields={"method": method, "summary": summary, "others_present": others_present},
        people={"with_people": list(with_people)},
    )


@service
def meeting_record(
    *,
    disagreement: Disagreement,
    by: Person,
    held_at: datetime,
    chair: Person,
    attendees: Sequence[Person],
    areas_of_discussion: str,
    disagreement_text: str,
    agreements: str,
    actions: str,
    others_present: str = "",
) -> RecordEntry:
    """Record a multi-agency meeting: its chair, who attended, and what was discussed, disputed and agreed."""
    attendees = people_given(attendees, "attendees", _("who attended"))
    if not attendees:
        raise ResolveError(_("List who attended the meeting."), field="attendees")
    chair = person_given(chair, "chair", _("who chaired the meeting"))
    return _record(
        disagreement=disagreement,
        by=by,
        kind=RecordEntry.Kind.MEETING_RECORD,
        occurred_at=held_at,
        fields={
            "areas_of_discussion": areas_of_discussion,
            "disagreement": disagreement_text,
            "agreements": agreements,
            "actions": actions,
            "others_present": others_present,
        },
        people={"chair": [chair], "attendees": list(attendees)},
    )


@service
def record_add(
    *,
    disagreement: Disagreement,
    by: Person,
    kind: str,
    occurred_at: datetime,
    fields: Mapping[str, str],
) -> RecordEntry:
    """Add an executive summary, conference record, written request or pro-forma to the current stage."""
    if not isinstance(fields, Mapping):
        raise ResolveError(_("Give what the record says as its fields' names and their text."), field="fields")
    if kind not in (
        RecordEntry.Kind.EXECUTIVE_SUMMARY,
        RecordEntry.Kind.CONFERENCE_RECORD,
        RecordEntry.Kind.WRITTEN_REQUEST,
        RecordEntry.Kind.FORM,
    ):
        raise ResolveError(
            _(
                "Use this for an executive summary, conference record, written request or pro-forma; "
                "discussions, meetings, outcomes and reviewers' decisions have their own forms."
            ),
            field="kind",
        )
    if kind == RecordEntry.Kind.CONFERENCE_RECORD:
        view = fields.get("view", "")
        if view not in CONFERENCE_VIEWS:
            raise ResolveError(
                _("Say the conference's view: %(views)s.") % {"views": ", ".join(CONFERENCE_VIEWS)}, field="view"
            )
        if view == "majority" and not optional_text(
            fields.get("minority_view", ""), "minority_view", _("minority view")
        ):
            raise ResolveError(
                _("Record the concerns and reasons of those who hold the minority view."), field="minority_view"
            )
    return _record(disagreement=disagreement, by=by, kind=kind, occurred_at=occurred_at, fields=fields, people={})


@service
def condition_record(*, disagreement: Disagreement, by: Person, condition: str, note: str) -> RecordEntry:
    """A handler of the current stage records that one of the procedure's conditions holds, and why.

    Only then are the notices that wait for it sent (Enfield L82: wider learning points or gaps in
    policies and procedures go to the Practice Improvement Group and the Independent Chair). Recording
    the same condition again keeps the note but tells nobody twice.
    """
    disagreement = lock(disagreement)
    require(by, Can.RECORD, disagreement)
    require_open(disagreement, _("added to"))
    procedure = disagreement.procedure_version.procedure
    try:
        named = procedure.condition(str(condition))
    except KeyError:
        known = ", ".join(c.slug for c in procedure.conditions) or "none"
        raise ResolveError(
            _("%(name)s names no condition %(condition)s; its conditions: %(known)s.")
            % {"name": procedure.name, "condition": repr(str(condition)[:80]), "known": known},
            field="condition",
        ) from None
    run = current_run(disagreement)
    if not handles_stage(by, run):
        raise Refused(
            _("Only a handler of %(name)s can record that %(what)s. %(who)s")
            % {"name": run.name, "what": named.name.lower(), "who": who_can_act(disagreement)}
        )
    note = required_text(note, "note", _("what shows that it holds"))
    now = timezone.now()
    entry = entry_record(
        disagreement=disagreement,
        run=run,
        kind=RecordEntry.Kind.CONDITION,
        by=by,
        now=now,
        data={"condition": named.slug, "name": named.name, "note": note, "source": named.source},
        condition=named.slug,
    )
    stages.notices_raise(disagreement=disagreement, run=run, when="condition", by=by, at=now, condition=named.slug)
    return entry


@service
def record_correct(*, record: RecordEntry, by: Person, fields: Mapping[str, str], reason: str) -> RecordEntry:
    """Correct a record: a new entry pointing at the one it corrects; the original stays as it was."""
    disagreement = lock(record.disagreement)
    record = RecordEntry.objects.select_related("stage_run__disagreement__procedure_version").get(pk=record.pk)
    if record.kind == RecordEntry.Kind.REVIEWER_DECISION:
        require(by, Can.DECIDE, disagreement)
        if record.author_id != by.pk:
            raise Refused(_("Only the reviewer who recorded this decision can correct it."))
    else:
        require(by, Can.RECORD, disagreement)
        if record.author_id != by.pk and not handles_stage(by, record.stage_run):
            raise Refused(
                _("Only the person who wrote this record, or a handler of %(name)s, can correct it.")
                % {"name": record.stage_run.name}
            )
    require_open(disagreement, _("corrected"))
    reason = required_text(reason, "reason", _("why the record is being corrected"))
    data = dict(record.data)
    for name, value in fields.items():
        if name == "requested_role":
            raise ResolveError(
                _("The role a request named cannot be corrected: request the right role instead."), field=name
            )
        if name not in data:
            raise ResolveError(
                _("A %(kind)s has no field %(name)s.")
                % {"kind": record.get_kind_display().lower(), "name": repr(name)},
                field=name,
            )
        data[name] = optional_text(value, name, name.replace("_", " "))
    for name in RECORD_FIELDS.get(record.kind, ()):
        if not str(data.get(name, "")).strip():
            raise ResolveError(
                _("A correction cannot blank %(field)s.") % {"field": name.replace("_", " ")}, field=name
            )
    data["correction_reason"] = reason
    now = timezone.now()
    correction = RecordEntry.objects.create(
        disagreement=disagreement,
        stage_run=record.stage_run,
        kind=record.kind,
        author=by,
        created_at=now,
        occurred_at=record.occurred_at,
        data=data,
        corrects=record,
    )
    disagreement_event(
        disagreement, Verb.RECORD_CORRECTED, by=by, at=now, record=str(correction.pk), corrects=str(record.pk)
    )
    return correction


def _record(
    *,
    disagreement: Disagreement,
    by: Person,
    kind: str,
    occurred_at: datetime,
    fields: Mapping[str, str],
    people: Mapping[str, Sequence[Person]],
) -> RecordEntry:
    disagreement = lock(disagreement)
    require(by, Can.RECORD, disagreement)
    require_open(disagreement, _("added to"))
    occurred_at = past(occurred_at, "occurred_at", _("When it happened"), raised_at=disagreement.raised_at)
    data: dict[str, Any] = {}
    for name in RECORD_FIELDS.get(kind, ()):
        data[name] = required_text(fields.get(name, ""), name, name.replace("_", " "))
    for name, value in fields.items():
        data.setdefault(name, optional_text(value, name, name.replace("_", " ")))
    for name, persons in people.items():
        for person in persons:
            require_member(disagreement.partnership, person, f"{person.name} ({name.replace('_', ' ')})")
        data[name] = [{"id": str(p.pk), "name": p.name, "job_title": p.job_title} for p in persons]
    run = current_run(disagreement)
    now = timezone.now()
    entry = entry_record(
        disagreement=disagreement, run=run, kind=kind, by=by, now=now, occurred_at=occurred_at, data=data
    )
    for persons in people.values():
        for person in persons:
            stages.participant_ensure(
                disagreement=disagreement, person=person, capacity=Participant.Capacity.ATTENDEE, run=run, by=by, at=now
            )
    return entry
