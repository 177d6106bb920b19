"""Every data key in processes/ and forms/ is in docs/glossary.md (written there as `key`).

Data keys are: form property names (also nested ones), variables that scripts assign, message variables,
DMN output names, the keys of outbound message payloads, the norms of the deadline table and the fields of the
notice (melding) that the supplier sends.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from .test_procedure_support import melding

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
    "dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/",
}


def _form_keys(schema: dict[str, Any]) -> Iterator[str]:
    for key, prop in schema.get("properties", {}).items():
        yield key
        yield from _form_keys(prop)
        if isinstance(prop.get("items"), dict):
            yield from _form_keys(prop["items"])


def _assigned(script: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(script)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.For):
            targets = [node.target]
        for target in targets:
            yield from (n.id for n in ast.walk(target) if isinstance(n, ast.Name))


def _dict_keys(tree: ast.AST) -> Iterator[str]:
    """String keys of dict literals and of subscript assignments (``bericht["status"] = ...``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            yield from (k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))
        elif (
            isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and isinstance(node.slice, ast.Constant)
        ):
            yield str(node.slice.value)


def _notice_keys(body: dict[str, Any]) -> Iterator[str]:
    for key, value in body.items():
        yield key
        if isinstance(value, dict):
            yield from _notice_keys(value)


def data_keys() -> dict[str, str]:
    """key → where it was found."""
    keys: dict[str, str] = {}
    for path in sorted((ROOT / "forms").glob("*.schema.json")):
        keys.update(dict.fromkeys(_form_keys(json.loads(path.read_text(encoding="utf-8"))), path.name))
    for path in sorted((ROOT / "processes").glob("*.bpmn")):
        tree = etree.parse(str(path))
        for script in tree.xpath("//bpmn:script/text()", namespaces=NS):
            keys.update(dict.fromkeys(_assigned(str(script)), path.name))
            keys.update(dict.fromkeys(_dict_keys(ast.parse(str(script))), path.name))
        for variable in tree.xpath("//spiffworkflow:messageVariable/text()", namespaces=NS):
            keys[str(variable)] = path.name
        for payload in tree.xpath("//spiffworkflow:messagePayload/text()", namespaces=NS):
            keys.update(dict.fromkeys(_dict_keys(ast.parse(str(payload), mode="eval")), path.name))
            if re.fullmatch(r"\w+", str(payload).strip()):
                keys[str(payload).strip()] = path.name
    for path in sorted((ROOT / "processes").glob("*.dmn")):
        for name in etree.parse(str(path)).xpath("//dmn:output/@name", namespaces=NS):
            keys[str(name)] = path.name
    from tools.procedure.tables import NORMEN

    keys.update(dict.fromkeys((name for name, _value, _note in NORMEN), "termijnen.dmn"))
    keys.update(dict.fromkeys(_notice_keys(melding()), "melding"))
    return keys


def glossary_terms() -> set[str]:
    return set(re.findall(r"`([^`]+)`", GLOSSARY.read_text(encoding="utf-8")))


def test_every_data_key_is_in_the_glossary() -> None:
    keys = data_keys()
    missing = {key: where for key, where in sorted(keys.items()) if key not in glossary_terms()}
    assert missing == {}


def test_the_scan_finds_the_keys_it_should() -> None:
    keys = data_keys()
    for key in (
        "uitkomst",
        "prioriteit",
        "pogingen",
        "kanaal",
        "zrm_scores",
        "financien",
        "mpg_advies",
        "normen",
        "terugkoppeling_bericht",
        "melding",
        "garantsteller_referentie",
        "aan",
        "triage_na_t0",
        "klant",
    ):
        assert key in keys, key
    assert len(keys) > 150
