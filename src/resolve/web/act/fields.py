"""Fields the record and outcome pages share: people chosen by their id, and refusals put on the right field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resolve.core.errors import ResolveError
from resolve.partnerships.models import Person

#: GOV.UK's hint for a date with a time
WHEN_HINT = _("For example, 27 3 2026 and 14:30")


def person_label(person: Person) -> str:
    """A person as a choice reads: name, job title and agency (never anything about the child)."""
    parts = [person.name, person.job_title, person.agency.name if person.agency else ""]
    return ", ".join(p for p in parts if p)


class PersonField(forms.ModelChoiceField):
    """One person, from those the page may name (``resolve.disagreements.choosing.people_to_name``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Person.objects.none())
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Choose someone from the list"), "required": _("Choose someone")}
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj)


class PeopleField(forms.ModelMultipleChoiceField):
    """Any number of people, as GOV.UK checkboxes, from those the page may name."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Person.objects.none())
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _("Choose people from the list"),
                "invalid_pk_value": _("Choose people from the list"),
                "required": _("Choose at least one person"),
            },
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj)


@contextmanager
def fields_renamed(names: Mapping[str, str]) -> Iterator[None]:
    """A service's refusal naming its own word for a field (``occurred_at``) lands on the page's (``held_at``)."""
    try:
        yield
    except ResolveError as error:
        if error.field is not None and error.field in names:
            error.field = names[error.field]
        raise
