"""A sandbox for the Python that process owners write in BPMN and DMN files (scripts, conditions, DMN cells).

The code is compiled with RestrictedPython under :class:`_Policy` (no ``_`` names or attributes, no imports,
no classes, no unavailable builtins), which also makes every loop iteration, comprehension item and function
call check a per-run deadline and every ``**``, ``<<``, ``*`` and ``+`` check the size of its result. Total
memory use is not limited: only single oversized results are refused.
"""

from __future__ import annotations

import ast
import builtins
import operator
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from contextvars import ContextVar
from functools import lru_cache
from itertools import islice
from types import CodeType, GeneratorType, ModuleType, TracebackType
from typing import Any, Literal, SupportsIndex, cast

from RestrictedPython.compile import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_unpack_sequence,
    safe_builtins,
    safer_getattr_raise,
)
from RestrictedPython.Guards import guarded_iter_unpack_sequence as _iter_unpack
from RestrictedPython.PrintCollector import PrintCollector
from RestrictedPython.transformer import RestrictingNodeTransformer, copy_locations
from SpiffWorkflow.bpmn.script_engine.python_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine.errors import ConfigurationError, SandboxViolation

Mode = Literal["eval", "exec"]
_Visit = ast.AST | Iterable[ast.AST] | None
_Names = Mapping[str, Any]

FILENAME = "<string>"  # SpiffWorkflow looks for frames with this file name to find the failing line
MAX_INT_BITS = 100_000  # about 30,000 decimal digits
MAX_SEQUENCE_LEN = 1_000_000  # characters of a string, items of a list or tuple
_SHORT_RANGE = 10_000  # longer ranges check the deadline while C code iterates them
_CACHE_SIZE = 4096

_TOO_BIG = "De berekening levert een te groot getal op en is geweigerd"
_TOO_LONG = f"De tekst of lijst wordt langer dan {MAX_SEQUENCE_LEN} tekens of elementen en is geweigerd"
_TOO_DEEP = "Het script roept zichzelf te vaak aan (te diepe recursie) en is afgebroken"
_NO_MEMORY = "Het script gebruikt te veel geheugen en is afgebroken"

_DEADLINE: ContextVar[float | None] = ContextVar("sandbox_deadline", default=None)


class _Timeout(BaseException):  # not an Exception, so `except Exception` in a script cannot hide it
    pass


def _tick() -> bool:
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise _Timeout
    return True


def _ticking(items: Iterator[int]) -> Iterator[int]:
    while chunk := list(islice(items, 1024)):
        _tick()
        yield from chunk


class _LongRange:
    """A range too long to hand to C code (``sum``, ``list``, ``dict.fromkeys``): iterating it ticks."""

    def __init__(self, inner: range) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[int]:
        return _ticking(iter(self._inner))

    def __len__(self) -> int:
        return len(self._inner)

    def __contains__(self, item: object) -> bool:
        # range answers `in` for an int arithmetically, but scans in C for anything else
        return item in self._inner if isinstance(item, int) else any(item == value for value in self)


def _guarded_range(*args: SupportsIndex) -> range | _LongRange:
    inner = range(*args)
    try:
        return inner if len(inner) <= _SHORT_RANGE else _LongRange(inner)
    except OverflowError:
        return _LongRange(inner)


def _result_bits(symbol: str, left: int, right: int) -> int:
    if symbol == "**":
        return (left.bit_length() - 1) * right  # a lower bound
    if symbol == "<<":
        return left.bit_length() + right
    return left.bit_length() + right.bit_length() if symbol == "*" else 0


def _result_length(symbol: str, left: Any, right: Any) -> int:
    if symbol == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        return len(left) + len(right)
    if symbol == "*" and isinstance(left, _SEQUENCES) and isinstance(right, int):
        return len(left) * right
    if symbol == "*" and isinstance(left, int) and isinstance(right, _SEQUENCES):
        return left * len(right)
    return 0


def _check_size(symbol: str, left: Any, right: Any) -> None:
    """Refuse ``**``, ``<<``, ``*`` and ``+`` whose result would be huge, before computing it."""
    if isinstance(left, int) and isinstance(right, int):
        if _result_bits(symbol, left, right) > MAX_INT_BITS:
            raise SandboxViolation(_TOO_BIG)
    elif _result_length(symbol, left, right) > MAX_SEQUENCE_LEN:
        raise SandboxViolation(_TOO_LONG)


_SEQUENCES = (str, bytes, list, tuple)
_BINARY = {"**": operator.pow, "<<": operator.lshift, "*": operator.mul, "+": operator.add}
_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow, "<<=": operator.ilshift,
    ">>=": operator.irshift, "|=": operator.ior, "^=": operator.ixor, "&=": operator.iand,
    "@=": operator.imatmul,
}  # fmt: skip


def _binop(symbol: str, left: Any, right: Any) -> Any:
    _check_size(symbol, left, right)
    return _BINARY[symbol](left, right)


def _inplacevar(symbol: str, target: Any, value: Any) -> Any:
    _check_size(symbol[:-1], target, value)
    return _INPLACE[symbol](target, value)


def _guarded_pow(base: Any, exponent: Any, modulo: Any = None) -> Any:
    return _binop("**", base, exponent) if modulo is None else pow(base, exponent, modulo)


def _apply(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


_DROPPED = {"__build_class__", "_getattr_", "BaseException", "GeneratorExit", "KeyboardInterrupt"}
_EXTRA = ("all", "any", "dict", "enumerate", "filter", "frozenset", "list", "map", "max", "min", "reversed")
_BUILTINS: dict[str, Any] = {
    **{name: value for name, value in safe_builtins.items() if name not in _DROPPED | {"SystemExit"}},
    **{name: getattr(builtins, name) for name in (*_EXTRA, "set", "sorted", "sum", "tuple", "zip")},
    "pow": _guarded_pow,
    "range": _guarded_range,
}
_GUARDS: dict[str, Any] = {
    "__builtins__": _BUILTINS, "_getattr_": safer_getattr_raise, "_getitem_": operator.getitem,
    "_getiter_": iter, "_iter_unpack_sequence_": _iter_unpack, "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard, "_inplacevar_": _inplacevar, "_apply_": _apply, "_print_": PrintCollector,
    "_tick_": _tick, "_binop_": _binop,
}  # fmt: skip
_GUARDED_OPS: dict[type[ast.operator], str] = {ast.Pow: "**", ast.LShift: "<<", ast.Mult: "*", ast.Add: "+"}
_UNAVAILABLE = {"breakpoint", "compile", "dir", "getattr", "globals", "help", "input", "locals", "memoryview"}
_UNAVAILABLE |= {"object", "open", "super", "type", "vars"}
_DUTCH = {
    r'"(.*)" is an invalid \w+ name because it starts': 'Namen die met "_" beginnen zijn afgeschermd: "{0}"',
    r'"(.*)" is (?:an invalid|a reserved|a restricted)': 'De naam "{0}" is afgeschermd in een script',
    r"Exec calls": "exec() is niet toegestaan in een script",
    r"Eval calls": "eval() is niet toegestaan in een script",
    r"(\w+) statements are not allowed": 'De constructie "{0}" is niet toegestaan in een script',
    r"Augmented assignment of": '"+=" en dergelijke kunnen alleen op een gewone variabele',
}  # fmt: skip
_LINE = re.compile(r"Line (\w+): (.*)", re.DOTALL)


def _in_dutch(info: str) -> str:
    for pattern, template in _DUTCH.items():
        if match := re.match(pattern, info):
            return template.format(*match.groups())
    return f"Niet toegestaan in een script: {info}"


def _call(name: str, args: list[ast.expr], location: ast.stmt | ast.expr) -> ast.Call:
    call = ast.Call(func=ast.Name(name, ast.Load()), args=args, keywords=[])
    copy_locations(call, location)
    return call


def _tick_first(node: ast.While | ast.For | ast.FunctionDef) -> ast.While | ast.For | ast.FunctionDef:
    """Make the body of a loop or function start with a deadline check (reported on the node's line)."""
    tick = ast.Expr(_call("_tick_", [], node))
    copy_locations(tick, node)
    node.body.insert(0, tick)
    return node


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's policy plus deadline checks, size guards, Dutch messages, no imports, no classes."""

    def error(self, node: ast.AST, info: str) -> None:
        super().error(node, _in_dutch(info))

    def refuse(self, node: ast.AST, message: str) -> _Visit:
        super().error(node, message)
        return None

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> _Visit:
        return self.refuse(node, "import is niet toegestaan in een script")

    visit_ImportFrom = visit_Import

    def visit_ClassDef(self, node: ast.ClassDef) -> _Visit:
        return self.refuse(node, "Een klasse definiëren is niet toegestaan in een script")

    def visit_Call(self, node: ast.Call) -> _Visit:
        if isinstance(node.func, ast.Name) and node.func.id in _UNAVAILABLE:
            self.refuse(node, f'De functie "{node.func.id}" is niet beschikbaar in een script')
        return super().visit_Call(node)

    def visit_BinOp(self, node: ast.BinOp) -> _Visit:
        node = self.node_contents_visit(node)
        symbol = _GUARDED_OPS.get(type(node.op))
        args: list[ast.expr] = [ast.Constant(symbol), node.left, node.right]
        return node if symbol is None else _call("_binop_", args, node)

    def visit_While(self, node: ast.While) -> _Visit:
        return _tick_first(self.node_contents_visit(node))

    def visit_For(self, node: ast.For) -> _Visit:
        return _tick_first(cast(ast.For, self.guard_iter(node)))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> _Visit:
        return _tick_first(cast(ast.FunctionDef, super().visit_FunctionDef(node)))

    def visit_comprehension(self, node: ast.comprehension) -> _Visit:
        node = cast(ast.comprehension, self.guard_iter(node))
        node.ifs.insert(0, _call("_tick_", [], node.iter))
        return node

    def visit_Lambda(self, node: ast.Lambda) -> _Visit:
        node = cast(ast.Lambda, super().visit_Lambda(node))
        node.body = ast.BoolOp(op=ast.And(), values=[_call("_tick_", [], node.body), node.body])
        copy_locations(node.body, node.body.values[1])
        return node


def _policy_violation(errors: Sequence[str]) -> SandboxViolation:
    """RestrictedPython reports 'Line N: message'; keep the first error and count the others."""
    match = _LINE.match(errors[0])
    line, message = (match.group(1), match.group(2)) if match else ("1", errors[0])
    more = f" (en nog {len(errors) - 1} andere fout(en))" if len(errors) > 1 else ""
    return SandboxViolation(message + more, line=int(line) if line.isdigit() else 1)


def compile_restricted_code(source: str, mode: Mode) -> CodeType:
    """Compile process-owner code under the sandbox policy, uncached; raise SandboxViolation if refused."""
    try:
        if mode == "eval":
            result = compile_restricted_eval(ast.parse(source, FILENAME, "eval"), FILENAME, policy=_Policy)
        else:
            result = compile_restricted_exec(ast.parse(source, FILENAME, "exec"), FILENAME, policy=_Policy)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        line = getattr(exc, "lineno", None) or 1
        detail = exc.msg if isinstance(exc, SyntaxError) else str(exc) or type(exc).__name__
        raise SandboxViolation(f"Ongeldige Python-code op regel {line}: {detail}", line=line) from None
    if result.errors or result.code is None:
        raise _policy_violation(result.errors or ["Line 1: onbekende fout"])
    return result.code


def sandbox_violations(source: str, mode: Mode) -> SandboxViolation | None:
    """Check code at deploy time without running it: the reason it would be refused, or None."""
    try:
        compile_restricted_code(source, mode)
    except SandboxViolation as violation:
        return violation
    return None


def _script_line(tb: TracebackType | None) -> int | None:
    """The line of the innermost frame of process-owner code in a traceback."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _violation(message: str, tb: TracebackType | None) -> SandboxViolation:
    return SandboxViolation(message, line=_script_line(tb)).with_traceback(tb)


def _is_visible(key: object) -> bool:
    return isinstance(key, str) and not key.startswith("_")


def _write_back(namespace: dict[str, Any], context: dict[str, Any], hidden: Set[str]) -> None:
    """Copy the data a script left in its namespace into the task data; drop code, modules and generators."""
    for key in [key for key in context if _is_visible(key) and key not in namespace]:
        del context[key]
    for key, value in namespace.items():
        if not _is_visible(key) or key in hidden:
            continue
        if callable(value) or isinstance(value, (ModuleType, GeneratorType, _LongRange)):
            context.pop(key, None)
        else:
            context[key] = value


class Sandbox:
    """Compiles (cached) and runs process-owner code with restricted globals and a time limit per run."""

    def __init__(self, names: Mapping[str, Any], time_limit: float = 1.0) -> None:
        invalid = sorted(name for name in names if not name.isidentifier() or name.startswith("_"))
        if invalid or time_limit <= 0:
            raise ConfigurationError(f"Ongeldige sandbox: namen {invalid}, tijdslimiet {time_limit}")
        self.names: Mapping[str, Any] = dict(names)
        self.time_limit = time_limit
        self._compile = lru_cache(maxsize=_CACHE_SIZE)(compile_restricted_code)

    def compile_expression(self, source: str) -> CodeType:
        return self._compile(source, "eval")

    def compile_script(self, source: str) -> CodeType:
        return self._compile(source, "exec")

    def evaluate(self, source: str, context: Mapping[str, Any], external: _Names | None = None) -> Any:
        """The value of an expression; task data in ``context`` shadows ``external`` and the allowlist."""
        code = self.compile_expression(source)
        return self._run(code, {**self.names, **(external or {}), **context, **_GUARDS})

    def execute(self, source: str, context: dict[str, Any], external: _Names | None = None) -> None:
        """Run a script; on success its new, changed and deleted variables are applied to ``context``."""
        code = self.compile_script(source)
        hidden = self.names.keys() | (external or {}).keys()
        if clash := sorted(hidden & context.keys()):
            names = ", ".join(clash)
            raise SandboxViolation(f"Velden in de procesgegevens hebben de naam van een hulpfunctie: {names}")
        namespace = {**self.names, **(external or {}), **context, **_GUARDS}
        self._run(code, namespace)
        _write_back(namespace, context, hidden)

    def _run(self, code: CodeType, namespace: dict[str, Any]) -> Any:
        deadline = time.monotonic() + self.time_limit
        token = _DEADLINE.set(deadline)
        try:
            result = eval(code, namespace)  # code compiled under _Policy, globals restricted
        except _Timeout as exc:
            raise _violation(self._timeout_message(), exc.__traceback__) from None
        except (RecursionError, MemoryError) as exc:
            message = _TOO_DEEP if isinstance(exc, RecursionError) else _NO_MEMORY
            raise _violation(message, exc.__traceback__) from exc
        except SandboxViolation as exc:
            raise _violation(exc.message, exc.__traceback__) from None
        except SyntaxError as exc:  # raised by the script itself; SpiffWorkflow needs a line number
            exc.lineno = exc.lineno or _script_line(exc.__traceback__) or 1
            raise
        finally:
            _DEADLINE.reset(token)
        if time.monotonic() > deadline:  # the script caught the timeout and carried on
            raise SandboxViolation(self._timeout_message())
        return result

    def _timeout_message(self) -> str:
        return f"Het script duurde langer dan {self.time_limit:g} seconden en is afgebroken"


class SandboxedEnvironment(BasePythonScriptEngineEnvironment):  # type: ignore[misc]
    """SpiffWorkflow script environment with TaskDataEnvironment's semantics, running code in a Sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(dict(sandbox.names))
        self.sandbox = sandbox

    def evaluate(self, expression: str, context: _Names, external_context: _Names | None = None) -> Any:
        return self.sandbox.evaluate(expression, context, external_context)

    def execute(self, script: str, context: dict[str, Any], external_context: _Names | None = None) -> bool:
        self.sandbox.execute(script, context, external_context)
        return True


class SandboxedScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    """SpiffWorkflow script engine whose scripts, conditions and DMN cells run in a Sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(environment=SandboxedEnvironment(sandbox))
        self.sandbox = sandbox

    def validate(self, expression: str) -> None:
        """Raise SyntaxError (with a line number) if the expression is refused; DMNEngine relies on this."""
        try:
            self.sandbox.compile_expression(expression)
        except SandboxViolation as violation:
            line = violation.line or 1
            raise SyntaxError(violation.message, (FILENAME, line, 1, expression)) from None

    def get_error_line_number_and_content(self, script: str, err: Exception) -> tuple[int, str]:
        if not isinstance(err, SandboxViolation) or not err.line:
            return cast(tuple[int, str], super().get_error_line_number_and_content(script, err))
        lines = script.splitlines()
        return err.line, lines[err.line - 1] if err.line <= len(lines) else ""
