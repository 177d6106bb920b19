"""The supplier withdraws the notice: at any point the case stops, open tasks go, the outcome is 'ingetrokken'."""

from __future__ import annotations

from datetime import date

from engine.clock import ManualClock
from engine.service import Engine

from .test_procedure_support import (
    GEZINSPLAN,
    T0,
    Zaak,
    besluit,
    deploy,
    reach_guarantee,
    wd_after,
)


def _assert_withdrawn(zaak: Zaak) -> None:
    row = zaak.row
    assert (row.status, row.outcome, row.next_timer_at) == ("completed", "ingetrokken", None)
    assert zaak.open() == []
    assert zaak.statuses()[-1] == "afgesloten"


def test_withdrawal_during_triage(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    assert zaak.open() == ["triage"]
    assert zaak.send("intrekking", {"reden": "betaald"}) == "delivered"
    _assert_withdrawn(zaak)
    assert zaak.statuses() == ["ontvangen", "afgesloten"]


def test_withdrawal_while_the_guarantor_decides(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    reach_guarantee(zaak)
    assert zaak.open() == ["besluit_garantsteller"]
    assert zaak.send("intrekking", {"reden": "regeling"}) == "delivered"
    _assert_withdrawn(zaak)


def test_withdrawal_during_monitoring(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    reach_guarantee(zaak)
    zaak.complete("besluit_garantsteller", besluit(), "garantsteller1")
    zaak.send("opschorting_bevestigd")
    zaak.complete("gezinsplan", GEZINSPLAN)
    first_check = zaak.row.next_timer_at
    assert first_check is not None and first_check.date() == date(2027, 1, 7)
    zaak.at(first_check)
    assert zaak.open() == ["maandcontrole"]
    assert zaak.send("intrekking", {"reden": "verhuisd"}) == "delivered"
    _assert_withdrawn(zaak)


def test_a_withdrawal_during_intake_waits_and_closes_the_case_right_after(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, geplande_einddatum=None)
    assert zaak.send("intrekking", {"reden": "betaald"}) == "unmatched"
    assert zaak.send("aanvulling", {"geplande_einddatum": wd_after(T0, 30).isoformat()}) == "delivered"
    _assert_withdrawn(zaak)
