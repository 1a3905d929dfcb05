"""The administrators' pages, invitations in pages, and a superuser's page for a new partnership."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Partnership, Person
from tests.accounts.conftest import give_account
from tests.accounts.test_administrators import provider
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
User = get_user_model()
LINK = re.compile(r"http://testserver(/account/password/reset/key/\S+/)")


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def admin_of(partnership: Partnership, username: str = "a-admin", name: str = "") -> Any:
    first, _, last = name.rpartition(" ")
    user = User.objects.create_user(
        username, f"{username}@example.test", "x" * 20, is_staff=True, first_name=first, last_name=last
    )
    partnership.administrators.add(user)
    return user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, partnership: Partnership, *args: Any) -> str:
    return reverse(f"manage:{name}", args=[partnership.slug, *args])


# ----------------------------------------------------------------------------- a new partnership

NEW = {
    "name": "North Shore Safeguarding Partnership",
    "slug": "north-shore",
    "nation": "SCT",
    "reference_prefix": "",
    "administrator_name": "Ada Lovelace",
    "administrator_email": "ada@north-shore.example",
}


def test_a_superuser_adds_a_partnership_from_the_choose_page(
    administrator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    choose = administrator.get(reverse("manage:choose")).content.decode()
    assert f'href="{reverse("manage:partnership_add")}"' in choose
    form = administrator.get(reverse("manage:partnership_add"))
    assert form.status_code == 200
    assert 'name="nation"' in form.content.decode()
    assert "checked" not in form.content.decode()  # no nation is chosen for them (decision 0003)
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator.post(reverse("manage:partnership_add"), NEW)
    assert response.status_code == 303
    assert response["Location"] == reverse("manage:overview", args=["north-shore"])
    partnership = Partnership.objects.get(slug="north-shore")
    assert (partnership.nation, partnership.reference_letters) == ("SCT", "NS")
    assert [u.email for u in partnership.administrators.all()] == ["ada@north-shore.example"]
    assert [m.to for m in mail.outbox] == [["ada@north-shore.example"]]
    page = administrator.get(response["Location"]).content.decode()
    assert "North Shore Safeguarding Partnership has been made" in page


def test_a_new_partnership_with_a_mistake_is_shown_again_with_the_error_and_nothing_is_made(
    administrator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    Partnership.objects.create(slug="north-shore", name="Already here", nation="ENG")
    with django_capture_on_commit_callbacks(execute=True):
        taken = administrator.post(reverse("manage:partnership_add"), NEW)
        no_nation = administrator.post(reverse("manage:partnership_add"), {**NEW, "slug": "other", "nation": ""})
    assert taken.status_code == 400
    assert "Another partnership already has this short name" in taken.content.decode()
    assert 'class="govuk-error-summary"' in taken.content.decode()
    assert no_nation.status_code == 400
    assert "Choose the nation" in no_nation.content.decode()
    assert Partnership.objects.count() == 1
    assert not User.objects.filter(email="ada@north-shore.example").exists()
    assert mail.outbox == []


def test_only_a_superuser_may_add_a_partnership(enfield: Cast) -> None:
    client = client_for(admin_of(enfield.partnership))
    assert client.get(reverse("manage:partnership_add")).status_code == 403
    assert client.post(reverse("manage:partnership_add"), NEW).status_code == 403
    assert not Partnership.objects.filter(slug="north-shore").exists()
    assert (
        reverse("manage:partnership_add")
        not in client.get(reverse("manage:overview", args=[enfield.partnership.slug])).content.decode()
    )


# ----------------------------------------------------------------------------- administrators


def test_the_administrators_page_lists_each_with_last_sign_in_and_two_factor(enfield: Cast) -> None:
    me = admin_of(enfield.partnership, name="Mary Seacole")
    other = admin_of(enfield.partnership, "other", name="Florence Nightingale")
    Authenticator.objects.create(user=other, type=Authenticator.Type.TOTP, data={})
    page = client_for(me).get(url("administrators", enfield.partnership)).content.decode()
    assert "Mary Seacole" in page
    assert "Florence Nightingale" in page
    assert "other@example.test" in page
    assert "Set up" in page
    assert "Not set up" in page
    assert url("administrator_remove", enfield.partnership, other.pk) in page
    assert url("administrator_remove", enfield.partnership, me.pk) not in page  # nobody removes themselves


def test_an_administrator_adds_another_by_e_mail_and_they_are_invited(
    enfield: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(admin_of(enfield.partnership))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("administrator_add", enfield.partnership), {"email": "grace@example.test", "name": "Grace Hopper"}
        )
    assert response.status_code == 303
    assert response["Location"] == url("administrators", enfield.partnership)
    assert "Grace Hopper" in client.get(response["Location"]).content.decode()
    (message,) = mail.outbox
    assert message.to == ["grace@example.test"]
    assert LINK.search(str(message.body))


def test_adding_an_administrator_without_a_name_or_a_good_address_is_refused_on_the_field(enfield: Cast) -> None:
    client = client_for(admin_of(enfield.partnership))
    before = enfield.partnership.administrators.count()
    no_name = client.post(url("administrator_add", enfield.partnership), {"email": "new@example.test", "name": ""})
    bad = client.post(url("administrator_add", enfield.partnership), {"email": "nonsense", "name": "X"})
    assert no_name.status_code == 400
    assert 'href="#id_name"' in no_name.content.decode()
    assert bad.status_code == 400
    assert 'href="#id_email"' in bad.content.decode()
    assert enfield.partnership.administrators.count() == before
    assert mail.outbox == []


def test_removing_an_administrator_is_confirmed_first_and_audited(enfield: Cast) -> None:
    me, other = admin_of(enfield.partnership), admin_of(enfield.partnership, "other", name="Florence Nightingale")
    client = client_for(me)
    page = url("administrator_remove", enfield.partnership, other.pk)
    confirm = client.get(page)
    assert confirm.status_code == 200
    assert "Remove Florence Nightingale as an administrator?" in confirm.content.decode()
    assert enfield.partnership.administrators.filter(pk=other.pk).exists()  # a GET changes nothing
    response = client.post(page)
    assert response.status_code == 303
    assert not enfield.partnership.administrators.filter(pk=other.pk).exists()
    entry = Event.objects.get(verb=Verb.REFERENCE_CHANGED, data__action="administrator_removed")
    assert (entry.data["account"], entry.data["user"]) == (other.pk, me.pk)


def test_removing_oneself_is_refused_and_changes_nothing(enfield: Cast) -> None:
    me = admin_of(enfield.partnership)
    admin_of(enfield.partnership, "other")
    client = client_for(me)
    page = url("administrator_remove", enfield.partnership, me.pk)
    assert "You cannot remove yourself" in client.get(page).content.decode()
    response = client.post(page)
    assert response.status_code == 409
    assert "You cannot remove yourself" in response.content.decode()
    assert enfield.partnership.administrators.filter(pk=me.pk).exists()


def test_removing_someone_who_does_not_administer_the_partnership_is_not_found(
    cast_for: Callable[[str], Cast],
) -> None:
    a, b = cast_for("enfield"), cast_for("enfield")
    theirs = admin_of(b.partnership, "b-admin")
    client = client_for(admin_of(a.partnership))
    assert client.post(url("administrator_remove", a.partnership, theirs.pk)).status_code == 404
    assert b.partnership.administrators.filter(pk=theirs.pk).exists()


# ----------------------------------------------------------------------------- invitations


def test_inviting_a_person_is_confirmed_then_sends_the_e_mail(
    enfield: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    person = enfield.at("health", 2)
    client = client_for(admin_of(enfield.partnership))
    page = url("person_invite", enfield.partnership, person.pk)
    confirm = client.get(page).content.decode()
    assert f"Invite {person.name} to sign in" in confirm
    assert "choose a password" in confirm
    person.refresh_from_db()
    assert person.user is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page)
    assert response.status_code == 303
    person.refresh_from_db()
    assert person.user is not None
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert LINK.search(str(message.body))


def test_a_person_whose_organisation_signs_them_in_is_invited_to_use_it(
    enfield: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    person = enfield.at("school", 2)
    client = client_for(admin_of(enfield.partnership))
    page = url("person_invite", enfield.partnership, person.pk)
    with override_settings(SOCIALACCOUNT_PROVIDERS=provider(partnerships=[enfield.partnership.slug])):
        assert "Oakfield Schools Trust" in client.get(page).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(page)
    (message,) = mail.outbox
    assert "Oakfield Schools Trust" in str(message.body)
    assert LINK.search(str(message.body)) is None


def test_someone_with_an_account_is_not_invited_again(enfield: Cast, django_capture_on_commit_callbacks: Any) -> None:
    person = give_account(enfield.at("school", 1))
    client = client_for(admin_of(enfield.partnership))
    page = url("person_invite", enfield.partnership, person.pk)
    assert "already has an account" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page)
    assert response.status_code == 409
    assert "already has an account" in response.content.decode()
    assert mail.outbox == []


def test_another_partnerships_person_is_not_found(cast_for: Callable[[str], Cast]) -> None:
    a, b = cast_for("enfield"), cast_for("enfield")
    theirs = b.at("health", 2)
    client = client_for(admin_of(a.partnership))
    assert client.get(url("person_invite", a.partnership, theirs.pk)).status_code == 404
    assert client.post(url("person_invite", a.partnership, theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.user is None


def test_inviting_everyone_not_yet_invited_says_how_many(
    enfield: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    give_account(enfield.at("school", 1))
    client = client_for(admin_of(enfield.partnership))
    waiting = Person.objects.filter(partnership=enfield.partnership, user__isnull=True, is_active=True).count()
    page = url("people_invite", enfield.partnership)
    before = client.get(page).content.decode()
    assert f"Invite {waiting} people" in before
    assert enfield.at("health", 2).name in before
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page)
    assert response.status_code == 303
    assert len(mail.outbox) == waiting
    after = client.get(response["Location"]).content.decode()
    assert f"Invitations sent: {waiting}." in after
    assert "there is nobody to invite" in after
