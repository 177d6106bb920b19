"""The Dutch field messages of ``engine.forms.validate_data`` for nullable fields (type lists and null branches)."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import DataInvalid
from engine.forms import validate_data


def messages(field: dict[str, Any], value: Any) -> list[str]:
    schema = {"type": "object", "properties": {"veld": field}}
    try:
        validate_data(schema, {"veld": value})
    except DataInvalid as invalid:
        return [error.message for error in invalid.errors]
    return []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ({"type": ["number", "null"]}, "abc", "Vul een getal in."),
        ({"type": ["null", "integer"]}, 2.5, "Vul een geheel getal in."),
        ({"type": ["string", "number", "null"]}, True, "Vul een tekst of getal in."),
        ({"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]}, -5, "De waarde moet minstens 0 zijn."),
        ({"oneOf": [{"type": "null"}, {"type": "integer", "maximum": 3}]}, 7, "De waarde mag hoogstens 3 zijn."),
        ({"anyOf": [{"type": "string", "maxLength": 2}, {"const": None}]}, "abc", "Gebruik hoogstens 2 tekens."),
    ],
)
def test_a_nullable_field_says_what_its_own_type_wants(field: dict[str, Any], value: Any, expected: str) -> None:
    assert messages(field, value) == [expected]


def test_null_passes_a_nullable_field() -> None:
    assert messages({"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]}, None) == []
    assert messages({"type": ["number", "null"]}, None) == []


def test_other_alternatives_keep_their_messages() -> None:
    choices = {"oneOf": [{"const": "a", "title": "Een"}, {"const": "b", "title": "Twee"}]}
    assert messages(choices, "x") == ["Kies een van de mogelijkheden: Een, Twee."]
    either = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert messages(either, 2.5) == ["De waarde past niet bij de mogelijkheden van dit veld."]


def test_choice_messages_name_the_choices_as_a_caseworker_reads_them() -> None:
    assert messages({"enum": ["ja", "nee", None]}, "misschien") == ["Kies een van: ja, nee, Onbekend."]
    assert messages({"enum": [1, 2.5, True]}, 3) == ["Kies een van: 1, 2,5, ja."]
    assert messages({"const": "P1"}, "P2") == ["De waarde moet P1 zijn."]
    untitled = {"oneOf": [{"const": None}, {"const": 1}, {"const": 2, "title": "Twee"}]}
    assert messages(untitled, 3) == ["Kies een van de mogelijkheden: Onbekend, 1, Twee."]
