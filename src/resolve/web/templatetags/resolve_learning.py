"""The learning recorded for a disagreement, for its page (``web/disagreement/learning.html``)."""

from __future__ import annotations

from django import template

from resolve.disagreements.models import Disagreement
from resolve.reports.learning import learning_of
from resolve.reports.models import LearningEntry

register = template.Library()


@register.simple_tag
def learning_recorded(disagreement: Disagreement) -> list[LearningEntry]:
    """Read once (two queries) for the disagreement's page, which has already checked access."""
    return learning_of(disagreement)
