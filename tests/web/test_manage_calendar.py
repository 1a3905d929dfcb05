"""The calendar pages: what they show, the preview before saving, and saving with or without recalculating."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import CalendarDay, Partnership
from tests.conftest import Cast
from tests.disagreements.test_services import at, deadlines, raise_one
from tests.web.test_manage_access import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast], time_machine) -> Cast:
    time_machine.move_to(at("2026-12-21T10:00"), tick=False)
    return cast_for("enfield")


@pytest.fixture
def admin(enfield: Cast) -> Client:
    user = get_user_model().objects.create_user("cal-admin", "cal-admin@example.test", "x" * 20, is_staff=True)
    enfield.partnership.administrators.add(user)
    client = Client()
    client.force_login(user)
    return client


def url(cast: Cast, name: str) -> str:
    return reverse(f"manage:{name}", kwargs={"partnership": cast.partnership.slug})


CLOSURE = {"date_0": "21", "date_1": "12", "date_2": "2026", "kind": "closure", "reason": "Staff training day"}


def test_the_calendar_page_shows_nation_hours_bank_holidays_and_own_days(enfield: Cast, admin: Client) -> None:
    CalendarDay.objects.create(partnership=enfield.partnership, date=date(2027, 2, 15), kind="closure", reason="Inset")
    text = admin.get(url(enfield, "calendar")).content.decode()
    assert "England" in text
    assert "09:00 to 17:00" in text
    assert "Boxing Day (observed)" in text
    assert "Easter Monday" in text
    assert "Mon 15 Feb 2027" in text
    assert "Inset" in text
    assert 'name="date" value="2027-02-15"' in text  # its Remove button
    assert url(enfield, "calendar_day_add") in text
    assert url(enfield, "calendar_recalculate") in text


def test_adding_a_closure_day_first_shows_which_deadlines_would_move_and_saves_nothing(
    enfield: Cast, admin: Client
) -> None:
    d = raise_one(enfield)
    before = snapshot()
    response = admin.post(url(enfield, "calendar_day_add"), CLOSURE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Closure day added on 21 December 2026" in text
    assert d.reference in text
    assert "21 Dec 2026 17:00" in text
    assert "22 Dec 2026 17:00" in text
    assert "Save and recalculate this deadline" in text
    assert "Save without moving any deadline" in text
    assert d.child.reference not in text
    assert 'name="date_0" value="21"' in text  # the form's values go with the buttons
    assert snapshot() == before


def test_save_and_recalculate_moves_the_deadline_with_a_recorded_recalculation(enfield: Cast, admin: Client) -> None:
    d = raise_one(enfield)
    response = admin.post(url(enfield, "calendar_day_add"), {**CLOSURE, "decision": "recalculate"})
    assert response.status_code == 303
    assert response["Location"] == url(enfield, "calendar")
    assert deadlines(d)["line-managers-informed"] == "2026-12-22 17:00"
    assert Event.objects.filter(verb=Verb.DEADLINES_RECALCULATED, disagreement=d).count() == 1
    assert CalendarDay.objects.get(partnership=enfield.partnership).date == date(2026, 12, 21)
    page = admin.get(response["Location"]).content.decode()
    assert "Calendar day saved, and 1 deadline recalculated." in page


def test_save_without_moving_leaves_the_deadlines_and_says_so(enfield: Cast, admin: Client) -> None:
    d = raise_one(enfield)
    response = admin.post(url(enfield, "calendar_day_add"), {**CLOSURE, "decision": "save"}, follow=True)
    assert "No deadline has moved" in response.content.decode()
    assert deadlines(d)["line-managers-informed"] == "2026-12-21 17:00"
    assert not Event.objects.filter(verb=Verb.DEADLINES_RECALCULATED).exists()
    assert Event.objects.filter(verb=Verb.CALENDAR_CHANGED).count() == 1
    # then "Recalculate open deadlines now": the same preview against the saved calendar
    text = admin.get(url(enfield, "calendar_recalculate")).content.decode()
    assert d.reference in text
    assert "22 Dec 2026 17:00" in text
    response = admin.post(url(enfield, "calendar_recalculate"), {"decision": "recalculate"})
    assert response.status_code == 303
    assert deadlines(d)["line-managers-informed"] == "2026-12-22 17:00"


def test_changing_the_hours_previews_and_moves_same_working_day_deadlines(enfield: Cast, admin: Client) -> None:
    d = raise_one(enfield)
    hours = {"day_starts": "08:00", "day_ends": "16:00"}
    text = admin.post(url(enfield, "calendar_hours"), hours).content.decode()
    assert "Working hours changed to 08:00 to 16:00" in text
    assert "21 Dec 2026 16:00" in text
    assert "Save and recalculate these 2 deadlines" in text
    admin.post(url(enfield, "calendar_hours"), {**hours, "decision": "recalculate"})
    assert deadlines(d) == {"line-managers-informed": "2026-12-21 16:00", "resolution": "2026-12-30 16:00"}
    partnership = Partnership.objects.get(pk=enfield.partnership.pk)
    assert (partnership.day_starts, partnership.day_ends) == (time(8, 0), time(16, 0))


def test_a_change_that_moves_nothing_offers_one_save(enfield: Cast, admin: Client) -> None:
    text = admin.post(url(enfield, "calendar_nation"), {"nation": "WLS"}).content.decode()
    assert "This change would move no open deadline" in text
    assert "Save without moving" not in text
    admin.post(url(enfield, "calendar_nation"), {"nation": "WLS", "decision": "save"})
    assert Partnership.objects.get(pk=enfield.partnership.pk).nation == "WLS"


def test_removing_a_day_is_previewed_then_saved(enfield: Cast, admin: Client) -> None:
    CalendarDay.objects.create(partnership=enfield.partnership, date=date(2026, 12, 22), kind="closure")
    d = raise_one(enfield)  # due at the end of the 21st; the resolution's five days skip the 22nd
    assert deadlines(d)["resolution"] == "2026-12-31 17:00"
    text = admin.post(url(enfield, "calendar_day_remove"), {"date": "2026-12-22"}).content.decode()
    assert "31 Dec 2026 17:00" in text
    assert "30 Dec 2026 17:00" in text
    admin.post(url(enfield, "calendar_day_remove"), {"date": "2026-12-22", "decision": "recalculate"})
    assert not CalendarDay.objects.exists()
    assert deadlines(d)["resolution"] == "2026-12-30 17:00"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("calendar_day_add", {**CLOSURE, "date_1": ""}, "must include a month"),
        ("calendar_day_add", {**CLOSURE, "date_0": "31", "date_1": "2"}, "must be a real date"),
        ("calendar_day_add", {**CLOSURE, "kind": "holiday"}, "Select closure day or extra working day"),
        ("calendar_day_add", {**CLOSURE, "kind": ""}, "Select what kind of day it is"),
        ("calendar_day_add", {**CLOSURE, "reason": "x" * 201}, "at most 200 characters"),
        ("calendar_day_add", {**CLOSURE, "reason": "x" * 201, "decision": "recalculate"}, "at most 200 characters"),
        ("calendar_hours", {"day_starts": "17:00", "day_ends": "09:00"}, "must end after it starts"),
        ("calendar_hours", {"day_starts": "9", "day_ends": "17:00"}, "such as 09:00"),
        ("calendar_hours", {"day_starts": "25:00", "day_ends": "17:00", "decision": "save"}, "such as 09:00"),
        ("calendar_nation", {"nation": "UK"}, "Select England, Wales, Scotland or Northern Ireland"),
        ("calendar_day_remove", {"date": "2026-12-25"}, "Select one of the partnership"),
    ],
)
def test_bad_input_is_a_400_with_the_error_summary_and_changes_nothing(
    enfield: Cast, admin: Client, name: str, data: dict[str, str], message: str
) -> None:
    raise_one(enfield)
    before = snapshot()
    events = Event.objects.count()
    response = admin.post(url(enfield, name), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert message in text
    assert snapshot() == before
    assert Event.objects.count() == events
