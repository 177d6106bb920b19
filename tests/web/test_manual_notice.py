"""The manual channel: a coordinator registers a phoned-in or e-mailed notice (``/meldingen/nieuw``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine.models import AccessLog, Case, CaseEvent
from engine.suppliers import SupplierNotice
from engine.views import case_file
from web.api.schemas import NOTICE

from ..conftest import START
from .conftest import ROLES, csrf_token, vangnet_of

URL = "/meldingen/nieuw"
DEMO_CASES = 5
NOT_DEMO = SupplierNotice.notice_key.not_like("ESS-2026-%")  # the demo's own notices came by API and phone


def notice_form(**changes: str | list[str]) -> dict[str, Any]:
    """A complete phoned-in notice as the form posts it (dotted names); keyword arguments replace fields, and a
    name with ``__`` stands for a dot (``adres__postcode``)."""
    form: dict[str, Any] = {
        "kanaal": "telefoon",
        "leverancier": "essent",
        "meldingId": "ESS-TEL-0001",
        "meldingsdatum": "2026-12-07",
        "soort": "eindelevering",
        "klant.voorletters": "P.",
        "klant.tussenvoegsel": "van",
        "klant.achternaam": "Beek",
        "klant.geboortedatum": "1983-03-14",
        "adres.postcode": "5912 AB",
        "adres.huisnummer": "17",
        "adres.plaats": "Venlo",
        "telefoon": "0623456789",
        "contractreferentie": "C-777",
        "producten": ["elektriciteit", "gas"],
        "achterstandBedrag": "742,50",
        "achterstandSinds": "2026-08-01",
        "maandbedrag": "145",
        "aantalHerinneringen": "3",
        "laatsteHerinnering": "2026-11-15",
        "contactpogingenAantal": "2",
        "laatsteContactpoging": "2026-11-20",
        "regelingAangeboden": "ja",
        "regelingStatus": "geweigerd",
        "geplandeEinddatum": "2027-02-26",
        "kinderenInHuishouden": "ja",
        "kwetsbaarheidBekend": "nee",
        "medisch": "nee",
        "bezwaarGegevensdeling": "nee",
    }
    form.update({name.replace("__", "."): value for name, value in changes.items()})
    return form


def post(client: FlaskClient, form: dict[str, Any]) -> Any:
    token = csrf_token(client.get(URL).text)
    return client.post(URL, data={**form, "csrf_token": token})


def counts(app: Flask) -> tuple[int, int, int]:
    """Cases, supplier notices and repeat events: what a refused registration must leave as it was."""
    with vangnet_of(app).database.reading() as s:
        cases = s.scalar(select(func.count()).select_from(Case))
        notices = s.scalar(select(func.count()).select_from(SupplierNotice).where(NOT_DEMO))
        repeats = s.scalar(select(func.count()).where(CaseEvent.action == "notice_repeated"))
    return int(cases or 0), int(notices or 0), int(repeats or 0)


def field_names(schema: dict[str, Any], prefix: str = "") -> list[str]:
    names = []
    for name, child in schema["properties"].items():
        if child.get("type") == "object":
            names += field_names(child, f"{prefix}{name}.")
        else:
            names.append(f"{prefix}{name}")
    return names


def test_the_form_offers_every_field_of_the_api_notice(client_for: Callable[[str], FlaskClient]) -> None:
    page = client_for("coordinator").get(URL)
    assert page.status_code == 200
    for name in ["kanaal", "leverancier", *field_names(NOTICE)]:
        assert f'name="{name}"' in page.text, name
    assert 'value="telefoon"' in page.text and 'value="e-mail"' in page.text
    assert '<option value="essent">essent</option>' in page.text  # the suppliers Vangnet knows
    assert 'name="meldingsdatum" value="2026-12-07"' in page.text  # today, by the test clock
    assert 'aria-current="page">Melding registreren</a>' in page.text


def test_a_phoned_in_notice_becomes_a_case(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    client = client_for("coordinator")
    response = post(client, notice_form())
    assert response.status_code == 302
    reference = f"VN-2026-{DEMO_CASES + 1:06d}"
    assert response.location == f"/zaken/{reference}"
    case_page = client.get(response.location).text
    assert f"Melding geregistreerd als zaak {reference}." in case_page and "Beek" in case_page
    engine = vangnet_of(app).engine
    with engine.database.reading() as s:
        row = s.scalars(select(SupplierNotice).where(NOT_DEMO)).one()
        notice = case_file(engine, s, reference).notice
        audit = s.scalars(select(AccessLog).where(AccessLog.action == "melding_geregistreerd")).one()
    assert (row.supplier, row.notice_key, row.channel, row.received_at) == ("essent", "ESS-TEL-0001", "telefoon", START)
    assert row.planned_end_date == "2027-02-26"
    assert notice["adres"] == {"postcode": "5912 AB", "huisnummer": 17, "plaats": "Venlo"}  # typed as by the API
    assert (notice["achterstand_bedrag"], notice["maandbedrag"], notice["regeling_aangeboden"]) == (742.5, 145.0, True)
    assert (notice["producten"], notice["kanaal"], notice["leverancier"]) == (
        ["elektriciteit", "gas"],
        "telefoon",
        "essent",
    )
    assert (audit.actor, audit.object_id, audit.result) == ("coordinator", reference, "allowed")


def test_the_form_asks_no_more_than_the_api(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    minimal = {"kanaal": "e-mail", "leverancier": "essent", "meldingId": "ESS-MAIL-9", "soort": "vroegsignaal"}
    response = post(client_for("coordinator"), minimal)
    assert response.status_code == 302
    with vangnet_of(app).database.reading() as s:
        row = s.scalars(select(SupplierNotice).where(NOT_DEMO)).one()
    assert (row.channel, row.planned_end_date) == ("e-mail", None)


def test_missing_required_fields_are_named(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    form = {k: v for k, v in notice_form().items() if k not in ("kanaal", "leverancier", "meldingId", "soort")}
    response = post(client_for("coordinator"), form)
    assert response.status_code == 422
    page = response.text
    assert "<title>Fout: Melding registreren · Vangnet</title>" in page
    assert "Er zijn 4 fouten in het formulier" in page
    for path, message in [
        ("kanaal", "Binnengekomen per: Kies hoe de melding binnenkwam."),
        ("leverancier", "Leverancier: Kies de leverancier die de melding deed."),
        ("meldingId", "Meldingsnummer van de leverancier: Vul het meldingsnummer van de leverancier in."),
        ("soort", "Soort melding: Kies de soort melding."),
    ]:
        assert f'<a class="utrecht-link" href="#veld-{path}">{message}</a>' in page
    assert 'value="Beek"' in page and 'value="742,50"' in page  # kept, the amount in Dutch notation
    assert 'value="742.5"' not in page
    assert counts(app) == (DEMO_CASES, 0, 0)


CHOICES = {"kanaal", "leverancier", "soort", "regelingAangeboden", "producten", "kinderenInHuishouden"}
WRONG: list[tuple[str, str | list[str], str]] = [
    ("kanaal", "fax", "Kies een van de mogelijkheden."),
    ("leverancier", "onbekend-bv", "Kies een van de mogelijkheden."),
    ("meldingId", "ESS 1/2", "Gebruik alleen letters, cijfers, punten en streepjes"),
    ("soort", "onzin", "Kies een van de mogelijkheden."),
    ("adres.postcode", "59111AB", "Vul een postcode in als 1234 AB."),
    ("adres.huisnummer", "12a", "Vul een heel getal in, zonder punt of komma."),
    ("adres.toevoeging", "ABCDEFGHIJK", "Gebruik hoogstens 10 tekens."),
    ("achterstandBedrag", "veel", "Vul een bedrag in, bijvoorbeeld 742,50."),
    ("maandbedrag", "-5.5", "Vul 0 of meer in."),
    ("aantalHerinneringen", "101", "Vul hoogstens 100 in."),
    ("geplandeEinddatum", "2027-02-30", "Vul een bestaande datum in."),
    ("klant.geboortedatum", "14-03-1983", "Vul een bestaande datum in."),
    ("email", "geen-adres", "Vul een e-mailadres in als naam@voorbeeld.nl."),
    ("telefoon", "06\t12345678", "Gebruik geen tabs of andere stuurtekens."),
    ("regelingAangeboden", "misschien", "Kies ja of nee."),
    ("producten", ["gas", "olie"], "Kies een van de mogelijkheden."),
    ("kinderenInHuishouden", "nee", "Kies een van de mogelijkheden."),
]


SHOWN_AS = {"maandbedrag": "-5,50"}  # a typed value that parsed, shown back as the amount it became


def test_every_kind_of_wrong_value_gets_its_message_on_its_field(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    form = notice_form(**{path.replace(".", "__"): value for path, value, _ in WRONG})
    response = post(client_for("coordinator"), form)
    assert response.status_code == 422
    page = response.text
    assert f"Er zijn {len(WRONG)} fouten in het formulier" in page
    for path, value, message in WRONG:
        field_id = "veld-" + path.replace(".", "-")
        assert f'href="#{field_id}">' in page, path
        error = page.split(f'id="{field_id}-fout">', 1)[1].split("</div>", 1)[0]
        assert message in error, (path, error)
        if path not in CHOICES and "\t" not in value:
            shown = SHOWN_AS.get(path, value)
            assert f'value="{shown}"' in page, path  # what was typed stays (an amount that parsed: in Dutch)
    assert counts(app) == (DEMO_CASES, 0, 0)


def test_a_duplicate_gives_a_clear_message_and_nothing_new(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client = client_for("coordinator")
    assert post(client, notice_form()).status_code == 302
    reference = f"VN-2026-{DEMO_CASES + 1:06d}"
    again = post(client, notice_form())
    assert again.status_code == 409
    assert "Deze melding is al eerder binnengekomen; er is geen nieuwe zaak gemaakt." in again.text
    assert f'href="/zaken/{reference}">Open zaak {reference}</a>' in again.text
    assert counts(app) == (DEMO_CASES + 1, 1, 1)  # the repeat is recorded, for the metrics
    other = post(client, notice_form(maandbedrag="99,5"))
    assert other.status_code == 409
    assert "al een melding met andere gegevens gedaan" in other.text and 'value="99,50"' in other.text
    assert counts(app) == (DEMO_CASES + 1, 1, 1)  # nothing written
    with vangnet_of(app).database.reading() as s:
        assert s.scalars(select(SupplierNotice.duplicates).where(NOT_DEMO)).one() == 1
        actions = s.scalars(select(AccessLog.action).where(AccessLog.object_id == reference)).all()
    assert sorted(actions) == ["melding_geregistreerd", "melding_herhaald"]


def test_a_notice_outside_the_team_is_registered_but_not_opened(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client = client_for("coordinator")
    outside = notice_form(adres__postcode="6211AB", adres__plaats="Maastricht")
    response = post(client, outside)
    assert (response.status_code, response.location) == (302, URL)
    reference = f"VN-2026-{DEMO_CASES + 1:06d}"
    assert f"Melding geregistreerd als zaak {reference}." in client.get(URL).text
    again = post(client, outside)
    assert again.status_code == 409 and f"Deze melding hoort bij zaak {reference}." in again.text
    assert f'href="/zaken/{reference}"' not in again.text  # no link to a case file that would refuse them
    assert counts(app) == (DEMO_CASES + 1, 1, 1)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "coordinator"])
def test_only_coordinators_may_register(app: Flask, client_for: Callable[[str], FlaskClient], role: str) -> None:
    client = client_for(role)
    assert client.get(URL).status_code == 403
    token = csrf_token(client.get("/").text)
    assert client.post(URL, data={**notice_form(), "csrf_token": token}).status_code == 403
    assert "Melding registreren" not in client.get("/").text  # no link to a page the role may not use
    assert counts(app) == (DEMO_CASES, 0, 0)
    with vangnet_of(app).database.reading() as s:
        refused = s.scalars(select(AccessLog.action).where(AccessLog.actor == role, AccessLog.result == "denied"))
        assert sorted(refused) == ["notice_create", "notice_form_read"]


def test_anonymous_is_sent_to_login_and_csrf_is_required(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    anonymous = app.test_client().get(URL)
    assert anonymous.status_code == 302 and anonymous.location.startswith("/inloggen")
    response = client_for("coordinator").post(URL, data=notice_form())
    assert response.status_code == 400 and "Formulier niet geaccepteerd" in response.text
    assert counts(app) == (DEMO_CASES, 0, 0)
