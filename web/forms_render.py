"""JSON Schema + UI schema → a tree of fields for the Jinja2 macros, and posted form data → JSON data.

The macros in ``templates/macros/form.html`` draw each field kind: text, long text, number, money, date, choice
(select or radio, from ``enum`` or ``oneOf`` consts), yes/no, checkboxes (array of choices), groups (objects) and
repeatable groups (arrays of objects). HTML field names are dotted paths (``pogingen.0.datum``), the same paths
the engine's :class:`~engine.FieldError` carries, so errors land on their field. Adding or removing a row of a
repeatable group is a plain submit button: it works without JavaScript.

A nullable property (``"type": ["number", "null"]``, or an ``anyOf``/``oneOf`` of one schema and
``{"type": "null"}``) is drawn as its non-null kind; an empty field is left out of the data, as for any field.
Numbers are shown back in Dutch notation (``1234,50``), whatever the interface language: see :func:`_number`.

A choice is read back as the JSON value of its option, whatever its type (``2``, ``1.5``, ``true``, ``null``,
``"gas"``): the posted text is looked up among the options (see :func:`option_text`), so an integer choice
passes the schema's ``enum``/``const`` check. A ``null`` in the choices themselves (``"enum": ["ja", "nee",
null]``, or a ``{"const": null, "title": "Onbekend"}`` option) is an option of its own, posted as
:data:`NULL_CHOICE`: see there for how it differs from a choice left empty.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from engine.forms import ambiguous_number

Schema = dict[str, Any]

# The posted text of the option whose value is JSON null ("Onbekend"). It differs from the empty text of the
# select's first option ("— kies —") and from a radio group with nothing checked: those mean "not answered", so
# the property is left out of the data (and a required one is then refused as missing), while this one is an
# answer, read as ``None`` and kept in the data, which a schema that allows null accepts. Not a text a choice
# of its own would have; a string option with exactly this text would be read as null.
NULL_CHOICE = "__null__"


@dataclass
class Field:
    name: str
    label: str
    kind: str
    required: bool = False
    help: str = ""
    value: Any = None
    error: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    items: list[list[Field]] = field(default_factory=list)
    minimum: Any = None
    maximum: Any = None
    max_length: int | None = None

    @property
    def id(self) -> str:
        return "veld-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name)


def _is_null(schema: Any) -> bool:
    """A schema that only allows ``null``: ``{"type": "null"}``, ``{"const": null}`` or ``{"enum": [null]}``."""
    if not isinstance(schema, dict):
        return False
    only_null = schema.get("type") == "null" or schema.get("enum") == [None]
    return only_null or ("const" in schema and schema["const"] is None)


def nonnull(schema: Schema) -> Schema:
    """The schema a nullable property is drawn and read as: ``"type": [X, "null"]`` becomes ``X``; an ``anyOf`` or
    ``oneOf`` of one schema and a null schema becomes that schema, with the property's own keywords (title,
    description) kept. Choices (``const`` options) lose a ``{"type": "null"}`` branch, which only makes them
    optional (an empty field is left out), but keep a ``{"const": null}`` option: an answer of its own, as a
    ``null`` in an ``enum`` is."""
    kinds = schema.get("type")
    if isinstance(kinds, list):
        rest = [kind for kind in kinds if kind != "null"]
        if len(rest) == 1:  # more than one kind left (["string", "number"]): no single widget, drawn as text
            schema = {**schema, "type": rest[0]}
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if not isinstance(branches, list) or not any(_is_null(b) for b in branches):
            continue
        choices = all(isinstance(b, dict) and ("const" in b or _is_null(b)) for b in branches)
        rest = [b for b in branches if not _is_null(b) or (choices and "const" in b)]
        outer = {k: v for k, v in schema.items() if k != key}
        if len(rest) == 1 and isinstance(rest[0], dict) and "const" not in rest[0]:  # one choice stays a choice
            return nonnull({**rest[0], **outer})
        return {**outer, key: rest}
    return schema


def _choices(schema: Schema) -> list[tuple[Any, Any]]:
    """The choices of a property as (JSON value, title or None): from ``oneOf`` consts or an ``enum``; none for
    other schemas."""
    schema = nonnull(schema)
    branches = schema.get("oneOf")
    if isinstance(branches, list) and branches and all(isinstance(o, dict) and "const" in o for o in branches):
        return [(o["const"], o.get("title")) for o in branches]
    if isinstance(schema.get("enum"), list):
        return [(value, None) for value in schema["enum"]]
    return []


def _label(value: Any) -> str:
    """An option without a title: its value, numbers in Dutch notation, null as "Onbekend"."""
    if value is None:
        return _("Onbekend")
    if isinstance(value, bool):
        return _("Ja") if value else _("Nee")
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def option_text(value: Any) -> str:
    """The text an option posts for its JSON value, and that a stored value is shown as to select it again:
    strings as they are, ``ja``/``nee`` for booleans, :data:`NULL_CHOICE` for null, numbers as digits (``2``
    also for ``2.0``, equal in JSON Schema). Reading a choice looks the posted text up among these texts."""
    if value is None:
        return NULL_CHOICE
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def options_of(schema: Schema) -> list[tuple[str, str]]:
    """The options of a choice as (posted text, label)."""
    return [(option_text(value), _label(value) if title is None else str(title)) for value, title in _choices(schema)]


def _chosen(schema: Schema, text: str) -> Any:
    """The JSON value of the option that posted ``text`` (``None`` for the null option); a text that is no
    option's stays text, which the schema then refuses."""
    for value, _title in _choices(schema):
        if option_text(value) == text:
            return value
    return text


def kind_of(name: str, schema: Schema, ui: Schema) -> str:
    schema = nonnull(schema)
    widget = ui.get("ui:widget", "")
    kind = schema.get("type")
    if kind == "object":
        return "group"
    if kind == "array":
        items = nonnull(schema.get("items", {}))
        return "repeat" if items.get("type") == "object" else "checkboxes"
    choices = _choices(schema)
    if kind == "boolean" and all(value is not None for value, _title in choices):
        return "boolean"  # yes/no; with a null option ("Onbekend") it is a choice like any other
    if choices:
        return "radio" if widget == "radio" else "select"
    if kind == "integer":
        return "integer"
    if kind == "number":
        money = widget == "money" or "bedrag" in name or schema.get("multipleOf") == 0.01
        return "money" if money else "number"
    if schema.get("format") == "date":
        return "date"
    return "textarea" if widget == "textarea" else "text"


def ordered(schema: Schema, ui: Schema) -> list[str]:
    names = list(schema.get("properties", {}))
    order = [n for n in ui.get("ui:order", []) if n in names]
    return order + [n for n in names if n not in order]


def build(schema: Schema, ui: Schema, data: Any, errors: dict[str, str], prefix: str = "") -> list[Field]:
    schema = nonnull(schema)
    required = set(schema.get("required", []))
    values = data if isinstance(data, dict) else {}
    return [
        _field(
            f"{prefix}{name}",
            name,
            schema["properties"][name],
            ui.get(name, {}),
            values.get(name),
            name in required,
            errors,
            present=name in values,
        )
        for name in ordered(schema, ui)
    ]


def _field(
    path: str,
    name: str,
    schema: Schema,
    ui: Schema,
    value: Any,
    required: bool,
    errors: dict[str, str],
    present: bool = True,
) -> Field:
    schema = nonnull(schema)
    kind = kind_of(name, schema, ui)
    result = Field(
        name=path,
        label=str(ui.get("ui:title") or schema.get("title") or name.replace("_", " ").capitalize()),
        kind=kind,
        required=required,
        help=str(ui.get("ui:help") or schema.get("description") or ""),
        error=errors.get(path),
        options=options_of(schema.get("items", {})) if kind == "checkboxes" else options_of(schema),
        minimum=schema.get("minimum"),
        maximum=schema.get("maximum"),
        max_length=schema.get("maxLength"),
    )
    if kind == "group":
        result.children = build(schema, ui, value, errors, f"{path}.")
    elif kind == "repeat":
        rows = value if isinstance(value, list) else []
        item_ui = ui.get("items", {})
        result.items = [build(schema["items"], item_ui, row, errors, f"{path}.{i}.") for i, row in enumerate(rows)]
    elif kind in ("select", "radio"):
        result.value = option_text(value) if present else ""  # a null in the data: the null option is selected
    else:
        result.value = _shown(value, kind)
    return result


def _shown(value: Any, kind: str = "text") -> Any:
    """The text a field shows for its value; text that did not parse (``abc`` in a number field) stays as typed."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return [option_text(v) for v in value]
    if value is None:
        return ""
    if kind in ("integer", "number", "money") and isinstance(value, int | float):
        return _number(value, money=kind == "money")
    return str(value)


def _number(value: int | float, money: bool = False) -> str:
    """Dutch notation without thousands separators: ``1234,5`` (a number), ``1234,50`` (money, at least two
    decimals; more only when the value has them), ``12`` (a whole number). Never an exponent.

    The same notation in both interface languages, on purpose: :func:`_convert` reads a comma as the decimal
    separator whatever the language, so English notation with grouping (``1,234.50``) would come back as
    1.2345; amounts are Dutch amounts everywhere else in the app (the case file, the messages' examples); and a
    value does not change its look when a caseworker switches the language halfway through a form. Every shown
    value parses back to the same number: ``_convert(kind, _number(v)) == v``.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value == 0:
        value = abs(value)  # no "-0"
    # a whole number with every digit, so that it reads back as exactly this number; a fraction with the
    # shortest digits that read back as this float
    whole_number = isinstance(value, int) or value.is_integer()
    digits = str(int(value)) if whole_number else format(Decimal(repr(value)), "f")
    whole, _, fraction = digits.partition(".")
    fraction = fraction.ljust(2, "0") if money else fraction.rstrip("0")
    return f"{whole},{fraction}" if fraction else whole


# --- posted form → data -----------------------------------------------------------------------------------


def parse(schema: Schema, ui: Schema, form: MultiDict[str, str], prefix: str = "") -> dict[str, Any]:
    schema = nonnull(schema)
    data: dict[str, Any] = {}
    for name in ordered(schema, ui):
        value = _parse_one(f"{prefix}{name}", name, schema["properties"][name], ui.get(name, {}), form)
        if value is _NULL:
            data[name] = None
        elif value is not None:
            data[name] = value
    return data


def _parse_one(path: str, name: str, schema: Schema, ui: Schema, form: MultiDict[str, str]) -> Any:
    schema = nonnull(schema)
    kind = kind_of(name, schema, ui)
    if kind == "group":
        return parse(schema, ui, form, f"{path}.") or None
    if kind == "repeat":
        rows = [parse(schema["items"], ui.get("items", {}), form, f"{path}.{i}.") for i in _indices(form, path)]
        return rows or None
    if kind == "checkboxes":
        items = schema.get("items", {})
        return [_chosen(items, v) for v in form.getlist(path) if v] or None
    text = form.get(path, "").strip()
    if text == "":
        return None
    if kind in ("select", "radio"):
        value = _chosen(schema, text)
        return _NULL if value is None else value
    return _convert(kind, text)


# What _parse_one returns for the null option chosen: kept in the data as None (None itself means left out).
_NULL = object()


def _indices(form: MultiDict[str, str], path: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(path)}\.(\d+)(?:\.|$)")
    found = {int(m.group(1)) for key in form for m in [pattern.match(key)] if m}
    return sorted(found)


def _convert(kind: str, text: str) -> Any:
    """Typed values where the text allows; otherwise the text itself, which the schema then reports as wrong."""
    if kind == "boolean":
        return {"ja": True, "nee": False}.get(text, text)
    if kind == "integer" and re.fullmatch(r"-?\d+", text):
        return int(text)
    if kind in ("number", "money"):
        plain = _plain_number(text.replace("€", "").replace(" ", ""))
        if plain is None:
            return text
        if kind == "number" and re.fullmatch(r"-?\d+", plain):
            return int(plain)  # exact, also beyond a float's 53 bits
        if re.fullmatch(r"-?\d+(\.\d+)?", plain):
            number = float(plain)
            return int(number) if number.is_integer() and kind == "number" else number
    return text


# Dutch notation: a decimal comma, dots only between groups of three digits ("1.234,50"); or a plain number.
_DUTCH_NUMBER = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+")
_THOUSANDS = re.compile(r"-?\d{1,3}(?:\.\d{3}){2,}")  # "12.345.678": two dots or more can only group thousands


def _plain_number(text: str) -> str | None:
    """``text`` as a number with a decimal point (``"1234.50"``), or None when it is not one or cannot be read
    unambiguously. A comma is the decimal separator (dots then only group thousands); without a comma, dots
    group thousands when there are two or more (``12.345.678``), and one dot is a decimal point — except in
    ``1.234``, which a Dutch reader takes for a thousand and more and an English one for one and a bit: that is
    refused (the field asks again) rather than read as a thousand times less or more than meant. The refused
    text stays in the data; the engine's type message then names both readings (``engine.forms``, where the
    rule lives: :func:`~engine.forms.ambiguous_number`)."""
    if "," in text:
        return text.replace(".", "").replace(",", ".") if _DUTCH_NUMBER.fullmatch(text) else None
    if _THOUSANDS.fullmatch(text):
        return text.replace(".", "")
    if ambiguous_number(text):
        return None
    return text


def edit_rows(data: dict[str, Any], action: str) -> dict[str, Any]:
    """Apply "toevoegen:<path>" (add an empty row) or "verwijderen:<path>.<index>" to the data."""
    verb, _, path = action.partition(":")
    parts = path.split(".")
    if verb == "verwijderen" and parts[-1].isdigit():
        rows = _list_at(data, parts[:-1])
        index = int(parts[-1])
        if rows is not None and index < len(rows):
            rows.pop(index)
    elif verb == "toevoegen":
        rows = _list_at(data, parts, create=True)
        if rows is not None:
            rows.append({})
    return data


def _list_at(data: Any, parts: list[str], create: bool = False) -> list[Any] | None:
    node = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node and create:
                node[part] = [] if last else {}
            node = node.get(part)
        else:
            return None
    return node if isinstance(node, list) else None


def error_map(errors: list[Any]) -> dict[str, str]:
    """FieldError list → {path: first message}."""
    found: dict[str, str] = {}
    for error in errors:
        found.setdefault(error.path, error.message)
    return found


def labels(fields: list[Field]) -> dict[str, str]:
    """Every field path → its label (with the row number for repeatable groups), for the error summary."""
    found: dict[str, str] = {}
    for f in fields:
        found[f.name] = f.label
        found.update(labels(f.children))
        for number, row in enumerate(f.items, start=1):
            for path, label in labels(row).items():
                found[path] = f"{f.label} {number}: {label}"
    return found
