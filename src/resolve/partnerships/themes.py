"""The partnership's list of learning themes, kept by its administrators: add, retire, restore (never delete).

A theme is offered to the handler who records wider learning at resolution
(``resolve.reports.learning.learning_record``) while it is not retired; a retired theme keeps its
name on the learning already recorded against it. Each change is an audit entry
``Verb.REFERENCE_CHANGED`` with ids and field names only (``people.record_change``'s shape).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.partnerships.models import LearningTheme, Partnership
from resolve.partnerships.services import Asker, Asking, administrator_check


def themes_of(partnership: Partnership) -> QuerySet[LearningTheme]:
    """Every theme of the partnership, retired ones too, by name."""
    return LearningTheme.objects.filter(partnership=partnership).order_by("name", "pk")


def themes_offered(partnership_id: Any) -> QuerySet[LearningTheme]:
    """The themes a handler may choose: the partnership's, not retired."""
    return LearningTheme.objects.filter(partnership_id=partnership_id, retired_at__isnull=True).order_by("name", "pk")


def theme_of(partnership: Partnership, pk: object) -> LearningTheme:
    """One of the partnership's themes; another partnership's, or none, is NotFound."""
    found = LearningTheme.objects.filter(partnership=partnership, pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise NotFound(_("There is no such learning theme in this partnership."), field="theme")
    return found


def _text(value: Any, *, field: str, what: str, required: bool) -> str:
    text = ("" if value is None else str(value)).strip()
    limit = getattr(LearningTheme._meta.get_field(field), "max_length", None) or 0
    if required and not text:
        raise ResolveError(_("Enter %(what)s.") % {"what": what}, field=field)
    if "\x00" in text:
        raise ResolveError(_("Enter %(what)s as plain text.") % {"what": what}, field=field)
    if len(text) > limit:
        raise ResolveError(
            _("Enter %(what)s in at most %(limit)s characters.") % {"what": what, "limit": limit}, field=field
        )
    return text


def _record(partnership: Partnership, asker: Asker, theme: LearningTheme, action: str, fields: list[str]) -> None:
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={
            "model": LearningTheme._meta.label,
            "object": str(theme.pk),
            "action": action,
            "fields": fields,
            **asker.data,
        },
    )


@transaction.atomic
def theme_add(*, partnership: Partnership, name: str, description: str = "", by: Asking) -> LearningTheme:
    """A new theme in the partnership's list; its name is its own (whatever the case, retired ones included)."""
    asker = administrator_check(partnership=partnership, by=by)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()  # one new name at a time
    name = _text(name, field="name", what=_("the theme's name"), required=True)
    description = _text(description, field="description", what=_("the description"), required=False)
    taken = LearningTheme.objects.filter(partnership=partnership, name__iexact=name).first()
    if taken is not None:
        retired = _(" (retired: restore it instead)") if taken.retired_at is not None else ""
        raise ResolveError(
            _("The partnership already has a theme called %(name)s%(retired)s: give this one another name.")
            % {"name": taken.name, "retired": retired},
            field="name",
        )
    theme = LearningTheme.objects.create(partnership=partnership, name=name, description=description)
    _record(partnership, asker, theme, "added", ["name", "description"] if description else ["name"])
    return theme


def _locked(partnership: Partnership, theme: LearningTheme) -> LearningTheme:
    found = LearningTheme.objects.select_for_update().filter(partnership=partnership, pk=theme.pk).first()
    if found is None:
        raise NotFound(_("There is no such learning theme in this partnership."), field="theme")
    return found


@transaction.atomic
def theme_retire(*, partnership: Partnership, theme: LearningTheme, by: Asking) -> LearningTheme:
    """No longer offered for new learning; what was recorded against it keeps it."""
    asker = administrator_check(partnership=partnership, by=by)
    theme = _locked(partnership, theme)
    if theme.retired_at is not None:
        raise Refused(_("%(name)s is already retired.") % {"name": theme.name})
    theme.retired_at = timezone.now()
    theme.save(update_fields=["retired_at"])
    _record(partnership, asker, theme, "retired", ["retired_at"])
    return theme


@transaction.atomic
def theme_restore(*, partnership: Partnership, theme: LearningTheme, by: Asking) -> LearningTheme:
    """A retired theme is offered again."""
    asker = administrator_check(partnership=partnership, by=by)
    theme = _locked(partnership, theme)
    if theme.retired_at is None:
        raise Refused(_("%(name)s is not retired.") % {"name": theme.name})
    theme.retired_at = None
    theme.save(update_fields=["retired_at"])
    _record(partnership, asker, theme, "restored", ["retired_at"])
    return theme
