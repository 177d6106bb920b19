"""The workbench in a real browser (Debian's Chromium through Playwright), on the real processes/: change a
task's label and a timer in the modeler, check, deploy; a broken condition shows on its flow and nothing is
deployed; a stale save keeps the diagram; every page passes axe (WCAG 2.1 A/AA) and keeps the bpmn.io mark."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from engine.models import Case, ProcessVersion

from ..web.conftest import vangnet_of
from ..web.test_browser import CHROMIUM, Checked

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make chromium)")

TASK, TIMER = "onvolledige_melding", "aanvultermijn_verstreken"
FLOW = "f_ontvankelijk__afwijzing_vastleggen"
NEW_TIMER = "tijdstip(werkdagen_na(vandaag(), aanvultermijn_werkdagen + 1))"


def login(checked: Checked) -> None:
    """Through the workbench URL: after login the app's default landing page is the inbox, which is 403 for
    process owners (web/auth.py's choice, reported)."""
    page = checked.page
    page.goto("/procesbeheer")
    page.fill("#username", "procesbeheerder")
    page.fill("#password", "vangnet-demo-2026")
    page.click("button[type=submit] >> text=Inloggen")
    page.wait_for_url("**/procesbeheer")


def open_modeler(checked: Checked) -> Any:
    page = checked.page
    login(checked)
    page.click("a >> text=Vangnet: van melding tot afsluiting")
    page.click("button >> text=Concept maken en bewerken")
    page.wait_for_selector("#modeler[data-ready=true]")
    return page


def select_element(page: Any, element_id: str) -> None:
    """Bring the element into view (zoomed in, as a process owner would), then click it on the canvas."""
    page.evaluate(
        "id => { const m = VangnetWorkbench.modeler, c = m.get('canvas');"
        " c.zoom(1); c.scrollToElement(m.get('elementRegistry').get(id)); }",
        element_id,
    )
    point = page.evaluate(
        """id => {  // a point where a click reaches the element (for a flow: on its path, off lane borders)
          const r = VangnetWorkbench.modeler.get('elementRegistry'), element = r.get(id);
          if (element.waypoints && element.label) {  // a click on a flow's line starts a bendpoint drag
            const box = r.getGraphics(element.label).getBoundingClientRect();
            return {x: box.x + box.width / 2, y: box.y + box.height / 2};
          }
          const hit = r.getGraphics(element).querySelector('.djs-hit');
          const under = p => document.elementFromPoint(p.x, p.y).closest('.djs-element') || {dataset: {}};
          const reaches = p => under(p).dataset.elementId === id;
          if (hit.tagName !== 'polyline') {
            const box = hit.getBoundingClientRect();
            return {x: box.x + box.width / 2, y: box.y + box.height / 2};
          }
          const t = hit.getScreenCTM(), length = hit.getTotalLength();
          for (const f of [0.5, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
            const q = hit.getPointAtLength(length * f);
            const p = {x: q.x * t.a + q.y * t.c + t.e, y: q.x * t.b + q.y * t.d + t.f};
            if (reaches(p)) { return p; }
          }
          return null;
        }""",
        element_id,
    )
    assert point, f"no point on the canvas reaches {element_id}"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("id => document.getElementById('element-id').textContent === id", arg=element_id)


def apply(page: Any) -> None:
    page.click("#toepassen")
    page.wait_for_selector("#status >> text=Wijziging toegepast")


def deployed(app: Flask) -> list[tuple[int, str]]:
    with vangnet_of(app).database.reading() as s:
        rows = s.execute(select(ProcessVersion.number, ProcessVersion.note).order_by(ProcessVersion.number))
        return [(n, note) for n, note in rows]


def test_change_a_label_and_a_timer_check_and_deploy(checked: Checked, app: Flask) -> None:
    page = open_modeler(checked)
    checked.check("wb-03-modeler")
    watermark = page.locator("#modeler .bjs-powered-by")
    box = watermark.bounding_box()
    assert watermark.is_visible() and box and box["width"] > 10 and box["height"] > 10
    select_element(page, TASK)
    assert page.input_value("#veld-formulier") == "onvolledige_melding.schema.json"
    page.fill("#veld-naam", "Onvolledige melding laten aanvullen")
    apply(page)
    select_element(page, TIMER)
    assert page.input_value("#veld-timer").startswith("tijdstip(werkdagen_na(vandaag()")
    page.fill("#veld-timer", NEW_TIMER)
    apply(page)
    page.click("#controleren")
    page.wait_for_selector("#modeler[data-checked='0']")
    assert "Geen fouten" in page.inner_text("#controle-samenvatting")
    page.fill("#veld-notitie", "Aanvultermijn een werkdag langer")
    page.click("#uitrollen-knop")
    page.wait_for_selector("text=Versie 2 is uitgerold")
    assert page.inner_text("tr[data-version='1'] .vn-wb-open") == "5"
    assert page.inner_text("tr[data-version='2'] .vn-wb-open") == "0"
    checked.check("wb-04-uitgerold")
    page.click("a >> text=Verschil tussen versie 1 en 2")
    rows = page.locator("#verschillen tbody tr")
    assert sorted(rows.nth(i).get_attribute("data-element") for i in range(rows.count())) == [TIMER, TASK]
    checked.check("wb-07-verschil")
    with vangnet_of(app).database.reading() as s:
        version = s.scalar(select(ProcessVersion).where(ProcessVersion.number == 2))
        assert version is not None and version.deployed_by == "procesbeheerder"
        text = version.files["vangnet.bpmn"]
        numbers = set(s.scalars(select(ProcessVersion.number).join(Case, Case.process_version_id == ProcessVersion.id)))
    assert 'name="Onvolledige melding laten aanvullen"' in text and NEW_TIMER in text
    assert numbers == {1}  # the running cases stayed on version 1


def test_a_broken_condition_shows_on_its_flow_and_nothing_is_deployed(checked: Checked, app: Flask) -> None:
    page = open_modeler(checked)
    select_element(page, FLOW)
    assert page.input_value("#veld-voorwaarde") == 'ontvankelijkheid == "afwijzen"'
    page.fill("#veld-voorwaarde", "ontvankelijkheid ===")
    apply(page)
    page.click("#controleren")
    page.wait_for_selector("#modeler[data-checked='1']")
    assert page.locator(f'#modeler .djs-element.vn-error[data-element-id="{FLOW}"]').count() == 1
    overlay = page.locator(f'#modeler .djs-overlays[data-container-id="{FLOW}"] .vn-wb-overlay')
    assert overlay.is_visible() and "Ongeldige Python-code" in overlay.inner_text()
    assert FLOW in page.inner_text("#problemen")
    checked.check("wb-05-fout-op-pijl")
    page.fill("#veld-notitie", "Kapotte voorwaarde")
    page.click("#uitrollen-knop")
    page.wait_for_selector("#modeler[data-deployed=refused]")
    assert "Niet uitgerold" in page.inner_text("#status")
    assert deployed(app) == [(1, "meegeleverd proces")]


def test_a_stale_save_keeps_the_diagram_and_says_why(checked: Checked, browser: Any, base_url: str) -> None:
    page = open_modeler(checked)
    other = Checked(browser, base_url)
    try:
        login(other)
        other.page.goto("/procesbeheer/vangnet/concept/bewerken/vangnet.bpmn")
        other.page.wait_for_selector("#modeler[data-ready=true]")
        select_element(other.page, TASK)
        other.page.fill("#veld-naam", "Door een collega")
        apply(other.page)
        other.page.click("#opslaan")
        other.page.wait_for_selector("#status >> text=Opgeslagen (revisie 2)")
    finally:
        other.context.close()
    select_element(page, TASK)
    page.fill("#veld-naam", "Door mij")
    apply(page)
    page.click("#opslaan")
    page.wait_for_selector("#conflict:not([hidden])")
    checked.errors.remove("Failed to load resource: the server responded with a status of 409 (CONFLICT)")
    assert "heeft het concept intussen opgeslagen" in page.inner_text("#conflict-tekst")
    assert page.get_attribute("#conflict-download", "href").startswith("blob:")
    assert page.input_value("#veld-naam") == "Door mij"  # nothing lost in this screen
    checked.check("wb-06-conflict")


def test_extension_properties_survive_import_and_export(checked: Checked) -> None:
    page = open_modeler(checked)
    counts = page.evaluate(
        """async () => {
          const out = {};
          const names = ['vangnet.bpmn', 'behandeling.bpmn', 'garantstelling.bpmn', 'escaleren.bpmn',
                         'terugkoppelen.bpmn'];
          for (const name of names) {
            const file = await (await fetch('/procesbeheer/vangnet/concept/bestanden/' + name)).json();
            await VangnetWorkbench.modeler.importXML(file.text);
            const {xml} = await VangnetWorkbench.modeler.saveXML({format: true});
            const count = t => (t.match(/<spiffworkflow:[a-zA-Z]+/g) || []).length;
            out[name] = [count(file.text), count(xml)];
          }
          return out;
        }"""
    )
    assert all(before == after and before > 0 for before, after in counts.values()), counts
