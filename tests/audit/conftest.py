"""A short audit trail: one disagreement raised from a known address, with one action agreed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from resolve.audit.context import origin
from resolve.disagreements import services
from tests.conftest import Cast
from tests.disagreements.test_services import raise_one


@pytest.fixture
def trail(cast_for: Callable[[str], Cast]) -> Cast:
    cast = cast_for("enfield")
    with origin("192.0.2.10"):
        d = raise_one(cast, counterparts=[cast.at("csc", 1)])
        services.action_add(disagreement=d, by=cast.at("csc", 1), description="Book the visit.")
    return cast
