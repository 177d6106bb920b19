"""The one clock of the system.

Nothing in Vangnet calls ``datetime.now()`` directly: everything asks a :class:`Clock`. Tests and demos move time
through it; SpiffWorkflow's timers read it too, through :func:`install_spiff_clock` and :func:`use_clock`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock:
    """Wall-clock time shifted so that it started at ``start``: time runs on (used for ``VANGNET_NOW`` demos)."""

    def __init__(self, start: datetime) -> None:
        self._offset = _aware(start) - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


class ManualClock:
    """A clock that only moves when told to (tests, benchmarks)."""

    def __init__(self, start: datetime) -> None:
        self._now = _aware(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = _aware(moment)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"a clock needs a timezone-aware time, got {moment.isoformat()}")
    return moment.astimezone(UTC)


def parse_moment(text: str) -> datetime:
    """Parse an ISO-8601 moment; a value without offset is read as UTC."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- reaching SpiffWorkflow's timers -------------------------------------------------------------------------

_active_clock: ContextVar[Clock | None] = ContextVar("vangnet_active_clock", default=None)


class _ClockedDateTime(datetime):
    """Stands in for ``datetime`` inside SpiffWorkflow's timer module so its ``now()`` reads our clock."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        clock = _active_clock.get()
        moment = clock.now() if clock is not None else datetime.now(UTC)
        return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)


def install_spiff_clock() -> None:
    """Point SpiffWorkflow's timer module at :class:`_ClockedDateTime` (idempotent; done by the engine)."""
    from SpiffWorkflow.bpmn.specs.event_definitions import timer

    timer.datetime = _ClockedDateTime


@contextmanager
def use_clock(clock: Clock) -> Iterator[None]:
    """Make ``clock`` the time SpiffWorkflow sees while the block runs (per thread/context)."""
    token = _active_clock.set(clock)
    try:
        yield
    finally:
        _active_clock.reset(token)
