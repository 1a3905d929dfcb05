"""GOV.UK markup for django-allauth's forms, whose fields Resolve does not define.

Resolve's own forms get their GOV.UK classes from ``resolve.web.forms.GovForm``; allauth's forms are
allauth's, so their inputs get the classes (and the ``aria-describedby`` that ties them to their hint
and error) as they are rendered, here. No placeholder is ever rendered: every field has a label.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {
    "checkbox": "govuk-checkboxes__input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
}
_ERROR_CLASSES = {"govuk-input": "govuk-input--error", "govuk-textarea": "govuk-textarea--error"}
# Fields whose answer is short: GOV.UK sizes the box to the answer.
_WIDTHS = {"code": "govuk-input--width-10"}


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """The field's input with GOV.UK's classes, tied to its hint and error message, without a placeholder."""
    base = _CLASSES.get(field.widget_type, "govuk-input")
    classes = [base]
    if field.name in _WIDTHS and base == "govuk-input":
        classes.append(_WIDTHS[field.name])
    if field.errors and base in _ERROR_CLASSES:
        classes.append(_ERROR_CLASSES[base])
    described = [f"{field.auto_id}-hint"] if field.help_text else []
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": " ".join(classes), "placeholder": False}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.name == "code":
        attrs.update(inputmode="numeric", autocomplete="one-time-code", spellcheck="false")
    return field.as_widget(attrs=attrs)


@register.simple_tag
def first_field_id(form: object) -> str:
    """Where a form-wide error in the error summary links to: the form's first field."""
    for field in getattr(form, "visible_fields", list)():
        return str(field.id_for_label or field.auto_id)
    return "main-content"
