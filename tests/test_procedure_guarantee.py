"""Scenarios through the guarantee: granted and monitored to the end, refused, claimed."""

from __future__ import annotations

from datetime import date

from engine.clock import ManualClock
from engine.service import Engine

from .test_procedure_support import (
    CONTROLE,
    D7_STATUSES,
    GEZINSPLAN,
    SUPPLIER_MESSAGES,
    T0,
    Zaak,
    assess_and_request,
    at_five,
    besluit,
    deploy,
    poging,
    reach_guarantee,
    wd_after,
    wd_before,
)

D = date(2027, 2, 26)


def _grant_and_confirm(zaak: Zaak, triaged: bool = False) -> None:
    if triaged:
        zaak.complete("eerste_poging", {"pogingen": [poging("telefoon", True)]})
        assess_and_request(zaak)
    else:
        reach_guarantee(zaak)
    task = zaak.task("besluit_garantsteller")
    assert (task.lane, task.due_at) == ("garantsteller", at_five(wd_before(D, 5)))
    zaak.complete("besluit_garantsteller", besluit(), "garantsteller1")
    assert zaak.open() == []  # waiting for the supplier's confirmation of the hold
    assert zaak.send("opschorting_bevestigd") == "delivered"


def test_reached_multi_problem_guarantee_plan_monitoring_closed(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, geplande_einddatum=D.isoformat())
    row = zaak.row
    assert (row.team, row.priority, row.planned_end_date) == ("venlo", "P2", D)  # > 15 wd, children
    assert zaak.statuses() == ["ontvangen"]
    triage = zaak.task("triage")
    assert (triage.lane, triage.due_at, triage.form) == ("coordinator", at_five(wd_after(T0, 1)), "triage.schema.json")
    assert "Jansen" not in (triage.title or "")
    zaak.complete(
        "triage",
        {
            "prioriteit": "P2",
            "bekend_bij_coordinatiepunt": True,
            "lopende_hulp": False,
            "aantal_minderjarigen": 2,
            "casemanager": "anna",
        },
        "coord",
    )
    assert zaak.statuses() == ["ontvangen", "in_behandeling"]
    first = zaak.task("eerste_poging")
    assert (first.lane, first.due_at) == ("casemanager", at_five(wd_after(T0, 3)))  # P2: 3 wd
    _grant_and_confirm(zaak, triaged=True)
    assert zaak.to_supplier()[2] == (
        "terugkoppeling",
        {
            "status": "garantie_afgegeven",
            "bedrag": 1177.5,
            "periode_maanden": 3,
            "garantsteller_referentie": "GS-2026-17",
        },
    )
    plan = zaak.task("gezinsplan")
    assert plan.due_at == at_five(wd_after(T0, 20))
    zaak.complete("gezinsplan", GEZINSPLAN)
    for planned in (date(2027, 1, 7), date(2027, 2, 7), date(2027, 3, 7)):
        assert zaak.open() == []
        fires = wd_after(planned, 0)  # 7 Feb and 7 Mar are Sundays: the Monday after, 09:00 Amsterdam
        zaak.at(at_five(fires).replace(hour=8, minute=0))
        check = zaak.task("maandcontrole")
        assert check.due_at == at_five(wd_after(planned, 5))
        zaak.complete("maandcontrole", CONTROLE)
    closing = zaak.task("na_garantie")
    assert closing.due_at == at_five(wd_after(date(2027, 3, 7), 10))
    zaak.complete("na_garantie", {"regeling_nagekomen": "ja"})
    done = zaak.row
    assert (done.status, done.outcome) == ("completed", "afsluiting_voorkomen_garantie")
    assert zaak.statuses() == ["ontvangen", "in_behandeling", "garantie_afgegeven", "afgesloten"]
    for name, payload in zaak.to_supplier():
        assert name in SUPPLIER_MESSAGES
        if name == "terugkoppeling":
            assert payload["status"] in D7_STATUSES
            assert set(payload) <= {"status", "bedrag", "periode_maanden", "garantsteller_referentie"}
    assert zaak.notifications() == []  # every deadline was met


def test_guarantee_refused_is_closed_with_the_chosen_outcome(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, geplande_einddatum=D.isoformat(), achterstand_bedrag=300.0)
    reach_guarantee(zaak)
    decision = zaak.task("besluit_teamleider")  # arrears <= 500: the teamleider decides (D4)
    assert decision.lane == "coordinator"
    zaak.complete("besluit_teamleider", besluit(toegekend=False), "teamleider")
    closing = zaak.task("zonder_garantie")
    assert closing.lane == "casemanager"
    zaak.complete("zonder_garantie", {"uitkomst": "afsluiting_voorkomen_regeling"})
    assert (zaak.row.status, zaak.row.outcome) == ("completed", "afsluiting_voorkomen_regeling")
    assert zaak.statuses() == ["ontvangen", "in_behandeling", "afgesloten"]


def test_a_missed_payment_becomes_a_claim_and_the_outcome_says_so(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, geplande_einddatum=D.isoformat())
    _grant_and_confirm(zaak)
    zaak.complete("gezinsplan", GEZINSPLAN)
    zaak.at(at_five(date(2027, 1, 7)).replace(hour=8, minute=0))
    zaak.complete("maandcontrole", {"betalingen_op_schema": False, "afspraken_nagekomen": False})
    clock.set(at_five(date(2027, 1, 20)))
    assert zaak.send("betaling_gemist", {"termijn": "2027-01"}) == "delivered"
    claim = zaak.task("claim")
    assert (claim.lane, claim.due_at) == ("garantsteller", at_five(wd_after(date(2027, 1, 20), 10)))
    zaak.complete("claim", {"claim_bedrag": 145.0, "claim_betaald_op": "2027-01-25"}, "garantsteller1")
    review = zaak.task("plan_herzien")
    assert review.lane == "coordinator"
    zaak.complete("plan_herzien", {"plan_aangepast": True}, "coord")
    assert zaak.open() == []  # back to waiting for the next monthly check
    for month in (date(2027, 2, 8), date(2027, 3, 8)):
        zaak.at(at_five(month).replace(hour=8, minute=0))
        zaak.complete("maandcontrole", CONTROLE)
    zaak.complete("na_garantie", {"regeling_nagekomen": "nee"})
    assert (zaak.row.status, zaak.row.outcome) == ("completed", "garantie_geclaimd")
    assert zaak.statuses()[-1] == "afgesloten"
