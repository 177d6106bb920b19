"""Step 5–6b: the assessment (D3), doubt decided by the coördinator, safety signal, warm handover."""

from __future__ import annotations

from engine.clock import ManualClock
from engine.service import Engine

from .test_procedure_support import (
    T0,
    TOESTEMMING,
    Zaak,
    at_five,
    beoordeling,
    deploy,
    reach_assessment,
    wd_after,
)

HANDOVER = {"overdracht_datum": "2026-12-15", "overdracht_aan": "Schuldhulp Venlo"}


def test_not_multi_problem_is_handed_over_to_debt_help(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    reach_assessment(zaak)
    task = zaak.task("beoordelen")
    assert (task.lane, task.due_at) == ("casemanager", at_five(wd_after(T0, 10)))
    zaak.complete("beoordelen", beoordeling(laag=1, conclusie="nee"))
    zaak.complete("toestemming", TOESTEMMING)
    handover = zaak.task("overdracht")
    assert (handover.lane, handover.due_at) == ("casemanager", at_five(wd_after(T0, 10)))
    zaak.complete("overdracht", HANDOVER)
    assert (zaak.row.status, zaak.row.outcome) == ("completed", "doorverwezen_schuldhulp")
    assert zaak.statuses() == ["ontvangen", "in_behandeling", "geen_pilotcasus"]


def test_doubt_goes_to_the_coordinator_who_decides_yes(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    reach_assessment(zaak)
    zaak.complete("beoordelen", beoordeling(laag=3, problemen_langer_dan_6_maanden=False, conclusie="twijfel"))
    zaak.complete("toestemming", TOESTEMMING)
    doubt = zaak.task("twijfel")
    assert (doubt.lane, doubt.due_at) == ("coordinator", at_five(wd_after(T0, 1)))
    zaak.complete("twijfel", {"twijfel_besluit": "ja", "twijfel_onderbouwing": "Vier domeinen, kinderen."}, "coord")
    assert zaak.open() == ["garantie_aanvragen"]


def test_doubt_decided_no_by_the_coordinator_means_handover(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    reach_assessment(zaak)
    # D3 says yes, the caseworker concludes no: a second opinion from the coordinator
    zaak.complete("beoordelen", beoordeling(laag=4, conclusie="nee"))
    zaak.complete("toestemming", TOESTEMMING)
    zaak.complete("twijfel", {"twijfel_besluit": "nee", "twijfel_onderbouwing": "Eén probleem: geld."}, "coord")
    zaak.complete("overdracht", HANDOVER)
    assert zaak.row.outcome == "doorverwezen_schuldhulp"


def test_a_safety_signal_alerts_the_coordinator_and_makes_it_a_pilot_case(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    reach_assessment(zaak)
    zaak.complete("beoordelen", beoordeling(laag=1, conclusie="ja", veiligheidssignaal=True))
    zaak.complete("toestemming", TOESTEMMING)
    assert zaak.notifications() == [("coordinator", "Veiligheidssignaal: ESS-2026-0001")]
    assert zaak.open() == ["garantie_aanvragen"]


def test_without_consent_there_is_no_guarantee(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    reach_assessment(zaak)
    zaak.complete("beoordelen", beoordeling())
    zaak.complete("toestemming", {**TOESTEMMING, "grondslag": "geen", "delen_met": []})
    zaak.complete("garantie_aanvragen", {"andere_bron_mogelijk": True, "eerdere_garantie_12_maanden": False})
    assert zaak.open() == ["zonder_garantie"]
    zaak.complete("zonder_garantie", {"uitkomst": "afsluiting_plaatsgevonden"})
    assert zaak.row.outcome == "afsluiting_plaatsgevonden"
