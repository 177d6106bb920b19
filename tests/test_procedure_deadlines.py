"""Deadlines tied to D: the hard D − 5 escalation, D passed, D moved by the supplier, hold confirmation, frost."""

from __future__ import annotations

from engine.clock import ManualClock
from engine.service import Engine

from .test_procedure_support import (
    T0,
    TOESTEMMING,
    TRIAGE,
    Zaak,
    at_five,
    beoordeling,
    besluit,
    deploy,
    poging,
    reach_assessment,
    reach_guarantee,
    wd_after,
    wd_before,
)

D = wd_after(T0, 20)  # Tuesday 5 January 2027


def _escalations(zaak: Zaak) -> list[dict[str, str]]:
    return [m.payload for m in zaak.messages() if m.name == "intern_escalatie"]


def test_d_minus_5_without_decision_asks_for_a_hold_and_escalates(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, geplande_einddatum=D.isoformat())
    reach_guarantee(zaak)
    assert zaak.task("besluit_garantsteller").due_at == at_five(wd_before(D, 5))
    zaak.at(at_five(wd_before(D, 5)))
    assert zaak.to_supplier()[-1] == ("opschortingsverzoek", {"geplande_einddatum": D.isoformat()})
    to = sorted(p["aan"] for p in _escalations(zaak))
    assert to == ["coordinator", "garantsteller"]
    assert "opschorting van de afsluiting is gevraagd" in _escalations(zaak)[0]["tekst"]
    decision = zaak.task("besluit_garantsteller")
    assert (decision.escalation_level, decision.due_at) == (1, at_five(wd_before(D, 2)))
    # the supplier confirms the hold before the guarantee exists: the message waits for the case
    assert zaak.send("opschorting_bevestigd") == "unmatched"
    zaak.complete("besluit_garantsteller", besluit(), "garantsteller1")
    assert zaak.open() == ["gezinsplan"]
    assert zaak.statuses()[-1] == "garantie_afgegeven"


def test_d_passed_without_contact_reports_an_incident(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, geplande_einddatum=D.isoformat())
    zaak.complete("triage", TRIAGE, "coord")
    zaak.complete("eerste_poging", {"pogingen": [poging("telefoon", False)]})
    for moment in (wd_before(D, 10), wd_before(D, 2), D):
        zaak.at(at_five(moment))
    texts = [p["tekst"] for p in _escalations(zaak)]
    assert any("Einddatum bereikt zonder garantie" in t for t in texts)
    assert any("spoedintake" in t for t in texts)
    assert [n for n, _ in zaak.to_supplier()].count("uitstelverzoek") == 1  # asked once, at D − 10 wd
    assert zaak.open() == ["volgende_poging"]
    assert zaak.row.status == "running"


def test_d_moved_by_the_supplier_moves_every_deadline(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, geplande_einddatum=D.isoformat())
    reach_assessment(zaak)
    assert zaak.task("beoordelen").due_at == at_five(wd_after(T0, 10))  # T0 + 10 is before D − 8
    earlier = wd_after(T0, 14)
    zaak.move_d(earlier.isoformat())
    assert zaak.row.planned_end_date == earlier
    assert zaak.task("beoordelen").due_at == at_five(wd_before(earlier, 8))  # now D − 8 is earlier
    assert zaak.notifications()[-1] == ("coordinator", "Einddatum gewijzigd: ESS-2026-0001")
    assert [n for n, _ in zaak.to_supplier()].count("uitstelverzoek") == 0  # still 14 wd away
    # SpiffWorkflow arms a non-interrupting boundary message once: a second update is kept, the data still moves
    later = wd_after(T0, 30)
    assert zaak.send("einddatum_gewijzigd", {"geplande_einddatum": later.isoformat()}) == "unmatched"
    zaak.engine.run(
        lambda s: zaak.engine.cases.update_data(s, zaak.id, {"geplande_einddatum": later.isoformat()}, "essent")
    )
    assert zaak.task("beoordelen").due_at == at_five(wd_after(T0, 10))


def test_a_new_d_less_than_10_wd_away_asks_for_postponement(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, geplande_einddatum=D.isoformat())
    zaak.move_d(wd_after(T0, 6).isoformat())
    assert zaak.to_supplier()[-1][0] == "uitstelverzoek"
    assert zaak.task("triage").due_at == at_five(wd_after(T0, 1))


def test_a_hold_not_confirmed_within_2_wd_makes_the_coordinator_phone(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    reach_guarantee(zaak)
    zaak.complete("besluit_garantsteller", besluit(), "garantsteller1")
    assert zaak.row.next_timer_at == at_five(wd_after(T0, 2))
    zaak.at(at_five(wd_after(T0, 2)))
    phone = zaak.task("leverancier_bellen")
    assert phone.lane == "coordinator"
    zaak.complete("leverancier_bellen", {"opschorting_bevestigd": True, "netbeheerder_geinformeerd": False}, "coord")
    assert zaak.open() == ["gezinsplan"]


def test_the_frost_switch_adds_informing_the_grid_operator(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    frozen = Zaak(engine, clock, geplande_einddatum=D.isoformat())
    normal = Zaak(engine, clock, melding_id="ESS-2026-0002", geplande_einddatum=D.isoformat())
    for zaak in (frozen, normal):
        reach_assessment(zaak)
    engine.run(lambda s: engine.cases.update_data(s, frozen.id, {"vorstblokkade": True}, "coord", "vorst"))
    clock.set(at_five(wd_before(D, 2)))
    frozen.at(at_five(wd_before(D, 2)))
    frozen_texts = " ".join(p["tekst"] for p in _escalations(frozen))
    normal_texts = " ".join(p["tekst"] for p in _escalations(normal))
    assert "informeer de netbeheerder" in frozen_texts
    assert "informeer de netbeheerder" not in normal_texts
    assert "spoedintake" in normal_texts and "de coördinator besluit binnen 1 werkdag" in normal_texts
    assert "Vorstblokkade actief" in (frozen.task("beoordelen").instructions or "")
    frozen.complete("beoordelen", beoordeling())
    frozen.complete("toestemming", TOESTEMMING)
