"""The Disagreements list's filter form: the values a person may choose, checked before anything is read.

Its choices (agencies, stages, categories) come from the person's partnership and its procedure
(``list_choices_for``); the selector checks the values again. The search words (``q``) are sent by
POST, never in the page's address: a child's reference is personal data (see ``views.disagreements``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from resolve.disagreements.selectors import LIST_SORTS, SEARCH_MAX_LENGTH, ListChoices, ListFilters
from resolve.web.forms import GovForm, Radios

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATUS_CHOICES = [
    ("open", _("Open")),
    ("closed", _("Closed (resolved or withdrawn)")),
    ("resolved", _("Resolved")),
    ("withdrawn", _("Withdrawn")),
    ("all", _("All")),
]
DUE_CHOICES = [
    ("", _("Any time")),
    ("overdue", _("Overdue")),
    ("today", _("Due today")),
    ("week", _("Due this week")),
]
SORT_CHOICES = [
    ("raised", _("Newest raised first")),
    ("raised-oldest", _("Oldest raised first")),
    ("deadline", _("Next deadline first")),
    ("reference", _("Reference")),
]
assert [value for value, _label in SORT_CHOICES] == list(LIST_SORTS)


def _choice(
    label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]], wrong: StrOrPromise, **kwargs: Any
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=False, error_messages={"invalid_choice": wrong}, **kwargs
    )


class DisagreementFilterForm(GovForm):
    q = forms.CharField(
        label=_("Reference or child's reference"),
        help_text=_("For example, NEL-2026-0042, or part of the child's reference"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": _("Enter a reference of %(limit_value)d characters or fewer.")},
    )
    status = _choice(
        _("Status"),
        STATUS_CHOICES,
        _("Choose open, closed, resolved, withdrawn or all disagreements to show."),
        widget=Radios(),
    )
    due = _choice(
        _("Due"),
        DUE_CHOICES,
        _("Choose overdue, due today or due this week, or any time."),
        widget=Radios(),
    )
    agency = _choice(_("Agency"), [], _("Choose an agency from the list."))
    stage = _choice(_("Stage"), [], _("Choose a stage from the list."))
    category = _choice(_("Category"), [], _("Choose a category from the list."))
    sort = _choice(_("Sort by"), SORT_CHOICES, _("Choose how to sort the disagreements."))

    def __init__(self, data: QueryDict, *, choices: ListChoices) -> None:
        data = data.copy()
        for name, default in (("status", "open"), ("sort", LIST_SORTS[0])):
            if not data.get(name):
                data[name] = default  # the list as first shown: open ones, newest first
        super().__init__(data)
        self._set_choices("agency", [("", _("Any agency")), *((str(pk), name) for pk, name in choices.agencies)])
        self._set_choices("stage", [("", _("Any stage")), *choices.stages])
        self._set_choices("category", [("", _("Any category")), *choices.categories])

    def _set_choices(self, name: str, choices: Sequence[tuple[str, StrOrPromise]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> ListFilters:
        data = self.cleaned_data
        return ListFilters(
            status=data["status"] or "open",
            q=data["q"],
            agency=UUID(data["agency"]) if data["agency"] else None,
            stage=data["stage"],
            category=data["category"],
            due=data["due"],
            sort=data["sort"] or LIST_SORTS[0],
        )
