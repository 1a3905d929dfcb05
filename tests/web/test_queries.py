"""The number of queries a page makes is the same at 10 and at 200 disagreements (issue 16)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolve.disagreements import services
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one
from tests.web.test_home import signed_in

pytestmark = pytest.mark.django_db


def queries(client: Client, name: str, data: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), data or {})
    assert response.status_code == 200
    return len(captured)


def test_my_work_and_the_list_make_as_many_queries_at_200_disagreements_as_at_10(
    cast_for: Callable[[str], Cast],
) -> None:
    cast = cast_for("enfield")
    manager = cast.at("school", 2)  # sees every one: handles them, and manages the raiser
    client = signed_in(manager)
    pages = [
        ("home", None),
        ("disagreements", None),
        ("disagreements", {"status": "all", "due": "week", "sort": "deadline"}),
        ("disagreements", {"agency": str(cast.agencies["csc"].pk), "stage": "escalation.stage-1"}),
    ]

    def some(n: int) -> None:
        for i in range(n):
            d = raise_one(cast)
            if i % 3 == 0:  # outcomes waiting for confirmation, and closed ones, in every list
                services.outcome_propose(disagreement=d, by=manager, text="Agreed: a visit on Monday.")
            if i % 5 == 0:
                services.disagreement_withdraw(disagreement=d, by=cast.at("school", 1), reason="Agreed.")

    some(10)
    for name, data in pages:
        queries(client, name, data)  # sessions and caches warmed
    at_10 = [queries(client, name, data) for name, data in pages]
    some(190)
    at_200 = [queries(client, name, data) for name, data in pages]
    assert at_200 == at_10
