"""Write processes/*.bpmn and processes/*.dmn from the descriptions in this package.

    .venv/bin/python -m tools.procedure.build            # write the files, report layout problems
    .venv/bin/python -m tools.procedure.build --check    # only report; exit 1 when a file differs or a problem

The files in processes/ are what the engine deploys and what a process owner edits in a modeler. This generator
made the first version; after a modeler edit, change the description here too or stop regenerating.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from . import bpmn_xml, dmn_xml, forms, tables
from .layout import crossings
from .model import Process
from .p_behandeling import behandeling
from .p_garantstelling import garantstelling
from .p_small import escaleren, terugkoppelen
from .p_vangnet import vangnet

ROOT = Path(__file__).resolve().parents[2]
PROCESSES: list[Callable[[], Process]] = [vangnet, behandeling, garantstelling, terugkoppelen, escaleren]
HEADER = " Gegenereerd met tools/procedure (python -m tools.procedure.build). Procesbeheerder: zie docs/procedure.md. "


def outputs() -> dict[str, str]:
    """Relative path -> text of every generated file."""
    files = {f"forms/{name}": text for name, text in forms.outputs().items()}
    for make in PROCESSES:
        process = make()
        files[f"processes/{process.id}.bpmn"] = bpmn_xml.render(process, HEADER)
    for make_table in tables.ALL:
        table = make_table()
        files[f"processes/{table.decision_id}.dmn"] = dmn_xml.render(table, HEADER)
    return files


def layout_problems() -> list[str]:
    problems = []
    for make in PROCESSES:
        process = make()
        geometry = bpmn_xml.geometry_of(process)
        problems += [f"{process.id}: {problem}" for problem in crossings(process, geometry)]
    return problems


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = []
    for name, text in outputs().items():
        path = ROOT / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(name)
            if not check:
                path.write_text(text, encoding="utf-8")
    problems = layout_problems()
    for line in problems:
        print("layout:", line)
    verb = "differ" if check else "written"
    print(f"{len(changed)} file(s) {verb}: {', '.join(changed) or '-'}")
    return 1 if (check and changed) or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
