"""The links from a disagreement's page to its action pages: which address each page has, and its words.

The one place that maps the action pages ``disagreement_page`` offers (``OfferedPage``) to the URL names
agreed for them (``/disagreements/<pk>/...``). The page decides nothing here: it offers what the policy
allows, and this only names it. Every offered page has its URL name here (a test reverses each one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from resolve.disagreements.page import Offer, OfferedPage

if TYPE_CHECKING:
    from django.utils.safestring import SafeString
    from django_stubs_ext import StrPromise

register = template.Library()

#: each action page: its URL name, the words of the link to it, and what its address names beside ``pk``
ACTION_PAGES: dict[OfferedPage, tuple[str, StrPromise, str | None]] = {
    OfferedPage.DISCUSSION: ("disagreement_discussion", _("Record a discussion"), None),
    OfferedPage.MEETING: ("disagreement_meeting", _("Record a meeting"), None),
    OfferedPage.RECORD: (
        "disagreement_record",
        _("Add another record (an executive summary, a written request or a pro-forma)"),
        None,
    ),
    OfferedPage.CONDITION: ("disagreement_condition", _("Record a condition the procedure names"), None),
    OfferedPage.CONFERENCE: ("disagreement_conference", _("Record the conference's view"), None),
    OfferedPage.ACTION_ADD: ("disagreement_action_add", _("Add an agreed action"), None),
    OfferedPage.ACTION_COMPLETE: ("disagreement_action_complete", _("Mark as done"), "action"),
    OfferedPage.OUTCOME: ("disagreement_outcome", _("Propose a written outcome"), None),
    OfferedPage.OUTCOME_CONFIRM: (
        "disagreement_outcome_confirm",
        _("Confirm or dispute the proposed outcome for your agency"),
        "outcome",
    ),
    OfferedPage.ESCALATE: ("disagreement_escalate", _("Escalate to the next stage"), None),
    OfferedPage.RESOLVE: ("disagreement_resolve", _("Resolve the disagreement"), None),
    OfferedPage.WITHDRAW: ("disagreement_withdraw", _("Withdraw the disagreement"), None),
    OfferedPage.FEEDBACK: ("disagreement_feedback", _("Give feedback to the person who raised it"), None),
    OfferedPage.REVIEWER: ("disagreement_reviewer", _("Appoint an independent reviewer"), None),
    OfferedPage.DECISION: ("disagreement_decision", _("Record the independent reviewer's decision"), None),
    OfferedPage.HANDLER: ("disagreement_handler", _("Ask for a handler the procedure names on request"), None),
    OfferedPage.DEADLINE: ("disagreement_deadline", _("Set an earlier deadline for this case"), None),
    OfferedPage.RESPONSE: ("disagreement_response", _("Accept the outcome, or ask for it to go further"), None),
    OfferedPage.MEETING_SCHEDULE: ("disagreement_meeting_schedule", _("Schedule a meeting"), None),
    OfferedPage.MEETING_MOVE: ("disagreement_meeting_move", _("Move"), "meeting"),
    OfferedPage.MEETING_CANCEL: ("disagreement_meeting_cancel", _("Cancel"), "meeting"),
    OfferedPage.COUNTERPART_INVITE: (
        "disagreement_counterpart_invite",
        _("Invite a counterpart from another partnership"),
        None,
    ),
    OfferedPage.LEARNING: ("disagreement_learning", _("Record wider learning"), None),
}


def action_address(offer: Offer, disagreement: UUID) -> str:
    """The address of the offered page."""
    name, _words, names = ACTION_PAGES[offer.page]
    kwargs: dict[str, UUID] = {"pk": disagreement}
    if names is not None and offer.target is not None:
        kwargs[names] = offer.target
    return reverse(name, kwargs=kwargs)


@register.simple_tag
def action_link(offer: Offer, disagreement: UUID) -> SafeString:
    """A GOV.UK link to the offered action page."""
    _name, words, _names = ACTION_PAGES[offer.page]
    about = format_html('<span class="govuk-visually-hidden">: {}</span>', offer.about) if offer.about else ""
    address = action_address(offer, disagreement)
    return format_html('<a class="govuk-link" href="{}">{}{}</a>', address, words, about)
