"""The JSON Schemas (2020-12) of the supplier API: requests are validated with them and the OpenAPI document is
built from them, so the two cannot drift apart. Field names are Dutch camelCase; the engine gets snake_case."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from engine.exchange import SUPPLIER_UPDATES  # the kinds of supplier updates (tested to match UPDATE_DATA)

Schema = dict[str, Any]

MAX_CURSOR = 2**31 - 1
NOTICE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
D7_STATUSES = ["ontvangen", "in_behandeling", "garantie_afgegeven", "geen_pilotcasus", "niet_bereikt", "afgesloten"]
FEED_KINDS = ["terugkoppeling", "uitstelverzoek", "opschortingsverzoek", "aanvulverzoek"]


def text(max_length: int, nullable: bool = False) -> Schema:
    """Free text without control characters (they have no place in a notice and some databases refuse NUL)."""
    return {
        "type": ["string", "null"] if nullable else "string",
        "maxLength": max_length,
        "pattern": r"^[^\x00-\x1f\x7f]*$",
    }


def day(nullable: bool = False) -> Schema:
    return {"type": ["string", "null"] if nullable else "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def amount(maximum: int) -> Schema:
    return {"type": ["number", "null"], "minimum": 0, "maximum": maximum}


def count(maximum: int) -> Schema:
    return {"type": ["integer", "null"], "minimum": 0, "maximum": maximum}


CUSTOMER: Schema = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "voorletters": text(20),
        "tussenvoegsel": text(20),
        "achternaam": text(200),
        "geboortedatum": day(nullable=True),
    },
}
ADDRESS: Schema = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "postcode": {"type": "string", "pattern": r"^([1-9][0-9]{3} ?[A-Za-z]{2})?$"},
        "huisnummer": {"type": ["integer", "null"], "minimum": 1, "maximum": 99999},
        "toevoeging": text(10),
        "plaats": text(100),
    },
}
NOTICE_FIELDS: Schema = {
    "meldingsdatum": day(),
    "klant": CUSTOMER,
    "adres": ADDRESS,
    "telefoon": text(20, nullable=True),
    "email": {"type": ["string", "null"], "format": "email", "maxLength": 200, "pattern": r"^[^\s@]+@[^\s@]+$"},
    "contractreferentie": text(100),
    "producten": {
        "type": "array",
        "items": {"enum": ["elektriciteit", "gas", "warmte"]},
        "uniqueItems": True,
        "maxItems": 3,
    },
    "achterstandBedrag": amount(1_000_000),
    "achterstandSinds": day(nullable=True),
    "maandbedrag": amount(100_000),
    "aantalHerinneringen": count(100),
    "laatsteHerinnering": day(nullable=True),
    "contactpogingenAantal": count(1000),
    "laatsteContactpoging": day(nullable=True),
    "regelingAangeboden": {"type": ["boolean", "null"]},
    "regelingStatus": text(100, nullable=True),
    "geplandeEinddatum": day(nullable=True),
    "kinderenInHuishouden": {"enum": ["ja", "onbekend"]},
    "kwetsbaarheidBekend": {"type": "boolean"},
    "medisch": {"type": "boolean"},
    "bezwaarGegevensdeling": {"type": "boolean"},
    "klantsoort": {"enum": ["huishouden", "zakelijk"]},
}
NOTICE: Schema = {
    "title": "Melding",
    "description": "Een melding van een dreigende afsluiting. Alleen meldingId en soort zijn verplicht; "
    "ontbreken gegevens die de toets (D1) nodig heeft, dan vraagt Vangnet ze op via de terugkoppelingen.",
    "type": "object",
    "additionalProperties": False,
    "required": ["meldingId", "soort"],
    "properties": {
        "meldingId": {"type": "string", "pattern": NOTICE_ID_PATTERN, "description": "Uw eigen kenmerk."},
        "soort": {"enum": ["vroegsignaal", "eindelevering", "update"]},
        **NOTICE_FIELDS,
    },
}
COMPLETION: Schema = {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": NOTICE_FIELDS}

UPDATE_DATA: dict[str, Schema] = {
    "intrekking": {
        "type": "object",
        "additionalProperties": False,
        "required": ["reden"],
        "properties": {"reden": {"enum": ["betaald", "regeling", "verhuisd"]}},
    },
    "einddatum_gewijzigd": {
        "type": "object",
        "additionalProperties": False,
        "required": ["geplandeEinddatum"],
        "properties": {"geplandeEinddatum": day()},
    },
    "opschorting_bevestigd": {"type": "object", "additionalProperties": False, "properties": {}},
    "betaling_gemist": {
        "type": "object",
        "additionalProperties": False,
        "required": ["termijn"],
        "properties": {"termijn": {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}, "bedrag": amount(100_000)},
    },
    "aanvulling": COMPLETION,
}
MESSAGE_ID: Schema = {"type": "string", "pattern": NOTICE_ID_PATTERN, "description": "Uw eigen berichtkenmerk."}
UPDATE: Schema = {
    "title": "Bericht",
    "type": "object",
    "additionalProperties": False,
    "required": ["berichtId", "soort", "gegevens"],
    "properties": {"berichtId": MESSAGE_ID, "soort": {"enum": list(SUPPLIER_UPDATES)}, "gegevens": {"type": "object"}},
}


def update_documented() -> Schema:
    """The request body as documented: one alternative per kind, each with its own ``gegevens``."""
    alternatives = [
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["berichtId", "soort", "gegevens"],
            "properties": {"berichtId": MESSAGE_ID, "soort": {"const": kind}, "gegevens": schema},
        }
        for kind, schema in UPDATE_DATA.items()
    ]
    return {"title": "Bericht", "oneOf": alternatives}


GUARANTEE_FIELDS: Schema = {
    "bedrag": {"type": "number"},
    "periodeMaanden": {"type": "integer"},
    "garantstellerReferentie": {"type": "string"},
}
NOTICE_STATUS: Schema = {
    "title": "Meldingstatus",
    "description": "Alleen de statuscode (D7); bij garantie_afgegeven ook bedrag, periode en referentie.",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "status"],
    "properties": {"id": {"type": "string"}, "status": {"enum": D7_STATUSES}, **GUARANTEE_FIELDS},
}
UPDATE_RECEIPT: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["berichtId", "status"],
    "properties": {"berichtId": {"type": "string"}, "status": {"const": "ontvangen"}},
}
FEED_ITEM: Schema = {
    "title": "Terugkoppeling",
    "type": "object",
    "additionalProperties": False,
    "required": ["positie", "meldingId", "soort", "tijdstip", "gegevens"],
    "properties": {
        "positie": {"type": "integer", "minimum": 1},
        "meldingId": {"type": "string"},
        "soort": {"type": "string", "examples": FEED_KINDS},
        "tijdstip": {"type": "string", "format": "date-time"},
        "gegevens": {
            "type": "object",
            "properties": {
                "status": {"enum": D7_STATUSES},
                **GUARANTEE_FIELDS,
                "geplandeEinddatum": {"type": "string", "format": "date"},
                "gevraagdeEinddatum": {"type": "string", "format": "date"},
                "uitstelWerkdagen": {"type": "integer"},
                "ontbrekendeVelden": {"type": "array", "items": {"type": "string"}},
                "uiterlijk": {"type": "string", "format": "date"},
            },
        },
    },
}
FEED: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["terugkoppelingen", "volgende"],
    "properties": {
        "terugkoppelingen": {"type": "array", "items": {"$ref": "#/components/schemas/Terugkoppeling"}},
        "volgende": {"type": "integer", "minimum": 0, "description": "Geef dit mee als ?na= bij de volgende vraag."},
    },
}
PROBLEM: Schema = {
    "title": "Probleem (RFC 9457)",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalid-params": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}


def validator(schema: Schema) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


VALIDATORS = {"notice": validator(NOTICE), "update": validator(UPDATE)}
DATA_VALIDATORS = {kind: validator(schema) for kind, schema in UPDATE_DATA.items()}


def notice_errors(body: Any) -> list[ValidationError]:
    """Everything wrong with a notice (camelCase, as on the wire): the one check every channel's notice passes —
    the API's ``POST /meldingen`` and the staff form for phoned-in and e-mailed notices (web/notices.py)."""
    return list(VALIDATORS["notice"].iter_errors(body))
