"""Tests for the sandbox that runs process-owner Python: scripts, conditions and DMN cells."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.errors import ConfigurationError, SandboxViolation
from engine.sandbox import (
    Sandbox,
    SandboxedEnvironment,
    SandboxedScriptEngine,
    sandbox_violations,
)


def double(value: Any) -> Any:
    return value * 2


NAMES: dict[str, Any] = {"Decimal": Decimal, "date": date, "timedelta": timedelta, "double": double}
TIMEOUT = "Het script duurde langer dan 0.2 seconden en is afgebroken"


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(NAMES, time_limit=0.2)


# --- what works ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3 - 4 / 2", 5.0),
        ("2 ** 10 + 7 // 2 + 7 % 4", 1030),
        ("a > 5 and b in ('x', 'y') and not a == 6", True),
        ("1 < a <= 7 != 8", True),
        ("{'n': a, 'l': [a, b], 's': {1, 2}, 't': (1,)}", {"n": 7, "l": [7, "x"], "s": {1, 2}, "t": (1,)}),
        ("[x * 2 for x in [1, 2, 3] if x > 1]", [4, 6]),
        ("{k: v for k, v in {'a': 1}.items()}", {"a": 1}),
        ("sorted((x for x in range(3)), reverse=True)", [2, 1, 0]),
        ("sum(range(20_000))", 199_990_000),
        ("10**6 in range(10**12)", True),
        ("min(3, 4) + max([1, 2]) + abs(-1) + round(2.4) + len('ab')", 10),
        ("list(zip([1], 'a')) + list(enumerate('b'))", [(1, "a"), (0, "b")]),
        ("'ab' * 3 + str(int('4')) + 'x'.upper()", "ababab4X"),
        ("Decimal('1.10') + Decimal('2.20')", Decimal("3.30")),
        ("date(2024, 1, 31) + timedelta(days=1)", date(2024, 2, 1)),
        ("(date(2024, 3, 1) - date(2024, 2, 1)).days", 29),
        ("double(a)", 14),
        ("(lambda n: n + 1)(a)", 8),
    ],
)
def test_expressions_evaluate(sandbox: Sandbox, expression: str, expected: Any) -> None:
    assert sandbox.evaluate(expression, {"a": 7, "b": "x"}) == expected


SCRIPT = """\
b = a + 1
def helper(x):
    return x * 2
c = helper(b)
f = lambda: 1
del old
items = [1]
alias = items
items += [2]
n = 3
n **= 2
d = {}
d['k'] = Decimal('1.5')
for i, j in [(1, 2)]:
    total = i + j
print('alleen voor debuggen')
"""


def test_execute_applies_data_and_drops_code(sandbox: Sandbox) -> None:
    context: dict[str, Any] = {"a": 1, "old": "weg", "_private": 1}
    sandbox.execute(SCRIPT, context)
    assert context == {
        "a": 1,
        "_private": 1,
        "b": 2,
        "c": 4,
        "items": [1, 2],
        "alias": [1, 2],
        "n": 9,
        "d": {"k": Decimal("1.5")},
        "i": 1,
        "j": 2,
        "total": 3,
    }


def test_execute_refuses_task_data_that_shadows_an_allowlisted_name(sandbox: Sandbox) -> None:
    context: dict[str, Any] = {"date": "2024-01-01"}
    with pytest.raises(SandboxViolation, match="date"):
        sandbox.execute("x = 1", context)
    assert context == {"date": "2024-01-01"}


def test_evaluate_lets_task_data_shadow_an_allowlisted_name(sandbox: Sandbox) -> None:
    assert sandbox.evaluate("date", {"date": "2024-01-01"}) == "2024-01-01"


def test_failed_script_does_not_change_the_bindings(sandbox: Sandbox) -> None:
    context: dict[str, Any] = {"a": 1}
    with pytest.raises(ZeroDivisionError):
        sandbox.execute("a = 2\nb = 1 / 0", context)
    assert context == {"a": 1}


def test_compiled_code_is_cached(sandbox: Sandbox) -> None:
    code = sandbox.compile_expression("a + 1")
    assert sandbox.compile_expression("a + 1") is code
    assert sandbox.compile_script("a = 1") is sandbox.compile_script("a = 1")
    assert sandbox.compile_script("a + 1") is not code
    assert code.co_filename == "<string>"


def test_names_must_be_plain_identifiers() -> None:
    with pytest.raises(ConfigurationError):
        Sandbox({"_getattr_": getattr})


# --- what is refused -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "fragment", "line"),
    [
        ("import os", "import is niet toegestaan in een script", 1),
        ("x = 1\nfrom os import path", "import is niet toegestaan in een script", 2),
        ("__import__('os')", '"__import__"', 1),
        ("open('/etc/passwd')", '"open"', 1),
        ("eval('1')", "eval()", 1),
        ("exec('x = 1')", "exec()", 1),
        ("compile('1', 'f', 'eval')", '"compile"', 1),
        ("().__class__.__base__.__subclasses__()", "_", 1),
        ("x = 1\ny = getattr(x, '__class__')", '"getattr"', 2),
        ("t = type(1)", '"type"', 1),
        ("v = vars()", '"vars"', 1),
        ("g = globals()", '"globals"', 1),
        ("x = 1\n\ny = x.__dict__", '"__dict__"', 3),
        ("g = (i for i in [1])\nf = g.gi_frame", '"gi_frame"', 2),
        ("class A:\n    pass", "klasse", 1),
        ("x = 1\ny = (", "Ongeldige Python-code op regel 2", 2),
    ],
)
def test_refused_at_compile_time(sandbox: Sandbox, source: str, fragment: str, line: int) -> None:
    violation = sandbox_violations(source, "exec")
    assert violation is not None
    assert fragment in violation.message
    assert violation.line == line
    with pytest.raises(SandboxViolation) as raised:
        sandbox.execute(source, {})
    assert raised.value.line == line


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("f = open", NameError),
        ("t = type", NameError),
        ("g = getattr", NameError),
        ("raise SystemExit", NameError),
        ("s = '{0.__class__}'.format(1)", NotImplementedError),
        ("x = 'a'\nx.upper = None", TypeError),
    ],
)
def test_refused_at_run_time(sandbox: Sandbox, source: str, error: type[Exception]) -> None:
    assert sandbox_violations(source, "exec") is None
    with pytest.raises(error):
        sandbox.execute(source, {})


@pytest.mark.parametrize(
    "source",
    [
        "while True:\n    pass",
        "for i in range(10**12):\n    pass",
        "total = sum(range(10**12))",
        "keys = dict.fromkeys(range(10**12))",
        "found = 0.5 in range(10**12)",
        "squares = [x * x for x in range(10**12)]",
        "def f(n):\n    if n:\n        f(n - 1)\n        f(n - 1)\nf(100)",
        "f = lambda n: n and (f(n - 1), f(n - 1))\nf(100)",
        "while True:\n    try:\n        while True:\n            pass\n    except:\n        pass",
        "try:\n    while True:\n        pass\nexcept:\n    pass",
    ],
)
def test_endless_work_is_stopped_at_the_time_limit(sandbox: Sandbox, source: str) -> None:
    with pytest.raises(SandboxViolation, match=TIMEOUT):
        sandbox.execute(source, {})
    assert sandbox.evaluate("1 + 1", {}) == 2  # the deadline of the aborted run is gone


def test_endless_expression_is_stopped_at_the_time_limit(sandbox: Sandbox) -> None:
    with pytest.raises(SandboxViolation, match=TIMEOUT):
        sandbox.evaluate("any(x < 0 for x in range(10**12))", {})


def test_timeout_cannot_be_caught_as_exception(sandbox: Sandbox) -> None:
    source = "x = 0\nwhile True:\n    try:\n        x += 1\n    except Exception:\n        pass"
    with pytest.raises(SandboxViolation, match=TIMEOUT) as raised:
        sandbox.execute(source, {})
    assert raised.value.line == 2


def test_endless_recursion_is_refused(sandbox: Sandbox) -> None:
    with pytest.raises(SandboxViolation, match="recursie"):
        sandbox.execute("f = lambda: f()\nf()", {})


@pytest.mark.parametrize(
    ("source", "fragment", "line"),
    [
        ("x = 10**10**10", "te groot getal", 1),
        ("x = 1\nx = pow(10, 10**10)", "te groot getal", 2),
        ("n = 10\nn **= 10**10", "te groot getal", 2),
        ("x = 1 << 10**10", "te groot getal", 1),
        ("x = (10**50000) * (10**50000)", "te groot getal", 1),
        ("x = 'x' * 10**9", "langer dan 1000000", 1),
        ("x = 10**9 * [0]", "langer dan 1000000", 1),
        ("s = 'x' * 1000\nwhile True:\n    s += s", "langer dan 1000000", 3),
        ("s = [0] * 1000\nwhile True:\n    s = s + s", "langer dan 1000000", 3),
    ],
)
def test_huge_results_are_refused(sandbox: Sandbox, source: str, fragment: str, line: int) -> None:
    with pytest.raises(SandboxViolation, match=fragment) as raised:
        sandbox.execute(source, {})
    assert raised.value.line == line


# --- SpiffWorkflow -------------------------------------------------------------------------------------------

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="script" name="Script"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="script"/>
    <bpmn:sequenceFlow id="f2" sourceRef="script" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.fixture
def engine(sandbox: Sandbox) -> SandboxedScriptEngine:
    return SandboxedScriptEngine(sandbox)


def workflow(script: str, engine: SandboxedScriptEngine) -> BpmnWorkflow:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(BPMN.format(script=escape(script)).encode())
    return BpmnWorkflow(parser.get_spec("p"), script_engine=engine)


def state_of(flow: BpmnWorkflow, spec_name: str) -> int:
    return int(next(t.state for t in flow.get_tasks() if t.task_spec.name == spec_name))


def test_script_task_runs_in_the_sandbox(engine: SandboxedScriptEngine) -> None:
    flow = workflow("x = double(21)\nwhen = date(2024, 1, 1) + timedelta(days=1)", engine)
    flow.do_engine_steps()
    assert flow.is_completed()
    assert flow.data == {"x": 42, "when": date(2024, 1, 2)}


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("import os\nos.system('true')", "import is niet toegestaan in een script"),
        ("x = 1\nwhile True:\n    x = 2", TIMEOUT),
    ],
)
def test_refused_script_task_stops_the_workflow(engine: SandboxedScriptEngine, script: str, message: str) -> None:
    flow = workflow(script, engine)
    with pytest.raises(WorkflowTaskException) as raised:
        flow.do_engine_steps()
    assert message in str(raised.value)
    assert raised.value.error_type == "SandboxViolation"
    assert not flow.is_completed()
    assert state_of(flow, "script") == TaskState.ERROR
    assert state_of(flow, "end") != TaskState.COMPLETED


@pytest.mark.parametrize(
    ("script", "line"),
    [
        ("a = 1\nb = 2\nc = a / 0", 3),
        ("a = 1\nb = 'x' * 10**9", 2),
        ("a = 1\nraise SyntaxError('eigen fout')", 2),
        ("a = 1\nb = a.__class__", 2),
    ],
)
def test_script_task_error_reports_its_line(engine: SandboxedScriptEngine, script: str, line: int) -> None:
    flow = workflow(script, engine)
    with pytest.raises(WorkflowTaskException) as raised:
        flow.do_engine_steps()
    assert raised.value.line_number == line
    assert raised.value.error_line == script.splitlines()[line - 1]


def test_validate_for_dmn_cells(engine: SandboxedScriptEngine) -> None:
    engine.validate("5")
    engine.validate("v > 5")
    for expression in ["> 5", "__import__('os')", "a.__class__"]:
        with pytest.raises(SyntaxError) as raised:
            engine.validate(expression)
        assert isinstance(raised.value.lineno, int)


def test_environment_follows_task_data_semantics(sandbox: Sandbox) -> None:
    environment = SandboxedEnvironment(sandbox)
    assert environment.evaluate("dmninputexpr > a", {"a": 3}, {"dmninputexpr": 5}) is True
    context: dict[str, Any] = {"a": 1}
    assert environment.execute("b = a + extra\nextra = 5", context, {"extra": 2}) is True
    assert context == {"a": 1, "b": 3}
    with pytest.raises(SandboxViolation, match="extra"):
        environment.execute("b = 1", {"extra": 1}, {"extra": 2})
