"""Deploy checks: every broken bundle is refused whole, with file, element id, line and a readable message."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.bundle_files import BundleFiles
from engine.errors import BundleInvalid, Problem
from engine.models import ProcessVersion
from engine.service import Engine

from .conftest import BUNDLES
from .helpers import count


def bundle(engine: Engine, name: str = "aanvraag") -> dict[str, str]:
    return dict(engine.read_bundle([BUNDLES / name]).files)


def refused(engine: Engine, files: dict[str, str]) -> list[Problem]:
    with pytest.raises(BundleInvalid) as raised:
        engine.run(lambda s: engine.deploy(s, BundleFiles(files), actor="po"))
    assert count(engine, ProcessVersion) == 0, "nothing may be deployed when a check fails"
    return raised.value.problems


def edit(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    assert old in files[name], old
    return {**files, name: files[name].replace(old, new, 1)}


def line_of(files: dict[str, str], name: str, needle: str) -> int:
    return next(i for i, line in enumerate(files[name].splitlines(), 1) if needle in line)


BPMN = "aanvraag.bpmn"


def test_a_valid_bundle_passes(engine: Engine) -> None:
    parsed = engine.validate(BundleFiles(bundle(engine)))
    assert (parsed.process_id, parsed.start_messages) == ("aanvraag", ["aanvraag"])


def test_malformed_xml_names_file_and_line(engine: Engine) -> None:
    files = edit(bundle(engine), BPMN, "</bpmn:scriptTask>", "</bpmn:scriptTsk>")
    [problem] = refused(engine, files)
    assert problem.file == BPMN
    assert problem.line == line_of(files, BPMN, "</bpmn:scriptTsk>")
    assert problem.message.startswith("Geen geldige XML")


def test_a_schema_violation_is_reported_with_its_line(engine: Engine) -> None:
    files = edit(
        bundle(engine), BPMN, '<bpmn:endEvent id="einde_akkoord"', '<bpmn:endEvent bogus="1" id="einde_akkoord"'
    )
    [problem] = refused(engine, files)
    assert (problem.file, problem.line) == (BPMN, line_of(files, BPMN, 'bogus="1"'))
    assert "bogus" in problem.message


CHECKS: dict[str, tuple[Callable[[dict[str, str]], dict[str, str]], str | None, str]] = {
    "import in a script": (
        lambda f: edit(f, BPMN, "naam = aanvraag", "import os\nnaam = aanvraag"),
        "registreren",
        "import is niet toegestaan",
    ),
    "dunder chain in a condition": (
        lambda f: edit(f, BPMN, "akkoord == True", "().__class__.__base__.__subclasses__()"),
        "f_ja",
        "voorwaarde",
    ),
    "syntax error in a condition": (
        lambda f: edit(f, BPMN, "akkoord == True", "akkoord ==="),
        "f_ja",
        "voorwaarde",
    ),
    "open() in a timer expression": (
        lambda f: edit(f, BPMN, "<bpmn:timeDate>herinnering_op", "<bpmn:timeDate>open('/etc/passwd')"),
        "herinnering",
        "timer-expressie",
    ),
    "syntax error in a message payload": (
        lambda f: edit(f, BPMN, '{"status": "ontvangen", "naam": naam}', '{"status": '),
        "bevestigen",
        "berichtinhoud",
    ),
}


@pytest.mark.parametrize("what", list(CHECKS))
def test_process_owner_code_is_compiled_in_the_sandbox_at_deploy(engine: Engine, what: str) -> None:
    change, element, words = CHECKS[what]
    files = change(bundle(engine))
    [problem] = refused(engine, files)
    assert (problem.file, problem.element_id) == (BPMN, element)
    assert problem.line == line_of(files, BPMN, f'id="{element}"')
    assert words in problem.message


def test_a_missing_form_is_named(engine: Engine) -> None:
    files = bundle(engine)
    del files["beoordelen.uischema.json"]
    [problem] = refused(engine, files)
    assert (problem.file, problem.message) == ("beoordelen.uischema.json", "Formulier ontbreekt in de bundel.")


def test_an_invalid_json_schema_is_named(engine: Engine) -> None:
    files = edit(bundle(engine), "beoordelen.schema.json", '"type": "number"', '"type": "getal"')
    [problem] = refused(engine, files)
    assert problem.file == "beoordelen.schema.json"
    assert "Geen geldig JSON Schema bij properties/bedrag/type" in problem.message


def test_a_form_that_is_not_json_gives_its_line(engine: Engine) -> None:
    files = edit(bundle(engine), "beoordelen.schema.json", '"title": "Akkoord"}', '"title": "Akkoord",}')
    [problem] = refused(engine, files)
    assert problem.file == "beoordelen.schema.json"
    assert problem.line == line_of(files, "beoordelen.schema.json", '"Akkoord",}')


def test_a_decision_table_without_fallback_row_is_refused(engine: Engine) -> None:
    files = bundle(engine, "besluit")
    start = files["prioriteit.dmn"].index('<rule id="regel_anders">')
    end = files["prioriteit.dmn"].index("</rule>", start) + len("</rule>")
    files["prioriteit.dmn"] = files["prioriteit.dmn"][:start] + files["prioriteit.dmn"][end:]
    [problem] = refused(engine, files)
    assert (problem.file, problem.element_id) == ("prioriteit.dmn", "tabel_prioriteit")
    assert "vangnetregel" in problem.message


def test_a_broken_dmn_cell_names_its_rule(engine: Engine) -> None:
    files = edit(
        bundle(engine, "besluit"), "prioriteit.dmn", "<text>10 &lt;= ? &lt;= 15</text>", "<text>10 &lt;= ?? 15</text>"
    )
    [problem] = refused(engine, files)
    assert (problem.file, problem.element_id) == ("prioriteit.dmn", "regel_middel")
    assert problem.line == line_of(files, "prioriteit.dmn", 'id="regel_middel"')
    assert "DMN-invoercel" in problem.message


def test_an_unsupported_hit_policy_is_refused(engine: Engine) -> None:
    files = edit(bundle(engine, "besluit"), "prioriteit.dmn", 'hitPolicy="FIRST"', 'hitPolicy="ANY"')
    [problem] = refused(engine, files)
    assert problem.element_id == "tabel_prioriteit"
    assert "'ANY'" in problem.message


def test_a_flow_without_target_is_reported_on_that_flow(engine: Engine) -> None:
    files = edit(bundle(engine), BPMN, 'sourceRef="afronden" targetRef="einde_akkoord"', 'sourceRef="afronden"')
    problems = refused(engine, files)
    assert any(p.element_id == "f_afronden" and p.line == line_of(files, BPMN, 'id="f_afronden"') for p in problems), (
        problems
    )


def test_a_process_needs_a_message_start(engine: Engine) -> None:
    files = bundle(engine)
    start = files[BPMN].index('<bpmn:messageEventDefinition id="start_def"')
    end = files[BPMN].index("</bpmn:messageEventDefinition>", start) + len("</bpmn:messageEventDefinition>")
    files[BPMN] = files[BPMN][:start] + files[BPMN][end:]
    [problem] = refused(engine, files)
    assert problem.element_id == "aanvraag"
    assert "startgebeurtenis" in problem.message


def test_two_main_processes_are_refused(engine: Engine) -> None:
    files = {**bundle(engine), **bundle(engine, "fout")}
    [problem] = refused(engine, files)
    assert "precies één hoofdproces" in problem.message


def test_several_problems_are_reported_together(engine: Engine) -> None:
    files = edit(bundle(engine), BPMN, "akkoord == True", "akkoord ===")
    files = edit(files, BPMN, "naam = aanvraag", "import os\nnaam = aanvraag")
    del files["beoordelen.uischema.json"]
    problems = refused(engine, files)
    assert {p.element_id for p in problems} >= {"f_ja", "registreren"}
    assert any(p.file == "beoordelen.uischema.json" for p in problems)


def test_a_flow_to_a_missing_element_is_named_plainly(engine: Engine) -> None:
    files = edit(bundle(engine), BPMN, 'targetRef="einde_akkoord"', 'targetRef="nergens"')
    [problem] = refused(engine, files)
    assert (problem.element_id, problem.line) == ("f_afronden", line_of(files, BPMN, 'id="f_afronden"'))
    assert problem.message == "De pijl wijst naar 'nergens', maar dat element bestaat niet."


def test_a_fallback_row_must_come_last_under_first(engine: Engine) -> None:
    files = bundle(engine, "besluit")
    dmn = files["prioriteit.dmn"]
    start = dmn.index('<rule id="regel_anders">')
    end = dmn.index("</rule>", start) + len("</rule>")
    fallback = dmn[start:end]
    dmn = dmn[:start] + dmn[end:]
    first = dmn.index('<rule id="regel_medisch">')
    files["prioriteit.dmn"] = dmn[:first] + fallback + dmn[first:]
    [problem] = refused(engine, files)
    assert problem.element_id == "regel_anders"
    assert "laatste regel" in problem.message


def test_an_event_based_gateway_is_refused_with_an_alternative(engine: Engine) -> None:
    files = edit(
        bundle(engine),
        BPMN,
        '<bpmn:exclusiveGateway id="besluit" name="Akkoord?" default="f_nee">',
        '<bpmn:eventBasedGateway id="wachten" name="Wachten"/>\n'
        '    <bpmn:exclusiveGateway id="besluit" name="Akkoord?" default="f_nee">',
    )
    [problem] = refused(engine, files)
    assert (problem.element_id, problem.line) == ("wachten", line_of(files, BPMN, 'id="wachten"'))
    assert "ontvangsttaak met een grenstimer" in problem.message


def test_a_message_started_event_subprocess_is_refused(engine: Engine) -> None:
    subprocess = """<bpmn:subProcess id="bij_intrekking" triggeredByEvent="true">
      <bpmn:startEvent id="intrekking_start" name="Intrekking">
        <bpmn:messageEventDefinition id="intrekking_def" messageRef="msg_intrekking"/>
      </bpmn:startEvent>
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="f_start\""""
    files = edit(bundle(engine), BPMN, '<bpmn:sequenceFlow id="f_start"', subprocess)
    problems = refused(engine, files)
    assert any(p.element_id == "intrekking_start" and "event-subproces" in p.message for p in problems), problems
