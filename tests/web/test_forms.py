"""The GOV.UK form renderer (resolve.web.forms): the markup and the messages a person sees."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django import forms

from resolve.core.errors import ResolveError
from resolve.web.forms import Checkboxes, DateField, DateTimeField, GovForm, Radios, parse_time

LONDON = ZoneInfo("Europe/London")


class Example(GovForm):
    page_heading = "held_at"
    held_at = DateTimeField(label="When was the meeting held?", help_text="For example, 27 3 2026 and 14:30")
    born = DateField(label="Date of birth", required=False)
    method = forms.ChoiceField(
        label="How was it held?",
        choices=[("telephone", "Telephone"), ("in_person", "In person")],
        widget=Radios(hints={"in_person": "Face to face, in one room"}),
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies", choices=[("a", "School"), ("b", "Police")], widget=forms.CheckboxSelectMultiple
    )
    urgent = forms.BooleanField(label="This is urgent", required=False)
    summary = forms.CharField(label="Summary", widget=forms.Textarea)


def bound(**data: str) -> Example:
    values: dict[str, object] = {"agencies": ["a"]}
    values |= {"held_at_0": "1", "held_at_1": "12", "held_at_2": "2026", "held_at_3": "14:30"}
    values |= {"method": "telephone", "summary": "Spoke."}
    values |= data
    return Example(data=values)


def test_a_date_and_time_in_the_boxes_is_uk_time_across_the_clock_change() -> None:
    form = bound(held_at_0="29", held_at_1="3", held_at_2="2026", held_at_3="2:30pm")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held_at"] == datetime(2026, 3, 29, 14, 30, tzinfo=LONDON)
    assert form.cleaned_data["held_at"].utcoffset().total_seconds() == 3600


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"held_at_0": "", "held_at_1": "", "held_at_2": "", "held_at_3": ""}, "Enter when was the meeting held?"),
        ({"held_at_1": ""}, "When was the meeting held? must include a month"),
        ({"held_at_0": "", "held_at_2": ""}, "must include a day and a year"),
        ({"held_at_0": "31", "held_at_1": "2"}, "must be a real date"),
        ({"held_at_2": "26"}, "The year must include 4 numbers"),
        ({"held_at_3": ""}, "must include a time, such as 14:30"),
        ({"held_at_3": "25:00"}, "Enter the time as hours and minutes"),
    ],
)
def test_a_date_typed_wrongly_says_what_to_fix(data: dict[str, str], message: str) -> None:
    form = bound(**data)
    assert not form.is_valid()
    assert message in form.errors["held_at"][0]


def test_times_are_read_as_people_type_them() -> None:
    assert parse_time("9am") == time(9, 0)
    assert parse_time("12:15am") == time(0, 15)
    assert parse_time("17.45") == time(17, 45)
    assert parse_time("14") is None
    assert parse_time("13pm") is None


def test_an_optional_date_left_empty_is_none_and_a_full_one_is_a_date() -> None:
    empty = bound()
    assert empty.is_valid()
    assert empty.cleaned_data["born"] is None
    form = bound(born_0="5", born_1="11", born_2="2019")
    assert form.is_valid()
    assert form.cleaned_data["born"] == date(2019, 11, 5)


def test_fields_render_as_gov_uk_form_groups_with_the_heading_hints_and_errors() -> None:
    form = bound(held_at_1="", summary="")
    assert not form.is_valid()
    page = str(form)
    assert '<h1 class="govuk-fieldset__heading">When was the meeting held?</h1>' in page
    assert 'aria-describedby="id_held_at-hint id_held_at-error"' in page
    assert page.count("govuk-input--error") == 4  # every box of the date
    assert '<label class="govuk-label govuk-date-input__label" for="id_held_at_3">Time</label>' in page
    assert 'class="govuk-radios__input" type="radio" name="method" value="in_person"' in page
    assert "Face to face, in one room" in page
    assert (
        'class="govuk-checkboxes__input" type="checkbox" name="agencies" value="a" id="id_agencies_0" checked' in page
    )
    assert 'class="govuk-textarea govuk-textarea--error"' in page
    assert 'id="id_summary-error"' in page
    assert isinstance(form.fields["agencies"].widget, Checkboxes)


def test_the_error_summary_links_to_the_first_box_of_each_field_in_order() -> None:
    form = bound(held_at_1="", method="", summary="")
    assert not form.is_valid()
    assert [target for target, _ in form.error_links()] == ["id_held_at_0", "id_method_0", "id_summary"]


def test_a_services_refusal_lands_on_the_field_it_names_or_above_the_form() -> None:
    form = bound()
    assert form.is_valid()
    form.refuse(ResolveError("Say how the discussion was held.", field="method"))
    form.refuse(ResolveError("This stage needs a meeting record first.", field="not_on_this_form"))
    assert form.errors["method"] == ["Say how the discussion was held."]
    assert form.non_field_errors() == ["This stage needs a meeting record first."]
    assert form.error_links()[0] == ("id_held_at_0", "This stage needs a meeting record first.")
