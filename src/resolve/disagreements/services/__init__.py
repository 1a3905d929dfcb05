"""Everything that changes a disagreement. Each function is one transaction (``@service``,
which also records a refusal by the access policy once that transaction has rolled back: decision 0007).

Each service checks who is asking (the access policy), its input and the disagreement's state
before it writes anything, and raises ``ResolveError`` (bad input), ``Refused`` (not allowed now)
or ``NotFound`` (not visible to this person) with a message saying what to fix, so a refused call
changes nothing. Every transition locks the disagreement's row first.
"""

from resolve.disagreements.services.cross_borough import counterpart_invite, counterparts_invitable
from resolve.disagreements.services.deadlines import deadline_set_for_case
from resolve.disagreements.services.handover import Handover, person_leave, person_restore
from resolve.disagreements.services.meetings import meeting_cancel, meeting_kinds, meeting_move, meeting_schedule
from resolve.disagreements.services.outcomes import (
    action_add,
    action_complete,
    outcome_confirm,
    outcome_dispute,
    outcome_propose,
)
from resolve.disagreements.services.raising import RegisteredChild, child_register, disagreement_raise
from resolve.disagreements.services.records import (
    CONFERENCE_VIEWS,
    DISCUSSION_METHODS,
    RECORD_FIELDS,
    condition_record,
    discussion_record,
    handler_request,
    meeting_record,
    participant_add,
    record_add,
    record_correct,
)
from resolve.disagreements.services.responses import raiser_respond
from resolve.disagreements.services.reviewer import reviewer_appoint, reviewer_decision_record
from resolve.disagreements.services.transitions import (
    deadlines_recalculate,
    disagreement_escalate,
    disagreement_resolve,
    disagreement_withdraw,
    feedback_give,
)

__all__ = [
    "CONFERENCE_VIEWS",
    "DISCUSSION_METHODS",
    "RECORD_FIELDS",
    "Handover",
    "RegisteredChild",
    "action_add",
    "action_complete",
    "child_register",
    "condition_record",
    "counterpart_invite",
    "counterparts_invitable",
    "deadline_set_for_case",
    "deadlines_recalculate",
    "disagreement_escalate",
    "disagreement_raise",
    "disagreement_resolve",
    "disagreement_withdraw",
    "discussion_record",
    "feedback_give",
    "handler_request",
    "meeting_cancel",
    "meeting_kinds",
    "meeting_move",
    "meeting_record",
    "meeting_schedule",
    "outcome_confirm",
    "outcome_dispute",
    "outcome_propose",
    "participant_add",
    "person_leave",
    "person_restore",
    "raiser_respond",
    "record_add",
    "record_correct",
    "reviewer_appoint",
    "reviewer_decision_record",
]
