"""A compact description of a BPMN process: nodes on a grid, flows between them, lanes.

The descriptions in this package build :class:`Process` objects; :mod:`.bpmn_xml` writes them as Spiff-dialect
BPMN with diagram interchange computed by :mod:`.layout`. Positions are grid cells ``(column, row)`` inside a
lane; the layout turns them into coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

TASK_KINDS = {"user", "script", "rule", "call", "send", "receive", "sub"}
EVENT_KINDS = {"start", "end", "throw", "catch", "boundary"}
GATEWAY_KINDS = {"xor", "and"}


@dataclass
class Node:
    id: str
    kind: str
    name: str
    lane: str | None
    at: tuple[float, float]
    doc: str | None = None
    parent: str | None = None  # id of the embedded subprocess holding this node
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def is_task(self) -> bool:
        return self.kind in TASK_KINDS

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def is_gateway(self) -> bool:
        return self.kind in GATEWAY_KINDS


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str | None = None
    condition: str | None = None
    route: str | None = None  # layout hint: "above" or "below" for back edges, "hv"/"vh" for elbows


class Process:
    """One BPMN process with lanes; nodes are added with the helpers below, in reading order."""

    def __init__(self, process_id: str, name: str, lanes: list[str], doc: str = "") -> None:
        self.id = process_id
        self.name = name
        self.lanes = lanes
        self.doc = doc
        self.nodes: dict[str, Node] = {}
        self.flows: list[Flow] = []
        self.defaults: dict[str, str] = {}  # gateway id -> default flow id
        self.annotations: list[tuple[str, str, tuple[float, float], str]] = []  # id, text, at, lane

    # --- nodes --------------------------------------------------------------------------------------------

    def add(self, kind: str, node_id: str, name: str, lane: str | None, at: tuple[float, float], **attrs: Any) -> Node:
        if node_id in self.nodes:
            raise ValueError(f"duplicate node id {node_id}")
        doc = attrs.pop("doc", None)
        parent = attrs.pop("parent", None)
        if parent is not None and lane is None:
            lane = self.nodes[parent].lane
        node = Node(node_id, kind, name, lane, at, doc, parent, attrs)
        self.nodes[node_id] = node
        return node

    def start(self, node_id: str, name: str, lane: str | None, at: tuple[float, float], **attrs: Any) -> Node:
        return self.add("start", node_id, name, lane, at, **attrs)

    def end(self, node_id: str, name: str, lane: str | None, at: tuple[float, float], **attrs: Any) -> Node:
        return self.add("end", node_id, name, lane, at, **attrs)

    def user(
        self, node_id: str, name: str, lane: str | None, at: tuple[float, float], form: str, doc: str, **attrs: Any
    ) -> Node:
        return self.add("user", node_id, name, lane, at, form=form, doc=doc, **attrs)

    def script(
        self, node_id: str, name: str, lane: str | None, at: tuple[float, float], script: str, doc: str, **attrs: Any
    ) -> Node:
        return self.add("script", node_id, name, lane, at, script=script, doc=doc, **attrs)

    def rule(
        self, node_id: str, name: str, lane: str | None, at: tuple[float, float], decision: str, doc: str, **attrs: Any
    ) -> Node:
        return self.add("rule", node_id, name, lane, at, decision=decision, doc=doc, **attrs)

    def call(
        self, node_id: str, name: str, lane: str | None, at: tuple[float, float], called: str, doc: str, **attrs: Any
    ) -> Node:
        return self.add("call", node_id, name, lane, at, called=called, doc=doc, **attrs)

    def xor(self, node_id: str, name: str, lane: str | None, at: tuple[float, float], **attrs: Any) -> Node:
        return self.add("xor", node_id, name, lane, at, **attrs)

    def throw(
        self,
        node_id: str,
        name: str,
        lane: str | None,
        at: tuple[float, float],
        message: str,
        payload: str,
        **attrs: Any,
    ) -> Node:
        return self.add("throw", node_id, name, lane, at, message=message, payload=payload, **attrs)

    def receive(
        self,
        node_id: str,
        name: str,
        lane: str | None,
        at: tuple[float, float],
        message: str,
        variable: str,
        doc: str,
        **attrs: Any,
    ) -> Node:
        return self.add("receive", node_id, name, lane, at, message=message, variable=variable, doc=doc, **attrs)

    def timer(
        self, node_id: str, name: str, host: str, expression: str, slot: int = 0, interrupting: bool = False
    ) -> Node:
        """A boundary timer on ``host``: the date expression (Python, an ISO string with offset)."""
        return self._boundary(node_id, name, host, slot, interrupting, timer=expression)

    def on_message(
        self,
        node_id: str,
        name: str,
        host: str,
        message: str,
        variable: str,
        slot: int = 0,
        interrupting: bool = True,
        side: str = "bottom",
    ) -> Node:
        return self._boundary(node_id, name, host, slot, interrupting, message=message, variable=variable, side=side)

    def _boundary(self, node_id: str, name: str, host: str, slot: int, interrupting: bool, **attrs: Any) -> Node:
        hosted = self.nodes[host]
        return self.add(
            "boundary",
            node_id,
            name,
            hosted.lane,
            hosted.at,
            parent=hosted.parent,
            attached=host,
            slot=slot,
            interrupting=interrupting,
            **attrs,
        )

    def sub(self, node_id: str, name: str, lane: str, cells: tuple[float, float, float, float], doc: str) -> Node:
        """An expanded embedded subprocess covering grid cells (col0, row0, col1, row1), all in one lane."""
        return self.add("sub", node_id, name, lane, (cells[0], cells[1]), cells=cells, doc=doc)

    def note(self, note_id: str, text: str, lane: str, at: tuple[float, float]) -> None:
        self.annotations.append((note_id, text, at, lane))

    # --- flows --------------------------------------------------------------------------------------------

    def flow(
        self,
        source: str,
        target: str,
        name: str | None = None,
        condition: str | None = None,
        default: bool = False,
        route: str | None = None,
    ) -> Flow:
        for end in (source, target):
            if end not in self.nodes:
                raise ValueError(f"flow {source}->{target}: unknown node {end}")
        flow = Flow(f"f_{source}__{target}", source, target, name, condition, route)
        self.flows.append(flow)
        if default:
            self.defaults[source] = flow.id
        return flow

    def chain(self, *ids: str) -> None:
        for source, target in pairwise(ids):
            self.flow(source, target)

    def children(self, parent: str | None) -> list[Node]:
        return [n for n in self.nodes.values() if n.parent == parent]

    def messages(self) -> list[str]:
        names = {n.attrs["message"] for n in self.nodes.values() if "message" in n.attrs}
        return sorted(names)
