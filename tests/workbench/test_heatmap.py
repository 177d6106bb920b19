"""The heatmap of a version on the werkbank test bundle: cases that passed each element, open tasks, and the
median time of the completed user tasks (the clock moved by hand between becoming ready and completion)."""

from __future__ import annotations

import pytest

from engine import NotFound
from engine.clock import ManualClock
from engine.service import Engine
from engine.workbench import heatmap

from ..helpers import advance, deploy
from .cases import complete, start


def test_counts_and_the_median_time_per_element(wb_engine: Engine, clock: ManualClock) -> None:
    deploy(wb_engine, "werkbank/v1")
    cases = [start(wb_engine, f"K-{n}") for n in range(4)]  # all four get their intake now
    for hours, case_id in zip((2, 2, 2), cases[:3], strict=True):  # intakes completed after 2, 4 and 6 hours
        advance(clock, hours=hours)
        complete(wb_engine, case_id, {"akkoord": True})
    advance(clock, hours=10)
    complete(wb_engine, cases[0], {"besluit": "toekennen"})  # ready 6 hours after its intake: 10 + 4 hours here
    deploy(wb_engine, "werkbank/v2")
    start(wb_engine, "op-versie-2")  # counts on version 2, not here
    with wb_engine.database.reading() as s:
        found = heatmap(wb_engine, s, "wijziging", 1)
    by_id = {e.element_id: e for e in found.elements}
    assert found.cases == 4

    def row(element: str) -> tuple[int, int, float | None, int]:
        e = by_id[element]
        return e.passed, e.open_now, e.median_seconds, e.measured

    assert row("registreren") == (4, 0, None, 0)  # a script task: passed, no time
    assert row("intake") == (3, 1, 4 * 3600.0, 3)
    assert row("beoordelen") == (1, 2, 14 * 3600.0, 1)
    assert row("controleren") == (0, 1, None, 0)
    assert row("einde") == (0, 0, None, 0)
    assert by_id["intake"].user_task and not by_id["registreren"].user_task
    assert found.elements[0].element_id in {"start", "registreren", "intake"}  # busiest first
    assert found.busiest == 4


def test_an_unknown_version_is_not_found(wb_engine: Engine) -> None:
    with wb_engine.database.reading() as s, pytest.raises(NotFound):
        heatmap(wb_engine, s, "aanvraag", 9)
