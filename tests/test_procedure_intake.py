"""Steps 0–2: admissibility (D1), completion by the supplier, priority (D2), the < 10 wd rule, winter, medical."""

from __future__ import annotations

from datetime import UTC, date, datetime

from engine.clock import ManualClock
from engine.service import Engine

from .test_procedure_support import T0, TRIAGE, Zaak, at_five, deploy, wd_after


def test_a_notice_less_than_10_wd_before_d_is_p1_and_asks_for_postponement(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    d = wd_after(T0, 7)  # 16 Dec 2026
    zaak = Zaak(engine, clock, geplande_einddatum=d.isoformat())
    assert zaak.row.priority == "P1"
    assert zaak.to_supplier() == [
        ("terugkoppeling", {"status": "ontvangen"}),
        (
            "uitstelverzoek",
            {
                "geplande_einddatum": d.isoformat(),
                "gevraagde_einddatum": wd_after(d, 10).isoformat(),
                "uitstel_werkdagen": 10,
            },
        ),
    ]
    assert zaak.notifications() == [("coordinator", "Spoedmelding (P1): ESS-2026-0001")]
    zaak.complete("triage", {**TRIAGE, "prioriteit": "P1"}, "coord")
    first = zaak.task("eerste_poging")
    assert first.due_at == at_five(wd_after(T0, 1))  # P1: first contact within 1 wd
    # D − 10 wd already passed at intake: the escalation fires at the first sweep, without asking again
    zaak.at(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    assert [n for n, _ in zaak.to_supplier()].count("uitstelverzoek") == 1
    escalation = [m.payload for m in zaak.messages() if m.name == "intern_escalatie"]
    assert len(escalation) == 1
    assert "huisbezoek af met twee medewerkers" in escalation[0]["tekst"]
    assert escalation[0]["aan"] == "coordinator"


def test_an_address_outside_the_pilot_area_is_rejected_without_a_reason(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, adres={"postcode": "6211AB", "huisnummer": 1, "toevoeging": "", "plaats": "Maastricht"})
    row = zaak.row
    assert (row.status, row.outcome, row.team) == ("completed", "niet_ontvankelijk", None)
    assert zaak.statuses() == ["ontvangen", "geen_pilotcasus"]
    assert zaak.open() == []


def test_a_missing_field_is_asked_for_and_the_completed_notice_goes_on(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, geplande_einddatum=None)
    assert zaak.to_supplier()[-1] == (
        "aanvulverzoek",
        {"ontbrekende_velden": ["geplande_einddatum"], "uiterlijk": wd_after(T0, 1).isoformat()},
    )
    assert zaak.open() == []
    assert zaak.row.next_timer_at == at_five(wd_after(T0, 1))
    assert zaak.send("aanvulling", {"geplande_einddatum": "2027-02-26"}) == "delivered"
    assert zaak.open() == ["triage"]
    assert zaak.row.planned_end_date == date(2027, 2, 26)
    assert zaak.statuses() == ["ontvangen"]


def test_without_completion_the_coordinator_completes_or_rejects(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, adres={"postcode": "", "huisnummer": 12, "toevoeging": "", "plaats": "Venlo"})
    zaak.at(at_five(wd_after(T0, 1)))
    task = zaak.task("onvolledige_melding")
    assert task.lane == "coordinator"
    zaak.complete(
        "onvolledige_melding",
        {"aanvul_besluit": "aangevuld", "aanvulling": {"adres": {"postcode": "5912 CD"}}},
        "coord",
    )
    assert zaak.open() == ["triage"]
    assert zaak.row.team == "venlo"

    other = Zaak(engine, clock, melding_id="ESS-2026-0002", achterstand_bedrag=None)
    other.at(at_five(wd_after(T0, 2)))
    other.complete("onvolledige_melding", {"aanvul_besluit": "afwijzen"}, "coord")
    assert (other.row.status, other.row.outcome) == ("completed", "niet_ontvankelijk")
    assert other.statuses() == ["ontvangen", "geen_pilotcasus"]


def test_an_incomplete_collection_process_is_accepted_and_flagged(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, aantal_herinneringen=1)
    data = zaak.data()
    assert (data["ontvankelijkheid"], data["incassotraject_onvolledig"]) == ("accepteren", True)
    assert zaak.open() == ["triage"]


def test_winter_raises_priority_for_families_with_children(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    d = wd_after(T0, 12)
    winter = Zaak(engine, clock, geplande_einddatum=d.isoformat())
    assert (winter.row.priority, winter.data()["winter"]) == ("P1", True)
    winter.complete("triage", {**TRIAGE, "prioriteit": "P1"}, "coord")
    assert winter.task("eerste_poging").due_at == at_five(wd_after(T0, 2))  # winter, 10–15 wd, children: 2 wd
    assert "Winterperiode" in (winter.task("eerste_poging").instructions or "")

    summer_t0 = date(2027, 6, 7)
    clock.set(datetime(2027, 6, 7, 8, 0, tzinfo=UTC))
    summer_d = wd_after(summer_t0, 12)
    summer = Zaak(engine, clock, melding_id="ESS-2027-0100", geplande_einddatum=summer_d.isoformat())
    assert (summer.row.priority, summer.data()["winter"]) == ("P2", False)


def test_a_medical_flag_makes_p1_and_tells_the_coordinator(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, medisch=True)
    assert zaak.row.priority == "P1"
    assert [n for n, _ in zaak.to_supplier()] == ["terugkoppeling"]  # far from D: no postponement
    assert zaak.notifications() == [("coordinator", "Spoedmelding (P1): ESS-2026-0001")]
    triage = zaak.task("triage")
    assert "Medisch of kwetsbaar" in (triage.instructions or "")
    zaak.complete(
        "triage",
        {
            **TRIAGE,
            "prioriteit": "P1",
            "medische_verklaring": "aangevraagd",
            "leverancier_gebeld": True,
            "netbeheerder_geinformeerd": True,
        },
        "coord",
    )
    assert zaak.task("eerste_poging").due_at == at_five(wd_after(T0, 1))
