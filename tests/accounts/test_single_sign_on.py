"""Single sign-on with OpenID Connect, against a real provider served over HTTP by the test suite.

oidc-provider-mock runs an OpenID Connect provider on a local port; Resolve discovers it, sends the
browser to it, exchanges the code and reads the identity over real HTTP, as it would with a
partnership's Microsoft Entra ID. The test plays the browser's part at the provider with ``requests``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from oidc_provider_mock import run_server_in_thread

from resolve.accounts.oidc import Provider
from resolve.audit.models import Event, Verb
from resolve.partnerships.models import Person
from tests.accounts.conftest import give_account, signed_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

PROVIDER = "school-trust"


@pytest.fixture(scope="module")
def provider_url() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def providers(provider_url: str, **options: Any) -> dict[str, Any]:
    """The mock provider as django-allauth's configuration.

    The mock serves plain HTTP on this machine's loopback address, which the configuration check
    refuses (it wants https://): the entry is built without that check here, and every other option
    goes through it first (``checked``).
    """
    entry = {
        "id": PROVIDER,
        "name": "Oakfield Schools Trust",
        "server_url": "https://provider.example",
        "client_id": "resolve",
        "client_secret": "not-a-secret",
        **options,
    }
    checked = Provider.model_validate(entry)
    app = Provider.model_construct(**{**checked.model_dump(), "server_url": provider_url}).allauth_app()
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}}


def sign_in_through_provider(client: Client, provider_url: str, sub: str, claims: dict[str, Any]) -> Any:
    """Start at Resolve's sign-in button, approve at the provider as ``sub``, come back to Resolve."""
    requests.put(f"{provider_url}/users/{sub}", json=claims, timeout=10).raise_for_status()
    login_page = client.get(reverse("login")).content.decode()
    assert "Oakfield Schools Trust" in login_page
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER}))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider_url}/oauth2/authorize?")
    approved = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert approved.status_code == 302, approved.text
    back = urlsplit(approved.headers["Location"])
    assert back.path == reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER})
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def teacher(cast: Cast) -> Person:
    person = cast.at("school", 1)
    person.email = "jo.teacher@oakfield.example"
    person.save()
    return person


def test_a_verified_email_signs_in_the_person_the_partnership_holds(provider_url: str, teacher: Person) -> None:
    client = Client()
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url)):
        response = sign_in_through_provider(
            client, provider_url, "sub-1", {"email": "Jo.Teacher@oakfield.example", "email_verified": True}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert teacher.name in client.get(reverse("home")).content.decode()

    teacher.refresh_from_db()
    assert teacher.user is not None
    assert not teacher.user.has_usable_password()  # signs in only through the organisation
    assert SocialAccount.objects.get(user=teacher.user).uid == "sub-1"
    event = Event.objects.get(verb=Verb.SIGNED_IN)
    assert event.actor == teacher
    assert event.data == {"through": PROVIDER}


def test_a_person_with_a_verified_password_account_reaches_the_same_account(provider_url: str, teacher: Person) -> None:
    give_account(teacher, verified=True)
    users_before = get_user_model().objects.count()
    for _ in range(2):  # the first time links the provider; the second finds the link
        client = Client()
        with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url)):
            sign_in_through_provider(client, provider_url, "sub-2", {"email": teacher.email, "email_verified": True})
        assert signed_in(client)
    assert get_user_model().objects.count() == users_before
    assert SocialAccount.objects.get(uid="sub-2").user == teacher.user


def first_sign_on(provider_url: str, sub: str, person: Person) -> Client:
    client = Client()
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url)):
        response = sign_in_through_provider(client, provider_url, sub, {"email": person.email, "email_verified": True})
    assert response.status_code == 302
    assert signed_in(client)
    return client


def account_without_person(email: str, *, verified: bool, **flags: bool) -> Any:
    user = get_user_model().objects.create_user(username="someone", email=email, password="their own password", **flags)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def test_an_account_that_typed_the_persons_address_unverified_is_not_handed_to_them(
    provider_url: str, teacher: Person
) -> None:
    # Someone set the teacher's address on their own account without ever proving it.
    squatter = account_without_person(teacher.email, verified=False, is_staff=True)
    first_sign_on(provider_url, "sub-10", teacher)

    teacher.refresh_from_db()
    assert teacher.user is not None
    assert teacher.user.pk != squatter.pk
    assert not teacher.user.has_usable_password()
    assert SocialAccount.objects.get(uid="sub-10").user == teacher.user
    assert not SocialAccount.objects.filter(user=squatter).exists()
    assert Person.objects.filter(user=squatter).count() == 0
    linked = Event.objects.get(verb=Verb.SINGLE_SIGN_ON_LINKED)
    assert linked.actor == teacher
    assert linked.data == {"through": PROVIDER, "account": teacher.user.pk, "linked_to": "new account"}


def test_an_account_with_the_persons_address_verified_and_no_person_is_theirs(
    provider_url: str, teacher: Person
) -> None:
    theirs = account_without_person(teacher.email, verified=True)
    first_sign_on(provider_url, "sub-11", teacher)
    teacher.refresh_from_db()
    assert teacher.user == theirs
    assert Event.objects.get(verb=Verb.SINGLE_SIGN_ON_LINKED).data["linked_to"] == "account without a person"
    assert SocialAccount.objects.get(uid="sub-11").user == theirs


def test_another_persons_account_with_the_address_verified_is_not_linked(
    provider_url: str, teacher: Person, cast_for: Any
) -> None:
    elsewhere = cast_for("enfield").at("school", 1)  # the same address in another partnership
    elsewhere.email = teacher.email
    elsewhere.save()
    give_account(elsewhere, verified=True)
    client = Client()
    limited = providers(provider_url, partnerships=[teacher.partnership.slug])
    with override_settings(SOCIALACCOUNT_PROVIDERS=limited):
        claims = {"email": teacher.email, "email_verified": True}
        assert sign_in_through_provider(client, provider_url, "sub-12", claims).status_code == 302
    teacher.refresh_from_db()
    elsewhere.refresh_from_db()
    assert teacher.user is not None
    assert teacher.user != elsewhere.user
    assert SocialAccount.objects.get(uid="sub-12").user == teacher.user


def test_the_persons_own_account_with_an_unproved_address_is_replaced_by_a_new_one(
    provider_url: str, teacher: Person
) -> None:
    give_account(teacher)  # address never verified: nobody has shown that this account is the teacher's
    old = teacher.user
    assert old is not None
    first_sign_on(provider_url, "sub-13", teacher)
    teacher.refresh_from_db()
    assert teacher.user != old
    assert SocialAccount.objects.get(uid="sub-13").user == teacher.user
    assert Event.objects.get(verb=Verb.SINGLE_SIGN_ON_LINKED).data["replaced_account"] == old.pk
    assert EmailAddress.objects.get(user=teacher.user).verified  # the provider vouched for it


def test_someone_the_partnership_does_not_hold_is_refused(provider_url: str, teacher: Person) -> None:
    client = Client()
    users_before = get_user_model().objects.count()
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url)):
        response = sign_in_through_provider(
            client, provider_url, "sub-3", {"email": "stranger@oakfield.example", "email_verified": True}
        )
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot sign in to Resolve with this account" in page
    assert "stranger@oakfield.example" not in page
    assert not signed_in(client)
    assert get_user_model().objects.count() == users_before


def test_an_unverified_email_counts_only_from_a_provider_trusted_for_its_addresses(
    provider_url: str, teacher: Person
) -> None:
    claims = {"email": teacher.email}  # no email_verified, as Microsoft Entra ID sends
    client = Client()
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url)):
        assert sign_in_through_provider(client, provider_url, "sub-4", claims).status_code == 403
    assert not signed_in(client)

    trusted = {"trust_email": True, "email_domains": ["oakfield.example"]}
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url, **trusted)):
        assert sign_in_through_provider(client, provider_url, "sub-4", claims).status_code == 302
    assert signed_in(client)


def test_a_provider_cannot_vouch_for_addresses_outside_its_domains(provider_url: str, cast: Cast) -> None:
    police_officer = cast.at("police", 1)
    police_officer.email = "sam.officer@police.example"
    police_officer.save()
    client = Client()
    options = {"trust_email": True, "email_domains": ["oakfield.example"]}
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url, **options)):
        response = sign_in_through_provider(
            client, provider_url, "sub-5", {"email": police_officer.email, "email_verified": True}
        )
    assert response.status_code == 403
    assert not signed_in(client)


def test_a_provider_limited_to_other_partnerships_cannot_sign_in_this_ones_people(
    provider_url: str, teacher: Person
) -> None:
    client = Client()
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url, partnerships=["somewhere-else"])):
        response = sign_in_through_provider(
            client, provider_url, "sub-6", {"email": teacher.email, "email_verified": True}
        )
    assert response.status_code == 403


def test_someone_removed_by_the_partnership_cannot_sign_in_through_their_organisation(
    provider_url: str, teacher: Person
) -> None:
    claims = {"email": teacher.email, "email_verified": True}
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url)):
        assert sign_in_through_provider(Client(), provider_url, "sub-7", claims).status_code == 302
        teacher.is_active = False
        teacher.save()
        client = Client()
        assert sign_in_through_provider(client, provider_url, "sub-7", claims).status_code == 403
    assert not signed_in(client)


def test_two_factor_set_up_is_left_to_the_organisation_after_single_sign_on(provider_url: str, teacher: Person) -> None:
    teacher.partnership.mfa_required = True
    teacher.partnership.save()
    client = Client()
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers(provider_url)):
        sign_in_through_provider(client, provider_url, "sub-8", {"email": teacher.email, "email_verified": True})
    assert signed_in(client)
