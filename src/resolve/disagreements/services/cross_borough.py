"""Cross-borough disagreements (Enfield section 9, L88-90; decision 0015): inviting the other partnership's counterpart.

A disagreement raised in one partnership may name an agency of another partnership on the same
installation (``disagreement_raise``). The raising partnership's procedure governs it; the other
partnership's people take part only once invited: someone with the current stage's authority, or
the person who raised it, names a person of that agency at the stage's level for their agency
(``rules.acting_level``, the agency's seniority-matrix column read against the raising procedure's
matrix). From then on they, and everyone above them in their line-management chain, see it and act
for their agency at their level, as any agency in dispute does (the access policy).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.access.policy import Action as Can
from resolve.access.policy import require
from resolve.access.refusals import service
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements import rules
from resolve.disagreements.models import Disagreement, Notice, Participant
from resolve.disagreements.services import stages
from resolve.disagreements.services.guards import current_run, lock, person_given, require_open
from resolve.partnerships.models import Agency, Person


@service
def counterpart_invite(*, disagreement: Disagreement, person: Person, by: Person) -> Participant:
    """Invite ``person``, of another partnership's agency in dispute, to take part at the current stage's level.

    Refused (and nothing written) unless ``by`` raised it or has the stage's authority; the
    disagreement is open and names an agency of another partnership; ``person`` is active, in one
    of those agencies, at or above the stage's level for it, and not already invited. Writes the
    participant (capacity counterpart), ``COUNTERPART_INVITED`` on the timeline (identifiers only)
    and a notice to them, which tells them; taking part is what opens the record for them.
    """
    disagreement = lock(disagreement)
    require(by, Can.INVITE_COUNTERPART, disagreement)
    require_open(disagreement, _("changed"))
    person = person_given(person, "person", _("the counterpart to invite"))
    run = current_run(disagreement)
    elsewhere = rules.other_partnership_ids(disagreement)
    if not elsewhere:
        raise Refused(
            _(
                "This disagreement names no agency of another partnership: add people of your own partnership "
                "as counterparts or handlers instead."
            )
        )
    agency = (
        Agency.objects.select_related("partnership").filter(pk=person.agency_id, disputed=disagreement).first()
        if person.agency_id is not None
        else None
    )
    if agency is None or agency.partnership_id not in elsewhere or person.partnership_id != agency.partnership_id:
        raise ResolveError(
            _("Choose someone in an agency of another partnership that this disagreement is with."), field="person"
        )
    if not person.is_active:
        raise ResolveError(
            _("%(name)s is no longer active in %(agency)s: choose someone who is.")
            % {"name": person.name, "agency": agency.name},
            field="person",
        )
    level = rules.acting_level(disagreement, run, agency)
    if level is not None and (person.level is None or person.level < level):
        raise ResolveError(
            _(
                "%(stage)s is handled at level %(level)s in %(agency)s: choose someone at that level or above, "
                "so that they can act for their agency."
            )
            % {"stage": run.name, "level": level, "agency": agency.name},
            field="person",
        )
    if disagreement.participants.filter(person=person, capacity=Participant.Capacity.COUNTERPART).exists():
        raise Refused(_("%(name)s has already been invited.") % {"name": person.name}, field="person")
    now = timezone.now()
    stages.participant_ensure(
        disagreement=disagreement, person=person, capacity=Participant.Capacity.COUNTERPART, run=run, by=by, at=now
    )
    disagreement_event(
        disagreement,
        Verb.COUNTERPART_INVITED,
        by=by,
        at=now,
        person=str(person.pk),
        agency=str(agency.pk),
        partnership=str(agency.partnership_id),
        stage=run.stage,
        level=level,
    )
    procedure = rules.procedure_of(disagreement)
    flag = next((f for f in procedure.flags if f.slug in disagreement.flags and f.slug == "cross-borough"), None)
    stages.notice_send(
        disagreement=disagreement,
        run=run,
        to="counterpart",
        kind=Notice.Kind.COUNTERPART_INVITED,
        what=_(
            "You are invited to take part for %(agency)s in a disagreement raised in %(partnership)s, at "
            "%(stage)s, under its procedure."
        )
        % {"agency": agency.name, "partnership": disagreement.partnership.name, "stage": run.name},
        recipients=[person],
        source=flag.source if flag is not None else "",
        by=by,
        at=now,
        urgent=rules.is_urgent(disagreement),
    )
    return disagreement.participants.get(person=person, capacity=Participant.Capacity.COUNTERPART)


def counterparts_invitable(disagreement: Disagreement) -> list[tuple[Agency, int | None, list[Person]]]:
    """Who may be invited now, for a page to offer (reads only; ``counterpart_invite`` checks again).

    For each agency of another partnership in dispute, by partnership and name: the stage's level for
    it (``rules.acting_level``, its seniority-matrix column), and its active people at that level or
    above who are not yet invited, by level and name.
    """
    run = rules.latest_run(disagreement)
    if run is None or not disagreement.is_open:
        return []
    invited = set(
        disagreement.participants.filter(capacity=Participant.Capacity.COUNTERPART).values_list("person_id", flat=True)
    )
    offered = []
    agencies = (
        Agency.objects.filter(disputed=disagreement)
        .exclude(partnership=disagreement.partnership_id)
        .select_related("partnership")
        .order_by("partnership__name", "name", "pk")
    )
    for agency in agencies:
        level = rules.acting_level(disagreement, run, agency)
        people = Person.objects.filter(agency=agency, partnership=agency.partnership_id, is_active=True).exclude(
            pk__in=invited
        )
        if level is not None:
            people = people.filter(level__gte=level)
        offered.append((agency, level, list(people.order_by("level", "name", "pk"))))
    return offered
