"""Who administers a partnership, making one from nothing, and inviting people (with a password or single sign-on)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from resolve.accounts.administrators import administrator_add, administrator_remove, partnership_create
from resolve.accounts.selectors import administrators_of, single_sign_on_for
from resolve.accounts.services import account_invite, people_invite
from resolve.audit.chain import verify
from resolve.audit.models import Event, Verb
from resolve.core.actors import Operator
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.partnerships.models import Partnership, Person
from resolve.partnerships.selectors import partnerships_administered_by
from tests.accounts.conftest import give_account
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
User = get_user_model()
LINK = re.compile(r"http://testserver(/account/password/reset/key/\S+/)")


def provider(**limits: Any) -> dict[str, Any]:
    """One single sign-on provider as settings hold it (resolve.accounts.oidc.allauth_apps)."""
    app = {
        "provider_id": "oakfield-trust",
        "name": "Oakfield Schools Trust",
        "client_id": "resolve",
        "secret": "",
        "settings": {"server_url": "https://login.example", "email_domains": [], "partnerships": [], **limits},
    }
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}}


@pytest.fixture
def superuser() -> Any:
    return User.objects.create_superuser("root", "root@example.test", "x" * 20)


@pytest.fixture
def enfield(cast_for: Callable[[str], Cast]) -> Cast:
    return cast_for("enfield")


def staff_admin(partnership: Partnership, username: str = "a-admin") -> Any:
    user = User.objects.create_user(username, f"{username}@example.test", "x" * 20, is_staff=True)
    partnership.administrators.add(user)
    return user


def create(by: Any, capture: Any, **changes: str) -> Partnership:
    values = {
        "name": "North Shore Safeguarding Partnership",
        "slug": "north-shore",
        "nation": "WLS",
        "reference_prefix": "nsp",
        "administrator_name": "Ada Lovelace",
        "administrator_email": " Ada@North-Shore.example ",
        **changes,
    }
    with capture(execute=True):
        return partnership_create(**values, by=by)


def reference_entries(partnership: Partnership) -> list[Event]:
    return list(Event.objects.filter(verb=Verb.REFERENCE_CHANGED, partnership=partnership).order_by("id"))


# ----------------------------------------------------------------------------- a new partnership


def test_a_superuser_makes_a_partnership_whose_first_administrator_is_invited_to_choose_a_password(
    superuser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    partnership = create(superuser, django_capture_on_commit_callbacks)
    assert (partnership.slug, partnership.nation, partnership.reference_prefix) == ("north-shore", "WLS", "NSP")
    (admin,) = partnership.administrators.all()
    assert (admin.email, admin.get_full_name()) == ("ada@north-shore.example", "Ada Lovelace")
    assert admin.is_staff
    assert not admin.is_superuser
    assert not admin.has_usable_password()
    assert EmailAddress.objects.filter(
        user=admin, email="ada@north-shore.example", verified=True, primary=True
    ).exists()
    assert list(partnerships_administered_by(admin)) == [partnership]
    (message,) = mail.outbox
    assert message.to == ["ada@north-shore.example"]
    assert "North Shore Safeguarding Partnership" in message.subject
    assert LINK.search(str(message.body))
    made, added = reference_entries(partnership)
    assert (made.data["action"], made.data["user"]) == ("added", superuser.pk)
    assert (added.data["action"], added.data["account"], added.data["new_account"]) == (
        "administrator_added",
        admin.pk,
        True,
    )
    assert "ada" not in str(added.data).lower()  # identifiers only
    assert verify().ok


def test_the_first_administrators_link_sets_a_password_and_they_sign_in(
    superuser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    create(superuser, django_capture_on_commit_callbacks)
    link = LINK.search(str(mail.outbox[0].body))
    assert link is not None
    client = Client()
    form = client.get(link.group(1), follow=True)
    password = "a long password nobody guesses"
    done = client.post(form.redirect_chain[-1][0], {"password1": password, "password2": password})
    assert done.status_code == 302
    assert (
        Client().post(reverse("login"), {"login": "ada@north-shore.example", "password": password}).status_code == 302
    )


def test_an_operator_at_the_command_line_may_make_a_partnership_too(django_capture_on_commit_callbacks: Any) -> None:
    partnership = create(Operator("ops@host"), django_capture_on_commit_callbacks)
    assert reference_entries(partnership)[0].data["operator"] == "ops@host"


def test_a_partnership_administrator_cannot_make_a_partnership(
    enfield: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(Refused):
        create(staff_admin(enfield.partnership), django_capture_on_commit_callbacks)
    assert not Partnership.objects.filter(slug="north-shore").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nation": ""}, "nation"),  # no default nation (decision 0003)
        ({"nation": "FR"}, "nation"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"slug": "North Shore!"}, "slug"),
        ({"slug": "new"}, "slug"),  # /manage/new/ adds a partnership
        ({"slug": "taken"}, "slug"),
        ({"reference_prefix": "1AB"}, "reference_prefix"),
        ({"administrator_name": ""}, "administrator_name"),
        ({"administrator_email": "not an address"}, "administrator_email"),
        ({"administrator_email": "a\x00@example.test"}, "administrator_email"),
    ],
)
def test_a_partnership_with_a_mistake_is_refused_naming_the_field_and_nothing_is_made(
    superuser: Any, django_capture_on_commit_callbacks: Any, changes: dict[str, str], field: str
) -> None:
    Partnership.objects.create(slug="taken", name="Taken", nation="ENG")
    users_before = User.objects.count()
    with pytest.raises(ResolveError) as refused:
        create(superuser, django_capture_on_commit_callbacks, **changes)
    assert refused.value.field == field
    assert not Partnership.objects.filter(slug="north-shore").exists()
    assert User.objects.count() == users_before
    assert mail.outbox == []
    assert not Event.objects.filter(verb=Verb.REFERENCE_CHANGED).exists()


def test_a_first_administrator_who_has_an_account_is_added_with_it_and_told(
    enfield: Cast, superuser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    elsewhere = staff_admin(enfield.partnership, "ada")
    partnership = create(superuser, django_capture_on_commit_callbacks, administrator_email="ADA@example.test")
    assert list(partnership.administrators.all()) == [elsewhere]
    assert set(partnerships_administered_by(elsewhere)) == {partnership, enfield.partnership}
    (message,) = mail.outbox
    assert LINK.search(str(message.body)) is None  # they keep their password
    assert "http://testserver/account/login/" in str(message.body)
    assert reference_entries(partnership)[-1].data["new_account"] is False


# ----------------------------------------------------------------------------- administrators


def test_an_administrator_adds_another_who_gets_a_staff_account_and_nothing_of_any_other_partnership(
    cast_for: Callable[[str], Cast], django_capture_on_commit_callbacks: Any
) -> None:
    a, b = cast_for("enfield"), cast_for("enfield")
    me = staff_admin(a.partnership)
    with django_capture_on_commit_callbacks(execute=True):
        added = administrator_add(partnership=a.partnership, email="grace@example.test", name="Grace Hopper", by=me)
    assert added.is_staff
    assert not added.is_superuser
    assert list(partnerships_administered_by(added)) == [a.partnership]
    assert b.partnership not in partnerships_administered_by(added)
    assert not added.user_permissions.exists()
    client = Client()
    client.force_login(added)
    assert client.get(reverse("admin:index")).status_code == 403  # Django's admin is for superusers
    assert client.get(reverse("manage:overview", args=[b.partnership.slug])).status_code == 404
    assert client.get(reverse("manage:overview", args=[a.partnership.slug])).status_code == 200
    (message,) = mail.outbox
    assert message.to == ["grace@example.test"]
    assert LINK.search(str(message.body))
    entry = reference_entries(a.partnership)[-1]
    assert (entry.data["action"], entry.data["account"], entry.data["user"]) == ("administrator_added", added.pk, me.pk)


@pytest.mark.parametrize(
    ("email", "name", "field", "kind"),
    [
        ("not-an-address", "Grace", "email", ResolveError),
        ("new@example.test", "", "name", ResolveError),  # a new account needs a name
        ("a-admin@example.test", "", "email", Refused),  # already administers it
        ("root@example.test", "", "email", Refused),  # a superuser administers everything already
    ],
)
def test_adding_an_administrator_with_a_mistake_is_refused_and_changes_nothing(
    enfield: Cast, superuser: Any, email: str, name: str, field: str, kind: type[Exception]
) -> None:
    me = staff_admin(enfield.partnership)
    with pytest.raises(kind) as refused:
        administrator_add(partnership=enfield.partnership, email=email, name=name, by=me)
    assert refused.value.field == field  # type: ignore[attr-defined]
    assert list(enfield.partnership.administrators.all()) == [me]
    assert mail.outbox == []


def test_another_partnerships_administrator_cannot_add_or_remove_administrators(
    cast_for: Callable[[str], Cast],
) -> None:
    a, b = cast_for("enfield"), cast_for("enfield")
    ours, other = staff_admin(a.partnership), staff_admin(a.partnership, "second")
    theirs = staff_admin(b.partnership, "b-admin")
    with pytest.raises(Refused):
        administrator_add(partnership=a.partnership, email="x@example.test", name="X", by=theirs)
    with pytest.raises(Refused):
        administrator_remove(partnership=a.partnership, account=other, by=theirs)
    assert set(a.partnership.administrators.all()) == {ours, other}


def test_an_administrator_removes_another_who_is_no_longer_staff_when_they_administer_nothing(
    cast_for: Callable[[str], Cast],
) -> None:
    a, b = cast_for("enfield"), cast_for("enfield")
    me, leaving, both = (
        staff_admin(a.partnership),
        staff_admin(a.partnership, "leaving"),
        staff_admin(a.partnership, "both"),
    )
    b.partnership.administrators.add(both)
    administrator_remove(partnership=a.partnership, account=leaving, by=me)
    administrator_remove(partnership=a.partnership, account=both, by=me)
    assert list(a.partnership.administrators.all()) == [me]
    leaving.refresh_from_db()
    both.refresh_from_db()
    assert (leaving.is_staff, both.is_staff) == (False, True)
    removed = [e for e in reference_entries(a.partnership) if e.data["action"] == "administrator_removed"]
    assert [(e.data["account"], e.data["fields"]) for e in removed] == [(leaving.pk, ["is_staff"]), (both.pk, [])]


def test_the_last_administrator_cannot_be_removed_and_nobody_removes_themselves(enfield: Cast, superuser: Any) -> None:
    me = staff_admin(enfield.partnership)
    with pytest.raises(Refused, match="yourself"):
        administrator_remove(partnership=enfield.partnership, account=me, by=me)
    with pytest.raises(Refused, match="last administrator"):
        administrator_remove(partnership=enfield.partnership, account=me, by=superuser)
    with pytest.raises(NotFound):
        administrator_remove(partnership=enfield.partnership, account=superuser, by=me)
    assert list(enfield.partnership.administrators.all()) == [me]
    assert not Event.objects.filter(verb=Verb.REFERENCE_CHANGED).exists()


def test_the_administrators_list_says_who_has_two_factor_set_up(enfield: Cast) -> None:
    me, other = staff_admin(enfield.partnership), staff_admin(enfield.partnership, "other")
    Authenticator.objects.create(user=other, type=Authenticator.Type.TOTP, data={})
    rows = {row.user.pk: row for row in administrators_of(enfield.partnership)}
    assert (rows[me.pk].two_factor, rows[other.pk].two_factor) == (False, True)


# ----------------------------------------------------------------------------- invitations


def test_a_provider_covers_a_person_by_their_addresss_domain_or_their_partnership(enfield: Cast) -> None:
    partnership = enfield.partnership
    with override_settings(SOCIALACCOUNT_PROVIDERS=provider(email_domains=["oakfield.sch.uk"])):
        assert single_sign_on_for(email="Head@Oakfield.sch.uk", partnership=partnership) is not None
        assert single_sign_on_for(email="head@example.test", partnership=partnership) is None
    with override_settings(SOCIALACCOUNT_PROVIDERS=provider(partnerships=[partnership.slug])):
        assert single_sign_on_for(email="head@example.test", partnership=partnership) is not None
    with override_settings(SOCIALACCOUNT_PROVIDERS=provider(partnerships=["elsewhere"])):
        assert single_sign_on_for(email="head@example.test", partnership=partnership) is None
    with override_settings(SOCIALACCOUNT_PROVIDERS=provider()):  # limits no one: covers no one
        assert single_sign_on_for(email="head@example.test", partnership=partnership) is None


def test_a_person_whose_organisation_signs_them_in_is_told_to_sign_in_with_it_and_gets_no_password_link(
    enfield: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    me = staff_admin(enfield.partnership)
    person = enfield.at("school", 2)
    with (
        override_settings(SOCIALACCOUNT_PROVIDERS=provider(email_domains=["example.test"])),
        django_capture_on_commit_callbacks(execute=True),
    ):
        user = account_invite(person=person, by=me)
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert "Oakfield Schools Trust" in message.subject
    assert "Oakfield Schools Trust" in str(message.body)
    assert "http://testserver/account/login/" in str(message.body)
    assert LINK.search(str(message.body)) is None
    assert "password/reset" not in str(message.body)
    entry = Event.objects.get(verb=Verb.ACCOUNT_INVITED)
    assert entry.data == {"account_of": str(person.pk), "by_account": me.pk, "through": "oakfield-trust"}


def test_a_person_without_single_sign_on_gets_a_link_to_choose_a_password(
    enfield: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    me = staff_admin(enfield.partnership)
    with (
        override_settings(SOCIALACCOUNT_PROVIDERS=provider(email_domains=["oakfield.sch.uk"])),
        django_capture_on_commit_callbacks(execute=True),
    ):
        account_invite(person=enfield.at("school", 2), by=me)
    (message,) = mail.outbox
    assert LINK.search(str(message.body))
    assert "through" not in Event.objects.get(verb=Verb.ACCOUNT_INVITED).data


def test_inviting_everyone_invites_each_active_person_without_an_account_and_names_who_could_not_be(
    enfield: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    me = staff_admin(enfield.partnership)
    has_one = give_account(enfield.at("school", 1))
    left = enfield.at("police", 1)
    left.is_active = False
    left.save()
    clash = enfield.at("health", 1)
    User.objects.create_user("someone", clash.email.upper(), "x" * 20)  # another account holds their address
    waiting = Person.objects.filter(partnership=enfield.partnership, is_active=True, user__isnull=True).count()
    with django_capture_on_commit_callbacks(execute=True):
        done = people_invite(partnership=enfield.partnership, by=me)
    assert len(done.invited) == waiting - 1
    assert [(p, "Another account" in reason) for p, reason in done.not_invited] == [(clash, True)]
    assert len(mail.outbox) == waiting - 1
    assert {m.to[0] for m in mail.outbox} == {p.email for p in done.invited}
    assert has_one.email not in {m.to[0] for m in mail.outbox}
    left.refresh_from_db()
    assert left.user is None
    assert Event.objects.filter(verb=Verb.ACCOUNT_INVITED).count() == waiting - 1
    with django_capture_on_commit_callbacks(execute=True):
        again = people_invite(partnership=enfield.partnership, by=me)
    assert (again.invited, len(mail.outbox)) == ([], waiting - 1)


def test_another_partnerships_administrator_cannot_invite_everyone(cast_for: Callable[[str], Cast]) -> None:
    a, b = cast_for("enfield"), cast_for("enfield")
    with pytest.raises(Refused):
        people_invite(partnership=a.partnership, by=staff_admin(b.partnership))
    assert not Event.objects.filter(verb=Verb.ACCOUNT_INVITED).exists()
