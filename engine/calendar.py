"""The Dutch business calendar: working days, deadlines and the date helpers for process owners.

Deadlines in the procedure are counted in *working days* (wd): Monday to Friday, except Dutch public
holidays and the extra closing days passed to :class:`BusinessCalendar` (e.g. the coordination point's own
closing days). Every step has two deadlines, "T0 + n wd" and "D − m wd"; the earlier one applies
(:meth:`BusinessCalendar.earliest`, ``vroegste`` in expressions).

Public holidays come from the ``holidays`` package (``holidays.country_holidays("NL")``, default category
"public"). As of version 0.108 that gives, per year:

* New Year's Day (1 January);
* Good Friday — note: *not* an "algemeen erkende feestdag" under the Algemene termijnenwet, but the package
  lists it and many organisations close, so it counts as a non-working day here;
* Easter Sunday and Easter Monday; Ascension Day; Whit Sunday and Whit Monday;
* King's Day: 27 April, or Saturday 26 April when 27 April falls on a Sunday (e.g. 2025, 2031);
* Liberation Day (5 May) **only in lustrum years** (2025, 2030, 2035, …); in other years the package puts it
  in the "optional" category, which this calendar does not use. Pass it in ``extra_closed`` if wanted;
* Christmas Day and the Second Day of Christmas (25 and 26 December).

Holidays on a Saturday or Sunday are not moved to a weekday (the package has no "observed" days for NL).

Dates may be given as :class:`~datetime.date` or :class:`~datetime.datetime`. A timezone-aware datetime is
read as its calendar date in Europe/Amsterdam (23:30 UTC on 3 December is already 4 December in Amsterdam);
a naive datetime is taken at face value (its ``.date()``). The helpers for process-owner expressions
(:func:`script_helpers`) also accept ISO-8601 strings, since task data arrives as JSON.

Holiday tables are built lazily, one calendar year at a time, and cached on the calendar instance.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "BusinessCalendar",
    "as_date",
    "in_winter_period",
    "local_zone",
    "script_helpers",
    "timestamp_at",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@cache
def local_zone() -> ZoneInfo:
    """The time zone in which dates and wall-clock times are read: Europe/Amsterdam."""
    return ZoneInfo("Europe/Amsterdam")


def as_date(value: date | str) -> date:
    """The calendar date of a date, a datetime (Amsterdam date if tz-aware) or an ISO-8601 string."""
    if isinstance(value, datetime):
        return value.astimezone(local_zone()).date() if value.tzinfo is not None else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return as_date(_parse_iso(value))
    raise TypeError(f"expected a date, datetime or ISO date string, got {type(value).__name__}: {value!r}")


def _parse_iso(text: str) -> date:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not an ISO-8601 date or datetime: {text!r}") from None


def _weekdays_through(d: date) -> int:
    """Number of Mondays-to-Fridays from 0001-01-01 (a Monday) up to and including ``d``."""
    full_weeks, rest = divmod(d.toordinal(), 7)
    return full_weeks * 5 + min(rest, 5)


@dataclass(frozen=True)
class _ClosedDays:
    """The weekdays of one year on which the calendar is closed (holidays and extra closing days)."""

    members: frozenset[date]
    ordered: tuple[date, ...]

    def count_between(self, start: date, end: date) -> int:
        """How many of these days fall after ``start`` up to and including ``end``."""
        return bisect.bisect_right(self.ordered, end) - bisect.bisect_right(self.ordered, start)


@cache
def _public_holidays(year: int) -> frozenset[date]:
    """Dutch public holidays of ``year``; the first call loads the holidays package's tables (a few tenths of a
    second), so :meth:`BusinessCalendar.prepare` does it before any script runs under the sandbox's time limit."""
    return frozenset(d for d in holidays.country_holidays("NL", years=year) if d.year == year)


class BusinessCalendar:
    """Working-day arithmetic for the Netherlands, with optional extra closing days."""

    def __init__(self, extra_closed: Iterable[date] = ()) -> None:
        self._extra_closed = frozenset(as_date(d) for d in extra_closed)
        self._years: dict[int, _ClosedDays] = {}

    def _closed_in(self, year: int) -> _ClosedDays:
        closed = self._years.get(year)
        if closed is None:
            days = set(_public_holidays(year))
            days.update(d for d in self._extra_closed if d.year == year)
            weekdays = sorted(d for d in days if d.weekday() < _SATURDAY)
            closed = _ClosedDays(frozenset(weekdays), tuple(weekdays))
            self._years[year] = closed
        return closed

    def prepare(self, years: Iterable[int]) -> None:
        """Build the tables of ``years`` now rather than inside the first script that counts working days."""
        for year in years:
            self._closed_in(year)

    def is_working_day(self, d: date) -> bool:
        """True for a Monday to Friday that is neither a public holiday nor an extra closing day."""
        day = as_date(d)
        return day.weekday() < _SATURDAY and day not in self._closed_in(day.year).members

    def _step(self, d: date, n: int, step: timedelta) -> date:
        """The n-th working day from ``d`` in direction ``step``; n = 0: ``d`` or the first working day."""
        day, remaining = d, n
        if remaining == 0:
            while not self.is_working_day(day):
                day += step
        while remaining > 0:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d``; n = 0 gives ``d`` if it is a working day, else the next one.

        A negative ``n`` counts back, like :meth:`subtract_working_days`.
        """
        if n < 0:
            return self.subtract_working_days(d, -n)
        return self._step(as_date(d), n, _ONE_DAY)

    def subtract_working_days(self, d: date, n: int) -> date:
        """The n-th working day before ``d``; n = 0 gives ``d`` if it is a working day, else the previous one.

        A negative ``n`` counts forward, like :meth:`add_working_days`.
        """
        if n < 0:
            return self.add_working_days(d, -n)
        return self._step(as_date(d), n, -_ONE_DAY)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative (symmetric) when end < start.

        Runs in O(years spanned), not O(days): weekdays are counted arithmetically and the closed weekdays
        of each year are counted by bisection.
        """
        first, last = as_date(start), as_date(end)
        if last < first:
            return -self.working_days_between(last, first)
        weekdays = _weekdays_through(last) - _weekdays_through(first)
        closed = sum(self._closed_in(year).count_between(first, last) for year in range(first.year, last.year + 1))
        return weekdays - closed

    @staticmethod
    def earliest(*dates: date | None) -> date:
        """The earliest of the given dates, ignoring None; ValueError if no date is given."""
        present = [as_date(d) for d in dates if d is not None]
        if not present:
            raise ValueError("earliest() needs at least one date")
        return min(present)

    @staticmethod
    def latest(*dates: date | None) -> date:
        """The latest of the given dates, ignoring None; ValueError if no date is given."""
        present = [as_date(d) for d in dates if d is not None]
        if not present:
            raise ValueError("latest() needs at least one date")
        return max(present)


def _as_int(value: object) -> int:
    """A whole number from an int, an integral float or a numeric string (task data may be JSON text)."""
    if isinstance(value, bool):
        raise TypeError(f"expected a whole number of days, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise TypeError(f"expected a whole number of days, got {value!r}")


def _as_time(value: time | str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not a time of day (HH:MM): {value!r}") from None
    raise TypeError(f"expected a time of day such as '17:00', got {value!r}")


def timestamp_at(day: date | str, wall_clock: time | str = "17:00") -> str:
    """ISO-8601 UTC string (with offset) of a Europe/Amsterdam wall-clock time on ``day``.

    A wall-clock time that does not exist (the spring-forward hour) is read with the offset before the
    change; an ambiguous one (the autumn hour that occurs twice) as its first occurrence.
    """
    clock = _as_time(wall_clock)
    if clock.tzinfo is not None:
        raise ValueError(f"give a local wall-clock time without offset, got {wall_clock!r}")
    local = datetime.combine(as_date(day), clock, tzinfo=local_zone())
    return local.astimezone(UTC).isoformat()


def in_winter_period(day: date | str) -> bool:
    """True from 1 October up to and excluding 1 April."""
    month = as_date(day).month
    return month >= 10 or month < 4


def _aware_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _date_or_none(value: date | str | None) -> date | None:
    return None if value is None else as_date(value)


class _ScriptHelpers:
    """The Dutch-named expression functions, bound to one calendar and one clock."""

    def __init__(self, calendar: BusinessCalendar, today: Callable[[], date], now: Callable[[], datetime]) -> None:
        self._calendar = calendar
        self._today = today
        self._now = now

    def werkdagen_na(self, datum: date | str, n: int | str) -> date:
        return self._calendar.add_working_days(as_date(datum), _as_int(n))

    def werkdagen_voor(self, datum: date | str, n: int | str) -> date:
        return self._calendar.subtract_working_days(as_date(datum), _as_int(n))

    def werkdagen_tussen(self, van: date | str, tot: date | str) -> int:
        return self._calendar.working_days_between(as_date(van), as_date(tot))

    def is_werkdag(self, datum: date | str) -> bool:
        return self._calendar.is_working_day(as_date(datum))

    def vroegste(self, *datums: date | str | None) -> date:
        return self._calendar.earliest(*(_date_or_none(d) for d in datums))

    def laatste(self, *datums: date | str | None) -> date:
        return self._calendar.latest(*(_date_or_none(d) for d in datums))

    def vandaag(self) -> date:
        return as_date(self._today())

    def nu(self) -> datetime:
        return _aware_utc(self._now())


def script_helpers(
    calendar: BusinessCalendar, today: Callable[[], date], now: Callable[[], datetime]
) -> dict[str, Callable[..., Any]]:
    """The date functions available in process-owner expressions (timers, conditions, DMN cells).

    Names are Dutch because process owners write them. Every date argument may be a date, a datetime or an
    ISO-8601 string; ``vroegste``/``laatste`` ignore None (an unset deadline). ``tijdstip`` returns the ISO
    string with UTC offset that SpiffWorkflow's date timers expect.
    """
    bound = _ScriptHelpers(calendar, today, now)
    return {
        "werkdagen_na": bound.werkdagen_na,
        "werkdagen_voor": bound.werkdagen_voor,
        "werkdagen_tussen": bound.werkdagen_tussen,
        "is_werkdag": bound.is_werkdag,
        "vroegste": bound.vroegste,
        "laatste": bound.laatste,
        "vandaag": bound.vandaag,
        "nu": bound.nu,
        "als_datum": as_date,
        "tijdstip": timestamp_at,
        "winterperiode": in_winter_period,
    }
