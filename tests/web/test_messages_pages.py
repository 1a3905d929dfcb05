"""The pages "Messages sent to you" (with the digest choice) and, for administrators, "Messages not sent"."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resolve.audit.models import Event, Verb
from resolve.disagreements.models import Disagreement
from resolve.notifications.models import Message
from resolve.partnerships.models import Person
from tests.accounts.conftest import give_account
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.notifications.written import message_to, notice_about

pytestmark = pytest.mark.django_db


def signed_in(person: Person) -> Client:
    if person.user is None:
        give_account(person)
    assert person.user is not None
    client = Client()
    client.force_login(person.user)
    return client


def staff(cast: Cast, name: str = "admin") -> Client:
    user = get_user_model().objects.create_user(name, f"{name}@example.test", "x" * 20, is_staff=True)
    cast.partnership.administrators.add(user)
    client = Client()
    client.force_login(user)
    return client


def main(response: object) -> str:
    content = response.content.decode()  # type: ignore[attr-defined]
    found = re.search(r"<main.*?</main>", content, re.DOTALL)
    assert found is not None
    return found.group(0)


def text(response: object) -> str:
    """The page's main text, tags removed and spaces folded, as a reader meets it."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main(response))).split())


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> tuple[Cast, Disagreement]:
    cast = cast_for("enfield")
    return cast, raise_one(cast)


# ------------------------------------------------------------------------------------- messages sent to you


def test_the_person_sees_their_own_messages_newest_first_with_how_and_when_and_status(
    enfield: tuple[Cast, Disagreement],
) -> None:
    cast, d = enfield
    person = cast.at("csc", 1)
    notice = notice_about(d, what="A disagreement was raised with your agency.")
    now = timezone.now()
    message_to(person, notice, minutes_ago=30, subject=f"{d.reference}: raised", status="sent", sent_at=now)
    message_to(
        person,
        notice_about(d, what="Meeting moved."),
        minutes_ago=20,
        attempts=2,
        status="pending",
        next_attempt_at=now + timedelta(minutes=30),
        last_error="The mail server answered 451",
    )
    message_to(person, notice_about(d, what="Deadline missed."), minutes_ago=10, status="failed", attempts=6)
    message_to(cast.at("csc", 2), notice_about(d, what="Someone else's news."), subject="Not yours")

    response = signed_in(person).get(reverse("messages"))
    assert response.status_code == 200
    shown = text(response)
    assert "Someone else's news" not in shown
    assert "Not yours" not in shown
    # newest first: the failed one, the one being retried, the one sent
    assert shown.index("Deadline missed.") < shown.index("Meeting moved.") < shown.index(f"{d.reference}: raised")
    assert shown.count(d.reference) >= 3
    assert "Not sent. Your partnership's administrators can see why, and send it again." in shown
    assert "Being retried: attempt 3 of 6 at" in shown
    assert "Sent at" in shown
    assert "E-mail" in shown
    assert d.child.reference not in shown
    assert "The mail server answered" not in shown  # the reason is for administrators


def test_a_message_in_a_daily_digest_says_which_days_digest_carried_it(enfield: tuple[Cast, Disagreement]) -> None:
    cast, d = enfield
    person = cast.at("csc", 1)
    digest = message_to(person, None, subject="Your daily digest from Resolve", status="sent", sent_at=timezone.now())
    message_to(person, notice_about(d), minutes_ago=60, status="digested", digest=digest)
    message_to(person, notice_about(d, what="Held one."), minutes_ago=5, status="held")
    shown = text(signed_in(person).get(reverse("messages")))
    local = timezone.localtime(digest.sent_at)
    assert f"In your daily digest of {local.strftime('%A')} {local.day} {local.strftime('%B %Y')}" in shown
    assert "Sent in the daily digest at" in shown
    assert "In your next daily digest" in shown


def test_fifty_messages_a_page_and_the_rest_on_the_next(enfield: tuple[Cast, Disagreement]) -> None:
    cast, d = enfield
    person = cast.at("csc", 1)
    notice = notice_about(d)
    for minutes in range(51):
        message_to(person, notice, minutes_ago=minutes, subject=f"Message number {minutes:02d}.")
    client = signed_in(person)
    first = client.get(reverse("messages"))
    assert "51 messages" in text(first)
    assert text(first).count("Message number") == 50
    assert "Message number 50." not in text(first)  # the oldest
    assert 'class="govuk-pagination"' in main(first)
    assert 'aria-label="Pages of your messages"' in main(first)
    second = client.get(reverse("messages"), {"page": 2})
    assert text(second).count("Message number") == 1
    assert "Message number 50." in text(second)


def test_opening_a_message_shows_its_words_as_sent(enfield: tuple[Cast, Disagreement]) -> None:
    cast, d = enfield
    person = cast.at("csc", 1)
    body = f"Disagreement {d.reference} was raised.\n\nOpen it: https://resolve.example/disagreements/{d.pk}/"
    message = message_to(
        person, notice_about(d), subject=f"{d.reference}: raised", body=body, status="sent", sent_at=timezone.now()
    )
    response = signed_in(person).get(reverse("message", args=[message.pk]))
    assert response.status_code == 200
    shown = text(response)
    assert f"Disagreement {d.reference} was raised." in shown
    assert f"https://resolve.example/disagreements/{d.pk}/" in shown
    assert "<h1" in main(response)
    assert f"{d.reference}: raised" in shown
    assert d.child.reference not in shown


def test_a_message_not_sent_yet_says_its_words_are_written_when_it_goes(enfield: tuple[Cast, Disagreement]) -> None:
    cast, d = enfield
    person = cast.at("csc", 1)
    message = message_to(person, notice_about(d, what="A meeting was moved."))
    shown = text(signed_in(person).get(reverse("message", args=[message.pk])))
    assert "A meeting was moved." in shown
    assert "It has not been sent yet." in shown


def test_someone_elses_message_is_the_same_404_as_a_missing_one_whatever_the_method(
    enfield: tuple[Cast, Disagreement],
) -> None:
    cast, d = enfield
    theirs = message_to(cast.at("csc", 2), notice_about(d), subject="Theirs", body="Their words.")
    client = signed_in(cast.at("csc", 1))
    missing = client.get(reverse("message", args=[theirs.pk + 1000]))
    assert missing.status_code == 404
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("message", args=[theirs.pk]))
        assert response.status_code == 404
        assert main(response) == main(missing)
    own = message_to(cast.at("csc", 1), notice_about(d))
    assert client.post(reverse("message", args=[own.pk])).status_code == 405


def test_choosing_a_daily_digest_saves_it_for_that_person_with_a_banner(enfield: tuple[Cast, Disagreement]) -> None:
    cast, _d = enfield
    person, colleague = cast.at("school", 1), cast.at("school", 2)
    client = signed_in(person)
    form = client.get(reverse("messages"))
    assert 'name="daily_digest" value="each"' in main(form)
    assert "checked" in main(form)
    assert "Urgent matters are still sent to you at once." in text(form)
    response = client.post(reverse("messages"), {"daily_digest": "digest"}, follow=True)
    assert response.redirect_chain == [(reverse("messages"), 303)]
    assert "You will get a daily digest at the start of each working day." in text(response)
    person.refresh_from_db()
    colleague.refresh_from_db()
    assert person.daily_digest is True
    assert colleague.daily_digest is False
    assert Event.objects.filter(verb=Verb.MESSAGES_CHOICE_CHANGED, actor=person).count() == 1
    assert re.search(r'value="digest"[^>]*checked', main(response))
    back = client.post(reverse("messages"), {"daily_digest": "each"}, follow=True)
    assert "You will get one message each time." in text(back)
    person.refresh_from_db()
    assert person.daily_digest is False


@pytest.mark.parametrize("data", [{}, {"daily_digest": "weekly"}, {"daily_digest": "<script>"}])
def test_a_digest_choice_that_is_neither_is_a_400_naming_what_to_fix_and_changes_nothing(
    enfield: tuple[Cast, Disagreement], data: dict[str, str]
) -> None:
    cast, _d = enfield
    person = cast.at("school", 1)
    response = signed_in(person).post(reverse("messages"), data)
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in main(response)
    assert "<title>Error: Messages sent to you" in response.content.decode()
    assert "Choose one message each time or a daily digest" in text(response) or "Select a valid choice" in text(
        response
    )
    person.refresh_from_db()
    assert person.daily_digest is False
    assert not Event.objects.filter(verb=Verb.MESSAGES_CHOICE_CHANGED).exists()


def test_an_account_without_a_person_is_told_so(db: None) -> None:
    client = Client()
    client.force_login(get_user_model().objects.create_user("lonely", "lonely@example.test", "x" * 20))
    response = client.get(reverse("messages"))
    assert response.status_code == 200
    assert "Your account is not linked to anyone in a partnership" in text(response)


def test_signed_out_the_pages_ask_to_sign_in(db: None) -> None:
    for name in ("messages", "messages_not_sent"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_messages_is_in_everyones_menu_and_messages_not_sent_only_in_administrators(
    enfield: tuple[Cast, Disagreement],
) -> None:
    cast, _d = enfield
    menu = signed_in(cast.at("school", 1)).get(reverse("home")).content.decode().split("govuk-service-navigation", 1)[1]
    assert f'href="{reverse("messages")}"' in menu
    assert reverse("messages_not_sent") not in menu
    admin_menu = staff(cast).get(reverse("home")).content.decode()
    assert f'href="{reverse("messages_not_sent")}"' in admin_menu


# ------------------------------------------------------------------------------------- messages not sent


@pytest.fixture
def two(cast_for: Callable[[str], Cast]) -> tuple[Cast, Cast, Message, Message, Message]:
    """Two partnerships; in the first, a failed message and one being retried; in the second, a failed one."""
    a, b = cast_for("enfield"), cast_for("enfield")
    da, db_ = raise_one(a), raise_one(b)
    failed = message_to(
        a.at("csc", 1), notice_about(da), status="failed", attempts=6, last_error="The mail server refused the address"
    )
    retried = message_to(
        a.at("csc", 2),
        notice_about(da),
        status="pending",
        attempts=2,
        next_attempt_at=timezone.now() + timedelta(minutes=5),
        last_error="The mail server answered 451",
    )
    message_to(a.at("csc", 3), notice_about(da), status="sent", sent_at=timezone.now(), subject="Went fine")
    theirs = message_to(
        b.at("csc", 1), notice_about(db_), status="failed", attempts=1, last_error="GOV.UK Notify answered 400"
    )
    return a, b, failed, retried, theirs


def test_administrators_see_their_partnerships_failed_and_retried_messages_with_the_reason(
    two: tuple[Cast, Cast, Message, Message, Message],
) -> None:
    a, _b, failed, retried, _theirs = two
    response = staff(a).get(reverse("messages_not_sent"))
    assert response.status_code == 200
    shown = text(response)
    assert "The mail server refused the address" in shown
    assert "The mail server answered 451" in shown
    assert "GOV.UK Notify answered 400" not in shown  # another partnership's
    assert failed.person.name in shown
    assert retried.person.name in shown
    assert a.at("csc", 3).name not in shown  # sent: nothing to do
    assert failed.notice is not None
    assert failed.notice.disagreement.reference in shown
    assert "6 attempts" in shown
    assert "Being retried: attempt 3 of 6" in shown
    # "Send again" only for the failed one
    assert re.findall(r'name="message" value="(\d+)"', main(response)) == [str(failed.pk)]
    assert "2 messages" in shown


def test_a_superuser_sees_every_partnerships_messages_not_sent(
    two: tuple[Cast, Cast, Message, Message, Message],
) -> None:
    *_rest, theirs = two
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.test", "x" * 20))
    shown = text(client.get(reverse("messages_not_sent")))
    assert "GOV.UK Notify answered 400" in shown
    assert "The mail server refused the address" in shown
    assert theirs.person.name in shown


def test_anyone_but_an_administrator_is_refused_with_a_403(two: tuple[Cast, Cast, Message, Message, Message]) -> None:
    a, _b, failed, _retried, _theirs = two
    practitioner = signed_in(a.at("school", 1))
    staff_of_nothing = Client()
    staff_of_nothing.force_login(
        get_user_model().objects.create_user("nothing", "nothing@example.test", "x" * 20, is_staff=True)
    )
    for client in (practitioner, staff_of_nothing):
        page = client.get(reverse("messages_not_sent"))
        assert page.status_code == 403
        assert "Only a partnership's administrators can see the messages Resolve could not send." in text(page)
        assert client.post(reverse("messages_not_sent"), {"message": failed.pk}).status_code == 403
    failed.refresh_from_db()
    assert failed.status == Message.Status.FAILED


def test_send_again_puts_the_message_back_in_the_queue_and_says_so(
    two: tuple[Cast, Cast, Message, Message, Message],
) -> None:
    a, _b, failed, _retried, _theirs = two
    client = staff(a)
    response = client.post(reverse("messages_not_sent"), {"message": failed.pk}, follow=True)
    assert response.redirect_chain == [(reverse("messages_not_sent"), 303)]
    assert failed.notice is not None
    assert f"The message about {failed.notice.disagreement.reference} will be sent again now." in text(response)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (Message.Status.PENDING, 0, "")
    assert failed.next_attempt_at <= timezone.now()
    assert Event.objects.filter(verb=Verb.MESSAGE_SENT_AGAIN).count() == 1
    # no longer listed: it is waiting again, not being retried
    assert "The mail server refused the address" not in text(response)


def test_a_second_click_on_send_again_changes_nothing_and_says_so(
    two: tuple[Cast, Cast, Message, Message, Message],
) -> None:
    a, _b, failed, _retried, _theirs = two
    client = staff(a)
    client.post(reverse("messages_not_sent"), {"message": failed.pk})
    before = Message.objects.values().get(pk=failed.pk)
    again = client.post(reverse("messages_not_sent"), {"message": failed.pk})
    assert again.status_code == 409
    assert "This message is already waiting to be sent: nothing was changed." in text(again)
    assert 'class="govuk-error-summary"' in main(again)
    assert Message.objects.values().get(pk=failed.pk) == before
    assert Event.objects.filter(verb=Verb.MESSAGE_SENT_AGAIN).count() == 1


@pytest.mark.parametrize("value", ["", "x", "-1", "<script>", "9" * 30])
def test_send_again_of_no_message_is_a_400_and_changes_nothing(
    two: tuple[Cast, Cast, Message, Message, Message], value: str
) -> None:
    a, *_rest = two
    response = staff(a).post(reverse("messages_not_sent"), {"message": value})
    assert response.status_code == 400
    assert "Choose a message to send again." in text(response)
    assert Message.objects.filter(status=Message.Status.FAILED).count() == 2


def test_another_partnerships_message_cannot_be_sent_again(two: tuple[Cast, Cast, Message, Message, Message]) -> None:
    a, _b, _failed, _retried, theirs = two
    response = staff(a).post(reverse("messages_not_sent"), {"message": theirs.pk})
    assert response.status_code == 404
    missing = staff(a, "admin-2").post(reverse("messages_not_sent"), {"message": theirs.pk + 1000})
    assert missing.status_code == 404
    assert text(response) == text(missing)
    theirs.refresh_from_db()
    assert theirs.status == Message.Status.FAILED


# ------------------------------------------------------------------------------------- the admin's list


def _admin_user(cast: Cast) -> User:
    user = get_user_model().objects.create_user("a-admin", "a-admin@example.test", "x" * 20, is_staff=True)
    cast.partnership.administrators.add(user)
    return user


def test_the_admin_lists_messages_read_only_for_a_superuser_and_refuses_a_partnership_administrator(
    two: tuple[Cast, Cast, Message, Message, Message], administrator: Client
) -> None:
    a, _b, failed, _retried, theirs = two
    staff = Client()
    staff.force_login(_admin_user(a))
    assert staff.get(reverse("admin:notifications_message_changelist")).status_code == 403  # superusers only
    client = administrator
    listing = client.get(reverse("admin:notifications_message_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert reverse("admin:notifications_message_change", args=[failed.pk]) in page
    assert reverse("admin:notifications_message_change", args=[theirs.pk]) in page  # a superuser sees every one
    assert reverse("messages_not_sent") in page
    own = client.get(reverse("admin:notifications_message_change", args=[failed.pk]))
    assert own.status_code == 200
    assert 'name="status"' not in own.content.decode()  # read only
    client.post(reverse("admin:notifications_message_change", args=[failed.pk]), {"status": "sent"})
    client.post(reverse("admin:notifications_message_delete", args=[failed.pk]), {"post": "yes"})
    failed.refresh_from_db()
    assert failed.status == Message.Status.FAILED
    assert client.get(reverse("admin:notifications_message_add")).status_code == 403
