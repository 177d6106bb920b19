"""Tests for the Dutch business calendar and the expression helpers built on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from engine.calendar import BusinessCalendar, as_date, script_helpers

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
D = date.fromisoformat


@pytest.fixture
def cal() -> BusinessCalendar:
    return BusinessCalendar()


@pytest.fixture
def helpers(cal: BusinessCalendar) -> dict[str, Callable[..., Any]]:
    return script_helpers(cal, today=lambda: D("2026-12-03"), now=lambda: datetime(2026, 12, 3, 9, 0, tzinfo=UTC))


def naive_count(cal: BusinessCalendar, start: date, end: date) -> int:
    """Working days after start up to and including end, by walking day by day (end >= start)."""
    return sum(cal.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


# --- which days are working days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-12-04", True),  # Friday
        ("2026-12-05", False),  # Saturday
        ("2026-12-06", False),  # Sunday
        ("2026-12-07", True),  # Monday
    ],
)
def test_weekends_are_not_working_days(cal: BusinessCalendar, day: str, working: bool) -> None:
    assert cal.is_working_day(D(day)) is working


@pytest.mark.parametrize(
    "day",
    [
        "2026-01-01",  # New Year's Day (Thursday)
        "2026-04-03",  # Good Friday
        "2026-04-06",  # Easter Monday
        "2026-04-27",  # King's Day (Monday)
        "2026-05-14",  # Ascension Day
        "2026-05-25",  # Whit Monday
        "2026-12-25",  # Christmas Day (Friday)
        "2027-01-01",  # New Year's Day (Friday)
        "2027-03-26",  # Good Friday
        "2027-03-29",  # Easter Monday
        "2027-04-27",  # King's Day (Tuesday)
        "2027-05-06",  # Ascension Day
        "2027-05-17",  # Whit Monday
        "2025-05-05",  # Liberation Day in a lustrum year (Monday)
    ],
)
def test_public_holidays_on_weekdays_are_closed(cal: BusinessCalendar, day: str) -> None:
    assert D(day).weekday() < 5
    assert not cal.is_working_day(D(day))


@pytest.mark.parametrize(
    "day",
    [
        "2027-04-26",  # Monday before King's Day 2027: King's Day is the 27th (a Tuesday)
        "2025-04-25",  # King's Day 2025 fell on Saturday 26 April; the Friday before is not a holiday
        "2026-05-05",  # Liberation Day outside a lustrum year (Tuesday)
        "2027-05-05",  # idem (Wednesday)
        "2026-12-24",  # Christmas Eve
        "2026-12-31",  # New Year's Eve
        "2027-12-27",  # Christmas 2027 is on a weekend and is not moved to Monday
    ],
)
def test_days_that_are_not_holidays(cal: BusinessCalendar, day: str) -> None:
    assert cal.is_working_day(D(day))


def test_second_christmas_day_on_saturday_is_simply_a_weekend_day(cal: BusinessCalendar) -> None:
    assert not cal.is_working_day(D("2026-12-26"))
    assert cal.is_working_day(D("2026-12-28"))


# --- adding and subtracting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-12-03", 1, "2026-12-04"),  # Thursday -> Friday
        ("2026-12-04", 1, "2026-12-07"),  # over the weekend
        ("2026-12-04", 5, "2026-12-11"),
        ("2026-12-05", 1, "2026-12-07"),  # from a Saturday
        ("2026-12-24", 1, "2026-12-28"),  # Christmas on Friday, then the weekend
        ("2026-12-24", 5, "2027-01-04"),  # ... and New Year's Day on Friday
        ("2026-12-24", 10, "2027-01-11"),
        ("2027-04-23", 2, "2027-04-28"),  # Friday, then Monday 26th, skipping King's Day
        ("2027-03-25", 1, "2027-03-30"),  # over Good Friday, Easter weekend and Easter Monday
    ],
)
def test_add_working_days(cal: BusinessCalendar, start: str, n: int, expected: str) -> None:
    assert cal.add_working_days(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-12-07", 1, "2026-12-04"),  # Monday -> Friday
        ("2026-12-06", 1, "2026-12-04"),  # from a Sunday
        ("2026-12-28", 1, "2026-12-24"),  # back over the weekend and Christmas
        ("2027-01-04", 5, "2026-12-24"),  # back over New Year's Day and Christmas
        ("2027-05-18", 1, "2027-05-14"),  # back over Whit Monday
        ("2027-05-07", 1, "2027-05-05"),  # back over Ascension Day
    ],
)
def test_subtract_working_days(cal: BusinessCalendar, start: str, n: int, expected: str) -> None:
    assert cal.subtract_working_days(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("day", "after", "before"),
    [
        ("2026-12-05", "2026-12-07", "2026-12-04"),  # Saturday
        ("2026-12-06", "2026-12-07", "2026-12-04"),  # Sunday
        ("2026-12-25", "2026-12-28", "2026-12-24"),  # Christmas Day
        ("2026-12-09", "2026-12-09", "2026-12-09"),  # an ordinary Wednesday stays put
    ],
)
def test_zero_days_moves_only_off_a_closed_day(cal: BusinessCalendar, day: str, after: str, before: str) -> None:
    assert cal.add_working_days(D(day), 0) == D(after)
    assert cal.subtract_working_days(D(day), 0) == D(before)


@pytest.mark.parametrize("n", [1, 3, 12])
def test_negative_n_counts_the_other_way(cal: BusinessCalendar, n: int) -> None:
    start = D("2026-12-24")
    assert cal.add_working_days(start, -n) == cal.subtract_working_days(start, n)
    assert cal.subtract_working_days(start, -n) == cal.add_working_days(start, n)


# --- counting -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-12-03", "2026-12-03", 0),
        ("2026-12-04", "2026-12-07", 1),  # Friday -> Monday
        ("2026-12-05", "2026-12-06", 0),  # Saturday -> Sunday
        ("2026-12-04", "2026-12-06", 0),  # Friday -> Sunday
        ("2026-12-24", "2027-01-04", 5),
        ("2026-12-23", "2026-12-24", 1),
    ],
)
def test_working_days_between(cal: BusinessCalendar, start: str, end: str, expected: int) -> None:
    assert cal.working_days_between(D(start), D(end)) == expected
    assert cal.working_days_between(D(end), D(start)) == -expected


def test_working_days_between_agrees_with_add_and_subtract(cal: BusinessCalendar) -> None:
    first = D("2025-11-01")
    for offset in range(0, 800, 3):
        start = first + timedelta(days=offset)
        for n in range(1, 30, 2):
            later = cal.add_working_days(start, n)
            assert cal.is_working_day(later)
            assert cal.working_days_between(start, later) == n
            assert cal.working_days_between(later, start) == -n
            assert cal.working_days_between(start, later - timedelta(days=1)) == n - 1
            earlier = cal.subtract_working_days(start, n)
            assert cal.is_working_day(earlier)
            assert cal.working_days_between(earlier, start) == n - 1 + cal.is_working_day(start)


def test_working_days_between_matches_a_day_by_day_count(cal: BusinessCalendar) -> None:
    first = D("2024-12-20")
    for offset in range(0, 400, 7):
        start = first + timedelta(days=offset)
        for span in (0, 1, 2, 6, 13, 40, 200, 500):
            end = start + timedelta(days=span)
            assert cal.working_days_between(start, end) == naive_count(cal, start, end), (start, end)


def test_working_days_between_over_several_years(cal: BusinessCalendar) -> None:
    start, end = D("2024-12-31"), D("2029-12-31")
    assert cal.working_days_between(start, end) == naive_count(cal, start, end)


# --- earliest / latest --------------------------------------------------------------------------------------


def test_earliest_ignores_none_and_takes_the_minimum(cal: BusinessCalendar) -> None:
    assert cal.earliest(D("2026-12-10"), None, D("2026-12-03"), D("2027-01-01")) == D("2026-12-03")
    assert cal.earliest(D("2026-12-10")) == D("2026-12-10")


def test_earliest_mixes_dates_and_datetimes(cal: BusinessCalendar) -> None:
    late_evening = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # 4 December in Amsterdam
    assert cal.earliest(late_evening, D("2026-12-05")) == D("2026-12-04")
    assert cal.latest(late_evening, D("2026-12-02")) == D("2026-12-04")


@pytest.mark.parametrize("args", [(), (None,), (None, None)])
def test_earliest_and_latest_need_a_date(cal: BusinessCalendar, args: tuple[None, ...]) -> None:
    with pytest.raises(ValueError):
        cal.earliest(*args)
    with pytest.raises(ValueError):
        cal.latest(*args)


# --- extra closing days -------------------------------------------------------------------------------------


def test_extra_closed_days() -> None:
    cal = BusinessCalendar(extra_closed=[D("2026-12-24"), D("2026-12-31"), D("2026-05-05")])
    for day in ("2026-12-24", "2026-12-31", "2026-05-05"):
        assert not cal.is_working_day(D(day))
    assert cal.add_working_days(D("2026-12-23"), 1) == D("2026-12-28")
    assert cal.subtract_working_days(D("2027-01-04"), 4) == D("2026-12-23")
    assert cal.working_days_between(D("2026-12-23"), D("2027-01-04")) == 4
    assert BusinessCalendar().is_working_day(D("2026-12-24")), "other calendars are not affected"


def test_extra_closed_days_on_weekends_or_holidays_are_not_counted_twice() -> None:
    cal = BusinessCalendar(extra_closed=[D("2026-12-05"), D("2026-12-25"), D("2026-12-29")])
    assert cal.working_days_between(D("2026-12-01"), D("2026-12-31")) == naive_count(
        cal, D("2026-12-01"), D("2026-12-31")
    )
    assert cal.working_days_between(D("2026-12-01"), D("2026-12-31")) == 20


def test_extra_closed_days_may_be_datetimes_and_any_iterable() -> None:
    moments = (datetime(2026, 12, 23, 23, 30, tzinfo=UTC), datetime(2026, 12, 22, 10, 0))
    cal = BusinessCalendar(extra_closed=(m for m in moments))
    assert not cal.is_working_day(D("2026-12-24"))  # 23:30Z on the 23rd is the 24th in Amsterdam
    assert not cal.is_working_day(D("2026-12-22"))
    assert cal.is_working_day(D("2026-12-23"))


# --- datetime inputs ----------------------------------------------------------------------------------------


def test_aware_utc_datetime_late_in_the_evening_is_the_next_dutch_day(cal: BusinessCalendar) -> None:
    friday_night_utc = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)  # Saturday 00:30 in Amsterdam
    assert not cal.is_working_day(friday_night_utc)
    assert cal.add_working_days(friday_night_utc, 0) == D("2026-12-07")
    assert cal.subtract_working_days(friday_night_utc, 0) == D("2026-12-04")
    assert cal.working_days_between(friday_night_utc, D("2026-12-07")) == 1


def test_summer_evening_in_utc_is_the_next_dutch_day(cal: BusinessCalendar) -> None:
    assert as_date(datetime(2026, 7, 3, 22, 30, tzinfo=UTC)) == D("2026-07-04")  # 00:30 CEST
    assert as_date(datetime(2026, 7, 3, 21, 59, tzinfo=UTC)) == D("2026-07-03")


def test_naive_datetime_is_taken_at_face_value(cal: BusinessCalendar) -> None:
    friday_night = datetime(2026, 12, 4, 23, 30)
    assert cal.is_working_day(friday_night)
    assert cal.add_working_days(friday_night, 1) == D("2026-12-07")
    assert type(cal.add_working_days(friday_night, 0)) is date


def test_amsterdam_datetime_keeps_its_own_date(cal: BusinessCalendar) -> None:
    assert as_date(datetime(2026, 12, 4, 0, 15, tzinfo=AMSTERDAM)) == D("2026-12-04")


# --- script helpers -----------------------------------------------------------------------------------------


def test_helper_names(helpers: dict[str, Callable[..., Any]]) -> None:
    assert set(helpers) == {
        "werkdagen_na",
        "werkdagen_voor",
        "werkdagen_tussen",
        "is_werkdag",
        "vroegste",
        "laatste",
        "vandaag",
        "nu",
        "als_datum",
        "tijdstip",
        "winterperiode",
    }


def test_helpers_do_working_day_arithmetic(helpers: dict[str, Callable[..., Any]]) -> None:
    assert helpers["werkdagen_na"](D("2026-12-24"), 5) == D("2027-01-04")
    assert helpers["werkdagen_voor"](D("2027-01-04"), 5) == D("2026-12-24")
    assert helpers["werkdagen_tussen"](D("2026-12-24"), D("2027-01-04")) == 5
    assert helpers["is_werkdag"](D("2026-12-25")) is False
    assert helpers["vroegste"](D("2026-12-10"), None, D("2026-12-03")) == D("2026-12-03")
    assert helpers["laatste"](D("2026-12-10"), None, D("2026-12-03")) == D("2026-12-10")


def test_helpers_accept_iso_strings(helpers: dict[str, Callable[..., Any]]) -> None:
    assert helpers["werkdagen_na"]("2026-12-24", 5) == D("2027-01-04")
    assert helpers["werkdagen_na"]("2026-12-24", "5") == D("2027-01-04")
    assert helpers["werkdagen_voor"]("2027-01-04T10:00:00+01:00", 5) == D("2026-12-24")
    assert helpers["werkdagen_tussen"]("2026-12-24", "2027-01-04") == 5
    assert helpers["is_werkdag"]("2026-12-04T23:30:00Z") is False  # Saturday in Amsterdam
    assert helpers["vroegste"]("2026-12-10", D("2026-12-11"), "2026-12-09T12:00:00") == D("2026-12-09")
    assert helpers["laatste"]("2026-12-10", D("2026-12-11"), None) == D("2026-12-11")
    assert helpers["winterperiode"]("2026-10-01") is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-03", "2026-12-03"),
        (" 2026-12-03 ", "2026-12-03"),
        ("2026-12-03T10:00:00", "2026-12-03"),
        ("2026-12-03T23:30:00", "2026-12-03"),  # naive: taken at face value
        ("2026-12-03T23:30:00Z", "2026-12-04"),  # UTC: already the 4th in Amsterdam
        ("2026-12-03T23:30:00+00:00", "2026-12-04"),
        ("2026-12-03T23:30:00+01:00", "2026-12-03"),
        (D("2026-12-03"), "2026-12-03"),
        (datetime(2026, 12, 3, 23, 30, tzinfo=UTC), "2026-12-04"),
    ],
)
def test_als_datum(helpers: dict[str, Callable[..., Any]], value: object, expected: str) -> None:
    result = helpers["als_datum"](value)
    assert result == D(expected)
    assert type(result) is date


@pytest.mark.parametrize(("value", "error"), [("3 december", ValueError), ("", ValueError), (None, TypeError)])
def test_als_datum_rejects_non_dates(
    helpers: dict[str, Callable[..., Any]], value: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        helpers["als_datum"](value)


@pytest.mark.parametrize("n", [True, 1.5, "vijf", None])
def test_day_counts_must_be_whole_numbers(helpers: dict[str, Callable[..., Any]], n: object) -> None:
    with pytest.raises(TypeError):
        helpers["werkdagen_na"]("2026-12-03", n)


def test_vandaag_and_nu_come_from_the_injected_clock(cal: BusinessCalendar) -> None:
    h = script_helpers(cal, today=lambda: D("2027-04-27"), now=lambda: datetime(2027, 4, 27, 12, 0, tzinfo=AMSTERDAM))
    assert h["vandaag"]() == D("2027-04-27")
    now = h["nu"]()
    assert now == datetime(2027, 4, 27, 10, 0, tzinfo=UTC)
    assert now.utcoffset() == timedelta(0)


def test_nu_treats_a_naive_clock_as_utc_and_vandaag_accepts_a_datetime(cal: BusinessCalendar) -> None:
    h = script_helpers(
        cal, today=lambda: datetime(2026, 12, 3, 23, 30, tzinfo=UTC), now=lambda: datetime(2026, 12, 3, 9, 0)
    )
    assert h["nu"]() == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert h["vandaag"]() == D("2026-12-04")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2026-12-03",), "2026-12-03T16:00:00+00:00"),  # winter: CET = UTC+1
        (("2026-07-01",), "2026-07-01T15:00:00+00:00"),  # summer: CEST = UTC+2
        ((D("2026-07-01"), "09:30"), "2026-07-01T07:30:00+00:00"),
        ((D("2026-12-03"), time(8, 0)), "2026-12-03T07:00:00+00:00"),
        (("2026-03-29",), "2026-03-29T15:00:00+00:00"),  # the day summer time starts
        (("2026-03-28",), "2026-03-28T16:00:00+00:00"),
        (("2026-10-25",), "2026-10-25T16:00:00+00:00"),  # the day summer time ends
        (("2026-10-24",), "2026-10-24T15:00:00+00:00"),
        (("2026-12-03T23:30:00Z",), "2026-12-04T16:00:00+00:00"),  # the Amsterdam date of the moment
        (("2026-12-31", "23:59:59"), "2026-12-31T22:59:59+00:00"),
    ],
)
def test_tijdstip(helpers: dict[str, Callable[..., Any]], args: tuple[Any, ...], expected: str) -> None:
    result = helpers["tijdstip"](*args)
    assert result == expected
    assert datetime.fromisoformat(result).utcoffset() == timedelta(0)


@pytest.mark.parametrize("tijd", ["vijf uur", "25:00", "17:00+01:00"])
def test_tijdstip_rejects_bad_times(helpers: dict[str, Callable[..., Any]], tijd: str) -> None:
    with pytest.raises(ValueError):
        helpers["tijdstip"]("2026-12-03", tijd)


def test_timer_expression_takes_the_earlier_deadline(helpers: dict[str, Callable[..., Any]]) -> None:
    h = helpers
    t0, d = "2026-12-10", "2027-01-15"
    # T0 + 10 wd is Thursday 24 December; D - 8 wd is Tuesday 5 January.
    assert h["werkdagen_na"](t0, 10) == D("2026-12-24")
    assert h["werkdagen_voor"](d, 8) == D("2027-01-05")
    timer = h["tijdstip"](h["vroegste"](h["werkdagen_na"](t0, 10), h["werkdagen_voor"](d, 8)))
    assert timer == "2026-12-24T16:00:00+00:00"
    assert h["tijdstip"](h["laatste"](h["werkdagen_na"](t0, 10), h["werkdagen_voor"](d, 8))) == (
        "2027-01-05T16:00:00+00:00"
    )


@pytest.mark.parametrize(
    ("day", "winter"),
    [
        ("2026-09-30", False),
        ("2026-10-01", True),
        ("2026-12-31", True),
        ("2027-01-01", True),
        ("2027-03-31", True),
        ("2027-04-01", False),
        ("2027-07-15", False),
    ],
)
def test_winterperiode(helpers: dict[str, Callable[..., Any]], day: str, winter: bool) -> None:
    assert helpers["winterperiode"](D(day)) is winter
    assert helpers["winterperiode"](day) is winter


def test_winterperiode_uses_the_amsterdam_date(helpers: dict[str, Callable[..., Any]]) -> None:
    assert helpers["winterperiode"](datetime(2026, 9, 30, 22, 30, tzinfo=UTC)) is True  # 00:30 on 1 October
    assert helpers["winterperiode"](datetime(2027, 3, 31, 22, 30, tzinfo=UTC)) is False  # 00:30 on 1 April
