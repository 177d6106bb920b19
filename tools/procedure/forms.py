"""The forms of the user tasks: JSON Schema 2020-12 plus a UI schema, with Dutch labels and minimal data."""

from __future__ import annotations

import json
from typing import Any

Schema = dict[str, Any]
DRAFT = "https://json-schema.org/draft/2020-12/schema"
NOTE_HELP = "Kort en feitelijk. Geen diagnoses, BSN of andere bijzondere persoonsgegevens."


def choice(title: str, options: list[tuple[str, str]], help_text: str = "") -> Schema:
    schema: Schema = {"type": "string", "title": title, "oneOf": [{"const": v, "title": t} for v, t in options]}
    if help_text:
        schema["description"] = help_text
    return schema


def yes_no(title: str, help_text: str = "") -> Schema:
    schema: Schema = {"type": "boolean", "title": title}
    if help_text:
        schema["description"] = help_text
    return schema


def day(title: str) -> Schema:
    return {"type": "string", "format": "date", "title": title}


def note(title: str, length: int = 500) -> Schema:
    return {"type": "string", "title": title, "maxLength": length, "description": NOTE_HELP}


def text(title: str, length: int = 100) -> Schema:
    return {"type": "string", "title": title, "minLength": 1, "maxLength": length}


def count(title: str, low: int, high: int) -> Schema:
    return {"type": "integer", "title": title, "minimum": low, "maximum": high}


def money(title: str) -> Schema:
    return {"type": "number", "title": title, "minimum": 0, "maximum": 100000}


def form(title: str, description: str, properties: Schema, required: list[str], **extra: Any) -> Schema:
    return {
        "$schema": DRAFT,
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        **extra,
    }


def ui(properties: Schema) -> Schema:
    """Order as declared; notes as text areas; yes/no and short choices as radio buttons."""
    layout: Schema = {"ui:order": list(properties)}
    for key, prop in properties.items():
        if prop.get("description") == NOTE_HELP:
            layout[key] = {"ui:widget": "textarea", "ui:help": NOTE_HELP}
        elif prop.get("type") == "boolean" or ("oneOf" in prop and len(prop["oneOf"]) <= 4):
            layout[key] = {"ui:widget": "radio"}
        elif prop.get("type") == "array" and prop.get("uniqueItems"):
            layout[key] = {"ui:widget": "checkboxes"}
    return layout


KANALEN = [
    ("telefoon", "Telefoon"),
    ("sms", "Sms"),
    ("brief", "Brief"),
    ("e-mail", "E-mail"),
    ("huisbezoek", "Huisbezoek"),
    ("kaartje", "Kaartje in de bus"),
    ("anders", "Anders"),
]
DAGDELEN = [("ochtend", "Ochtend"), ("middag", "Middag"), ("avond", "Avond")]
ZRM_DOMEINEN = [
    ("financien", "Financiën"),
    ("werk_opleiding", "Werk en opleiding"),
    ("tijdsbesteding", "Tijdsbesteding"),
    ("huisvesting", "Huisvesting"),
    ("huiselijke_relaties", "Huiselijke relaties"),
    ("geestelijke_gezondheid", "Geestelijke gezondheid"),
    ("lichamelijke_gezondheid", "Lichamelijke gezondheid"),
    ("middelengebruik", "Middelengebruik"),
    ("basale_adl", "Basale ADL"),
    ("instrumentele_adl", "Instrumentele ADL"),
    ("sociaal_netwerk", "Sociaal netwerk"),
    ("maatschappelijke_participatie", "Maatschappelijke participatie"),
    ("justitie", "Justitie"),
]
UITKOMSTEN_ZONDER_GARANTIE = [
    ("afsluiting_voorkomen_regeling", "Afsluiting voorkomen door een betalingsregeling"),
    ("afsluiting_plaatsgevonden", "Afsluiting heeft plaatsgevonden"),
    ("doorverwezen_schuldhulp", "Doorverwezen naar schuldhulpverlening"),
]
ENERGIEMAATREGELEN = [
    ("betalingsregeling", "Betalingsregeling"),
    ("noodfonds", "Noodfonds"),
    ("bijzondere_bijstand", "Bijzondere bijstand"),
    ("budgetbeheer", "Budgetbeheer"),
    ("schuldhulpaanvraag", "Aanvraag schuldhulp"),
    ("advies_meter", "Advies prepaid- of slimme meter"),
]
JA_NEE = [("ja", "Ja"), ("nee", "Nee")]


def _contactpoging() -> Schema:
    poging = {
        "type": "object",
        "title": "Contactpoging",
        "properties": {
            "datum": day("Datum"),
            "dagdeel": choice("Dagdeel", DAGDELEN),
            "kanaal": choice("Kanaal", KANALEN),
            "bereikt": yes_no("Gezin bereikt"),
            "notitie": note("Notitie", 300),
        },
        "required": ["datum", "dagdeel", "kanaal", "bereikt"],
        "additionalProperties": False,
    }
    props = {
        "pogingen": {
            "type": "array",
            "title": "Contactpogingen",
            "items": poging,
            "minItems": 1,
            "maxItems": 10,
            "description": "Eén regel per poging. Voeg er meer toe als u er meer deed.",
        }
    }
    return form(
        "Contactpoging vastleggen", "Leg elke poging vast, ook als het gezin niet is bereikt.", props, ["pogingen"]
    )


def _beoordeling() -> Schema:
    score = {"type": "integer", "minimum": 1, "maximum": 5}
    zrm = {
        "type": "object",
        "title": "Zelfredzaamheidsmatrix (1 = acuut, 5 = volledig zelfredzaam)",
        "properties": {key: {**score, "title": label} for key, label in ZRM_DOMEINEN},
        "required": [key for key, _ in ZRM_DOMEINEN],
        "additionalProperties": False,
    }
    props = {
        "zrm_scores": zrm,
        "aantal_minderjarigen": count("Aantal kinderen van 0 tot en met 17 jaar in het huishouden", 0, 15),
        "problemen_langer_dan_6_maanden": yes_no("Bestaan de problemen 6 maanden of langer?"),
        "eerdere_hulp_zonder_effect": yes_no("Eerdere hulp zonder effect?"),
        "zorgmijdend": yes_no("Mijdt het gezin hulp?"),
        "veiligheidssignaal": yes_no(
            "Is er een signaal over de veiligheid van een kind of volwassene?", "Bij ja volgt de route van de meldcode."
        ),
        "conclusie": choice("Uw conclusie: multiprobleemgezin?", [*JA_NEE, ("twijfel", "Twijfel")]),
        "onderbouwing": note("Onderbouwing", 1000),
    }
    return form("Gezinssituatie beoordelen", "Stap 5: beoordeling voor D3.", props, list(props))


def _garantie_besluit() -> Schema:
    props = {
        "garantie_besluit": choice("Besluit", [("toegekend", "Toegekend"), ("afgewezen", "Afgewezen")]),
        "garantie_bedrag": money("Maximumbedrag (€)"),
        "garantie_periode_maanden": count("Periode (maanden)", 1, 12),
        "garantie_voorwaarden": note("Voorwaarden"),
        "besluitdatum": day("Datum besluit"),
        "garantsteller_referentie": text("Referentie garantiebrief", 50),
        "besluit_toelichting": note("Toelichting", 1000),
    }
    granted = {
        "if": {"properties": {"garantie_besluit": {"const": "toegekend"}}, "required": ["garantie_besluit"]},
        "then": {"required": ["garantie_bedrag", "garantie_periode_maanden", "garantsteller_referentie"]},
    }
    return form(
        "Garantie besluiten",
        "Stap 7: besluit over de garantstelling.",
        props,
        ["garantie_besluit", "besluitdatum", "besluit_toelichting"],
        **granted,
    )


def _gezinsplan() -> Schema:
    actie = {
        "type": "object",
        "title": "Actie",
        "properties": {"wie": text("Wie"), "wat": text("Wat", 300), "wanneer": day("Wanneer")},
        "required": ["wie", "wat", "wanneer"],
        "additionalProperties": False,
    }
    props = {
        "doelen": {
            "type": "array",
            "title": "Doelen, in de woorden van het gezin",
            "minItems": 1,
            "maxItems": 10,
            "items": {"type": "string", "minLength": 1, "maxLength": 300},
        },
        "acties": {"type": "array", "title": "Acties", "maxItems": 20, "items": actie},
        "energiemaatregelen": {
            "type": "array",
            "title": "Energiemaatregelen",
            "uniqueItems": True,
            "items": choice("Maatregel", ENERGIEMAATREGELEN),
        },
    }
    return form("Gezinsplan (één gezin, één plan)", "Stap 9: samen met het gezin.", props, list(props))


def _onvolledige_melding() -> Schema:
    aanvulling = {
        "type": "object",
        "title": "Aangevulde gegevens",
        "properties": {
            "klant": {
                "type": "object",
                "title": "Klant",
                "additionalProperties": False,
                "properties": {"achternaam": text("Achternaam")},
            },
            "adres": {
                "type": "object",
                "title": "Leveringsadres",
                "additionalProperties": False,
                "properties": {
                    "postcode": {"type": "string", "title": "Postcode", "pattern": "^[1-9][0-9]{3} ?[A-Za-z]{2}$"},
                    "huisnummer": count("Huisnummer", 1, 99999),
                },
            },
            "geplande_einddatum": day("Geplande einddatum levering"),
            "achterstand_bedrag": money("Achterstand (€)"),
        },
        "additionalProperties": False,
    }
    props = {
        "aanvul_besluit": choice(
            "Besluit", [("aangevuld", "Aangevuld, opnieuw toetsen"), ("afwijzen", "Afwijzen: niet compleet te krijgen")]
        ),
        "aanvulling": aanvulling,
    }
    return form(
        "Onvolledige melding aanvullen", "Stap 1: vul aan wat de leverancier niet leverde.", props, ["aanvul_besluit"]
    )


def _simple_forms() -> dict[str, Schema]:
    return {
        "triage": form(
            "Triage en toewijzing",
            "Stap 2.",
            {
                "prioriteit": choice("Prioriteit", [("P1", "P1 — spoed"), ("P2", "P2"), ("P3", "P3")]),
                "bekend_bij_coordinatiepunt": yes_no("Is het gezin bekend bij het coördinatiepunt?"),
                "lopende_hulp": yes_no("Loopt er al hulp?"),
                "aantal_minderjarigen": count("Aantal minderjarigen (voor zover bekend)", 0, 15),
                "casemanager": text("Casemanager (gebruikersnaam)"),
                "medische_verklaring": choice(
                    "Medische verklaring",
                    [
                        ("niet_van_toepassing", "Niet van toepassing"),
                        ("aangevraagd", "Aangevraagd"),
                        ("aanwezig", "Aanwezig"),
                    ],
                    "Alleen de status; nooit een diagnose.",
                ),
                "leverancier_gebeld": yes_no("Leverancier gebeld (bij medisch of kwetsbaar)"),
                "netbeheerder_geinformeerd": yes_no("Netbeheerder geïnformeerd (bij medisch of kwetsbaar)"),
                "triage_notitie": note("Notitie"),
            },
            ["prioriteit", "bekend_bij_coordinatiepunt", "lopende_hulp", "aantal_minderjarigen", "casemanager"],
        ),
        "niet_bereikt": form(
            "Besluit: gezin niet bereikt",
            "Stap 4.",
            {
                "niet_bereikt_besluit": choice(
                    "Besluit", [("huisbezoek", "Outreachend huisbezoek"), ("afsluiten", "Afsluiten: niet bereikt")]
                ),
                "niet_bereikt_notitie": note("Toelichting"),
            },
            ["niet_bereikt_besluit"],
        ),
        "huisbezoek": form(
            "Outreachend huisbezoek",
            "Stap 4.",
            {
                "huisbezoek_datum": day("Datum"),
                "huisbezoek_bereikt": yes_no("Gezin bereikt"),
                "huisbezoek_notitie": note("Notitie", 300),
            },
            ["huisbezoek_datum", "huisbezoek_bereikt"],
        ),
        "toestemming": form(
            "Toestemming of grondslag",
            "Stap 5: informeren en vastleggen.",
            {
                "geinformeerd_op": day("Gezin geïnformeerd op"),
                "grondslag": choice(
                    "Grondslag voor het delen van gegevens",
                    [
                        ("toestemming", "Toestemming van het gezin"),
                        ("wettelijke_taak", "Wettelijke taak"),
                        ("geen", "Geen (gezin weigert)"),
                    ],
                ),
                "delen_met": {
                    "type": "array",
                    "title": "Delen met",
                    "uniqueItems": True,
                    "items": choice(
                        "Partij",
                        [
                            ("garantsteller", "Garantsteller"),
                            ("leverancier_terugkoppeling", "Leverancier (alleen status)"),
                            ("schuldhulpverlening", "Schuldhulpverlening"),
                        ],
                    ),
                },
                "toestemming_ingetrokken_op": day("Toestemming ingetrokken op"),
            },
            ["geinformeerd_op", "grondslag", "delen_met"],
        ),
        "twijfel": form(
            "Twijfel: besluit multiprobleem",
            "Stap 5: besluit van de coördinator.",
            {
                "twijfel_besluit": choice("Multiprobleemgezin?", JA_NEE),
                "twijfel_onderbouwing": note("Onderbouwing"),
            },
            ["twijfel_besluit", "twijfel_onderbouwing"],
        ),
        "overdracht": form(
            "Warme overdracht",
            "Stap 6b.",
            {
                "overdracht_datum": day("Datum overdracht"),
                "overdracht_aan": text("Overgedragen aan (team of organisatie)"),
                "overdracht_notitie": note("Notitie"),
            },
            ["overdracht_datum", "overdracht_aan"],
        ),
        "garantie_aanvragen": form(
            "Garantie aanvragen",
            "Stap 6a: gegevens voor D4.",
            {
                "andere_bron_mogelijk": yes_no("Is een andere bron mogelijk (noodfonds, bijzondere bijstand)?"),
                "eerdere_garantie_12_maanden": yes_no("Had het gezin in de laatste 12 maanden een garantie?"),
                "aanvraag_toelichting": note("Toelichting voor de beslisser", 1000),
            },
            ["andere_bron_mogelijk", "eerdere_garantie_12_maanden"],
        ),
        "opschorting_navragen": form(
            "Opschorting navragen",
            "Stap 8.",
            {
                "opschorting_bevestigd": yes_no("Heeft de leverancier de opschorting telefonisch bevestigd?"),
                "netbeheerder_geinformeerd": yes_no("Netbeheerder geïnformeerd"),
                "navraag_notitie": note("Notitie"),
            },
            ["opschorting_bevestigd"],
        ),
        "maandcontrole": form(
            "Maandelijkse controle",
            "Stap 10.",
            {
                "betalingen_op_schema": yes_no("Worden de termijnen betaald?"),
                "afspraken_nagekomen": yes_no("Worden de afspraken uit het gezinsplan nagekomen?"),
                "controle_notitie": note("Notitie"),
            },
            ["betalingen_op_schema", "afspraken_nagekomen"],
        ),
        "claim": form(
            "Claim beoordelen en betalen",
            "Stap 10: gemiste betaling onder de garantie.",
            {
                "claim_bedrag": money("Betaald bedrag (€)"),
                "claim_betaald_op": day("Betaald op"),
                "claim_referentie": text("Referentie betaling", 50),
                "claim_notitie": note("Notitie"),
            },
            ["claim_bedrag", "claim_betaald_op"],
        ),
        "plan_herzien": form(
            "Gezinsplan herzien na claim",
            "Stap 10.",
            {
                "plan_aangepast": yes_no("Is het gezinsplan aangepast?"),
                "herziening_notitie": note("Notitie"),
            },
            ["plan_aangepast"],
        ),
        "afsluiten": form(
            "Zaak afsluiten",
            "Stap 11: zonder garantie.",
            {
                "uitkomst": choice("Uitkomst", UITKOMSTEN_ZONDER_GARANTIE),
                "afsluit_notitie": note("Notitie"),
            },
            ["uitkomst"],
        ),
        "afsluiten_garantie": form(
            "Zaak afsluiten na garantie",
            "Stap 11.",
            {
                "regeling_nagekomen": choice(
                    "Wordt de betalingsregeling nagekomen?", [*JA_NEE, ("onbekend", "Onbekend")]
                ),
                "afsluit_notitie": note("Notitie"),
            },
            ["regeling_nagekomen"],
        ),
    }


def all_forms() -> dict[str, Schema]:
    forms = _simple_forms()
    forms.update(
        {
            "contactpoging": _contactpoging(),
            "beoordeling": _beoordeling(),
            "garantie_besluit": _garantie_besluit(),
            "gezinsplan": _gezinsplan(),
            "onvolledige_melding": _onvolledige_melding(),
        }
    )
    return forms


def outputs() -> dict[str, str]:
    files = {}
    for name, schema in sorted(all_forms().items()):
        files[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        files[f"{name}.uischema.json"] = json.dumps(ui(schema["properties"]), ensure_ascii=False, indent=2) + "\n"
    return files
