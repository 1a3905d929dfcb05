"""A deadline set for the case, earlier than the procedure's cap (Cumbria L35, NEL L159).

Cumbria's Executive Manager/Lead applies "an appropriate timescale lasting no longer than 7
working days" (L35); NEL's conference chair may reconvene before the 15-working-day cap (L159,
READING 1.6). The procedure marks such a cap ``case_may_set``. The date set for the case is stored
beside the cap, with who set it and why; while it stands it governs (the cap gives way to it on
the dashboard), and a date later than the cap is refused.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.access.policy import Action as Can
from resolve.access.policy import require
from resolve.access.refusals import service
from resolve.audit.models import Verb
from resolve.audit.services import disagreement_event
from resolve.calendar import LONDON
from resolve.core.errors import Refused, ResolveError
from resolve.disagreements.models import Disagreement, StageDeadline
from resolve.disagreements.services.guards import current_run, lock, require_open, required_text
from resolve.partnerships.models import Person


def _when(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%H:%M on %d %B %Y")


@service
def deadline_set_for_case(
    *, disagreement: Disagreement, by: Person, timescale: str, due: datetime, reason: str
) -> StageDeadline:
    """Set ``due`` for this case in place of the current stage's ``timescale`` cap, earlier than the cap.

    Needs the authority of the stage (its level in an agency in dispute, or a role its handlers name).
    Setting it again replaces the earlier one set for the case (kept, marked replaced).
    """
    disagreement = lock(disagreement)
    require(by, Can.SET_DEADLINE, disagreement)
    require_open(disagreement, _("given a deadline"))
    run = current_run(disagreement)
    slug = required_text(timescale, "timescale", _("the deadline to set for this case"), limit=80)
    reason = required_text(reason, "reason", _("why this deadline is right for the case"))
    caps = {d.timescale: d for d in run.current_deadlines().filter(kind=StageDeadline.Kind.PROCEDURE)}
    settable = sorted(
        d.timescale for d in caps.values() if d.due is not None and _may_set(disagreement, run.stage, d.timescale)
    )
    if not settable:
        raise Refused(
            _("The procedure sets no deadline at %(name)s that the case may set earlier.") % {"name": run.name}
        )
    cap = caps.get(slug)
    if cap is None or slug not in settable:
        raise ResolveError(
            _("%(name)s has no deadline %(slug)s the case may set. Deadlines it may set: %(settable)s.")
            % {"name": run.name, "slug": repr(slug), "settable": ", ".join(settable)},
            field="timescale",
        )
    assert cap.due is not None  # settable deadlines have a date
    if not isinstance(due, datetime) or timezone.is_naive(due):
        raise ResolveError(_("Give the deadline as a date and time with its time zone."), field="due")
    now = timezone.now()
    if due <= now:
        raise ResolveError(_("The deadline must be later than now (%(now)s).") % {"now": _when(now)}, field="due")
    if due > cap.due:
        raise Refused(
            _(
                "%(due)s is later than the procedure allows: '%(what)s' is due by %(cap)s at the latest "
                "(%(rule)s). Choose a date on or before it."
            )
            % {"due": _when(due), "what": cap.what, "cap": _when(cap.due), "rule": cap.rule}
        )
    for earlier in run.current_deadlines().filter(kind=StageDeadline.Kind.SET_FOR_CASE, cap=cap):
        earlier.replaced_at = now
        earlier.save(update_fields=["replaced_at"])
    deadline = StageDeadline.objects.create(
        stage_run=run,
        kind=StageDeadline.Kind.SET_FOR_CASE,
        timescale=f"{cap.timescale}-for-case",
        what=cap.what,
        due=due,
        rule=f"set for this case, earlier than the procedure's cap ({cap.rule})",
        source=cap.source,
        computed_at=now,
        cap=cap,
        set_by=by,
        reason=reason,
    )
    disagreement_event(
        disagreement,
        Verb.DEADLINE_SET,
        by=by,
        at=now,
        stage=run.stage,
        timescale=deadline.timescale,
        due=due.isoformat(),
        cap=cap.due.isoformat(),
        set_for_case=True,
    )
    return deadline


def _may_set(disagreement: Disagreement, stage: str, slug: str) -> bool:
    pathway = disagreement.procedure_version.procedure.pathway(disagreement.pathway)
    return any(t.slug == slug and t.case_may_set for t in pathway.stage(stage).timescales)
