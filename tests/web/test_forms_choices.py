"""Choices in the rendered task forms (``web/forms_render.py``): a select or radio group posts text, which is
read back as the JSON value of its option (``2``, ``1.5``, ``false``, ``null``), not as the text, so that the
engine's ``enum``/``const`` check accepts it; and a stored value is shown selected again. A ``null`` among the
choices ("Onbekend") is an answer of its own, unlike a choice left empty."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from engine import DataInvalid
from engine.forms import validate_data
from engine.settings import Settings
from web.forms_render import NULL_CHOICE, Field, build, kind_of, options_of, parse

from ..helpers import record_completions
from .conftest import vangnet_of
from .test_forms_values import _claimed, settings_with_triage_fields
from .test_pages import TRIAGE_OK


def _form(field: dict[str, Any], required: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": {"veld": field}, "additionalProperties": False}
    if required:
        schema["required"] = ["veld"]
    return schema


def _drawn(schema: dict[str, Any], data: dict[str, Any], ui: dict[str, Any] | None = None) -> Field:
    (field,) = build(schema, ui or {}, data, {})
    return field


def _messages(schema: dict[str, Any], data: dict[str, Any]) -> list[str]:
    try:
        validate_data(schema, data)
    except DataInvalid as invalid:
        return [error.message for error in invalid.errors]
    return []


# --- typed choices ------------------------------------------------------------------------------------------

INTEGER_ONE_OF = {"type": "integer", "oneOf": [{"const": 1, "title": "Eén"}, {"const": 2, "title": "Twee"}]}

TYPED = [
    ({"type": "integer", "enum": [1, 2, 3]}, "2", 2),
    (INTEGER_ONE_OF, "2", 2),
    ({"type": ["integer", "null"], "enum": [1, 2, None]}, "1", 1),
    ({"oneOf": [{"const": 0}, {"const": 10}, {"type": "null"}]}, "0", 0),
    ({"type": "number", "enum": [0.5, 1.5]}, "1.5", 1.5),
    ({"type": "number", "enum": [0.5, 2.0]}, "2", 2.0),
    ({"enum": [True, False]}, "nee", False),
    ({"enum": [1, "twee"]}, "twee", "twee"),
    ({"type": "string", "enum": ["gas", "stroom"]}, "gas", "gas"),  # strings as before
    ({"type": "string", "oneOf": [{"const": "P1", "title": "P1 — spoed"}, {"const": "P2"}]}, "P1", "P1"),
]


@pytest.mark.parametrize("widget", ["select", "radio"])
@pytest.mark.parametrize(("field", "text", "value"), TYPED)
def test_a_choice_is_read_as_the_type_of_its_option_and_shown_selected_again(
    field: dict[str, Any], text: str, value: Any, widget: str
) -> None:
    ui = {"veld": {"ui:widget": widget}}
    schema = _form(field)
    assert kind_of("veld", field, ui["veld"]) == widget
    data = parse(schema, ui, MultiDict({"veld": text}))
    assert data == {"veld": value} and type(data["veld"]) is type(value)
    assert _messages(schema, data) == []  # the engine's enum/const check accepts it
    drawn = _drawn(schema, data, ui)
    assert drawn.value == text and text in [option for option, _label in drawn.options]


def test_the_options_post_their_value_and_show_their_title_or_the_value_in_dutch() -> None:
    assert options_of(INTEGER_ONE_OF) == [("1", "Eén"), ("2", "Twee")]
    assert options_of({"type": "number", "enum": [0.5, 1234.5, 2.0]}) == [
        ("0.5", "0,5"),
        ("1234.5", "1234,5"),
        ("2", "2"),
    ]
    assert options_of({"enum": [True, False]}) == [("ja", "Ja"), ("nee", "Nee")]


def test_a_stored_whole_number_selects_its_option_whatever_its_json_type() -> None:
    schema = _form({"type": "number", "enum": [1.0, 2.0]})
    assert _drawn(schema, {"veld": 2}).value == "2"
    assert _drawn(_form({"type": "integer", "enum": [1, 2]}), {"veld": 2.0}).value == "2"
    assert _drawn(_form({"type": "integer", "enum": [1, 2]}), {"veld": "2"}).value == "2"  # a draft saved before


def test_text_that_is_no_option_stays_text_and_is_refused() -> None:
    schema = _form({"type": "integer", "enum": [1, 2, 3]})
    data = parse(schema, {}, MultiDict({"veld": "7"}))
    assert data == {"veld": "7"}
    assert "Kies een van: 1, 2, 3." in _messages(schema, data)
    assert _drawn(schema, data).value == "7"  # no option selected


def test_checkboxes_of_numbers_are_read_as_numbers_and_shown_checked_again() -> None:
    schema = _form({"type": "array", "items": {"type": "integer", "enum": [1, 2, 3]}})
    data = parse(schema, {}, MultiDict([("veld", "1"), ("veld", "3")]))
    assert data == {"veld": [1, 3]}
    assert _messages(schema, data) == []
    assert _drawn(schema, data).value == ["1", "3"]


def test_choices_in_rows_are_typed_too() -> None:
    row = {
        "type": "object",
        "properties": {"keuze": {"type": "integer", "enum": [1, 2]}, "weet": {"enum": ["ja", None]}},
    }
    schema = _form({"type": "array", "items": row})
    form = MultiDict({"veld.0.keuze": "2", "veld.0.weet": NULL_CHOICE, "veld.1.keuze": "", "veld.1.weet": "ja"})
    data = parse(schema, {}, form)
    assert data == {"veld": [{"keuze": 2, "weet": None}, {"weet": "ja"}]}
    assert _messages(schema, data) == []
    rows = _drawn(schema, data).items
    assert [[f.value for f in fields] for fields in rows] == [["2", NULL_CHOICE], ["", "ja"]]


# --- an explicit null choice --------------------------------------------------------------------------------

NULL_CHOICES = [
    (
        {"type": ["string", "null"], "enum": ["ja", "nee", None]},
        [("ja", "ja"), ("nee", "nee"), (NULL_CHOICE, "Onbekend")],
    ),
    (
        {"type": ["string", "null"], "oneOf": [{"const": "ja", "title": "Ja"}, {"const": None, "title": "Weet niet"}]},
        [("ja", "Ja"), (NULL_CHOICE, "Weet niet")],
    ),
    ({"oneOf": [{"const": 1, "title": "Eén"}, {"const": None}]}, [("1", "Eén"), (NULL_CHOICE, "Onbekend")]),
    (
        {"type": ["boolean", "null"], "enum": [True, False, None]},
        [("ja", "Ja"), ("nee", "Nee"), (NULL_CHOICE, "Onbekend")],
    ),
]


@pytest.mark.parametrize("widget", ["select", "radio"])
@pytest.mark.parametrize(("field", "options"), NULL_CHOICES)
def test_an_explicit_null_choice_is_offered_posted_back_as_null_and_shown_selected(
    field: dict[str, Any], options: list[tuple[str, str]], widget: str
) -> None:
    ui = {"veld": {"ui:widget": widget}}
    schema = _form(field, required=True)
    assert kind_of("veld", field, ui["veld"]) == widget
    assert options_of(field) == options
    data = parse(schema, ui, MultiDict({"veld": NULL_CHOICE}))
    assert data == {"veld": None} and "veld" in data
    assert _messages(schema, data) == []  # null is an answer: also a required field accepts it
    assert _drawn(schema, data, ui).value == NULL_CHOICE


@pytest.mark.parametrize(("field", "options"), NULL_CHOICES)
def test_a_choice_left_empty_is_not_the_null_choice(field: dict[str, Any], options: list[tuple[str, str]]) -> None:
    schema = _form(field, required=True)
    data = parse(schema, {}, MultiDict({"veld": ""}))
    assert data == {}
    assert _messages(schema, data) == ["Dit veld is verplicht."]
    assert _drawn(schema, data).value == ""  # "— kies —", not "Onbekend"
    assert parse(schema, {}, MultiDict()) == {}  # a radio group with nothing checked posts nothing


def test_a_boolean_with_a_null_choice_reads_yes_and_no_as_booleans() -> None:
    field = {"type": ["boolean", "null"], "enum": [True, False, None]}
    assert parse(_form(field), {}, MultiDict({"veld": "ja"})) == {"veld": True}
    assert parse(_form(field), {}, MultiDict({"veld": "nee"})) == {"veld": False}
    assert _drawn(_form(field), {"veld": False}).value == "nee"
    assert kind_of("veld", {"type": ["boolean", "null"]}, {}) == "boolean"  # without null choice: yes/no as before


# --- the task page ------------------------------------------------------------------------------------------

CHOICE_FIELDS = {
    "urgentie": {
        "type": "integer",
        "title": "Urgentie",
        "oneOf": [{"const": 1, "title": "Eén"}, {"const": 2, "title": "Twee"}, {"const": 3, "title": "Drie"}],
    },
    "kamers": {"type": "integer", "title": "Kamers", "enum": [1, 2, 3]},
    "meter": {
        "type": ["string", "null"],
        "title": "Meter",
        "oneOf": [{"const": "slim", "title": "Slimme meter"}, {"const": None, "title": "Onbekend"}],
    },
    "energie_bekend": {"type": ["string", "null"], "title": "Energie bekend", "enum": ["ja", "nee", None]},
}


@pytest.fixture
def web_settings(migrated_url: str, tmp_path: Path) -> Settings:
    """The real forms, with the triage form given integer choices and choices with an explicit null."""
    ui = {"urgentie": {"ui:widget": "radio"}, "meter": {"ui:widget": "radio"}}
    return settings_with_triage_fields(migrated_url, tmp_path, CHOICE_FIELDS, ("energie_bekend",), ui)


CHOSEN = {"urgentie": "2", "kamers": "3", "meter": NULL_CHOICE, "energie_bekend": NULL_CHOICE}


def _selected(page: str, name: str) -> list[str]:
    """The option values of field ``name`` that the page shows selected or checked."""
    select = re.search(rf'<select [^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    if select:
        return re.findall(r'<option value="([^"]*)" selected>', select.group(1))
    return re.findall(rf'name="{name}" value="([^"]*)" checked', page)


def test_the_page_completes_with_integer_and_null_choices(
    app: Flask, client_for: Callable[[str], FlaskClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    completed = record_completions(vangnet_of(app).engine, monkeypatch)
    client, task_id, token = _claimed(app, client_for)
    page = client.get(f"/taken/{task_id}").text
    assert f'<option value="{NULL_CHOICE}">Onbekend</option>' in page  # the null choice is offered
    assert f'name="meter" value="{NULL_CHOICE}"' in page
    done = client.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK, **CHOSEN})
    assert done.status_code == 302, done.text
    (data,) = completed
    chosen = {name: data[name] for name in CHOSEN}
    assert chosen == {"urgentie": 2, "kamers": 3, "meter": None, "energie_bekend": None}
    assert type(chosen["urgentie"]) is int


def test_a_page_with_errors_shows_the_choices_selected_again(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client, task_id, token = _claimed(app, client_for)
    bad = client.post(f"/taken/{task_id}", data={"csrf_token": token, **CHOSEN})  # the triage's own fields empty
    assert bad.status_code == 422
    assert "Dit veld is verplicht." in bad.text
    assert 'id="veld-casemanager-fout"' in bad.text
    assert [name for name in CHOSEN if f'id="veld-{name}-fout"' in bad.text] == []  # the choices themselves fit
    assert {name: _selected(bad.text, name) for name in CHOSEN} == {name: [text] for name, text in CHOSEN.items()}


def test_a_required_choice_left_empty_is_refused_where_onbekend_is_accepted(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client, task_id, token = _claimed(app, client_for)
    bad = client.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK, **CHOSEN, "energie_bekend": ""})
    assert bad.status_code == 422
    error = bad.text.split('id="veld-energie_bekend-fout">', 1)[1].split("</div>", 1)[0]
    assert "Dit veld is verplicht." in error
    assert _selected(bad.text, "energie_bekend") == []  # "— kies —", not "Onbekend"


def test_a_draft_with_a_null_choice_reopens_with_it_selected(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client, task_id, token = _claimed(app, client_for)
    saved = client.post(f"/taken/{task_id}", data={"csrf_token": token, "_actie": "opslaan", **CHOSEN})
    assert saved.status_code == 302
    page = client.get(f"/taken/{task_id}").text
    assert {name: _selected(page, name) for name in CHOSEN} == {name: [text] for name, text in CHOSEN.items()}
