"""Every row of every decision table in processes/, table-driven.

Each table runs in the engine's sandbox through a one-task test process: the inputs become task data, the
business rule task runs the real DMN file, and the test checks both the output and which rows matched.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from engine.bundle_files import BundleFiles
from engine.clock import ManualClock
from engine.db import Database
from engine.runtime import ready_user_tasks
from engine.service import Engine
from engine.settings import Settings

from .test_procedure_support import T0, wd_after

PROCESSES = Path(__file__).resolve().parent.parent / "processes"
PROBE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="proef_definities" targetNamespace="https://test">
  <bpmn:message id="m" name="proef"/>
  <bpmn:process id="proef" name="Proef" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>a</bpmn:outgoing>
      <bpmn:messageEventDefinition id="md" messageRef="m"/></bpmn:startEvent>
    <bpmn:userTask id="invoer" name="Invoer"><bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:businessRuleTask id="regel" name="Regel"><bpmn:extensionElements>
      <spiffworkflow:calledDecisionId>{decision}</spiffworkflow:calledDecisionId></bpmn:extensionElements>
      <bpmn:incoming>b</bpmn:incoming><bpmn:outgoing>c</bpmn:outgoing></bpmn:businessRuleTask>
    <bpmn:endEvent id="einde"><bpmn:incoming>c</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="a" sourceRef="start" targetRef="invoer"/>
    <bpmn:sequenceFlow id="b" sourceRef="invoer" targetRef="regel"/>
    <bpmn:sequenceFlow id="c" sourceRef="regel" targetRef="einde"/>
  </bpmn:process>
</bpmn:definitions>"""


@pytest.fixture(scope="module")
def probe() -> Engine:
    clock = ManualClock(datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    return Engine(Settings(database_url="sqlite://", environment="test"), Database("sqlite://"), clock)


def run_table(engine: Engine, decision: str, inputs: dict[str, Any]) -> tuple[list[int], dict[str, Any]]:
    """(numbers of the matched rows, task data after the table ran)."""
    dmn = (PROCESSES / f"{decision}.dmn").read_text(encoding="utf-8")
    parsed = engine.validate(BundleFiles({"proef.bpmn": PROBE.format(decision=decision), f"{decision}.dmn": dmn}))
    workflow = engine.runtime.start(parsed, "proef", {})
    task = ready_user_tasks(workflow)[0]
    task.set_data(**inputs)
    task.run()
    rule_task = next(t for t in workflow.get_tasks() if t.task_spec.bpmn_id == "regel")
    rows = [rule.row_number for rule in rule_task.task_spec.dmnEngine.decide(rule_task)]
    rule_task.run()
    return rows, rule_task.data


def table_size(engine: Engine, decision: str) -> int:
    dmn = (PROCESSES / f"{decision}.dmn").read_text(encoding="utf-8")
    parsed = engine.validate(BundleFiles({"proef.bpmn": PROBE.format(decision=decision), f"{decision}.dmn": dmn}))
    task_spec = next(t for t in parsed.spec.task_specs.values() if getattr(t, "bpmn_id", None) == "regel")
    return len(task_spec.dmnEngine.decision_table.rules)


D1_BASE = {
    "binnen_pilotgebied": True,
    "huishouden": True,
    "aanvul_besluit": None,
    "ontbrekende_velden": [],
    "aantal_herinneringen": 3,
    "regeling_aangeboden": True,
    "contactpogingen_leverancier": 2,
}
D1 = [
    ({"binnen_pilotgebied": False}, 1, ("afwijzen", "buiten_pilotgebied", False, 0)),
    ({"huishouden": False}, 2, ("afwijzen", "geen_huishoudelijke_klant", False, 0)),
    ({"aanvul_besluit": "afwijzen", "ontbrekende_velden": ["adres.postcode"]}, 3, ("afwijzen", "onvolledig", False, 0)),
    ({"binnen_pilotgebied": None, "ontbrekende_velden": ["adres.postcode"]}, 4, ("aanvullen", "", False, 1)),
    ({"aantal_herinneringen": 2}, 5, ("accepteren", "", True, 0)),
    ({"regeling_aangeboden": False}, 6, ("accepteren", "", True, 0)),
    ({"contactpogingen_leverancier": 0}, 7, ("accepteren", "", True, 0)),
    ({}, 8, ("accepteren", "", False, 0)),
]
D1_OUT = ("ontvankelijkheid", "afwijsreden", "incassotraject_onvolledig", "aanvultermijn_werkdagen")


def _d(n: int) -> str:
    return wd_after(T0, n).isoformat()


D2_BASE = {"geplande_einddatum": _d(30), "medisch": False, "kwetsbaar": False, "winter": True, "kinderen_gemeld": True}
D2 = [
    ({"geplande_einddatum": _d(9)}, 1, ("P1", 1, True)),
    ({"medisch": True}, 2, ("P1", 1, False)),
    ({"kwetsbaar": True}, 2, ("P1", 1, False)),
    ({"geplande_einddatum": _d(10)}, 3, ("P1", 2, False)),
    ({"geplande_einddatum": _d(15), "winter": False}, 4, ("P2", 3, False)),
    ({"geplande_einddatum": _d(12), "kinderen_gemeld": False}, 4, ("P2", 3, False)),
    ({"geplande_einddatum": _d(16)}, 5, ("P2", 3, False)),
    ({"kinderen_gemeld": False}, 6, ("P3", 5, False)),
]
D2_OUT = ("prioriteit", "eerste_contact_werkdagen", "uitstel_nodig")

D3_BASE = {
    "aantal_minderjarigen": 2,
    "veiligheidssignaal": False,
    "laag_scorende_domeinen": 0,
    "problemen_langer_dan_6_maanden": False,
    "eerdere_hulp_zonder_effect": False,
    "zorgmijdend": False,
}
D3 = [
    ({"aantal_minderjarigen": 0, "veiligheidssignaal": True, "laag_scorende_domeinen": 5}, 1, ("nee", False)),
    ({"veiligheidssignaal": True}, 2, ("ja", True)),
    (
        {"laag_scorende_domeinen": 3, "problemen_langer_dan_6_maanden": True, "eerdere_hulp_zonder_effect": True},
        3,
        ("ja", False),
    ),
    ({"laag_scorende_domeinen": 4, "problemen_langer_dan_6_maanden": True}, 4, ("twijfel", False)),
    ({"laag_scorende_domeinen": 2, "problemen_langer_dan_6_maanden": True, "zorgmijdend": True}, 5, ("twijfel", False)),
    ({"laag_scorende_domeinen": 2, "problemen_langer_dan_6_maanden": True}, 6, ("nee", False)),
]
D3_OUT = ("mpg_advies", "veiligheidsroute")

D4_BASE = {
    "mpg": True,
    "toestemming_of_grondslag": True,
    "achterstand_bedrag": 400.0,
    "eerdere_garantie_12_maanden": False,
    "maandbedrag": 100.0,
    "andere_bron_mogelijk": False,
}
D4 = [
    ({"mpg": False}, 1, ("geen", 0, 0, "", False, "geen_multiprobleem")),
    ({"toestemming_of_grondslag": False}, 2, ("geen", 0, 0, "", False, "toestemming_ontbreekt")),
    ({"achterstand_bedrag": 500.0}, 3, ("achterstand_en_termijnen", 800.0, 3, "teamleider", False, "")),
    ({"achterstand_bedrag": 500.01}, 4, ("achterstand_en_termijnen", 800.01, 3, "garantsteller", False, "")),
    (
        {"achterstand_bedrag": 1500.0, "eerdere_garantie_12_maanden": True},
        4,
        ("achterstand_en_termijnen", 1800.0, 3, "garantsteller", False, ""),
    ),
    ({"achterstand_bedrag": 1500.5}, 5, ("alleen_termijnen", 300.0, 3, "garantsteller", True, "")),
    ({"eerdere_garantie_12_maanden": True}, 6, ("alleen_termijnen", 300.0, 3, "garantsteller", False, "")),
    ({"achterstand_bedrag": None}, 7, ("maatwerk", 0, 3, "garantsteller", False, "")),
]
D4_OUT = (
    "garantie_soort",
    "voorstel_bedrag",
    "voorstel_periode_maanden",
    "garantie_beslisser",
    "schuldhulpaanvraag_nodig",
    "garantie_reden_geen",
)

D7 = [
    ({"mijlpaal": "ontvangen"}, 1, ("ontvangen", False)),
    ({"mijlpaal": "in_behandeling"}, 2, ("in_behandeling", False)),
    ({"mijlpaal": "garantie"}, 3, ("garantie_afgegeven", True)),
    ({"mijlpaal": "afgesloten", "uitkomst": "doorverwezen_schuldhulp"}, 4, ("geen_pilotcasus", False)),
    ({"mijlpaal": "afgesloten", "uitkomst": "niet_ontvankelijk"}, 4, ("geen_pilotcasus", False)),
    ({"mijlpaal": "afgesloten", "uitkomst": "niet_bereikt"}, 5, ("niet_bereikt", False)),
    ({"mijlpaal": "afgesloten", "uitkomst": "ingetrokken"}, 6, ("afgesloten", False)),
    ({"mijlpaal": "afgesloten", "uitkomst": "garantie_geclaimd"}, 6, ("afgesloten", False)),
    ({"mijlpaal": "onbekend"}, 7, ("in_behandeling", False)),
]
D7_OUT = ("terugkoppeling_status", "met_garantiegegevens")

FIRST_TABLES = [
    ("d1_ontvankelijkheid", D1_BASE, D1, D1_OUT),
    ("d2_prioriteit", D2_BASE, D2, D2_OUT),
    ("d3_multiprobleem", D3_BASE, D3, D3_OUT),
    ("d4_garantie", D4_BASE, D4, D4_OUT),
    ("d7_terugkoppeling", {"uitkomst": None}, D7, D7_OUT),
]
FIRST_CASES = [
    pytest.param(decision, {**base, **changes}, row, dict(zip(names, expected, strict=True)), id=f"{decision}-{i}")
    for decision, base, cases, names in FIRST_TABLES
    for i, (changes, row, expected) in enumerate(cases)
]


@pytest.mark.parametrize(("decision", "inputs", "row", "expected"), FIRST_CASES)
def test_first_hit_tables(
    probe: Engine, decision: str, inputs: dict[str, Any], row: int, expected: dict[str, Any]
) -> None:
    rows, data = run_table(probe, decision, inputs)
    assert rows[0] == row
    assert {key: data[key] for key in expected} == expected


@pytest.mark.parametrize(("decision", "cases"), [(t[0], t[2]) for t in FIRST_TABLES])
def test_the_cases_cover_every_row(probe: Engine, decision: str, cases: list[Any]) -> None:
    assert {row for _, row, _ in cases} == set(range(1, table_size(probe, decision) + 1))


D5_BASE = {
    "werkdagen_tot_einddatum": 20,
    "contact_gelegd": False,
    "uitstel_gevraagd": False,
    "mpg": None,
    "garantie_besluit": None,
    "medisch": False,
    "kwetsbaar": False,
    "vorstblokkade": False,
}
D5 = [
    ({"werkdagen_tot_einddatum": 20}, ["coordinator_informeren"]),
    ({"werkdagen_tot_einddatum": 10}, ["uitstelverzoek", "huisbezoek_met_twee", "coordinator_informeren"]),
    ({"werkdagen_tot_einddatum": 9, "uitstel_gevraagd": True}, ["huisbezoek_met_twee", "coordinator_informeren"]),
    ({"werkdagen_tot_einddatum": 8, "contact_gelegd": True}, ["besluit_beoordeling", "coordinator_informeren"]),
    (
        {"werkdagen_tot_einddatum": 5, "contact_gelegd": True, "mpg": True},
        ["opschortingsverzoek", "garantsteller_besluit", "coordinator_informeren"],
    ),
    (
        {"werkdagen_tot_einddatum": 2, "contact_gelegd": True, "mpg": True, "vorstblokkade": True},
        [
            "opschortingsverzoek",
            "garantsteller_besluit",
            "spoedintake_schuldhulp",
            "netbeheerder_informeren",
            "coordinator_informeren",
        ],
    ),
    (
        {"werkdagen_tot_einddatum": 2, "contact_gelegd": True, "mpg": False, "garantie_besluit": "geen"},
        ["spoedintake_schuldhulp", "coordinator_informeren"],
    ),
    (
        {
            "werkdagen_tot_einddatum": 1,
            "contact_gelegd": True,
            "mpg": True,
            "garantie_besluit": "toegekend",
            "medisch": True,
        },
        ["coordinator_informeren"],
    ),
    (
        {"werkdagen_tot_einddatum": 0, "contact_gelegd": True, "mpg": False, "garantie_besluit": "afgewezen"},
        ["incident_afsluiting", "coordinator_informeren"],
    ),
    (
        {"werkdagen_tot_einddatum": -3, "contact_gelegd": False},
        ["huisbezoek_met_twee", "incident_afsluiting", "coordinator_informeren"],
    ),
]


@pytest.mark.parametrize(("changes", "expected"), D5)
def test_d5_collects_every_measure_that_applies(probe: Engine, changes: dict[str, Any], expected: list[str]) -> None:
    _rows, data = run_table(probe, "d5_escalatie", {**D5_BASE, **changes})
    assert data["maatregel"] == expected
    assert len(data["maatregel_tekst"]) == len(expected)


def test_d5_cases_cover_every_row(probe: Engine) -> None:
    matched: set[int] = set()
    for changes, _expected in D5:
        rows, _data = run_table(probe, "d5_escalatie", {**D5_BASE, **changes})
        matched.update(rows)
    assert matched == set(range(1, table_size(probe, "d5_escalatie") + 1))


def test_the_deadline_table_gives_every_norm_once(probe: Engine) -> None:
    from tools.procedure.tables import NORMEN

    rows, data = run_table(probe, "termijnen", {"leverancier": "essent"})
    assert rows == list(range(1, len(NORMEN) + 1))
    assert dict(zip(data["norm"], data["norm_waarde"], strict=True)) == {name: value for name, value, _ in NORMEN}
    assert len(set(data["norm"])) == len(NORMEN)
