"""In a real browser: a coordinator registers a phoned-in notice with a mistake, corrects it and lands on the case
file; the exchange page shows it. Both new pages pass axe-core (WCAG 2.1 A/AA); screenshots in test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .test_browser import CHROMIUM, Checked, base_url, browser  # noqa: F401  (fixtures)
from .test_exchange_page import Table

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make chromium)")


@pytest.fixture
def checked(browser: Any, base_url: str) -> Iterator[Checked]:  # noqa: F811  (the imported fixtures)
    page = Checked(browser, base_url)
    yield page
    page.context.close()


def submit(checked: Checked) -> None:
    checked.page.click("form.vn-form button[type=submit]")


def test_register_a_phoned_in_notice_correct_a_mistake_and_see_the_figures(checked: Checked) -> None:
    page = checked
    browser_page = page.page
    page.login("coordinator")
    browser_page.click("nav.vn-nav >> text=Melding registreren")
    browser_page.wait_for_selector("h1 >> text=Melding registreren")
    page.check("20-melding-registreren")
    browser_page.check("#veld-kanaal-1")  # telefoon
    browser_page.select_option("#veld-leverancier", "essent")
    browser_page.fill("#veld-meldingId", "ESS-TEL-0042")
    browser_page.check("#veld-soort-2")  # eindelevering
    browser_page.fill("#veld-klant-voorletters", "P.")
    browser_page.fill("#veld-klant-achternaam", "Beek")
    browser_page.fill("#veld-adres-postcode", "59111AB")  # one digit too many
    browser_page.fill("#veld-adres-huisnummer", "17")
    browser_page.fill("#veld-adres-plaats", "Venlo")
    browser_page.fill("#veld-achterstandBedrag", "742,50")
    browser_page.fill("#veld-geplandeEinddatum", "2027-02-26")
    browser_page.check("#veld-kinderenInHuishouden-1")  # ja
    submit(page)
    browser_page.wait_for_selector("#foutoverzicht:focus")  # the summary takes the focus once its script ran
    assert "Postcode: Vul een postcode in als 1234 AB." in browser_page.inner_text("#foutoverzicht")
    assert browser_page.input_value("#veld-meldingId") == "ESS-TEL-0042"  # what was entered stays
    assert browser_page.input_value("#veld-achterstandBedrag") == "742,50"  # an amount in Dutch notation
    assert browser_page.get_attribute("#veld-adres-postcode", "aria-invalid") == "true"
    page.check("21-melding-fout")
    browser_page.click("#foutoverzicht a")
    browser_page.fill("#veld-adres-postcode", "5911 AB")
    submit(page)
    browser_page.wait_for_url("**/zaken/VN-2026-000006")
    browser_page.wait_for_selector("text=Melding geregistreerd als zaak VN-2026-000006.")
    assert "Beek" in browser_page.inner_text("main")
    page.check("22-zaak-na-melding")
    browser_page.click("nav.vn-nav >> text=Uitwisseling")
    browser_page.wait_for_selector("table.vn-metrics")
    rows = Table(browser_page.content()).rows
    assert rows[0] == ["Maatstaf", "API", "Telefoon", "E-mail"]
    assert rows[1] == ["Meldingen", "4", "2", "0"]  # the demo's notices (four by API, one by phone) and this one
    assert rows[3] == ["Geaccepteerd (D1)", "100,0 %", "100,0 %", "geen gegevens"]
    page.check("23-uitwisseling")


def test_the_exchange_page_with_a_wrong_period(checked: Checked) -> None:
    checked.login("procesbeheerder")  # lands on the inbox, which is 403 for a process owner
    checked.page.goto("/uitwisseling?van=2026-12-08&tot=2026-12-01")
    checked.page.wait_for_selector("#foutoverzicht:focus")
    expected = ("status of 403", "status of 400")  # the inbox refused; a wrong period is answered with 400
    checked.errors[:] = [e for e in checked.errors if not any(x in e for x in expected)]
    checked.check("24-uitwisseling-fout")
