"""The BPMN and DMN files open cleanly in a modeler: complete diagram interchange, no overlapping shapes, nodes
inside their lanes, Dutch names everywhere, documentation on every task, a default flow on every split."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

PROCESSES = Path(__file__).resolve().parent.parent / "processes"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "dmndi": "https://www.omg.org/spec/DMN/20191111/DMNDI/",
}
FLOW_NODES = [
    "startEvent",
    "endEvent",
    "userTask",
    "scriptTask",
    "businessRuleTask",
    "callActivity",
    "receiveTask",
    "intermediateThrowEvent",
    "intermediateCatchEvent",
    "boundaryEvent",
    "exclusiveGateway",
    "parallelGateway",
    "subProcess",
]
TASKS = ("userTask", "scriptTask", "businessRuleTask", "callActivity", "receiveTask", "subProcess")
BPMN_FILES = sorted(PROCESSES.glob("*.bpmn"))
Box = tuple[float, float, float, float]


def _tree(path: Path) -> etree._ElementTree:
    return etree.parse(str(path))


def _bounds(tree: etree._ElementTree) -> dict[str, Box]:
    boxes = {}
    for shape in tree.iterfind(".//bpmndi:BPMNShape", NS):
        b = shape.find("dc:Bounds", NS)
        boxes[shape.get("bpmnElement")] = (
            float(b.get("x")),
            float(b.get("y")),
            float(b.get("width")),
            float(b.get("height")),
        )
    return boxes


def _nodes(tree: etree._ElementTree) -> list[etree._Element]:
    return [el for tag in FLOW_NODES for el in tree.iterfind(f".//bpmn:{tag}", NS)]


def _overlap(a: Box, b: Box) -> bool:
    return not (a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1])


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_every_element_has_diagram_interchange(path: Path) -> None:
    tree = _tree(path)
    boxes = _bounds(tree)
    edges = {e.get("bpmnElement") for e in tree.iterfind(".//bpmndi:BPMNEdge", NS)}
    assert {n.get("id") for n in _nodes(tree)} <= set(boxes)
    assert {f.get("id") for f in tree.iterfind(".//bpmn:sequenceFlow", NS)} <= edges
    assert {f.get("id") for f in tree.iterfind(".//bpmn:messageFlow", NS)} <= edges
    assert {lane.get("id") for lane in tree.iterfind(".//bpmn:lane", NS)} <= set(boxes)


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_shapes_do_not_overlap_and_stay_in_their_lane(path: Path) -> None:
    tree = _tree(path)
    boxes = _bounds(tree)
    nodes = [n for n in _nodes(tree) if n.tag != f"{{{NS['bpmn']}}}subProcess"]
    attached = {(n.get("id"), n.get("attachedToRef")) for n in nodes if n.get("attachedToRef")}
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            pair = (a.get("id"), b.get("id"))
            if pair in attached or pair[::-1] in attached:
                continue
            assert not _overlap(boxes[pair[0]], boxes[pair[1]]), pair
    for lane in tree.iterfind(".//bpmn:lane", NS):
        lx, ly, lw, lh = boxes[lane.get("id")]
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            x, y, w, h = boxes[ref.text]
            if tree.find(f".//bpmn:boundaryEvent[@id='{ref.text}']", NS) is None:
                assert lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh, ref.text


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_names_documentation_and_default_flows(path: Path) -> None:
    tree = _tree(path)
    for node in _nodes(tree):
        assert node.get("name"), node.get("id")
        local = etree.QName(node).localname
        if local in TASKS:
            assert node.findtext("bpmn:documentation", namespaces=NS), node.get("id")
        outgoing = node.findall("bpmn:outgoing", NS)
        if local == "exclusiveGateway" and len(outgoing) > 1:
            assert node.get("default") in {o.text for o in outgoing}, node.get("id")
            conditional = [
                f
                for f in tree.iterfind(".//bpmn:sequenceFlow", NS)
                if f.get("sourceRef") == node.get("id") and f.get("id") != node.get("default")
            ]
            assert all(f.findtext("bpmn:conditionExpression", namespaces=NS) for f in conditional), node.get("id")


@pytest.mark.parametrize("path", sorted(PROCESSES.glob("*.dmn")), ids=lambda p: p.name)
def test_every_decision_has_a_shape(path: Path) -> None:
    tree = _tree(path)
    decisions = {d.get("id") for d in tree.iterfind(".//dmn:decision", NS)}
    shapes = {s.get("dmnElementRef") for s in tree.iterfind(".//dmndi:DMNShape", NS)}
    assert decisions and decisions <= shapes
