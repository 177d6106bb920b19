"""The exchange page (``/uitwisseling``) and its CSV export: known notices by every channel, known figures."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import ManualClock
from engine.db import Database
from engine.demo import seed
from engine.exchange import submit_notice
from engine.models import AccessLog, Case, MessageIn, Outbox
from engine.settings import Settings
from web import create_app

from ..conftest import START
from .conftest import ROLES, vangnet_of
from .test_manual_notice import notice_form, post

WEEK = "van=2026-12-07&tot=2026-12-13"


@pytest.fixture
def app(web_settings: Settings, database: Database, clock: ManualClock) -> Iterator[Flask]:
    """The demo users without the demo's notices: every figure on the page comes from this test's notices."""
    app = create_app({"VANGNET_SETTINGS": web_settings, "VANGNET_CLOCK": clock, "TESTING": True})
    seed(vangnet_of(app).engine, cases=False)
    yield app
    vangnet_of(app).database.dispose()


def api_notice(key: str, end: str | None, postcode: str = "5911AB") -> dict[str, Any]:
    return {
        "melding_id": key,
        "soort": "eindelevering",
        "klant": {"voorletters": "J.", "achternaam": "Jansen"},
        "adres": {"postcode": postcode, "huisnummer": 12, "plaats": "Venlo"},
        "achterstand_bedrag": 500.0,
        "geplande_einddatum": end,
        "kinderen_in_huishouden": "ja",
    }


def exchange(app: Flask, client_for: Callable[[str], FlaskClient], clock: ManualClock) -> None:
    """In the week of Monday 7 December 2026: three API notices (D in 57 wd, in 10 wd, none) and one repeat; one
    phoned-in notice (D in 10 wd) and a phoned-in repeat of an API notice; one e-mailed notice from outside the
    pilot area (D in 57 wd). Statuses reach the supplier after 3 minutes; one guarantee is confirmed 2 wd later."""
    engine = vangnet_of(app).engine

    def api(payload: dict[str, Any], channel: str = "api") -> None:
        engine.run(lambda s: submit_notice(engine, s, "essent", payload, channel, "essent"))

    api(api_notice("A-1", "2027-02-26"))
    api(api_notice("A-2", "2026-12-21"))
    api(api_notice("A-3", None))
    api(api_notice("A-1", "2027-02-26"))
    coordinator = client_for("coordinator")
    assert post(coordinator, notice_form(meldingId="T-1", geplandeEinddatum="2026-12-21")).status_code == 302
    api(api_notice("A-2", "2026-12-21"), "telefoon")
    outside = notice_form(kanaal="e-mail", meldingId="E-1", adres__postcode="6211AB", adres__plaats="Maastricht")
    assert post(coordinator, outside).status_code == 302
    clock.advance(timedelta(minutes=3))
    engine.deliver_outbox()
    engine.run(guarantee_confirmed)


def guarantee_confirmed(session: Session) -> None:
    """The end of the guarantee path of A-1, as rows: the status on Wednesday, the supplier's hold on Friday."""
    case_id = session.scalar(select(Case.id).where(Case.business_key == "A-1"))
    at = START + timedelta(days=2)
    session.add(Outbox(case_id=case_id, channel="leverancier", name="terugkoppeling", recipient="essent",
                       payload={"status": "garantie_afgegeven"}, state="sent", attempts=1, created_at=at))  # fmt: skip
    session.add(MessageIn(sender="essent", message_key="H-1", name="opschorting_bevestigd", case_id=case_id,
                          payload={}, payload_hash="-", state="delivered",
                          received_at=at + timedelta(days=2)))  # fmt: skip


class Table(HTMLParser):
    """The text of every row of the page's table: the header row first, then one row per figure."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "span" and ("aria-hidden", "true") in attrs:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


EXPECTED = [
    ["Maatstaf", "API", "Telefoon", "E-mail"],
    ["Meldingen", "3", "1", "1"],
    ["Meldingen per week", "3", "1", "1"],
    ["Geaccepteerd (D1)", "66,7 %", "100,0 %", "0,0 %"],
    ["Onvolledig (aanvulling gevraagd)", "33,3 %", "0,0 %", "0,0 %"],
    ["Doorlooptijd T0 → D, mediaan (werkdagen)", "33,5", "10", "57"],
    ["Doorlooptijd T0 → D korter dan 20 werkdagen", "50,0 %", "100,0 %", "0,0 %"],
    ["Dubbele meldingen", "1", "1", "0"],
    ["Ontvangstbevestiging, mediaan (minuten)", "3", "3", "3"],
    ["Bevestiging opschorting, mediaan (werkdagen)", "2", "geen gegevens", "geen gegevens"],
]


def test_the_page_shows_the_figures_per_channel(
    app: Flask, client_for: Callable[[str], FlaskClient], clock: ManualClock
) -> None:
    exchange(app, client_for, clock)
    page = client_for("procesbeheerder").get(f"/uitwisseling?{WEEK}")
    assert page.status_code == 200
    assert Table(page.text).rows == EXPECTED
    assert "Uitwisseling per kanaal, 07-12-2026 tot en met 13-12-2026</caption>" in page.text
    for personal in ("Jansen", "Beek", "A-1", "T-1", "5911", "VN-2026"):  # names, notice ids, postcodes, cases
        assert personal not in page.text
    assert 'href="/uitwisseling.csv?van=2026-12-07&amp;tot=2026-12-13"' in page.text
    assert 'href="/uitwisseling.csv?van=2026-12-07&amp;tot=2026-12-13&amp;opmaak=spreadsheet"' in page.text


def test_the_spreadsheet_csv_opens_in_a_dutch_excel(
    app: Flask, client_for: Callable[[str], FlaskClient], clock: ManualClock
) -> None:
    exchange(app, client_for, clock)
    client = client_for("coordinator")
    plain = client.get(f"/uitwisseling.csv?{WEEK}").text
    response = client.get(f"/uitwisseling.csv?{WEEK}&opmaak=spreadsheet")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].endswith('_2026-12-07_2026-12-13_spreadsheet.csv"')
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text  # UTF-8 by its byte-order mark, Windows line ends
    sheet = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    program = list(csv.DictReader(io.StringIO(plain)))
    assert [row["channel"] for row in sheet] == [row["channel"] for row in program]
    api = sheet[0]
    assert (api["notices"], api["accepted_pct"], api["lead_time_median_wd"]) == ("3", "66,7", "33,5")
    for dutch, english in zip(sheet, program, strict=True):  # the same figures, only written the Dutch way
        assert {k: v.replace(",", ".") for k, v in dutch.items()} == english


def test_the_csv_has_the_same_figures(app: Flask, client_for: Callable[[str], FlaskClient], clock: ManualClock) -> None:
    exchange(app, client_for, clock)
    response = client_for("coordinator").get(f"/uitwisseling.csv?{WEEK}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="uitwisseling_2026-12-07_2026-12-13.csv"'
    rows = {row["channel"]: row for row in csv.DictReader(io.StringIO(response.text))}
    assert list(rows) == ["api", "telefoon", "e-mail"]
    assert rows["api"] == {
        "channel": "api",
        "notices": "3",
        "notices_per_week": "3.0",
        "accepted_pct": "66.7",
        "incomplete_pct": "33.3",
        "lead_time_median_wd": "33.5",
        "lead_time_under_20_pct": "50.0",
        "duplicates": "1",
        "acknowledgement_median_minutes": "3.0",
        "hold_confirmation_median_wd": "2.0",
    }
    assert (rows["telefoon"]["notices"], rows["telefoon"]["duplicates"], rows["telefoon"]["lead_time_median_wd"]) == (
        "1",
        "1",
        "10.0",
    )
    assert (rows["e-mail"]["accepted_pct"], rows["e-mail"]["hold_confirmation_median_wd"]) == ("0.0", "")
    assert "Jansen" not in response.text and "A-1" not in response.text


def test_the_period_filter(app: Flask, client_for: Callable[[str], FlaskClient], clock: ManualClock) -> None:
    exchange(app, client_for, clock)
    client = client_for("coordinator")
    later = Table(client.get("/uitwisseling?van=2026-12-14&tot=2027-01-10").text).rows
    assert later[1] == ["Meldingen", "0", "0", "0"]
    assert later[2] == ["Meldingen per week", "0", "0", "0"]
    assert later[3] == ["Geaccepteerd (D1)", "geen gegevens", "geen gegevens", "geen gegevens"]
    two_weeks = Table(client.get("/uitwisseling?van=2026-12-01&tot=2026-12-14").text).rows
    assert two_weeks[2] == ["Meldingen per week", "1,5", "0,5", "0,5"]
    default = client.get("/uitwisseling").text  # the last four weeks, up to and including today
    assert 'name="van" value="2026-11-10"' in default and 'name="tot" value="2026-12-07"' in default
    assert Table(default).rows[1] == ["Meldingen", "3", "1", "1"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("van=2026-13-01&tot=2026-12-13", "van", "Vul een bestaande datum in."),
        ("van=2026-12-07&tot=7-12-2026", "tot", "Vul een bestaande datum in."),
        ("van=2026-12-07&tot=2026-12-06", "tot", "Kies een einddatum op of na de begindatum."),
        ("van=2020-01-01&tot=2026-12-06", "tot", "Kies een periode van hoogstens drie jaar."),
    ],
)
def test_a_wrong_period_is_named(
    client_for: Callable[[str], FlaskClient], query: str, field: str, message: str
) -> None:
    client = client_for("coordinator")
    for url in (f"/uitwisseling?{query}", f"/uitwisseling.csv?{query}"):
        response = client.get(url)
        assert response.status_code == 400 and response.mimetype == "text/html"
        assert f'<a class="utrecht-link" href="#periode-{field}">' in response.text
        assert f'id="periode-{field}-fout"><span class="vn-sr-only">Fout: </span>{message}</div>' in response.text
        assert "<table" not in response.text


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_figures(app: Flask, client_for: Callable[[str], FlaskClient], role: str) -> None:
    client = client_for(role)
    allowed = role in ("coordinator", "procesbeheerder")
    expected = 200 if allowed else 403
    assert client.get(f"/uitwisseling?{WEEK}").status_code == expected
    assert client.get(f"/uitwisseling.csv?{WEEK}").status_code == expected
    assert ('href="/uitwisseling"' in client.get("/").text) == allowed  # the menu link only where it works
    with vangnet_of(app).database.reading() as s:
        lines = s.execute(
            select(AccessLog.action, AccessLog.object_id, AccessLog.result).where(AccessLog.actor == role)
        )
        seen = sorted(lines)
    if allowed:
        week = "uitwisseling:2026-12-07_2026-12-13"
        assert seen == [("exchange_export", week, "allowed"), ("exchange_read", week, "allowed")]
    else:
        assert seen == [("exchange_export", "uitwisseling", "denied"), ("exchange_read", "uitwisseling", "denied")]
