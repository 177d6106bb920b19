"""Grid layout for :class:`~.model.Process`: shape bounds, lane and pool bounds, orthogonal edge routes.

Columns are ``COL_W`` wide, rows ``ROW_H`` high; lanes stack vertically under an optional supplier pool. Edges
are routed with at most three bends by a few rules (straight, elbow, back edge through a corridor below or
above); :func:`crossings` reports every edge that runs through a shape it does not connect, so a description
can be corrected instead of trusting the picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise

from .model import Flow, Node, Process

COL_W, ROW_H = 170.0, 130.0
HEADER = 30.0  # pool label band and lane label band, each
X0 = 2 * HEADER
SUPPLIER_H, GAP = 80.0, 50.0
SIZES = {"task": (120.0, 80.0), "event": (36.0, 36.0), "gateway": (50.0, 50.0)}


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        return not (
            self.right + margin <= other.x
            or other.right + margin <= self.x
            or self.bottom + margin <= other.y
            or other.bottom + margin <= self.y
        )


Point = tuple[float, float]


@dataclass
class Geometry:
    pool: Box
    supplier: Box | None
    lanes: dict[str, Box]
    shapes: dict[str, Box] = field(default_factory=dict)
    edges: dict[str, list[Point]] = field(default_factory=dict)
    message_edges: dict[str, list[Point]] = field(default_factory=dict)
    notes: dict[str, Box] = field(default_factory=dict)
    labels: dict[str, Box] = field(default_factory=dict)


def size_of(node: Node) -> tuple[float, float]:
    if node.is_event:
        return SIZES["event"]
    if node.is_gateway:
        return SIZES["gateway"]
    return SIZES["task"]


def lay_out(process: Process, supplier: bool) -> Geometry:
    top = SUPPLIER_H + GAP if supplier else 0.0
    lanes = _lanes(process, top)
    columns = max(_max_col(n) for n in process.nodes.values()) + 1
    width = X0 + columns * COL_W + 20
    pool = Box(0, top, width, sum(b.h for b in lanes.values()))
    lanes = {name: Box(HEADER, b.y, width - HEADER, b.h) for name, b in lanes.items()}
    geometry = Geometry(pool, Box(0, 0, width, SUPPLIER_H) if supplier else None, lanes)
    for node in process.nodes.values():
        if node.kind != "boundary":
            geometry.shapes[node.id] = _box(node, lanes)
    for node in process.nodes.values():
        if node.kind == "boundary":
            geometry.shapes[node.id] = _boundary_box(node, geometry.shapes[node.attrs["attached"]])
    for node in process.nodes.values():
        label = _label(node, process, geometry.shapes)
        if label is not None:
            geometry.labels[node.id] = label
    for note_id, _text, (col, row), lane in process.annotations:
        geometry.notes[note_id] = Box(X0 + col * COL_W + 10, lanes[lane].y + row * ROW_H + 20, 150, 90)
    for flow in process.flows:
        geometry.edges[flow.id] = route(flow, process, geometry)
    return geometry


def _max_col(node: Node) -> float:
    return node.attrs["cells"][2] if node.kind == "sub" else node.at[0]


def _lanes(process: Process, top: float) -> dict[str, Box]:
    boxes: dict[str, Box] = {}
    y = top
    for lane in process.lanes:
        rows = [_max_row(n) for n in process.nodes.values() if n.lane == lane]
        rows += [a[2][1] for a in process.annotations if a[3] == lane]
        height = (math.floor(max(rows, default=0)) + 1) * ROW_H
        boxes[lane] = Box(HEADER, y, 0, height)
        y += height
    return boxes


def _max_row(node: Node) -> float:
    return node.attrs["cells"][3] if node.kind == "sub" else node.at[1]


def _box(node: Node, lanes: dict[str, Box]) -> Box:
    lane = lanes[node.lane or ""]
    if node.kind == "sub":
        c0, r0, c1, r1 = node.attrs["cells"]
        x, y = X0 + c0 * COL_W + 8, lane.y + r0 * ROW_H + 6
        return Box(x, y, (c1 - c0 + 1) * COL_W - 16, (r1 - r0 + 1) * ROW_H - 12)
    w, h = size_of(node)
    w += (node.attrs.get("span", 1) - 1) * COL_W
    cx = X0 + node.at[0] * COL_W + COL_W / 2
    cy = lane.y + node.at[1] * ROW_H + ROW_H / 2
    return Box(cx - w / 2, cy - h / 2, w, h)


def _boundary_box(node: Node, host: Box) -> Box:
    slot = node.attrs.get("slot", 0)
    side = node.attrs.get("side", "bottom")
    if host.w > 200 and side == "top":  # a wide task: room for a label beside each message flow
        cx = host.x + 30 + slot * 120
    elif host.w > 200:  # a subprocess: slots from the right-hand end
        cx = host.right - 40 - slot * 46
    else:
        cx = host.x + 22 + slot * 38
    cy = host.y if side == "top" else host.bottom
    return Box(cx - 18, cy - 18, 36, 36)


def _label(node: Node, process: Process, shapes: dict[str, Box]) -> Box | None:
    """Where the name goes: gateways upper left, events below, boundary events beside their outgoing line."""
    box = shapes[node.id]
    if node.is_gateway and node.name:
        return Box(box.x - 72, box.y - 26, 94, 26)
    if node.kind == "boundary":
        if node.attrs.get("side") == "top":
            return Box(box.cx + 18, box.y - 34, 90, 30)
        host = node.attrs["attached"]
        crowded = any(
            n.kind == "boundary"
            and n.attrs["attached"] == host
            and n.attrs.get("side", "bottom") == "bottom"
            and shapes[n.id].cx > box.cx
            for n in process.nodes.values()
        )
        return Box(box.cx + 3, box.bottom + 2, 40 if crowded else 90, 40)
    if node.is_event:
        return Box(box.cx - 45, box.bottom + 4, 90, 28)
    return None


# --- routing -------------------------------------------------------------------------------------------------


def route(flow: Flow, process: Process, g: Geometry) -> list[Point]:
    src, tgt = process.nodes[flow.source], process.nodes[flow.target]
    s, t = g.shapes[src.id], g.shapes[tgt.id]
    if src.kind == "boundary":
        return _from_boundary(s, t, src.attrs.get("side", "bottom"))
    if flow.route in ("above", "below"):
        return _back_edge(s, t, flow.route)
    if abs(s.cy - t.cy) < 1:
        if t.x >= s.right:
            return [(s.right, s.cy), (t.x, t.cy)]
        return _back_edge(s, t, flow.route or "below")
    if t.x >= s.right - 1:
        return _forward_elbow(src, tgt, s, t, flow.route)
    if tgt.is_gateway and t.right <= s.x + 1:  # back into a merge gateway from below or above
        return [(s.x, s.cy), (t.cx, s.cy), (t.cx, t.bottom if t.cy < s.cy else t.y)]
    if t.right <= s.x + 1:
        exit_y = s.y if t.cy < s.cy else s.bottom
        return [(s.cx, exit_y), (s.cx, t.cy), (t.right, t.cy)]
    return _vertical(s, t)


def _from_boundary(s: Box, t: Box, side: str) -> list[Point]:
    if side == "top":  # leave from the upper right, beside a message flow that enters at the top
        start = (s.cx + 13, s.cy - 13)
        enter = t.x if t.x >= start[0] else t.right
        return [start, (start[0], t.cy), (enter, t.cy)]
    start = (s.cx, s.bottom)
    if t.x <= s.cx <= t.right:
        return [start, (s.cx, t.bottom if t.cy < s.cy else t.y)]
    enter = t.x if t.x >= s.cx else t.right
    return [start, (s.cx, t.cy), (enter, t.cy)]


def _forward_elbow(src: Node, tgt: Node, s: Box, t: Box, hint: str | None) -> list[Point]:
    below = t.cy > s.cy
    if hint == "vh" or (hint is None and (src.is_gateway or src.is_event)):
        if t.x <= s.cx <= t.right:
            return [(s.cx, s.bottom if below else s.y), (s.cx, t.y if below else t.bottom)]
        return [(s.cx, s.bottom if below else s.y), (s.cx, t.cy), (t.x, t.cy)]
    if hint == "hv" or (hint is None and tgt.is_gateway):
        return [(s.right, s.cy), (t.cx, s.cy), (t.cx, t.y if below else t.bottom)]
    middle = t.x - 25
    return [(s.right, s.cy), (middle, s.cy), (middle, t.cy), (t.x, t.cy)]


def _back_edge(s: Box, t: Box, where: str) -> list[Point]:
    if where == "above":
        y = min(s.y, t.y) - 22
        return [(s.cx, s.y), (s.cx, y), (t.cx, y), (t.cx, t.y)]
    y = max(s.bottom, t.bottom) + 46  # below the labels of events and gateways
    return [(s.cx, s.bottom), (s.cx, y), (t.cx, y), (t.cx, t.bottom)]


def _vertical(s: Box, t: Box) -> list[Point]:
    below = t.cy > s.cy
    start = (s.cx, s.bottom if below else s.y)
    end_y = t.y if below else t.bottom
    if abs(s.cx - t.cx) < 1:
        return [start, (t.cx, end_y)]
    middle = (start[1] + end_y) / 2
    return [start, (s.cx, middle), (t.cx, middle), (t.cx, end_y)]


def message_route(node: Node, g: Geometry) -> list[Point]:
    """A vertical message flow between ``node`` and the supplier pool above (direction by node kind)."""
    assert g.supplier is not None
    box = g.shapes[node.id]
    points = [(box.cx, g.supplier.bottom), (box.cx, box.y)]
    outgoing = node.kind in ("throw", "send") or (node.kind == "end" and "message" in node.attrs)
    return list(reversed(points)) if outgoing else points


# --- checks --------------------------------------------------------------------------------------------------


def crossings(process: Process, g: Geometry) -> list[str]:
    """Human-readable problems: overlapping shapes, edges through shapes, nodes outside their lane."""
    problems = []
    solid = {k: b for k, b in g.shapes.items() if process.nodes[k].kind != "sub"}
    ids = list(solid)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if _related(process, a, b):
                continue
            if solid[a].overlaps(solid[b]):
                problems.append(f"shapes overlap: {a} / {b}")
    for sub in (n for n in process.nodes.values() if n.kind == "sub"):
        for node_id, box in solid.items():
            inside = process.nodes[node_id].parent == sub.id
            if not inside and not _related(process, node_id, sub.id) and box.overlaps(g.shapes[sub.id]):
                problems.append(f"shape {node_id} overlaps subprocess {sub.id}")
    for flow in process.flows:
        problems += _edge_problems(flow.id, g.edges[flow.id], {flow.source, flow.target}, process, solid)
    for edge_id, points in g.message_edges.items():
        problems += _edge_problems(edge_id, points, {edge_id.removeprefix("mf_")}, process, solid)
    for node in process.nodes.values():
        lane = g.lanes[node.lane or ""]
        box = g.shapes[node.id]
        if node.kind != "boundary" and not (lane.y <= box.y and box.bottom <= lane.bottom):
            problems.append(f"{node.id} sticks out of lane {node.lane}")
    return problems


def _related(process: Process, a: str, b: str) -> bool:
    na, nb = process.nodes[a], process.nodes[b]
    return na.attrs.get("attached") == b or nb.attrs.get("attached") == a


def _edge_problems(
    edge_id: str, points: list[Point], ends: set[str], process: Process, solid: dict[str, Box]
) -> list[str]:
    hosts = {process.nodes[e].attrs.get("attached") for e in ends if e in process.nodes}
    problems = []
    for node_id, box in solid.items():
        if node_id in ends or node_id in hosts:
            continue
        inner = Box(box.x + 2, box.y + 2, box.w - 4, box.h - 4)
        if any(_segment_hits(p, q, inner) for p, q in pairwise(points)):
            problems.append(f"edge {edge_id} runs through {node_id}")
    return problems


def _segment_hits(p: Point, q: Point, box: Box) -> bool:
    (x1, y1), (x2, y2) = p, q
    if abs(y1 - y2) < 0.5:
        return box.y <= y1 <= box.bottom and min(x1, x2) <= box.right and max(x1, x2) >= box.x
    if abs(x1 - x2) < 0.5:
        return box.x <= x1 <= box.right and min(y1, y2) <= box.bottom and max(y1, y2) >= box.y
    return False
