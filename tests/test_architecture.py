"""The dependency direction: web → engine → SpiffWorkflow/SQLAlchemy. Checked on the source, not at run time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", sources("engine"), ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_never_imports_the_web_layer(path: Path) -> None:
    bad = {m for m in imported_modules(path) if m.split(".")[0] in {"flask", "web", "flask_wtf", "flask_babel"}}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", sources("web"), ids=lambda p: str(p.relative_to(ROOT)))
def test_web_never_imports_spiffworkflow(path: Path) -> None:
    bad = {m for m in imported_modules(path) if m.split(".")[0] == "SpiffWorkflow"}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_only_the_worker_imports_apscheduler() -> None:
    users = [
        p.name
        for p in sources("engine") + sources("web")
        if any(m.startswith("apscheduler") for m in imported_modules(p))
    ]
    assert users in ([], ["worker.py"])


def test_the_checks_see_the_code() -> None:
    assert len(sources("engine")) > 10  # guards against a test that can no longer fail
    assert "SpiffWorkflow.bpmn.workflow" in imported_modules(ROOT / "engine" / "runtime.py")
