"""What changed between two versions (or a version and a draft): elements added, removed and changed in the
BPMN diagrams (names, conditions, timers, scripts, forms named, flows), the DMN tables (columns, rules and their
cells) and the forms (fields and their type, title, choices, required).

Plain XML and JSON reading (lxml, json): a diff needs no parsed specs, and works on a draft that does not pass
the deploy checks yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from sqlalchemy.orm import Session

from .catalogue import version_files

Facts = dict[str, str]
_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_HOLDERS = {"process", "subProcess", "laneSet", "definitions", "collaboration", "transaction", "adHocSubProcess"}
_DMN_PARTS = {"decision", "decisionTable", "input", "output", "rule"}
_UNREADABLE = "(bestand)"
_TIMERS = ("timeDate", "timeDuration", "timeCycle")
# Attribute defaults of the BPMN schema: bpmn-js leaves them out on export, which is no change.
_DEFAULTS = {"boundaryEvent": {"cancelActivity": "true"}}
_BPMN_ATTRIBUTES = (
    ("name", "naam"),
    ("sourceRef", "van"),
    ("targetRef", "naar"),
    ("default", "standaardpijl"),
    ("attachedToRef", "hangt aan"),
    ("cancelActivity", "onderbreekt"),
    ("calledElement", "roept aan"),
    ("messageRef", "bericht"),
)


@dataclass(frozen=True)
class Change:
    file: str
    element_id: str
    kind: str  # added | removed | changed
    what: str  # the element's tag, "veld" for a form field
    name: str
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (fact, old, new)


@dataclass(frozen=True)
class BundleDiff:
    files_added: list[str]
    files_removed: list[str]
    changes: list[Change]


def diff_versions(session: Session, process_id: str, old: int, new: int) -> BundleDiff:
    return diff_files(version_files(session, process_id, old), version_files(session, process_id, new))


def diff_files(old: Mapping[str, str], new: Mapping[str, str]) -> BundleDiff:
    changes: list[Change] = []
    for name in sorted(set(old) & set(new)):
        if old[name] != new[name]:
            before, after = _facts(name, old[name]), _facts(name, new[name])
            if _UNREADABLE in before or _UNREADABLE in after:  # no element-wise comparison with broken XML/JSON
                before, after = {_UNREADABLE: {"inhoud": "leesbaar"}}, {_UNREADABLE: {"inhoud": "niet leesbaar"}}
            changes += _compare(name, before, after)
    return BundleDiff(sorted(set(new) - set(old)), sorted(set(old) - set(new)), changes)


def _compare(file: str, old: dict[str, Facts], new: dict[str, Facts]) -> list[Change]:
    changes = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        kind = "added" if before is None else "removed" if after is None else "changed"
        facts = after or before or {}
        details = [] if kind != "changed" else _details(before or {}, after or {})
        changes.append(Change(file, key, kind, facts.get("soort", ""), facts.get("naam", ""), details))
    return changes


def _details(before: Facts, after: Facts) -> list[tuple[str, str, str]]:
    keys = [*before, *(k for k in after if k not in before)]
    return [(k, before.get(k, ""), after.get(k, "")) for k in keys if before.get(k) != after.get(k)]


def _facts(name: str, text: str) -> dict[str, Facts]:
    try:
        if name.endswith(".bpmn"):
            return {i: _bpmn_facts(el) for i, el in _elements(text, _bpmn_element)}
        if name.endswith(".dmn"):
            return {i: _dmn_facts(el) for i, el in _elements(text, _dmn_element)}
        if name.endswith(".schema.json"):
            return dict(_form_fields(json.loads(text)))
        return {k: {"soort": "instelling", "waarde": json.dumps(v, ensure_ascii=False)} for k, v in _json(text)}
    except (etree.XMLSyntaxError, json.JSONDecodeError, AttributeError, TypeError):
        return {_UNREADABLE: {"soort": "bestand", "inhoud": "niet leesbaar"}}


def _elements(text: str, wanted: Any) -> Iterator[tuple[str, Any]]:
    tree = etree.fromstring(text.encode("utf-8"))
    for el in tree.iter(etree.Element):
        if el.get("id") and wanted(el):
            yield str(el.get("id")), el


def _local(el: Any) -> str:
    return str(etree.QName(el).localname)


def _bpmn_element(el: Any) -> bool:
    parent = el.getparent()
    return etree.QName(el).namespace == _BPMN and parent is not None and _local(parent) in _HOLDERS


def _dmn_element(el: Any) -> bool:
    return _local(el) in _DMN_PARTS


def _bpmn_facts(el: Any) -> Facts:
    facts: Facts = {"soort": _local(el)}
    defaults = _DEFAULTS.get(facts["soort"], {})
    for attr, label in _BPMN_ATTRIBUTES:
        value = el.get(attr, defaults.get(attr))
        if value is not None:
            facts[label] = str(value)
    for child, label in (
        ("documentation", "documentatie"),
        ("conditionExpression", "voorwaarde"),
        ("script", "script"),
    ):
        found = el.find(f"{{{_BPMN}}}{child}")
        if found is not None:
            facts[label] = (found.text or "").strip()
    facts.update(_timer_facts(el))
    facts.update(_spiff_facts(el))
    return facts


def _timer_facts(el: Any) -> Facts:
    for kind in _TIMERS:
        found = el.find(f"{{{_BPMN}}}timerEventDefinition/{{{_BPMN}}}{kind}")
        if found is not None:
            return {"timer": f"{kind}: {(found.text or '').strip()}"}
    return {}


def _spiff_facts(el: Any) -> Facts:
    facts: Facts = {}
    for node in el.iter(f"{{{_SPIFF}}}*"):
        if _local(node) == "property":
            facts[f"eigenschap {node.get('name')}"] = str(node.get("value") or "")
        elif len(node) == 0 and (node.text or "").strip():
            facts[_local(node)] = (node.text or "").strip()
    return facts


def _dmn_facts(el: Any) -> Facts:
    facts: Facts = {"soort": _local(el)}
    for attr, label in (("name", "naam"), ("label", "naam"), ("hitPolicy", "beslisregel")):
        if el.get(attr) is not None:
            facts[label] = str(el.get(attr))
    ns = etree.QName(el).namespace
    for child, label in (("description", "omschrijving"), ("inputExpression", "expressie")):
        found = el.find(f"{{{ns}}}{child}")
        if found is not None:
            facts[label] = " ".join(t.strip() for t in found.itertext() if t.strip())
    for child, label in (("inputEntry", "invoer"), ("outputEntry", "uitvoer")):
        cells = [" ".join(t.strip() for t in c.itertext() if t.strip()) for c in el.findall(f"{{{ns}}}{child}")]
        if cells:
            facts[label] = " | ".join(cells)
    return facts


def _form_fields(schema: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Facts]]:
    required = set(schema.get("required", []))
    for name, sub in (schema.get("properties") or {}).items():
        path = f"{prefix}{name}"
        yield path, _field_facts(sub, name in required)
        items = sub.get("items") if isinstance(sub.get("items"), dict) else {}
        for nested in (sub, items):
            if nested.get("type") == "object":
                yield from _form_fields(nested, path + ".")


def _field_facts(sub: dict[str, Any], required: bool) -> Facts:
    facts: Facts = {"soort": "veld", "naam": str(sub.get("title", "")), "verplicht": "ja" if required else "nee"}
    for key in ("type", "format", "minimum", "maximum", "maxLength", "description"):
        if key in sub:
            facts[key] = str(sub[key])
    choices = [str(o.get("const")) for o in sub.get("oneOf", []) if isinstance(o, dict)] or sub.get("enum")
    if choices:
        facts["keuzes"] = ", ".join(str(c) for c in choices)
    return facts


def _json(text: str) -> list[tuple[str, Any]]:
    value = json.loads(text)
    return sorted(value.items()) if isinstance(value, dict) else [("(geheel)", value)]
