"""Render the diagrams with bpmn-js / dmn-js in headless Chromium into docs/img/ (SVG for BPMN, PNG for DMN).

    npm install --prefix /tmp/render bpmn-js@17 dmn-js@16     # once; node_modules stay outside the repository
    apt-get install -y chromium
    .venv/bin/python -m tools.procedure.render [--modules /tmp/render/node_modules]

bpmn-js reports import warnings (bad references, broken diagram interchange); they are printed and make the
command fail, so a diagram that renders here opens cleanly in a modeler too.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"]

BPMN_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{mods}/bpmn-js/dist/assets/bpmn-js.css"></head>
<body><div id="canvas" style="width:4000px;height:2000px"></div><pre id="out"></pre>
<script src="{mods}/bpmn-js/dist/bpmn-viewer.production.min.js"></script>
<script>
const xml = {xml};
const viewer = new BpmnJS({{container: '#canvas'}});
viewer.importXML(xml).then(async (result) => {{
  const {{svg}} = await viewer.saveSVG();
  document.getElementById('out').textContent = JSON.stringify({{warnings: result.warnings.map(w => w.message), svg}});
}}).catch(err => {{ document.getElementById('out').textContent = JSON.stringify({{error: String(err)}}); }});
</script></body></html>"""

DMN_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{mods}/dmn-js/dist/assets/dmn-js-shared.css">
<link rel="stylesheet" href="{mods}/dmn-js/dist/assets/dmn-js-decision-table.css">
<link rel="stylesheet" href="{mods}/dmn-js/dist/assets/dmn-font/css/dmn-embedded.css">
<style>body{{font-family:sans-serif;margin:8px;background:white}}</style></head>
<body><div id="canvas"></div><pre id="out" style="display:none"></pre>
<script src="{mods}/dmn-js/dist/dmn-viewer.production.min.js"></script>
<script>
const xml = {xml};
const viewer = new DmnJS({{container: '#canvas'}});
viewer.importXML(xml).then(async (result) => {{
  const table = viewer.getViews().find(v => v.type === 'decisionTable');
  await viewer.open(table);
  document.getElementById('out').textContent = JSON.stringify({{warnings: result.warnings.map(w => w.message)}});
}}).catch(err => {{ document.getElementById('out').textContent = JSON.stringify({{error: String(err)}}); }});
</script></body></html>"""


def _page(template: str, modules: Path, xml: str, folder: Path, name: str) -> Path:
    page = folder / f"{name}.html"
    page.write_text(template.format(mods=modules.as_uri(), xml=json.dumps(xml)), encoding="utf-8")
    return page


def _result(page: Path) -> dict[str, object]:
    dom = subprocess.run(
        [*CHROMIUM, "--virtual-time-budget=15000", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    match = re.search(r'<pre id="out"[^>]*>(.*?)</pre>', dom, re.DOTALL)
    if not match or not match.group(1).strip():
        return {"error": "no result from the page"}
    result: dict[str, object] = json.loads(html.unescape(match.group(1)))
    return result


def render_bpmn(path: Path, modules: Path, folder: Path, target: Path) -> list[str]:
    result = _result(_page(BPMN_PAGE, modules, path.read_text(encoding="utf-8"), folder, path.stem))
    if "error" in result:
        return [f"{path.name}: {result['error']}"]
    (target / f"{path.stem}.svg").write_text(str(result["svg"]), encoding="utf-8")
    return [f"{path.name}: {warning}" for warning in result["warnings"]]  # type: ignore[attr-defined]


def render_dmn(path: Path, modules: Path, folder: Path, target: Path) -> list[str]:
    page = _page(DMN_PAGE, modules, path.read_text(encoding="utf-8"), folder, path.stem)
    result = _result(page)
    if "error" in result:
        return [f"{path.name}: {result['error']}"]
    subprocess.run(
        [
            *CHROMIUM,
            "--virtual-time-budget=15000",
            "--hide-scrollbars",
            "--window-size=1800,900",
            f"--screenshot={target / (path.stem + '.png')}",
            page.as_uri(),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return [f"{path.name}: {warning}" for warning in result["warnings"]]  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    modules = Path(argv[argv.index("--modules") + 1]) if "--modules" in argv else Path("/tmp/render/node_modules")
    target = ROOT / "docs" / "img"
    target.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted((ROOT / "processes").glob("*.bpmn")):
            problems += render_bpmn(path, modules, Path(tmp), target)
        for path in sorted((ROOT / "processes").glob("*.dmn")):
            problems += render_dmn(path, modules, Path(tmp), target)
    for problem in problems:
        print("warning:", problem)
    print(f"rendered into {target.relative_to(ROOT)}; {len(problems)} warning(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
