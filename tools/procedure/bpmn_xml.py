"""Writing a :class:`~.model.Process` as a Spiff-dialect BPMN file with a collaboration and diagram interchange."""

from __future__ import annotations

import unicodedata

from lxml import etree

from .layout import Box, Geometry, Point, lay_out, message_route
from .model import Node, Process

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "spiffworkflow": SPIFF, "xsi": XSI}
SUPPLIER_ID = "deelnemer_leverancier"
SUPPLIER_NAME = "Energieleverancier"
FORMAL = f"{{{XSI}}}type"

TAGS = {
    "start": "startEvent",
    "end": "endEvent",
    "user": "userTask",
    "script": "scriptTask",
    "rule": "businessRuleTask",
    "call": "callActivity",
    "receive": "receiveTask",
    "throw": "intermediateThrowEvent",
    "boundary": "boundaryEvent",
    "xor": "exclusiveGateway",
    "and": "parallelGateway",
    "sub": "subProcess",
}


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "_" for c in ascii_text.lower()).strip("_")


def message_id(name: str) -> str:
    return f"bericht_{name}"


def is_supplier_message(node: Node) -> bool:
    message = node.attrs.get("message")
    return bool(message) and not str(message).startswith("intern_")


def geometry_of(process: Process) -> Geometry:
    supplier = any(is_supplier_message(n) for n in process.nodes.values())
    geometry = lay_out(process, supplier)
    for node in process.nodes.values():
        if supplier and is_supplier_message(node):
            geometry.message_edges[f"mf_{node.id}"] = message_route(node, geometry)
    return geometry


def render(process: Process, header: str) -> str:
    geometry = geometry_of(process)
    supplier = geometry.supplier is not None
    root = etree.Element(q(BPMN, "definitions"), nsmap=NSMAP)
    root.set("id", f"definities_{process.id}")
    root.set("targetNamespace", "https://vangnet.example/processen")
    root.set("exporter", "Vangnet tools/procedure")
    root.set("exporterVersion", "1")
    root.append(etree.Comment(header))
    collaboration_id = _collaboration(root, process, supplier)
    for name in process.messages():
        etree.SubElement(root, q(BPMN, "message"), id=message_id(name), name=name)
    _process(root, process)
    _diagram(root, process, geometry, collaboration_id, supplier)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def _collaboration(root: etree._Element, process: Process, supplier: bool) -> str:
    collaboration_id = f"samenwerking_{process.id}"
    collab = etree.SubElement(root, q(BPMN, "collaboration"), id=collaboration_id)
    etree.SubElement(
        collab, q(BPMN, "participant"), id=f"deelnemer_{process.id}", name=process.name, processRef=process.id
    )
    if not supplier:
        return collaboration_id
    etree.SubElement(collab, q(BPMN, "participant"), id=SUPPLIER_ID, name=SUPPLIER_NAME)
    for node in process.nodes.values():
        if is_supplier_message(node):
            outgoing = node.kind in ("throw", "end")
            source, target = (node.id, SUPPLIER_ID) if outgoing else (SUPPLIER_ID, node.id)
            etree.SubElement(
                collab,
                q(BPMN, "messageFlow"),
                id=f"mf_{node.id}",
                sourceRef=source,
                targetRef=target,
                messageRef=message_id(node.attrs["message"]),
            )
    return collaboration_id


def _process(root: etree._Element, process: Process) -> None:
    element = etree.SubElement(root, q(BPMN, "process"), id=process.id, name=process.name, isExecutable="true")
    if process.doc:
        etree.SubElement(element, q(BPMN, "documentation")).text = process.doc
    lane_set = etree.SubElement(element, q(BPMN, "laneSet"), id=f"banen_{process.id}")
    for lane in process.lanes:
        lane_el = etree.SubElement(lane_set, q(BPMN, "lane"), id=f"baan_{slug(lane)}_{process.id}", name=lane)
        for node in process.children(None):
            if node.lane == lane:
                etree.SubElement(lane_el, q(BPMN, "flowNodeRef")).text = node.id
    _contents(element, process, None)
    for note_id, text, _at, _lane in process.annotations:
        note = etree.SubElement(element, q(BPMN, "textAnnotation"), id=note_id)
        etree.SubElement(note, q(BPMN, "text")).text = text


def _contents(parent: etree._Element, process: Process, container: str | None) -> None:
    children = process.children(container)
    ids = {n.id for n in children}
    for node in children:
        _node(parent, process, node)
    for flow in process.flows:
        if flow.source in ids:
            flow_el = etree.SubElement(
                parent, q(BPMN, "sequenceFlow"), id=flow.id, sourceRef=flow.source, targetRef=flow.target
            )
            if flow.name:
                flow_el.set("name", flow.name)
            if flow.condition:
                condition = etree.SubElement(flow_el, q(BPMN, "conditionExpression"))
                condition.set(FORMAL, "bpmn:tFormalExpression")
                condition.text = flow.condition


def _node(parent: etree._Element, process: Process, node: Node) -> None:
    el = etree.SubElement(parent, q(BPMN, TAGS[node.kind]), id=node.id, name=node.name)
    attrs = node.attrs
    if node.doc:
        etree.SubElement(el, q(BPMN, "documentation")).text = node.doc
    _extensions(el, node)
    for flow in process.flows:
        if flow.target == node.id:
            etree.SubElement(el, q(BPMN, "incoming")).text = flow.id
    for flow in process.flows:
        if flow.source == node.id:
            etree.SubElement(el, q(BPMN, "outgoing")).text = flow.id
    if node.kind == "script":
        el.set("scriptFormat", "python")
        etree.SubElement(el, q(BPMN, "script")).text = attrs["script"]
    elif node.kind == "call":
        el.set("calledElement", attrs["called"])
    elif node.kind == "receive":
        el.set("messageRef", message_id(attrs["message"]))
    elif node.kind == "xor" and node.id in process.defaults:
        el.set("default", process.defaults[node.id])
    elif node.kind == "boundary":
        el.set("attachedToRef", attrs["attached"])
        el.set("cancelActivity", "true" if attrs["interrupting"] else "false")
    elif node.kind == "sub":
        _contents(el, process, node.id)
    _event_definition(el, node)


def _extensions(el: etree._Element, node: Node) -> None:
    attrs = node.attrs
    if node.kind == "user":
        ext = etree.SubElement(el, q(BPMN, "extensionElements"))
        props = etree.SubElement(ext, q(SPIFF, "properties"))
        form = attrs["form"]
        etree.SubElement(props, q(SPIFF, "property"), name="formJsonSchemaFilename", value=f"{form}.schema.json")
        etree.SubElement(props, q(SPIFF, "property"), name="formUiSchemaFilename", value=f"{form}.uischema.json")
    elif node.kind == "rule":
        ext = etree.SubElement(el, q(BPMN, "extensionElements"))
        etree.SubElement(ext, q(SPIFF, "calledDecisionId")).text = attrs["decision"]
    elif node.kind == "receive":
        ext = etree.SubElement(el, q(BPMN, "extensionElements"))
        etree.SubElement(ext, q(SPIFF, "messageVariable")).text = attrs["variable"]


def _event_definition(el: etree._Element, node: Node) -> None:
    attrs = node.attrs
    if not node.is_event:
        return
    if node.attrs.get("terminate"):
        etree.SubElement(el, q(BPMN, "terminateEventDefinition"), id=f"{node.id}_def")
    elif "timer" in attrs:
        definition = etree.SubElement(el, q(BPMN, "timerEventDefinition"), id=f"{node.id}_def")
        date = etree.SubElement(definition, q(BPMN, "timeDate"))
        date.set(FORMAL, "bpmn:tFormalExpression")
        date.text = attrs["timer"]
    elif "message" in attrs:
        definition = etree.SubElement(
            el, q(BPMN, "messageEventDefinition"), id=f"{node.id}_def", messageRef=message_id(attrs["message"])
        )
        ext = etree.SubElement(definition, q(BPMN, "extensionElements"))
        if "payload" in attrs:
            etree.SubElement(ext, q(SPIFF, "messagePayload")).text = attrs["payload"]
        if "variable" in attrs:
            etree.SubElement(ext, q(SPIFF, "messageVariable")).text = attrs["variable"]


# --- diagram interchange -------------------------------------------------------------------------------------


def _diagram(root: etree._Element, process: Process, g: Geometry, collaboration_id: str, supplier: bool) -> None:
    diagram = etree.SubElement(root, q(BPMNDI, "BPMNDiagram"), id=f"diagram_{process.id}", name=process.name)
    plane = etree.SubElement(diagram, q(BPMNDI, "BPMNPlane"), id=f"vlak_{process.id}", bpmnElement=collaboration_id)
    _shape(plane, f"deelnemer_{process.id}", g.pool, isHorizontal="true")
    for lane, box in g.lanes.items():
        _shape(plane, f"baan_{slug(lane)}_{process.id}", box, isHorizontal="true")
    if supplier and g.supplier is not None:
        _shape(plane, SUPPLIER_ID, g.supplier, isHorizontal="true")
    for node in process.nodes.values():
        extra = {"isExpanded": "true"} if node.kind == "sub" else {}
        if node.kind == "xor":
            extra = {"isMarkerVisible": "true"}
        _shape(plane, node.id, g.shapes[node.id], g.labels.get(node.id), **extra)
    for note_id, box in g.notes.items():
        _shape(plane, note_id, box)
    for flow in process.flows:
        _edge(plane, flow.id, g.edges[flow.id])
    for edge_id, points in g.message_edges.items():
        _edge(plane, edge_id, points)


def _shape(plane: etree._Element, element: str, box: Box, label: Box | None = None, **extra: str) -> None:
    shape = etree.SubElement(plane, q(BPMNDI, "BPMNShape"), id=f"{element}_di", bpmnElement=element, **extra)
    _bounds(shape, box)
    if label is not None:
        _bounds(etree.SubElement(shape, q(BPMNDI, "BPMNLabel")), label)


def _bounds(parent: etree._Element, box: Box) -> None:
    etree.SubElement(parent, q(DC, "Bounds"), x=_n(box.x), y=_n(box.y), width=_n(box.w), height=_n(box.h))


def _edge(plane: etree._Element, element: str, points: list[Point]) -> None:
    edge = etree.SubElement(plane, q(BPMNDI, "BPMNEdge"), id=f"{element}_di", bpmnElement=element)
    for x, y in points:
        etree.SubElement(edge, q(DI, "waypoint"), x=_n(x), y=_n(y))


def _n(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
