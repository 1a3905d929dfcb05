"""Working days and deadlines: pure functions over a partnership's calendar.

Conventions (pinned by tests/calendar):

- A working day is Monday to Friday, not a bank holiday of the nation and not one of the
  partnership's closure days; a date in ``extra_working_days`` is a working day whatever else.
- "The date of" an instant is its date on the calendar's local clock (Europe/London by default).
- "Same working day" of an instant: the end of that date's working day when the date is a working
  day and the instant is before the end of the day (before the day starts counts too); otherwise
  the end of the next working day. At exactly the end of the day, the day has ended.
- "Next working day": the end of the first working day after the instant's date, whatever the time.
- "N working days": the end of the Nth working day after the instant's date (N >= 1).
- "N hours": N elapsed hours, added in UTC, so that nights, weekends, holidays and clock changes
  neither stop nor stretch them (N >= 1).
- "The end of" a working day is ``day_ends`` on the local clock, so it is 17:00 in GMT and in BST
  alike (16:00 UTC in summer, 17:00 UTC in winter).

Every instant taken must be timezone-aware (a naive one is refused with ValueError) and every
instant returned is an aware datetime in UTC. Bank holidays come from the installed ``holidays``
package, always asked for by nation: without a subdivision it silently drops Easter Monday and the
summer bank holiday in England. There is no default nation: every caller passes one, for a
partnership always the partnership's own. Nothing here touches the network or the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
NATIONS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
CLOSURE_DAY = "Closure day"
# The longest run of non-working days tolerated before a calendar is taken to be broken.
_SEARCH_LIMIT = 366


@lru_cache(maxsize=256)
def _bank_holidays(nation: str, year: int) -> Mapping[date, str]:
    """The nation's bank holidays in one year, from the installed package (read-only, cached).

    England and Wales share their bank holidays, but each nation is still asked for by its own
    code so that the package stays the one authority if they ever differ.
    """
    return MappingProxyType(dict(holidays.country_holidays("GB", subdiv=nation, years=year).items()))


def bank_holiday(nation: str, day: date) -> str | None:
    """The name of the nation's bank holiday on ``day`` (substitute days included), or None."""
    if nation not in NATIONS:
        raise ValueError(f"Unknown nation {nation!r}: use one of {', '.join(NATIONS)}")
    return _bank_holidays(nation, day.year).get(day)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} must be timezone-aware: give an offset or a zone")
    return at


def _at_least_one(n: int) -> None:
    if n < 1:
        raise ValueError(f"n must be 1 or more, not {n}")


@dataclass(frozen=True)
class WorkingCalendar:
    """A partnership's working-day calendar: its nation's bank holidays and its own days.

    ``nation`` is required and has no default (decision 0003): a calendar made without one would
    silently count England's bank holidays for a partnership in Scotland, Wales or Northern Ireland.
    A partnership's calendar comes from ``partnerships.selectors.calendar_for``, with its nation.

    ``closures`` are the partnership's own days off; ``extra_working_days`` are days worked even
    though they fall on a weekend, a bank holiday or a closure, and win over everything. Working
    hours (``day_starts`` to ``day_ends``) are on the local clock of ``timezone``.
    """

    nation: str
    closures: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    day_starts: time = time(9, 0)
    day_ends: time = time(17, 0)
    timezone: ZoneInfo = LONDON

    def __post_init__(self) -> None:
        if self.nation not in NATIONS:
            raise ValueError(f"Unknown nation {self.nation!r}: use one of {', '.join(NATIONS)}")
        if self.day_ends <= self.day_starts:
            raise ValueError(
                f"The working day must end after it starts: day_ends {self.day_ends} is not after {self.day_starts}"
            )
        # Any iterable of dates is accepted; stored frozen so that the calendar stays hashable.
        object.__setattr__(self, "closures", frozenset(self.closures))
        object.__setattr__(self, "extra_working_days", frozenset(self.extra_working_days))

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday, not a bank holiday and not a closure; or any extra working day."""
        if d in self.extra_working_days:
            return True
        return d.weekday() < 5 and d not in self.closures and bank_holiday(self.nation, d) is None

    def holiday_name(self, d: date) -> str | None:
        """Why ``d`` is a day off: the bank holiday's name, else "Closure day" for a closure, else None.

        A bank holiday's own name wins over a closure on the same date. An extra working day has
        no holiday name, so on a weekday ``holiday_name(d) is None`` exactly when ``d`` is worked.
        """
        if d in self.extra_working_days:
            return None
        name = bank_holiday(self.nation, d)
        if name is not None:
            return name
        return CLOSURE_DAY if d in self.closures else None

    def end_of_day(self, d: date) -> datetime:
        """``d`` at ``day_ends`` on the local clock, as an aware UTC datetime."""
        return datetime.combine(d, self.day_ends, tzinfo=self.timezone).astimezone(UTC)

    def local_date(self, at: datetime) -> date:
        """The date of the aware instant ``at`` on the calendar's local clock."""
        return _aware(at).astimezone(self.timezone).date()

    def _next_working_date(self, d: date) -> date:
        for _ in range(_SEARCH_LIMIT):
            d += timedelta(days=1)
            if self.is_working_day(d):
                return d
        raise ValueError(f"No working day in the year after {d - timedelta(days=_SEARCH_LIMIT)}: check the closures")

    def same_working_day(self, at: datetime) -> datetime:
        """The end of ``at``'s working day, or of the next one if that day is not worked or has ended.

        Before ``day_starts`` on a working day gives that day's end; at or after ``day_ends`` gives
        the end of the next working day.
        """
        local = _aware(at).astimezone(self.timezone)
        d = local.date()
        if self.is_working_day(d) and local.time() < self.day_ends:
            return self.end_of_day(d)
        return self.end_of_day(self._next_working_date(d))

    def next_working_day(self, at: datetime) -> datetime:
        """The end of the first working day strictly after ``at``'s date, whatever the time of day."""
        return self.end_of_day(self._next_working_date(self.local_date(at)))

    def working_days_after(self, at: datetime, n: int) -> datetime:
        """The end of the Nth working day strictly after ``at``'s date (``n`` >= 1)."""
        _at_least_one(n)
        d = self.local_date(at)
        for _ in range(n):
            d = self._next_working_date(d)
        return self.end_of_day(d)

    def hours_after(self, at: datetime, n: int) -> datetime:
        """``n`` elapsed hours after ``at`` (``n`` >= 1), added in UTC; nothing stops the clock."""
        _at_least_one(n)
        return _aware(at).astimezone(UTC) + timedelta(hours=n)

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d have start < d <= end (0 when end is not after start)."""
        count, d = 0, start
        while d < end:
            d += timedelta(days=1)
            count += self.is_working_day(d)
        return count
