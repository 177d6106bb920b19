"""Steps 3–4: the contact attempts, their deadlines, and the family that is not reached."""

from __future__ import annotations

from engine.clock import ManualClock
from engine.service import Engine

from .test_procedure_support import T0, TRIAGE, Zaak, at_five, deploy, poging, wd_after


def test_not_reached_after_three_attempts_over_two_channels_closes_as_not_reached(
    engine: Engine, clock: ManualClock
) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    zaak.complete("triage", TRIAGE, "coord")
    zaak.complete("eerste_poging", {"pogingen": [poging("telefoon", False), poging("sms", False, "2026-12-09")]})
    nxt = zaak.task("volgende_poging")
    assert (nxt.lane, nxt.form) == ("casemanager", "contactpoging.schema.json")
    assert nxt.due_at == at_five(wd_after(T0, 7))
    zaak.complete("volgende_poging", {"pogingen": [poging("telefoon", False, "2026-12-10")]})
    # three attempts, two channels, but no home visit yet: the norm is not met
    zaak.complete("volgende_poging", {"pogingen": [poging("huisbezoek", False, "2026-12-11")]})
    decision = zaak.task("niet_bereikt")
    assert (decision.lane, decision.due_at) == ("coordinator", at_five(wd_after(T0, 1)))
    zaak.complete("niet_bereikt", {"niet_bereikt_besluit": "afsluiten"}, "coord")
    assert (zaak.row.status, zaak.row.outcome) == ("completed", "niet_bereikt")
    assert zaak.statuses() == ["ontvangen", "in_behandeling", "niet_bereikt"]


def test_an_outreach_visit_that_reaches_the_family_leads_to_the_assessment(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    zaak.complete("triage", TRIAGE, "coord")
    zaak.complete(
        "eerste_poging", {"pogingen": [poging("telefoon", False), poging("huisbezoek", False), poging("brief", False)]}
    )
    zaak.complete("niet_bereikt", {"niet_bereikt_besluit": "huisbezoek"}, "coord")
    zaak.complete("huisbezoek", {"huisbezoek_datum": "2026-12-10", "huisbezoek_bereikt": True})
    assert zaak.open() == ["beoordelen"]


def test_late_attempts_escalate_to_the_coordinator_and_mark_the_task(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    zaak.at(at_five(wd_after(T0, 1)))
    assert zaak.task("triage").escalation_level == 1
    assert zaak.notifications() == [("coordinator", "Termijn verstreken: triage en toewijzing (ESS-2026-0001)")]
    zaak.complete("triage", TRIAGE, "coord")
    zaak.at(at_five(wd_after(T0, 3)))  # P2: first attempt within 3 wd
    first = zaak.task("eerste_poging")
    assert (first.escalation_level, first.due_at) == (1, None)
    zaak.complete("eerste_poging", {"pogingen": [poging("telefoon", False)]})
    zaak.at(at_five(wd_after(T0, 7)))  # the attempt norm (T0 + 7 wd) is not met
    subjects = [subject for _, subject in zaak.notifications()]
    assert subjects == [
        "Termijn verstreken: triage en toewijzing (ESS-2026-0001)",
        "Termijn verstreken: eerste contactpoging (ESS-2026-0001)",
        "Termijn verstreken: drie contactpogingen (ESS-2026-0001)",
    ]
    assert zaak.task("volgende_poging").escalation_level == 1


def test_the_case_row_follows_the_treatment_inside_the_call_activity(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    assert zaak.row.phase == "triage"
    zaak.complete("triage", {**TRIAGE, "prioriteit": "P1"}, "coord")
    row = zaak.row
    assert (row.phase, row.priority) == ("contact", "P1")
    assert (row.family_name, row.postcode) == ("Jansen", "5911AB")
