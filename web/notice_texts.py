"""The Dutch words of the notice form (web/notices.py): labels, help texts, choice labels and section headings.

Built per request, so that Flask-Babel translates them into the user's language. The field names are the API's
(camelCase, as in ``web/api/schemas.py``); a name missing here falls back to the field name.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _


def ui_schema() -> dict[str, Any]:
    return {
        "kanaal": {"ui:title": _("Binnengekomen per"), "ui:widget": "radio"},
        "leverancier": {
            "ui:title": _("Leverancier"),
            "ui:help": _("Staat de leverancier er niet bij? Vraag de functioneel beheerder hem toe te voegen."),
        },
        "meldingId": {
            "ui:title": _("Meldingsnummer van de leverancier"),
            "ui:help": _("Het kenmerk dat de leverancier zelf aan de melding gaf, bijvoorbeeld ESS-2026-0001."),
        },
        "meldingsdatum": {"ui:title": _("Datum van de melding")},
        "soort": {"ui:title": _("Soort melding"), "ui:widget": "radio"},
        "klant": _customer(),
        "adres": _address(),
        "telefoon": {"ui:title": _("Telefoonnummer van de klant")},
        "email": {"ui:title": _("E-mailadres van de klant")},
        "contractreferentie": {"ui:title": _("Contractnummer bij de leverancier")},
        "producten": {"ui:title": _("Producten")},
        "achterstandBedrag": {"ui:title": _("Betalingsachterstand"), "ui:widget": "money"},
        "achterstandSinds": {"ui:title": _("Achterstand sinds")},
        "maandbedrag": {"ui:title": _("Termijnbedrag per maand"), "ui:widget": "money"},
        "aantalHerinneringen": {"ui:title": _("Aantal herinneringen")},
        "laatsteHerinnering": {"ui:title": _("Datum van de laatste herinnering")},
        "contactpogingenAantal": {"ui:title": _("Aantal contactpogingen van de leverancier")},
        "laatsteContactpoging": {"ui:title": _("Datum van de laatste contactpoging")},
        "regelingAangeboden": {"ui:title": _("Betalingsregeling aangeboden")},
        "regelingStatus": {
            "ui:title": _("Stand van de betalingsregeling"),
            "ui:help": _("Bijvoorbeeld: geweigerd, lopend of niet nagekomen."),
        },
        "geplandeEinddatum": {
            "ui:title": _("Geplande einddatum van de levering (D)"),
            "ui:help": _("Zonder deze datum vraagt Vangnet de leverancier om aanvulling."),
        },
        "kinderenInHuishouden": {"ui:title": _("Kinderen in het huishouden"), "ui:widget": "radio"},
        "kwetsbaarheidBekend": {"ui:title": _("Kwetsbaarheid bekend"), "ui:help": _no_diagnosis()},
        "medisch": {"ui:title": _("Medisch afhankelijk van energie"), "ui:help": _no_diagnosis()},
        "bezwaarGegevensdeling": {"ui:title": _("Klant heeft bezwaar gemaakt tegen het delen van gegevens")},
        "klantsoort": {"ui:title": _("Soort klant"), "ui:widget": "radio"},
    }


def _no_diagnosis() -> str:
    return _("Alleen ja of nee: noteer nooit een diagnose of andere medische gegevens.")


def _customer() -> dict[str, Any]:
    return {
        "ui:title": _("Klant"),
        "voorletters": {"ui:title": _("Voorletters")},
        "tussenvoegsel": {"ui:title": _("Tussenvoegsel")},
        "achternaam": {"ui:title": _("Achternaam")},
        "geboortedatum": {"ui:title": _("Geboortedatum"), "ui:help": _("Alleen om de klant te herkennen.")},
    }


def _address() -> dict[str, Any]:
    return {
        "ui:title": _("Leveringsadres"),
        "postcode": {"ui:title": _("Postcode"), "ui:help": _("Bijvoorbeeld 5911 AB.")},
        "huisnummer": {"ui:title": _("Huisnummer")},
        "toevoeging": {"ui:title": _("Toevoeging")},
        "plaats": {"ui:title": _("Plaats")},
    }


def choice_labels() -> dict[str, str]:
    """Value → label for every choice in the form (the values are the API's)."""
    return {
        "telefoon": _("Telefoon"),
        "e-mail": _("E-mail"),
        "vroegsignaal": _("Vroegsignaal"),
        "eindelevering": _("Einde levering"),
        "update": _("Update van een eerdere melding"),
        "elektriciteit": _("Elektriciteit"),
        "gas": _("Gas"),
        "warmte": _("Warmte"),
        "ja": _("Ja"),
        "onbekend": _("Onbekend"),
        "huishouden": _("Huishouden"),
        "zakelijk": _("Zakelijk"),
    }


def section_titles() -> dict[str, str]:
    return {
        "melding": _("Melding"),
        "klant": _("Klant"),
        "adres": _("Leveringsadres"),
        "contact": _("Contact en contract"),
        "achterstand": _("Achterstand en stappen van de leverancier"),
        "huishouden": _("Huishouden"),
    }
