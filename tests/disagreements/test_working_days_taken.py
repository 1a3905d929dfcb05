"""How long a disagreement took, in working days on its partnership's calendar, counted once when it closes.

Raised on Thursday 24 December 2026: Christmas Day (Friday 25) and Boxing Day in lieu (Monday 28) are
bank holidays in England, so Tuesday 29 December is the first working day after it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from resolve.disagreements import services
from tests.conftest import Cast
from tests.disagreements.walker import Walker

pytestmark = pytest.mark.django_db


def test_working_days_from_raising_to_resolution_skip_the_bank_holidays(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    walker = Walker(cast_for("enfield"), time_machine)
    walker.raise_("2026-12-24T10:00", pathway="escalation")
    assert walker.d.working_days_taken is None  # open: not counted yet
    d = walker.resolve("2026-12-30T15:00")
    assert d.working_days_taken == 2  # Tuesday 29 and Wednesday 30 December


def test_one_withdrawn_the_day_it_was_raised_took_no_working_days(
    cast_for: Callable[[str], Cast], time_machine: object
) -> None:
    walker = Walker(cast_for("cumbria"), time_machine)
    walker.raise_("2026-12-07T10:00", pathway="escalation")
    services.disagreement_withdraw(disagreement=walker.d, by=walker.cast.at("school", 1), reason="Agreed on the phone.")
    walker.d.refresh_from_db()
    assert walker.d.working_days_taken == 0
