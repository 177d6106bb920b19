"""Decision tables described as data, written as DMN 1.3 with diagram interchange (one decision shape)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

DMN = "https://www.omg.org/spec/DMN/20191111/MODEL/"
DMNDI = "https://www.omg.org/spec/DMN/20191111/DMNDI/"
DC = "http://www.omg.org/spec/DMN/20180521/DC/"
NSMAP = {None: DMN, "dmndi": DMNDI, "dc": DC}


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    expression: str  # input: a Python expression over the task data; output: the data key it sets
    type_ref: str = "string"


@dataclass(frozen=True)
class Rule:
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    note: str = ""


@dataclass
class Table:
    decision_id: str
    name: str
    hit_policy: str
    inputs: list[Column]
    outputs: list[Column]
    rules: list[Rule] = field(default_factory=list)
    doc: str = ""

    def row(self, inputs: tuple[str, ...], outputs: tuple[str, ...], note: str = "") -> None:
        if len(inputs) != len(self.inputs) or len(outputs) != len(self.outputs):
            raise ValueError(f"{self.decision_id}: row {inputs} / {outputs} has the wrong number of cells")
        self.rules.append(Rule(inputs, outputs, note))


def _q(tag: str, ns: str = DMN) -> str:
    return f"{{{ns}}}{tag}"


def render(table: Table, header: str) -> str:
    root = etree.Element(_q("definitions"), nsmap=NSMAP)
    root.set("id", f"definities_{table.decision_id}")
    root.set("name", table.name)
    root.set("namespace", "https://vangnet.example/beslissingen")
    root.set("exporter", "Vangnet tools/procedure")
    root.set("exporterVersion", "1")
    root.append(etree.Comment(header))
    decision = etree.SubElement(root, _q("decision"), id=table.decision_id, name=table.name)
    if table.doc:
        etree.SubElement(decision, _q("description")).text = table.doc
    dt = etree.SubElement(decision, _q("decisionTable"), id=f"tabel_{table.decision_id}", hitPolicy=table.hit_policy)
    for column in table.inputs:
        el = etree.SubElement(dt, _q("input"), id=column.id, label=column.label)
        expr = etree.SubElement(el, _q("inputExpression"), id=f"{column.id}_expressie", typeRef=column.type_ref)
        etree.SubElement(expr, _q("text")).text = column.expression
    for column in table.outputs:
        etree.SubElement(
            dt, _q("output"), id=column.id, label=column.label, name=column.expression, typeRef=column.type_ref
        )
    for number, rule in enumerate(table.rules, start=1):
        rule_el = etree.SubElement(dt, _q("rule"), id=f"{table.decision_id}_regel_{number}")
        if rule.note:
            etree.SubElement(rule_el, _q("description")).text = rule.note
        for index, cell in enumerate(rule.inputs):
            entry = etree.SubElement(rule_el, _q("inputEntry"), id=f"{table.decision_id}_r{number}_i{index + 1}")
            etree.SubElement(entry, _q("text")).text = cell
        for index, cell in enumerate(rule.outputs):
            entry = etree.SubElement(rule_el, _q("outputEntry"), id=f"{table.decision_id}_r{number}_o{index + 1}")
            etree.SubElement(entry, _q("text")).text = cell
    _diagram(root, table)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def _diagram(root: etree._Element, table: Table) -> None:
    dmndi = etree.SubElement(root, _q("DMNDI", DMNDI))
    diagram = etree.SubElement(dmndi, _q("DMNDiagram", DMNDI), id=f"diagram_{table.decision_id}")
    shape = etree.SubElement(
        diagram, _q("DMNShape", DMNDI), id=f"{table.decision_id}_di", dmnElementRef=table.decision_id
    )
    etree.SubElement(shape, _q("Bounds", DC), height="80", width="180", x="160", y="100")
