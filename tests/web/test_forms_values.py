"""Values in the rendered task forms (``web/forms_render.py``): nullable types drawn as their non-null kind, and
numbers shown back in Dutch notation so that what a caseworker typed survives a redisplay of the page."""

from __future__ import annotations

import json
import math
import random
import re
import shutil
import sys
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
from web.forms_render import NULL_CHOICE, Field, _convert, _shown, build, kind_of, options_of, parse

from ..helpers import record_completions
from .conftest import ROOT, csrf_token, vangnet_of
from .test_access import open_task
from .test_pages import TRIAGE_OK

# --- nullable types -----------------------------------------------------------------------------------------

NULLABLE_KINDS = [
    ({"type": ["number", "null"]}, "number"),
    ({"type": ["null", "number"]}, "number"),
    ({"type": ["integer", "null"]}, "integer"),
    ({"type": ["boolean", "null"]}, "boolean"),
    ({"type": ["string", "null"]}, "text"),
    ({"type": ["string", "null"], "format": "date"}, "date"),
    ({"type": ["number", "null"], "multipleOf": 0.01}, "money"),
    ({"anyOf": [{"type": "number"}, {"type": "null"}]}, "number"),
    ({"oneOf": [{"type": "null"}, {"type": "integer", "minimum": 0}]}, "integer"),
    ({"anyOf": [{"type": "boolean"}, {"type": "null"}]}, "boolean"),
    ({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}, "date"),
    ({"anyOf": [{"type": "number", "multipleOf": 0.01}, {"type": "null"}]}, "money"),
    ({"anyOf": [{"type": ["number", "null"]}, {"type": "null"}]}, "number"),
    ({"type": ["string", "null"], "enum": ["a", "b", None]}, "select"),
    ({"oneOf": [{"const": "a"}, {"const": "b"}, {"type": "null"}]}, "select"),
    ({"type": ["array", "null"], "items": {"enum": ["a", "b"]}}, "checkboxes"),
    ({"type": ["array", "null"], "items": {"type": ["object", "null"], "properties": {}}}, "repeat"),
    ({"type": ["object", "null"], "properties": {}}, "group"),
    ({"type": ["string", "number", "null"]}, "text"),  # no single kind: free text, as before
]


@pytest.mark.parametrize(("schema", "kind"), NULLABLE_KINDS)
def test_a_nullable_type_is_drawn_as_its_non_null_kind(schema: dict[str, Any], kind: str) -> None:
    assert kind_of("veld", schema, {}) == kind


def test_a_nullable_amount_by_its_name_or_widget_is_money() -> None:
    assert kind_of("achterstand_bedrag", {"type": ["number", "null"]}, {}) == "money"
    assert kind_of("schuld", {"anyOf": [{"type": "number"}, {"type": "null"}]}, {"ui:widget": "money"}) == "money"


def test_choices_made_nullable_by_a_null_branch_offer_no_option_for_it() -> None:
    """A ``{"type": "null"}`` branch only makes the choice optional: the empty "— kies —" leaves it out. A null
    among the choices themselves is an option ("Onbekend"): see test_forms_choices.py."""
    one_of = {"oneOf": [{"const": "a", "title": "A"}, {"type": "null"}]}
    assert options_of(one_of) == [("a", "A")]
    assert options_of({"anyOf": [{"oneOf": [{"const": "a"}, {"const": "b"}]}, {"type": "null"}]}) == [
        ("a", "a"),
        ("b", "b"),
    ]


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "bedrag": {"type": ["number", "null"], "title": "Bedrag", "minimum": 0, "maximum": 5000},
        "uren": {"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}], "title": "Uren per week"},
        "kinderen": {"type": ["integer", "null"], "minimum": 0},
        "akkoord": {"type": ["boolean", "null"]},
        "datum": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
        "soort": {"type": ["string", "null"], "enum": ["gas", "stroom", None]},
        "verplicht": {"type": ["number", "null"]},
    },
    "required": ["verplicht"],
    "additionalProperties": False,
}


def _by_name(fields: list[Field]) -> dict[str, Field]:
    return {f.name: f for f in fields}


def test_nullable_fields_are_posted_back_typed() -> None:
    form = MultiDict(
        {
            "bedrag": "1.234,50",
            "uren": "2,5",
            "kinderen": "3",
            "akkoord": "ja",
            "datum": "2026-05-01",
            "soort": "gas",
            "verplicht": "0",
        }
    )
    data = parse(SCHEMA, {}, form)
    assert data == {
        "bedrag": 1234.5,
        "uren": 2.5,
        "kinderen": 3,
        "akkoord": True,
        "datum": "2026-05-01",
        "soort": "gas",
        "verplicht": 0,
    }
    assert type(data["kinderen"]) is int and type(data["akkoord"]) is bool
    validate_data(SCHEMA, data)  # the engine accepts what the form made of it


def test_nullable_fields_are_drawn_with_their_kind_and_limits() -> None:
    fields = _by_name(build(SCHEMA, {}, {"bedrag": 1234.5, "uren": 2.5, "kinderen": 3, "akkoord": False}, {}))
    assert (fields["bedrag"].kind, fields["bedrag"].value) == ("money", "1234,50")
    assert (fields["bedrag"].minimum, fields["bedrag"].maximum) == (0, 5000)
    assert (fields["uren"].kind, fields["uren"].value, fields["uren"].label) == ("number", "2,5", "Uren per week")
    assert fields["uren"].minimum == 0  # from the anyOf branch
    assert (fields["kinderen"].kind, fields["kinderen"].value) == ("integer", "3")
    assert (fields["akkoord"].kind, fields["akkoord"].value) == ("boolean", "nee")
    assert fields["datum"].kind == "date"
    assert fields["soort"].options == [("gas", "gas"), ("stroom", "stroom"), (NULL_CHOICE, "Onbekend")]
    assert fields["verplicht"].required and not fields["bedrag"].required


def test_empty_nullable_fields_are_left_out_and_the_engine_accepts_that_when_optional() -> None:
    form = MultiDict({name: "" for name in SCHEMA["properties"]} | {"verplicht": "12,5"})
    data = parse(SCHEMA, {}, form)
    assert data == {"verplicht": 12.5}
    validate_data(SCHEMA, data)
    validate_data(SCHEMA, {**data, "bedrag": None, "uren": None, "akkoord": None})  # an explicit null also fits


def test_an_empty_required_nullable_field_is_still_required() -> None:
    data = parse(SCHEMA, {}, MultiDict({"verplicht": "", "bedrag": "12"}))
    assert data == {"bedrag": 12.0}
    with pytest.raises(DataInvalid) as raised:
        validate_data(SCHEMA, data)
    assert [(e.path, e.message) for e in raised.value.errors] == [("verplicht", "Dit veld is verplicht.")]


def test_a_nullable_number_that_did_not_parse_is_refused_and_shown_as_typed() -> None:
    data = parse(SCHEMA, {}, MultiDict({"verplicht": "1", "bedrag": "veel", "kinderen": "2,5"}))
    assert data == {"verplicht": 1, "bedrag": "veel", "kinderen": "2,5"}
    with pytest.raises(DataInvalid) as raised:
        validate_data(SCHEMA, data)
    assert sorted(e.path for e in raised.value.errors) == ["bedrag", "kinderen"]
    fields = _by_name(build(SCHEMA, {}, data, {}))
    assert fields["bedrag"].value == "veel" and fields["kinderen"].value == "2,5"


ROW_AMOUNT = {"type": ["number", "null"]}


def test_nullable_groups_and_rows_are_read_and_drawn() -> None:
    schema = {
        "type": "object",
        "properties": {
            "adres": {"type": ["object", "null"], "properties": {"huisnummer": {"type": ["integer", "null"]}}},
            "betalingen": {
                "type": ["array", "null"],
                "items": {
                    "anyOf": [
                        {"type": "object", "properties": {"bedrag": {"type": ["number", "null"]}}},
                        {"type": "null"},
                    ]
                },
            },
        },
    }
    form = MultiDict({"adres.huisnummer": "17", "betalingen.0.bedrag": "10,5", "betalingen.1.bedrag": ""})
    data = parse(schema, {}, form)
    assert data == {"adres": {"huisnummer": 17}, "betalingen": [{"bedrag": 10.5}, {}]}
    fields = _by_name(build(schema, {}, data, {}))
    assert fields["adres"].children[0].value == "17"
    assert [[f.value for f in row] for row in fields["betalingen"].items] == [["10,50"], [""]]


# --- numbers shown back in Dutch notation -------------------------------------------------------------------

SHOWN = [
    ("money", 1234.5, "1234,50"),
    ("money", 1234, "1234,00"),
    ("money", 0.0, "0,00"),
    ("money", -0.0, "0,00"),
    ("money", -5.5, "-5,50"),
    ("money", 0.1, "0,10"),
    ("money", 742.05, "742,05"),
    ("money", 1.005, "1,005"),  # a third decimal is kept, not rounded away
    ("money", 1e20, "100000000000000000000,00"),
    ("money", 1e-7, "0,0000001"),
    ("number", 2.5, "2,5"),
    ("number", 2.0, "2"),
    ("number", 2, "2"),
    ("number", -0.25, "-0,25"),
    ("number", 1e16, "10000000000000000"),
    ("number", 1.5e-10, "0,00000000015"),
    ("number", 2.0**70, "1180591620717411303424"),  # every digit of a large whole float
    ("number", 10**20 + 1, "100000000000000000001"),  # and of a large int, read back without a float
    ("integer", 12, "12"),
    ("integer", -3, "-3"),
    ("integer", 0, "0"),
    ("integer", 10**20, "100000000000000000000"),
]


@pytest.mark.parametrize(("kind", "value", "text"), SHOWN)
def test_numbers_are_shown_in_dutch_notation(kind: str, value: float, text: str) -> None:
    assert _shown(value, kind) == text
    assert _convert(kind, text) == value


TYPED = [
    ("money", "1.234,50", "1234,50"),
    ("money", "€ 1.234,50", "1234,50"),
    ("money", "1234.5", "1234,50"),
    ("money", "742", "742,00"),
    ("number", "2,5", "2,5"),
    ("number", "2,50", "2,5"),
    ("number", "1.000.000,25", "1000000,25"),
    ("number", "7", "7"),
    ("integer", "12", "12"),
]


@pytest.mark.parametrize(("kind", "typed", "text"), TYPED)
def test_a_typed_number_comes_back_in_dutch_notation(kind: str, typed: str, text: str) -> None:
    value = _convert(kind, typed)
    assert _shown(value, kind) == text
    assert _convert(kind, _shown(value, kind)) == value


@pytest.mark.parametrize("kind", ["integer", "number", "money"])
@pytest.mark.parametrize("typed", ["abc", "1,2,3", "12a", "1e5", "--1", "€", "twaalf"])
def test_text_that_did_not_parse_is_shown_exactly_as_typed(kind: str, typed: str) -> None:
    value = _convert(kind, typed)
    assert value == typed
    assert _shown(value, kind) == typed


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.234,50", 1234.5),
        ("€ 1.234,50", 1234.5),
        ("-1.234,50", -1234.5),
        ("999.999,99", 999999.99),
        ("12.345.678", 12345678.0),  # two dots or more can only group thousands
        ("2,5", 2.5),
        ("2.5", 2.5),  # one dot that cannot group thousands: a decimal point
        ("0.125", 0.125),
        ("1.2345", 1.2345),
    ],
)
def test_amounts_are_read_the_dutch_way(typed: str, value: float) -> None:
    assert _convert("money", typed) == value


@pytest.mark.parametrize("typed", ["1.234", "12.345", "-999.000", "1.234,5.6", "12.34,5", "1,2,3", "12,"])
def test_an_amount_that_could_be_read_two_ways_or_is_malformed_is_asked_again(typed: str) -> None:
    """ "1.234": a thousand and more to a Dutch reader, one and a bit to an English one; "1.234,5.6" used to be
    read as 1234.56 by dropping every dot. Both now stay text, which the form's schema refuses."""
    assert _convert("money", typed) == typed
    assert _convert("number", typed) == typed
    with pytest.raises(DataInvalid):
        validate_data({"type": "object", "properties": {"bedrag": {"type": "number"}}}, {"bedrag": typed})


AMOUNT_FIELDS = [
    {"type": "number"},
    {"type": ["number", "null"], "minimum": 0},
    {"anyOf": [{"type": "number", "multipleOf": 0.01}, {"type": "null"}]},
]


def _number_messages(field: dict[str, Any], text: str) -> list[str]:
    schema = {"type": "object", "properties": {"bedrag": field}}
    data = parse(schema, {}, MultiDict({"bedrag": text}))
    try:
        validate_data(schema, data)
    except DataInvalid as invalid:
        return [error.message for error in invalid.errors]
    return []


@pytest.mark.parametrize("field", AMOUNT_FIELDS)
@pytest.mark.parametrize(
    ("typed", "whole", "fraction"),
    [("1.234", "1234", "1,234"), ("€ 12.345", "12345", "12,345"), ("-999.000", "-999000", "-999,000")],
)
def test_an_amount_that_could_be_read_two_ways_is_refused_with_both_readings(
    field: dict[str, Any], typed: str, whole: str, fraction: str
) -> None:
    """Not the "Vul een getal in." of "abc": the caseworker is told what was unclear and how to type either."""
    expected = f"Bedoelt u {whole} of {fraction}? Typ het getal zonder punt ({whole}) of met komma ({fraction})."
    assert _number_messages(field, typed) == [expected]


@pytest.mark.parametrize("field", AMOUNT_FIELDS)
@pytest.mark.parametrize("typed", ["abc", "1.234,5.6", "12.34,5", "1,2,3", "12,", "1234.", ".234"])
def test_other_refused_numbers_keep_the_plain_message(field: dict[str, Any], typed: str) -> None:
    """Malformed text is not a number read two ways: it keeps the plain message."""
    assert _number_messages(field, typed) == ["Vul een getal in."]


def test_exactly_what_the_form_refuses_as_two_ways_gets_both_readings() -> None:
    """The form's reader and the engine's message share one rule: a number refused although it has only digits
    and one dot is the ambiguous kind, and every such text gets the message naming both readings."""
    texts = [
        f"{sign}{whole}.{tail}"
        for sign in ("", "-")
        for whole in ("0", "1", "12", "123", "1234")
        for tail in ("2", "23", "234", "2345")
    ]
    refused = [text for text in texts if _convert("number", text) == text]
    assert "1.234" in refused and "-123.234" in refused and "0.234" not in refused
    for text in texts:
        message = _number_messages({"type": "number"}, text)
        assert (text in refused) == (message != []), text
        assert text not in refused or message[0].startswith("Bedoelt u "), text


def test_a_whole_number_field_keeps_its_own_message_for_a_dotted_number() -> None:
    assert _number_messages({"type": "integer"}, "1.234") == ["Vul een geheel getal in."]


def test_other_kinds_are_shown_as_before() -> None:
    assert _shown(True, "boolean") == "ja" and _shown(False, "boolean") == "nee"
    assert _shown(None, "money") == ""
    assert _shown(["gas", "stroom"], "checkboxes") == ["gas", "stroom"]
    assert _shown(2.5, "text") == "2.5" and _shown(3, "select") == "3"  # choices compare with str(option)


def _samples() -> list[tuple[str, int | float]]:
    """Many numbers, the same every run: every cent up to 20 euro, a seeded spread of amounts, fractions and
    whole numbers of every size, and the extremes of a float."""
    chance = random.Random(20260501)
    cents = [c / 100 for c in range(-2000, 2001)]
    amounts = [round(chance.uniform(-1e7, 1e7), 2) for _ in range(3000)]
    fractions = [chance.uniform(-1e6, 1e6) for _ in range(2000)]
    scaled = [chance.random() * 10.0 ** chance.randint(-30, 30) for _ in range(2000)]
    bits = [chance.choice([-1, 1]) * chance.getrandbits(chance.randint(1, 80)) for _ in range(1000)]
    extremes = [sys.float_info.max, sys.float_info.min, 5e-324, 2.0**53, 2.0**53 + 2, 0.1 + 0.2, -1e-300]
    floats = cents + amounts + fractions + scaled + extremes
    samples: list[tuple[str, int | float]] = []
    samples += [("money", v) for v in floats]
    samples += [("money", v) for v in bits if abs(v) < 2**53]  # money is a float: whole euros up to 2^53 exactly
    samples += [("number", v) for v in floats + bits]
    samples += [("integer", v) for v in bits]
    return samples


def test_every_shown_number_parses_back_to_the_same_value() -> None:
    """The round trip: ``_convert(kind, _shown(v, kind)) == v`` for every number and amount."""
    wrong = []
    for kind, value in _samples():
        assert math.isfinite(value)
        text = _shown(value, kind)
        back = _convert(kind, text)
        dutch = "." not in text and "e" not in text.lower()
        cents = kind != "money" or len(text.partition(",")[2]) >= 2
        if back != value or isinstance(back, str) or not dutch or not cents:
            wrong.append((kind, value, text, back))
    assert wrong == []


# --- the task page ------------------------------------------------------------------------------------------

EXTRA_FIELDS = {
    "achterstand_bedrag": {
        "anyOf": [{"type": "number", "minimum": 0, "maximum": 100000}, {"type": "null"}],
        "title": "Achterstand",
    },
    "uren_per_week": {"type": ["number", "null"], "title": "Uren hulp per week", "minimum": 0},
    "betalingen": {
        "type": ["array", "null"],
        "title": "Betaling",
        "items": {
            "type": "object",
            "properties": {"bedrag": {"type": ["number", "null"], "title": "Bedrag", "minimum": 0}},
        },
    },
}


def settings_with_triage_fields(
    migrated_url: str,
    tmp_path: Path,
    fields: dict[str, Any],
    required: tuple[str, ...] = (),
    ui: dict[str, Any] | None = None,
) -> Settings:
    """Settings on a copy of the real forms in which the triage form has ``fields`` more (``required`` among them,
    with ``ui`` added to its UI schema)."""
    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    for kind, change in (("schema", fields), ("uischema", ui or {})):
        path = forms / f"triage.{kind}.json"
        document = json.loads(path.read_text(encoding="utf-8"))
        if kind == "schema":
            document["properties"].update(change)
            document["required"].extend(required)
        else:
            document.update(change)
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return Settings(
        database_url=migrated_url,
        environment="test",
        instance_path=tmp_path,
        processes_dir=ROOT / "processes",
        forms_dir=forms,
        script_time_limit_seconds=2.0,
    )


@pytest.fixture
def web_settings(migrated_url: str, tmp_path: Path) -> Settings:
    """The real forms, with the triage form given a nullable amount, a nullable number and a repeatable group."""
    return settings_with_triage_fields(migrated_url, tmp_path, EXTRA_FIELDS)


def _claimed(app: Flask, client_for: Callable[[str], FlaskClient], language: str = "nl") -> tuple[Any, str, str]:
    task_id, _ = open_task(app)
    client = client_for("coordinator")
    if language != "nl":
        with client.session_transaction() as session:
            session["taal"] = language
    token = csrf_token(client.get("/taken").text)
    assert client.post(f"/taken/{task_id}/oppakken", data={"csrf_token": token}).status_code == 302
    return client, task_id, token


TYPED_ON_PAGE = {"achterstand_bedrag": "1.234,50", "uren_per_week": "2,5", "betalingen.0.bedrag": "€ 99,9"}


def test_a_page_with_errors_shows_the_numbers_back_in_dutch(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client, task_id, token = _claimed(app, client_for)
    page = client.get(f"/taken/{task_id}").text
    assert 'id="veld-achterstand_bedrag" name="achterstand_bedrag" inputmode="decimal"' in page
    assert 'name="uren_per_week" inputmode="decimal"' in page  # drawn as a number, not as text
    bad = client.post(f"/taken/{task_id}", data={"csrf_token": token, "prioriteit": "P2", **TYPED_ON_PAGE})
    assert bad.status_code == 422
    assert "Dit veld is verplicht." in bad.text
    assert 'value="1234,50"' in bad.text and 'value="2,5"' in bad.text and 'value="99,90"' in bad.text
    assert "1234.5" not in bad.text and 'value="2.5"' not in bad.text


def test_a_number_that_did_not_parse_is_shown_as_typed_with_its_message(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client, task_id, token = _claimed(app, client_for)
    bad = client.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK, "uren_per_week": "twee"})
    assert bad.status_code == 422
    assert 'value="twee"' in bad.text
    error = bad.text.split('id="veld-uren_per_week-fout">', 1)[1].split("</div>", 1)[0]
    assert "Vul een getal" in error


def test_an_amount_that_could_be_read_two_ways_is_shown_as_typed_with_both_readings(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client, task_id, token = _claimed(app, client_for)
    bad = client.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK, "achterstand_bedrag": "€ 1.234"})
    assert bad.status_code == 422
    assert 'value="€ 1.234"' in bad.text  # kept as typed
    message = "Bedoelt u 1234 of 1,234? Typ het getal zonder punt (1234) of met komma (1,234)."
    error = bad.text.split('id="veld-achterstand_bedrag-fout">', 1)[1].split("</div>", 1)[0]
    assert message in error and "Vul een getal" not in error
    assert f'href="#veld-achterstand_bedrag">Achterstand: {message}</a>' in bad.text  # and in the summary


def test_a_saved_draft_reopens_with_the_numbers_in_dutch(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    client, task_id, token = _claimed(app, client_for)
    saved = client.post(f"/taken/{task_id}", data={"csrf_token": token, "_actie": "opslaan", **TYPED_ON_PAGE})
    assert saved.status_code == 302
    page = client.get(f"/taken/{task_id}").text
    assert 'value="1234,50"' in page and 'value="2,5"' in page and 'value="99,90"' in page


def test_adding_and_removing_a_row_keeps_the_numbers_in_dutch(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client, task_id, token = _claimed(app, client_for)
    added = client.post(
        f"/taken/{task_id}", data={"csrf_token": token, "_actie": "toevoegen:betalingen", **TYPED_ON_PAGE}
    )
    assert added.status_code == 200
    assert 'name="betalingen.0.bedrag" inputmode="decimal" value="99,90"' in added.text
    assert 'name="betalingen.1.bedrag" inputmode="decimal" value=""' in added.text
    assert 'value="1234,50"' in added.text and 'value="2,5"' in added.text
    removed = client.post(
        f"/taken/{task_id}",
        data={"csrf_token": token, "_actie": "verwijderen:betalingen.0", **TYPED_ON_PAGE, "betalingen.1.bedrag": "5"},
    )
    assert 'name="betalingen.0.bedrag" inputmode="decimal" value="5,00"' in removed.text
    assert "betalingen.1.bedrag" not in removed.text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_what_is_shown_completes_the_task_with_the_same_values_in_either_language(
    app: Flask, client_for: Callable[[str], FlaskClient], language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redisplayed values, posted again unchanged as a browser would, complete the task with the numbers typed
    first: in the Dutch and in the English interface alike."""
    completed = record_completions(vangnet_of(app).engine, monkeypatch)
    client, task_id, token = _claimed(app, client_for, language)
    bad = client.post(f"/taken/{task_id}", data={"csrf_token": token, **TYPED_ON_PAGE, "casemanager": "casemanager"})
    assert bad.status_code == 422
    assert f'<html lang="{language}"' in bad.text
    shown = {name: _value_of(bad.text, name) for name in TYPED_ON_PAGE}
    assert shown == {"achterstand_bedrag": "1234,50", "uren_per_week": "2,5", "betalingen.0.bedrag": "99,90"}
    done = client.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK, **shown})
    assert done.status_code == 302, done.text
    first, last = completed
    expected = {"achterstand_bedrag": 1234.5, "uren_per_week": 2.5, "betalingen": [{"bedrag": 99.9}]}
    assert {k: first[k] for k in expected} == expected == {k: last[k] for k in expected}


def _value_of(page: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]* value="([^"]*)"', page)
    assert found, name
    return found.group(1)
