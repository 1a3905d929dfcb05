"""Working days and deadlines: pure functions over a partnership's calendar.

Conventions (pinned by tests/calendar):

- A working day is Monday to Friday, not a bank holiday of the nation and not one of the
  partnership's closure days; a date in ``extra_working_days`` is a working day whatever else.
- "Same working day" of an instant: the end of that date's working day, or of the next working
  day when the date is not a working day or the instant is at or after the end of the day.
- "Next working day": the end of the first working day after the instant's date.
- "N working days": the end of the Nth working day after the instant's date.
- "N hours": N elapsed hours, counted in UTC, so that nights, weekends, holidays and clock
  changes do not stop or stretch them.

Dates are local (Europe/London by default); every instant taken must be timezone-aware and every
instant returned is in UTC. Bank holidays come from the installed ``holidays`` package, always
asked for by nation: without a subdivision it silently drops Easter Monday and the summer bank
holiday in England. Nothing here touches the network or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
NATIONS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
# The longest run of non-working days tolerated before a calendar is taken to be broken.
_SEARCH_LIMIT = 366


@lru_cache(maxsize=256)
def _bank_holidays(nation: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv=nation, years=year).items())


def bank_holiday(nation: str, day: date) -> str | None:
    """The name of the nation's bank holiday on ``day``, or None."""
    return _bank_holidays(nation, day.year).get(day)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} must be timezone-aware: give an offset or a zone")
    return at


@dataclass(frozen=True)
class WorkingCalendar:
    """A partnership's working-day calendar."""

    nation: str = "ENG"
    closures: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    day_starts: time = time(9, 0)
    day_ends: time = time(17, 0)
    timezone: ZoneInfo = LONDON

    def __post_init__(self) -> None:
        if self.nation not in NATIONS:
            raise ValueError(f"Unknown nation {self.nation!r}: use one of {', '.join(NATIONS)}")
        if self.day_ends <= self.day_starts:
            raise ValueError("The working day must end after it starts")

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_working_days:
            return True
        return d.weekday() < 5 and d not in self.closures and bank_holiday(self.nation, d) is None

    def holiday_name(self, d: date) -> str | None:
        """The bank holiday's name, "Closure day" for a partnership closure, else None."""
        if d in self.extra_working_days:
            return None
        if d in self.closures:
            return "Closure day"
        return bank_holiday(self.nation, d)

    def end_of_day(self, d: date) -> datetime:
        return datetime.combine(d, self.day_ends, tzinfo=self.timezone).astimezone(UTC)

    def local_date(self, at: datetime) -> date:
        return _aware(at).astimezone(self.timezone).date()

    def _next_working_date(self, d: date) -> date:
        for _ in range(_SEARCH_LIMIT):
            d += timedelta(days=1)
            if self.is_working_day(d):
                return d
        raise ValueError(f"No working day in the year after {d}: check the calendar's closure days")

    def same_working_day(self, at: datetime) -> datetime:
        local = _aware(at).astimezone(self.timezone)
        d = local.date()
        if self.is_working_day(d) and local.time() < self.day_ends:
            return self.end_of_day(d)
        return self.end_of_day(self._next_working_date(d))

    def next_working_day(self, at: datetime) -> datetime:
        return self.end_of_day(self._next_working_date(self.local_date(at)))

    def working_days_after(self, at: datetime, n: int) -> datetime:
        if n < 1:
            raise ValueError(f"n must be 1 or more, not {n}")
        d = self.local_date(at)
        for _ in range(n):
            d = self._next_working_date(d)
        return self.end_of_day(d)

    def hours_after(self, at: datetime, n: int) -> datetime:
        if n < 1:
            raise ValueError(f"n must be 1 or more, not {n}")
        return _aware(at).astimezone(UTC) + timedelta(hours=n)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (0 when end is not after start)."""
        count, d = 0, start
        while d < end:
            d += timedelta(days=1)
            count += self.is_working_day(d)
        return count
