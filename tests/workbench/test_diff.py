"""The diff between two versions: BPMN elements (names, conditions, timers, forms named), DMN rules and form
fields added, removed and changed; on the real processes/ and forms/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.bundle_files import read_bundle
from engine.workbench.diff import Change, diff_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return dict(read_bundle([ROOT / "processes"], ROOT / "forms").files)


def changed(old: dict[str, str], name: str, before: str, after: str) -> dict[str, str]:
    assert before in old[name], before
    return {**old, name: old[name].replace(before, after, 1)}


def only(changes: list[Change]) -> Change:
    assert len(changes) == 1, changes
    return changes[0]


def test_the_same_files_have_no_changes(files: dict[str, str]) -> None:
    result = diff_files(files, files)
    assert (result.changes, result.files_added, result.files_removed) == ([], [], [])


def test_a_renamed_task_and_a_new_timer(files: dict[str, str]) -> None:
    new = changed(files, "vangnet.bpmn", 'name="Onvolledige melding aanvullen"', 'name="Melding laten aanvullen"')
    new = changed(new, "vangnet.bpmn", "aanvultermijn_werkdagen))</bpmn:timeDate>", "5))</bpmn:timeDate>")
    changes = {c.element_id: c for c in diff_files(files, new).changes}
    assert changes["onvolledige_melding"].details == [
        ("naam", "Onvolledige melding aanvullen", "Melding laten aanvullen")
    ]
    [(fact, before, after)] = changes["aanvultermijn_verstreken"].details
    assert fact == "timer" and before.endswith("aanvultermijn_werkdagen))") and after.endswith("5))")
    assert set(changes) == {"onvolledige_melding", "aanvultermijn_verstreken"}


def test_a_changed_condition(files: dict[str, str]) -> None:
    new = changed(files, "vangnet.bpmn", 'ontvankelijkheid == "afwijzen"', 'ontvankelijkheid == "weigeren"')
    change = only(diff_files(files, new).changes)
    assert (change.element_id, change.what, change.kind) == (
        "f_ontvankelijk__afwijzing_vastleggen",
        "sequenceFlow",
        "changed",
    )
    assert change.details == [("voorwaarde", 'ontvankelijkheid == "afwijzen"', 'ontvankelijkheid == "weigeren"')]


def test_a_removed_element_and_a_new_file(files: dict[str, str]) -> None:
    text = files["vangnet.bpmn"]
    start = text.index('<bpmn:sequenceFlow id="f_afwijzing_vastleggen__afwijzing_terugkoppelen"')
    end = text.index("/>", start) + 2
    new = {**files, "vangnet.bpmn": text[:start] + text[end:], "nieuw.schema.json": '{"type": "object"}'}
    result = diff_files(files, new)
    assert [(c.element_id, c.kind) for c in result.changes] == [
        ("f_afwijzing_vastleggen__afwijzing_terugkoppelen", "removed")
    ]
    assert result.files_added == ["nieuw.schema.json"]


def test_a_dmn_threshold(files: dict[str, str]) -> None:
    new = changed(files, "d2_prioriteit.dmn", "<text>&lt; 10</text>", "<text>&lt; 12</text>")
    change = only(diff_files(files, new).changes)
    assert (change.element_id, change.what) == ("d2_prioriteit_regel_1", "rule")
    assert change.details == [("invoer", "< 10 | - | - | -", "< 12 | - | - | -")]


def test_form_fields(files: dict[str, str]) -> None:
    schema = json.loads(files["triage.schema.json"])
    schema["properties"]["toelichting_extra"] = {"type": "string", "title": "Extra toelichting"}
    schema["properties"]["prioriteit"]["title"] = "Prioriteit van de zaak"
    new = {**files, "triage.schema.json": json.dumps(schema)}
    changes = {c.element_id: c for c in diff_files(files, new).changes}
    assert changes["toelichting_extra"].kind == "added" and changes["toelichting_extra"].name == "Extra toelichting"
    assert changes["prioriteit"].details == [("naam", "Prioriteit", "Prioriteit van de zaak")]


def test_an_unreadable_file_is_one_change(files: dict[str, str]) -> None:
    new = {**files, "vangnet.bpmn": "<kapot"}
    assert [c.element_id for c in diff_files(files, new).changes] == ["(bestand)"]


def test_a_default_left_out_on_export_is_no_change(files: dict[str, str]) -> None:
    new = changed(
        files,
        "vangnet.bpmn",
        'attachedToRef="wachten_op_aanvulling" cancelActivity="true"',
        'attachedToRef="wachten_op_aanvulling"',
    )
    assert diff_files(files, new).changes == []
