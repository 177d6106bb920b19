"""A small driver for the procedure scenarios: one notice through the real processes/ bundle, step by step.

The scenario modules (``test_procedure_*.py``) import :class:`Zaak` from here; the tests in this module check the
bundle as a whole (it deploys, every user task has a lane and a form, the D7 vocabulary is closed).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from pathlib import Path
from typing import Any

from engine.calendar import BusinessCalendar, local_zone
from engine.clock import ManualClock
from engine.models import Case, HumanTask, Outbox
from engine.service import Engine

from .helpers import case as case_row
from .helpers import open_tasks, outbox

PROCESSES = Path(__file__).resolve().parent.parent / "processes"
T0 = date(2026, 12, 7)
CAL = BusinessCalendar()
D7_STATUSES = {"ontvangen", "in_behandeling", "garantie_afgegeven", "geen_pilotcasus", "niet_bereikt", "afgesloten"}
SUPPLIER_MESSAGES = {"terugkoppeling", "uitstelverzoek", "opschortingsverzoek", "aanvulverzoek"}
_keys = count(1)


def melding(**changes: Any) -> dict[str, Any]:
    """The example notice of the brief; keyword arguments replace top-level fields."""
    body: dict[str, Any] = {
        "melding_id": "ESS-2026-0001",
        "leverancier": "essent",
        "meldingsdatum": "2026-12-07",
        "soort": "eindelevering",
        "klant": {"voorletters": "J.", "tussenvoegsel": "", "achternaam": "Jansen", "geboortedatum": "1985-04-12"},
        "adres": {"postcode": "5911AB", "huisnummer": 12, "toevoeging": "", "plaats": "Venlo"},
        "telefoon": "0612345678",
        "email": None,
        "contractreferentie": "C-123",
        "producten": ["elektriciteit", "gas"],
        "achterstand_bedrag": 742.5,
        "achterstand_sinds": "2026-08-01",
        "maandbedrag": 145.0,
        "aantal_herinneringen": 3,
        "laatste_herinnering": "2026-11-15",
        "contactpogingen_aantal": 2,
        "laatste_contactpoging": "2026-11-20",
        "regeling_aangeboden": True,
        "regeling_status": "geweigerd",
        "geplande_einddatum": "2027-02-26",
        "kinderen_in_huishouden": "ja",
        "kwetsbaarheid_bekend": False,
        "medisch": False,
        "bezwaar_gegevensdeling": False,
        "kanaal": "api",
    }
    body.update(changes)
    return body


def at_five(day: date) -> datetime:
    """17:00 in Amsterdam on ``day``, as UTC: the moment every deadline falls due."""
    return datetime.combine(day, time(17, 0), tzinfo=local_zone()).astimezone(UTC)


def wd_after(day: date, n: int) -> date:
    return CAL.add_working_days(day, n)


def wd_before(day: date, n: int) -> date:
    return CAL.subtract_working_days(day, n)


def deploy(engine: Engine) -> None:
    bundle = engine.read_bundle([PROCESSES])
    engine.run(lambda s: engine.deploy(s, bundle, actor="procesbeheerder"))


class Zaak:
    """One case of the procedure, driven through the engine with a manual clock."""

    def __init__(self, engine: Engine, clock: ManualClock, **changes: Any) -> None:
        self.engine, self.clock = engine, clock
        self.notice = melding(**changes)
        key = str(self.notice["melding_id"])
        result = engine.run(lambda s: engine.start_case(s, "melding", "essent", key, self.notice, actor="essent"))
        self.id, self.key = result.case_id, key

    # --- reading --------------------------------------------------------------------------------------------

    @property
    def row(self) -> Case:
        return case_row(self.engine, self.id)

    def data(self) -> dict[str, Any]:
        """The data of the main process's last completed step (intake values; not the live call activity)."""
        row = self.row
        workflow = self.engine.runtime.restore(self.engine.specs.get(row.version), row.state)
        return dict(workflow.last_task.data)

    def tasks(self) -> list[HumanTask]:
        return sorted(open_tasks(self.engine, self.id), key=lambda t: t.element_id)

    def open(self) -> list[str]:
        return [t.element_id for t in self.tasks()]

    def task(self, element_id: str) -> HumanTask:
        found = [t for t in self.tasks() if t.element_id == element_id]
        assert len(found) == 1, f"expected one open {element_id}, open: {self.open()}"
        return found[0]

    def messages(self) -> list[Outbox]:
        return outbox(self.engine, self.id)

    def to_supplier(self) -> list[tuple[str, dict[str, Any]]]:
        return [(m.name, m.payload) for m in self.messages() if m.channel == "leverancier"]

    def statuses(self) -> list[str]:
        return [p["status"] for n, p in self.to_supplier() if n == "terugkoppeling"]

    def notifications(self) -> list[tuple[str, str]]:
        return [(m.recipient, m.payload["onderwerp"]) for m in self.messages() if m.channel == "notificatie"]

    # --- acting ---------------------------------------------------------------------------------------------

    def complete(self, element_id: str, data: dict[str, Any], actor: str = "anna") -> None:
        task = self.task(element_id)
        self.engine.run(lambda s: self.engine.complete_task(s, task.id, data, actor))

    def send(self, name: str, payload: dict[str, Any] | None = None) -> str:
        key = f"{self.key}-{name}-{next(_keys)}"
        body = payload or {}
        result = self.engine.run(
            lambda s: self.engine.deliver_message(s, name, "essent", key, body, "essent", business_key=self.key)
        )
        return result.state

    def move_d(self, new_d: str) -> None:
        """What the API does for an 'einddatum_gewijzigd' update: deliver it and set D in the live case."""
        self.send("einddatum_gewijzigd", {"geplande_einddatum": new_d})
        self.engine.run(lambda s: self.engine.cases.update_data(s, self.id, {"geplande_einddatum": new_d}, "essent"))

    def at(self, moment: datetime) -> None:
        """Move the clock to just after ``moment`` and fire what is due."""
        self.clock.set(moment + timedelta(seconds=1))
        self.engine.run_due_timers()


# --- standard answers to the forms --------------------------------------------------------------------------

TRIAGE = {
    "prioriteit": "P2",
    "bekend_bij_coordinatiepunt": False,
    "lopende_hulp": False,
    "aantal_minderjarigen": 2,
    "casemanager": "anna",
}


def poging(kanaal: str, bereikt: bool, dag: str = "2026-12-08") -> dict[str, Any]:
    return {"datum": dag, "dagdeel": "ochtend", "kanaal": kanaal, "bereikt": bereikt}


def beoordeling(laag: int = 4, conclusie: str = "ja", **changes: Any) -> dict[str, Any]:
    domains = [
        "financien",
        "werk_opleiding",
        "tijdsbesteding",
        "huisvesting",
        "huiselijke_relaties",
        "geestelijke_gezondheid",
        "lichamelijke_gezondheid",
        "middelengebruik",
        "basale_adl",
        "instrumentele_adl",
        "sociaal_netwerk",
        "maatschappelijke_participatie",
        "justitie",
    ]
    data = {
        "zrm_scores": {d: (2 if i < laag else 4) for i, d in enumerate(domains)},
        "aantal_minderjarigen": 2,
        "problemen_langer_dan_6_maanden": True,
        "eerdere_hulp_zonder_effect": True,
        "zorgmijdend": False,
        "veiligheidssignaal": False,
        "conclusie": conclusie,
        "onderbouwing": "Schulden, huisvesting en opvoeding; eerdere hulp hielp niet.",
    }
    data.update(changes)
    return data


TOESTEMMING = {
    "geinformeerd_op": "2026-12-09",
    "grondslag": "toestemming",
    "delen_met": ["garantsteller", "leverancier_terugkoppeling"],
}
AANVRAAG = {"andere_bron_mogelijk": False, "eerdere_garantie_12_maanden": False}


def besluit(toegekend: bool = True, bedrag: float = 1177.5) -> dict[str, Any]:
    if not toegekend:
        return {"garantie_besluit": "afgewezen", "besluitdatum": "2026-12-10", "besluit_toelichting": "Niet nodig."}
    return {
        "garantie_besluit": "toegekend",
        "garantie_bedrag": bedrag,
        "garantie_periode_maanden": 3,
        "besluitdatum": "2026-12-10",
        "garantsteller_referentie": "GS-2026-17",
        "besluit_toelichting": "Voorstel D4 gevolgd.",
    }


GEZINSPLAN = {"doelen": ["Licht en warmte houden"], "acties": [], "energiemaatregelen": ["betalingsregeling"]}
CONTROLE = {"betalingen_op_schema": True, "afspraken_nagekomen": True}


def reach_assessment(zaak: Zaak) -> None:
    zaak.complete("triage", TRIAGE, "coord")
    zaak.complete("eerste_poging", {"pogingen": [poging("telefoon", True)]})


def assess_and_request(zaak: Zaak, **assessment: Any) -> None:
    zaak.complete("beoordelen", beoordeling(**assessment))
    zaak.complete("toestemming", TOESTEMMING)
    zaak.complete("garantie_aanvragen", AANVRAAG)


def reach_guarantee(zaak: Zaak, **assessment: Any) -> None:
    reach_assessment(zaak)
    assess_and_request(zaak, **assessment)


# --- tests of the bundle itself -------------------------------------------------------------------------------


def test_the_bundle_deploys_with_one_main_process(engine: Engine) -> None:
    parsed = engine.validate(engine.read_bundle([PROCESSES]))
    assert parsed.process_id == "vangnet"
    assert parsed.start_messages == ["melding"]
    assert set(parsed.subprocess_specs) >= {"behandeling", "garantstelling", "terugkoppelen", "escaleren"}


def test_every_user_task_has_a_known_lane_a_form_and_instructions(engine: Engine) -> None:
    from engine.spec_walk import user_tasks

    parsed = engine.validate(engine.read_bundle([PROCESSES]))
    tasks = list(user_tasks(parsed.spec, parsed.subprocess_specs))
    assert len(tasks) >= 17
    for task in tasks:
        assert task.lane in {"Casemanager", "Coördinator", "Garantsteller"}, task.element_id
        assert task.properties["formJsonSchemaFilename"] in parsed.forms, task.element_id
        assert task.documentation and len(task.documentation) > 40, task.element_id
