"""Checking a bundle whole before anything is deployed.

Each problem names the file, the BPMN/DMN element id, the line and what is wrong, in words a process owner
understands. Checks: well-formed XML; SpiffWorkflow parse with the XSD; one main process started by a message;
every expression compiled in the sandbox; every referenced form present and a valid JSON Schema; every DMN
table with a known hit policy and a fallback row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from .bundle_files import FORM_PROPERTIES, BundleFiles, referenced_forms
from .errors import BundleInvalid, Problem, SandboxViolation
from .spec_walk import Expression, decision_tables, expressions_of, start_messages, user_tasks

CompileCheck = Callable[[str, Literal["eval", "exec"]], SandboxViolation | None]


@dataclass
class ParsedBundle:
    """What the engine needs from a valid bundle: the specs and facts about them."""

    process_id: str
    spec: Any
    subprocess_specs: dict[str, Any]
    start_messages: list[str]
    forms: dict[str, Any] = field(default_factory=dict)


class _Lines:
    """Element id → source line, per file (SpiffWorkflow leaves line numbers empty for element errors)."""

    def __init__(self, trees: dict[str, Any]) -> None:
        self._index: dict[str, dict[str, int]] = {
            name: {str(el.get("id")): el.sourceline for el in tree.iter() if el.get("id")}
            for name, tree in trees.items()
        }
        self._flows = {
            (str(el.get("sourceRef")), str(el.get("targetRef"))): str(el.get("id"))
            for tree in trees.values()
            for el in tree.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}sequenceFlow")
        }

    def flow(self, source: str, target: str) -> str | None:
        return self._flows.get((source, target))

    def element_at(self, file: str, line: int | None) -> str | None:
        """The id of the element that starts on ``line`` of ``file`` (XSD errors give lines, not ids)."""
        return next((i for i, n in self._index.get(file, {}).items() if n == line), None)

    def locate(self, element_id: str | None, hint: str | None = None) -> tuple[str, int | None]:
        if hint and element_id and element_id in self._index.get(hint, {}):
            return hint, self._index[hint][element_id]
        for name, ids in self._index.items():
            if element_id and element_id in ids:
                return name, ids[element_id]
        return hint or "", None


def parse_bundle(bundle: BundleFiles, compile_check: CompileCheck | None, xsd: bool = True) -> ParsedBundle:
    """Parse and check ``bundle``; raise :class:`BundleInvalid` with every problem found."""
    trees, problems = _parse_xml(bundle)
    if problems:
        raise BundleInvalid(problems)
    lines = _Lines(trees)
    problems = _check_references(bundle, trees)
    if problems:
        raise BundleInvalid(problems)
    parser = SpiffBpmnParser(validator=VALIDATOR if xsd else None)
    problems = _load_into_parser(parser, bundle, trees, lines)
    if problems:
        raise BundleInvalid(problems)
    parsed = _build_specs(parser, lines)
    problems = _check_forms(bundle, parsed)
    if compile_check is not None:
        problems += _check_expressions(parsed, lines, compile_check)
    problems += _check_user_task_forms(parsed, bundle, lines)
    problems += _check_decision_tables(parsed, lines)
    if problems:
        raise BundleInvalid(problems)
    return parsed


def _parse_xml(bundle: BundleFiles) -> tuple[dict[str, Any], list[Problem]]:
    trees: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, text in {**bundle.bpmn, **bundle.dmn}.items():
        try:
            trees[name] = etree.fromstring(text.encode("utf-8"), etree.XMLParser(remove_blank_text=False))
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno else None
            problems.append(Problem(name, f"Geen geldige XML: {exc.msg}", line=line))
    return trees, problems


_BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
_REFERENCES = (
    ("sequenceFlow", "sourceRef", "De pijl komt uit {ref!r}, maar dat element bestaat niet."),
    ("sequenceFlow", "targetRef", "De pijl wijst naar {ref!r}, maar dat element bestaat niet."),
    ("boundaryEvent", "attachedToRef", "De grensgebeurtenis hangt aan {ref!r}, maar dat element bestaat niet."),
    ("messageEventDefinition", "messageRef", "Het bericht {ref!r} is niet gedefinieerd."),
    ("exclusiveGateway", "default", "De standaardpijl {ref!r} bestaat niet."),
    ("inclusiveGateway", "default", "De standaardpijl {ref!r} bestaat niet."),
)


_UNSUPPORTED = (
    (
        "//bpmn:eventBasedGateway",
        "Een gebeurtenisgebaseerde gateway wordt niet ondersteund (de engine ziet zijn berichten en timers niet). "
        "Gebruik een ontvangsttaak met een grenstimer.",
    ),
    (
        "//bpmn:subProcess[@triggeredByEvent='true']/bpmn:startEvent[bpmn:messageEventDefinition]",
        "Een event-subproces met een berichtstart wordt niet ondersteund (SpiffWorkflow wacht er niet op). "
        "Gebruik een grensgebeurtenis van het type bericht op een (aangeroepen) subproces.",
    ),
)


def _check_unsupported(name: str, tree: Any) -> list[Problem]:
    """Constructs SpiffWorkflow parses but the engine cannot run: refuse them now rather than stall a case."""
    problems = []
    for xpath, message in _UNSUPPORTED:
        for el in tree.xpath(xpath, namespaces={"bpmn": _BPMN[1:-1]}):
            problems.append(Problem(name, message, element_id=el.get("id"), line=el.sourceline))
    return problems


def _check_references(bundle: BundleFiles, trees: dict[str, Any]) -> list[Problem]:
    """Dangling references give misleading SpiffWorkflow messages; name them plainly first."""
    problems: list[Problem] = []
    for name in bundle.bpmn:
        tree = trees[name]
        problems += _check_unsupported(name, tree)
        ids = {el.get("id") for el in tree.iter() if el.get("id")}
        for tag, attribute, message in _REFERENCES:
            for el in tree.iter(_BPMN + tag):
                ref = el.get(attribute)
                if ref is not None and ref not in ids:
                    element = el.get("id") or el.getparent().get("id")
                    problems.append(Problem(name, message.format(ref=ref), element_id=element, line=el.sourceline))
    return problems


def _load_into_parser(parser: Any, bundle: BundleFiles, trees: dict[str, Any], lines: _Lines) -> list[Problem]:
    problems: list[Problem] = []
    for name in [*bundle.dmn, *bundle.bpmn]:
        try:
            if name.endswith(".dmn"):
                parser.add_dmn_xml(trees[name], filename=name)
            else:
                parser.add_bpmn_xml(trees[name], filename=name)
        except ValidationException as exc:
            problems.append(_problem_from_validation(exc, name, lines))
        except (SpiffWorkflowException, KeyError, ValueError, SyntaxError) as exc:
            problems.append(Problem(name, f"Kan het bestand niet lezen: {exc}"))
    return problems


def _problem_from_validation(exc: ValidationException, name: str, lines: _Lines) -> Problem:
    element = getattr(exc, "id", "") or None
    file_name, line = lines.locate(element, getattr(exc, "file_name", "") or name)
    reported = getattr(exc, "line_number", "")
    if isinstance(reported, int) and reported > 0:
        line = reported
        element = element or lines.element_at(file_name or name, line)
    message = str(exc).split("\n")[0]
    return Problem(file_name or name, _explain_xsd(message), element_id=element, line=line)


_NAMESPACES = {
    "{http://www.omg.org/spec/BPMN/20100524/MODEL}": "bpmn:",
    "{http://spiffworkflow.org/bpmn/schema/1.0/core}": "spiffworkflow:",
    "{https://www.omg.org/spec/DMN/20191111/MODEL/}": "dmn:",
}


def _explain_xsd(message: str) -> str:
    for long, short in _NAMESPACES.items():
        message = message.replace(long, short)
    message = message.rstrip(". ") + "."
    if message.startswith("Element '"):
        return f"Het diagram volgt het BPMN/DMN-schema niet: {message}"
    return message


def _build_specs(parser: Any, lines: _Lines) -> ParsedBundle:
    called = {dep for deps in [parser.get_process_dependencies()] for dep in deps}
    executable = [pid for pid in parser.get_process_ids() if parser.get_process_parser(pid).process_executable]
    main = [pid for pid in executable if pid not in called]
    if len(main) != 1:
        found = ", ".join(main) or "geen"
        msg = f"Een bundel heeft precies één hoofdproces nodig (uitvoerbaar en niet aangeroepen); gevonden: {found}."
        raise BundleInvalid([Problem(_file_of(parser, executable), msg)])
    try:
        spec = parser.get_spec(main[0])
        subprocess_specs = parser.get_subprocess_specs(main[0])
    except ValidationException as exc:
        raise BundleInvalid([_problem_from_validation(exc, exc.file_name or "", lines)]) from exc
    except SpiffWorkflowException as exc:
        raise BundleInvalid([Problem(_file_of(parser, main), str(exc))]) from exc
    messages = start_messages(spec)
    if not messages:
        name, line = lines.locate(main[0])
        msg = "Het hoofdproces heeft een startgebeurtenis van het type 'bericht' nodig."
        raise BundleInvalid([Problem(name, msg, element_id=main[0], line=line)])
    return ParsedBundle(main[0], spec, subprocess_specs, messages)


def _file_of(parser: Any, process_ids: list[str]) -> str:
    for pid in process_ids:
        return str(parser.get_process_parser(pid).filename or "")
    return ""


def _check_forms(bundle: BundleFiles, parsed: ParsedBundle) -> list[Problem]:
    problems: list[Problem] = []
    for name in sorted(referenced_forms(bundle.files)):
        if name not in bundle.files:
            problems.append(Problem(name, "Formulier ontbreekt in de bundel."))
            continue
        try:
            schema = json.loads(bundle.files[name])
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, f"Geen geldige JSON: {exc.msg}", line=exc.lineno))
            continue
        if name.endswith(".schema.json"):
            problems += _check_schema(name, schema)
        parsed.forms[name] = schema
    return problems


def _check_schema(name: str, schema: Any) -> list[Problem]:
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path) or "(hoofdniveau)"
        return [Problem(name, f"Geen geldig JSON Schema bij {where}: {exc.message}")]
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return [Problem(name, 'Een formulier moet een JSON Schema met "type": "object" zijn.')]
    return []


def _check_user_task_forms(parsed: ParsedBundle, bundle: BundleFiles, lines: _Lines) -> list[Problem]:
    problems: list[Problem] = []
    for task in user_tasks(parsed.spec, parsed.subprocess_specs):
        form = task.properties.get(FORM_PROPERTIES[0])
        ui_form = task.properties.get(FORM_PROPERTIES[1])
        if ui_form and not form:
            name, line = lines.locate(task.element_id, task.file)
            msg = "Er is een UI-schema opgegeven maar geen formulier (formJsonSchemaFilename)."
            problems.append(Problem(name, msg, element_id=task.element_id, line=line))
    return problems


HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")


def _check_decision_tables(parsed: ParsedBundle, lines: _Lines) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for _caller, table in decision_tables(parsed.spec, parsed.subprocess_specs):
        if table.id in seen:
            continue
        seen.add(table.id)
        name, line = lines.locate(table.id)
        if table.hit_policy not in HIT_POLICIES:
            msg = f"Beslisregel {table.hit_policy!r} wordt niet ondersteund; kies {', '.join(HIT_POLICIES)}."
            problems.append(Problem(name, msg, element_id=table.id, line=line))
        fallbacks = [i for i, rule in enumerate(table.rules) if _is_fallback(rule)]
        if not fallbacks:
            msg = "De beslistabel heeft geen vangnetregel: een laatste regel met '-' in elke invoerkolom."
            problems.append(Problem(name, msg, element_id=table.id, line=line))
        elif table.hit_policy != "COLLECT" and fallbacks[0] != len(table.rules) - 1:
            rule = table.rules[fallbacks[0]]
            msg = "De vangnetregel moet de laatste regel zijn: de regels erna worden nooit gebruikt."
            problems.append(Problem(name, msg, element_id=rule.id, line=lines.locate(rule.id)[1]))
    return problems


def _is_fallback(rule: Any) -> bool:
    return all(cell is None or not cell.strip() for entry in rule.inputEntries for cell in entry.lhs)


def _check_expressions(parsed: ParsedBundle, lines: _Lines, compile_check: CompileCheck) -> list[Problem]:
    return [problem for expr in _all_expressions(parsed) if (problem := _compile(expr, lines, compile_check))]


def _all_expressions(parsed: ParsedBundle) -> Iterator[Expression]:
    yield from expressions_of(parsed.spec)
    for spec in parsed.subprocess_specs.values():
        if spec is not None:
            yield from expressions_of(spec)


def _compile(expr: Expression, lines: _Lines, compile_check: CompileCheck) -> Problem | None:
    violation = _check_one(expr, compile_check)
    if violation is None:
        return None
    if expr.flow_target:
        expr = replace(expr, element_id=lines.flow(expr.element_id, expr.flow_target) or expr.element_id)
    name, line = lines.locate(expr.element_id, expr.file)
    if line and violation.line and violation.line > 1 and expr.mode == "exec":
        detail = f"{expr.kind}, regel {violation.line} van het script"
    else:
        detail = expr.kind
    return Problem(name, f"{detail}: {violation.message} (code: {_quote(expr, violation)!r})", expr.element_id, line)


def _quote(expr: Expression, violation: SandboxViolation) -> str:
    """The failing line of a script, or the whole (short) expression."""
    lines = expr.source.splitlines() or [""]
    if expr.mode == "exec" and violation.line and violation.line <= len(lines):
        return lines[violation.line - 1].strip()
    return expr.source if len(expr.source) <= 200 else expr.source[:200] + "…"


def _check_one(expr: Expression, compile_check: CompileCheck) -> SandboxViolation | None:
    if expr.kind != "DMN-invoercel":
        return compile_check(expr.source, expr.mode)
    if "?" in expr.source:
        return compile_check(expr.source.replace("?", "dmninputexpr"), "eval")
    if compile_check(expr.source, "eval") is None:
        return None
    return compile_check(f"dmninputexpr {expr.source}", "eval")
