"""GOV.UK Design System forms: one renderer, so that no page writes its own form markup.

``FORM_RENDERER`` (settings) is :class:`GovUKFormRenderer`: ``{{ form }}`` renders each field as a
GOV.UK form group (label or legend, hint, error message, the input with GOV.UK classes) and the error
summary comes from ``{% include "web/forms/error_summary.html" %}`` above the page's ``h1``. Pages'
forms subclass :class:`GovForm`, which gives every widget its GOV.UK classes and the ``aria``
attributes that tie it to its hint and error. Dates use GOV.UK's date input pattern (day, month and
year boxes): :class:`DateField`; a date with a time: :class:`DateTimeField`.

Field names are the service's keyword names (``reason``, ``held_at``...), so that a service's
``ResolveError(field=...)`` lands on the field it names (:meth:`GovForm.refuse`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resolve.core.errors import ResolveError

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class GovUKFormRenderer(TemplatesSetting):
    """Django's renderer with GOV.UK templates for a form and for each field's group."""

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


#: widget types (``BoundField.widget_type``) whose choices sit in a fieldset with a legend
FIELDSET_WIDGETS = {"radios", "checkboxes", "govdate", "govdatetime"}
_INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
}


class Radios(forms.RadioSelect):
    """GOV.UK radios; ``hints`` gives a hint under any choice (by its value)."""

    template_name = "web/forms/widgets/radios.html"
    option_template_name = "web/forms/widgets/choice.html"

    def __init__(self, *args: Any, hints: Mapping[str, str] | None = None, inline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hints = dict(hints or {})
        self.inline = inline

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["inline"] = self.inline
        return context

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["hint"] = self.hints.get(str(value), "")
        option["kind"] = "radios"
        return option


class Checkboxes(forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes; ``hints`` gives a hint under any choice (by its value)."""

    template_name = "web/forms/widgets/checkboxes.html"
    option_template_name = "web/forms/widgets/choice.html"

    def __init__(self, *args: Any, hints: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hints = dict(hints or {})

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["hint"] = self.hints.get(str(value), "")
        option["kind"] = "checkboxes"
        return option


class _Part(forms.TextInput):
    """One box of a GOV.UK date input."""

    def __init__(self, width: int, label: str, **attrs: str) -> None:
        super().__init__(attrs={"class": f"govuk-input govuk-date-input__input govuk-input--width-{width}", **attrs})
        self.part_label = label


class GovDateWidget(forms.MultiWidget):
    """Day, month and year boxes (GOV.UK's date input)."""

    template_name = "web/forms/widgets/date.html"
    #: set by GovForm when the field has an error, so that every box is marked
    errored = False

    with_time = False

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric"}
        parts = [
            _Part(2, gettext("Day"), **numeric),
            _Part(2, gettext("Month"), **numeric),
            _Part(4, gettext("Year"), **numeric),
        ]
        if self.with_time:
            parts.append(_Part(5, gettext("Time"), autocomplete="off"))
        super().__init__(parts, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], self.widgets, strict=True):
            subwidget["part_label"] = part.part_label  # type: ignore[attr-defined]
        context["widget"]["errored"] = self.errored
        return context


class GovDateTimeWidget(GovDateWidget):
    """GOV.UK's date input with a fourth box for the time (such as 14:30)."""

    with_time = True

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return [local.day, local.month, local.year, local.strftime("%H:%M")]
        return [None, None, None, None]


_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")


def parse_time(text: str) -> time | None:
    """``14:30``, ``14.30``, ``2:30pm``, ``9am``, ``0930`` is refused (ambiguous); None if not a time."""
    match = _TIME.match(text.strip().lower().replace(" ", ""))
    if match is None:
        return None
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
    if half is None and match["minute"] is None:
        return None  # "14" alone is too easily a slip
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class DateField(forms.Field):
    """A date typed in GOV.UK's day, month and year boxes, with GOV.UK's error messages."""

    widget = GovDateWidget
    parts: tuple[str, ...] = ("day", "month", "year")

    def __init__(self, *, what: str | StrPromise | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: the date's name in messages ("The date of the meeting must include a month")
        self.what = what

    def _name(self) -> str:
        return str(self.what or self.label or _("The date"))

    def _values(self, value: Any) -> list[str]:
        if not isinstance(value, list | tuple):
            return [""] * len(self.parts)
        return [str(v).strip() if v is not None else "" for v in value]

    def _date(self, values: Sequence[str]) -> date | None:
        day, month, year = values[:3]
        name = self._name()
        if not any(values):
            if self.required:
                raise forms.ValidationError(gettext("Enter %(what)s") % {"what": name[0].lower() + name[1:]})
            return None
        missing = [gettext(p) for p, v in zip(("day", "month", "year"), (day, month, year), strict=True) if not v]
        if missing:
            raise forms.ValidationError(
                gettext("%(what)s must include a %(parts)s") % {"what": name, "parts": gettext(" and a ").join(missing)}
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(gettext("%(what)s must be a real date, in numbers") % {"what": name})
        if len(year) != 4:
            raise forms.ValidationError(gettext("The year must include 4 numbers"))
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(gettext("%(what)s must be a real date") % {"what": name}) from None

    def to_python(self, value: Any) -> date | None:
        return self._date(self._values(value))

    def validate(self, value: Any) -> None:
        """Required-ness is checked by :meth:`to_python`, with the field's own words."""

    def has_changed(self, initial: Any, data: Any) -> bool:
        return bool(any(self._values(data)))


class DateTimeField(DateField):
    """A date in GOV.UK's boxes with the time beside it; the result is in UK time (Europe/London)."""

    widget = GovDateTimeWidget
    parts = ("day", "month", "year", "time")

    def to_python(self, value: Any) -> datetime | None:
        values = self._values(value)
        day = self._date(values)
        if day is None:
            if values[3] and self.required:
                raise forms.ValidationError(gettext("Enter %(what)s") % {"what": self._name().lower()})
            return None
        if not values[3]:
            raise forms.ValidationError(gettext("%(what)s must include a time, such as 14:30") % {"what": self._name()})
        moment = parse_time(values[3])
        if moment is None:
            raise forms.ValidationError(
                gettext("Enter the time as hours and minutes, such as 14:30 or 2:30pm"),
            )
        return timezone.make_aware(datetime.combine(day, moment))


class GovForm(forms.Form):
    """A form rendered with GOV.UK classes, whose errors feed the page's error summary.

    ``page_heading`` names the field whose label (or legend) is the page's ``h1``, as on GOV.UK
    question pages; leave it empty where the page has its own heading.
    """

    page_heading: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # Django's own radios and checkboxes become GOV.UK's, with the same choices
            if type(field.widget) is forms.RadioSelect:
                field.widget = Radios(attrs=field.widget.attrs, choices=field.widget.choices)
            elif type(field.widget) is forms.CheckboxSelectMultiple:
                field.widget = Checkboxes(attrs=field.widget.attrs, choices=field.widget.choices)
            self._style(name, field)

    def _style(self, name: str, field: forms.Field) -> None:
        widget = field.widget
        kind = self[name].widget_type
        errors = getattr(self, "_errors", None) or {}
        errored = name in errors
        if isinstance(widget, GovDateWidget):
            widget.errored = errored
        if kind in FIELDSET_WIDGETS:
            return  # the fieldset carries aria-describedby; each box or choice has its own classes
        base = _INPUT_CLASSES.get(kind, "govuk-input")
        error_class = {"govuk-input": "govuk-input--error", "govuk-textarea": "govuk-textarea--error"}.get(
            base, "govuk-select--error" if base == "govuk-select" else ""
        )
        classes = [c for c in widget.attrs.get("class", "").split() if c not in (base, error_class)]
        classes.insert(0, base)
        if errored and error_class:
            classes.append(error_class)
        widget.attrs["class"] = " ".join(classes)
        if kind == "textarea":
            widget.attrs.setdefault("rows", "5")
        described = [f"{self[name].auto_id}-hint"] if field.help_text else []
        if errored:
            described.append(f"{self[name].auto_id}-error")
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)
        else:
            widget.attrs.pop("aria-describedby", None)

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            self._style(name, field)

    def refuse(self, error: ResolveError) -> None:
        """Put a service's refusal on the field it names, or above the form when it names none here."""
        self.add_error(error.field if error.field in self.fields else None, error.message)
        if error.field in self.fields:
            self._style(error.field, self.fields[error.field])

    def error_links(self) -> list[tuple[str, str]]:
        """The error summary's entries: (the id to jump to, the message), in the order of the fields."""
        links: list[tuple[str, str]] = []
        first = next(iter(self.fields), None)
        for message in self.non_field_errors():
            links.append((self._target(first) if first else "main-content", str(message)))
        for name in self.fields:
            for message in self.errors.get(name, []):
                links.append((self._target(name), str(message)))
        return links

    def _target(self, name: str) -> str:
        bound = self[name]
        if bound.widget_type in ("govdate", "govdatetime"):
            return f"{bound.auto_id}_0"
        if bound.widget_type in ("radios", "checkboxes"):
            return f"{bound.auto_id}_0"
        return str(bound.auto_id)
