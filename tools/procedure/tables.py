"""The decision tables of the procedure (PROCEDURE.md: D1–D5, D7) and the table of deadlines and norms.

Cells are Python expressions (SpiffWorkflow's DMN dialect, not FEEL); '-' means "any value". Every table ends
with a fallback row. Every number a process owner may change lives in a cell here.
"""

from __future__ import annotations

from .dmn_xml import Column, Table

ANY = "-"


def d1_ontvankelijkheid() -> Table:
    t = Table(
        "d1_ontvankelijkheid",
        "D1 Ontvankelijkheid",
        "FIRST",
        [
            Column("d1_in_gebied", "Binnen pilotgebied", "binnen_pilotgebied", "boolean"),
            Column("d1_in_huishouden", "Huishoudelijke klant", "huishouden", "boolean"),
            Column("d1_in_coordinator", "Besluit coördinator", "aanvul_besluit"),
            Column("d1_in_ontbrekend", "Aantal ontbrekende velden", "len(ontbrekende_velden)", "integer"),
            Column("d1_in_herinneringen", "Aantal herinneringen", "aantal_herinneringen", "integer"),
            Column("d1_in_regeling", "Regeling aangeboden", "regeling_aangeboden", "boolean"),
            Column("d1_in_contact", "Contactpogingen leverancier", "contactpogingen_leverancier", "integer"),
        ],
        [
            Column("d1_uit_besluit", "Ontvankelijkheid", "ontvankelijkheid"),
            Column("d1_uit_reden", "Reden afwijzing", "afwijsreden"),
            Column("d1_uit_onvolledig", "Incassotraject onvolledig", "incassotraject_onvolledig", "boolean"),
            Column("d1_uit_termijn", "Aanvultermijn (werkdagen)", "aanvultermijn_werkdagen", "integer"),
        ],
        doc="Stap 1: is de melding ontvankelijk? Eerste passende regel telt.",
    )
    t.row(
        ("False", ANY, ANY, ANY, ANY, ANY, ANY),
        ('"afwijzen"', '"buiten_pilotgebied"', "False", "0"),
        "Adres ligt buiten het pilotgebied.",
    )
    t.row(
        (ANY, "False", ANY, ANY, ANY, ANY, ANY),
        ('"afwijzen"', '"geen_huishoudelijke_klant"', "False", "0"),
        "Geen huishoudelijke klant.",
    )
    t.row(
        (ANY, ANY, '"afwijzen"', ANY, ANY, ANY, ANY),
        ('"afwijzen"', '"onvolledig"', "False", "0"),
        "De coördinator wijst een onvolledige melding af.",
    )
    t.row(
        (ANY, ANY, ANY, "> 0", ANY, ANY, ANY),
        ('"aanvullen"', '""', "False", "1"),
        "Verplicht veld ontbreekt: leverancier vult binnen 1 werkdag aan.",
    )
    t.row(
        (ANY, ANY, ANY, ANY, "< 3", ANY, ANY),
        ('"accepteren"', '""', "True", "0"),
        "Minder dan 3 herinneringen: accepteren, markeren als incassotraject onvolledig.",
    )
    t.row(
        (ANY, ANY, ANY, ANY, ANY, "False", ANY),
        ('"accepteren"', '""', "True", "0"),
        "Geen betalingsregeling aangeboden: accepteren, markeren.",
    )
    t.row(
        (ANY, ANY, ANY, ANY, ANY, ANY, "< 1"),
        ('"accepteren"', '""', "True", "0"),
        "Geen persoonlijke contactpoging door de leverancier: accepteren, markeren.",
    )
    t.row((ANY,) * 7, ('"accepteren"', '""', "False", "0"), "Anders: accepteren.")
    return t


def d2_prioriteit() -> Table:
    t = Table(
        "d2_prioriteit",
        "D2 Prioriteit en termijn eerste contact",
        "FIRST",
        [
            Column(
                "d2_in_werkdagen",
                "Werkdagen tot einddatum",
                "werkdagen_tussen(vandaag(), geplande_einddatum)",
                "integer",
            ),
            Column("d2_in_medisch", "Medisch of kwetsbaar", "medisch or kwetsbaar", "boolean"),
            Column("d2_in_winter", "Winterperiode", "winter", "boolean"),
            Column("d2_in_kinderen", "Kinderen in huishouden", "kinderen_gemeld", "boolean"),
        ],
        [
            Column("d2_uit_prioriteit", "Prioriteit", "prioriteit"),
            Column("d2_uit_termijn", "Eerste contact binnen (werkdagen)", "eerste_contact_werkdagen", "integer"),
            Column("d2_uit_uitstel", "Uitstel vragen", "uitstel_nodig", "boolean"),
        ],
        doc="Stap 0–2: prioriteit en termijn voor de eerste contactpoging. Eerste passende regel telt.",
    )
    t.row(("< 10", ANY, ANY, ANY), ('"P1"', "1", "True"), "Minder dan 10 werkdagen: P1 en uitstel vragen.")
    t.row((ANY, "True", ANY, ANY), ('"P1"', "1", "False"), "Medisch of kwetsbaar: P1.")
    t.row(("10 <= ? <= 15", ANY, "True", "True"), ('"P1"', "2", "False"), "10–15 werkdagen, winter en kinderen.")
    t.row(("10 <= ? <= 15", ANY, ANY, ANY), ('"P2"', "3", "False"), "10–15 werkdagen.")
    t.row(("> 15", ANY, ANY, "True"), ('"P2"', "3", "False"), "Meer dan 15 werkdagen en kinderen.")
    t.row((ANY,) * 4, ('"P3"', "5", "False"), "Anders.")
    return t


def d3_multiprobleem() -> Table:
    t = Table(
        "d3_multiprobleem",
        "D3 Multiprobleemgezin",
        "FIRST",
        [
            Column("d3_in_kinderen", "Minderjarige kinderen", "aantal_minderjarigen", "integer"),
            Column("d3_in_veilig", "Veiligheidssignaal", "veiligheidssignaal", "boolean"),
            Column("d3_in_laag", "Domeinen met score 1–2 (ZRM)", "laag_scorende_domeinen", "integer"),
            Column("d3_in_duur", "Problemen 6 maanden of langer", "problemen_langer_dan_6_maanden", "boolean"),
            Column(
                "d3_in_hulp",
                "Eerdere hulp zonder effect of zorgmijdend",
                "eerdere_hulp_zonder_effect or zorgmijdend",
                "boolean",
            ),
        ],
        [
            Column("d3_uit_advies", "Multiprobleem", "mpg_advies"),
            Column("d3_uit_veilig", "Route kindveiligheid", "veiligheidsroute", "boolean"),
        ],
        doc="Stap 5: is dit een multiprobleemgezin? 'twijfel' gaat naar de coördinator (besluit binnen 1 werkdag).",
    )
    t.row(("0", ANY, ANY, ANY, ANY), ('"nee"', "False"), "Geen kinderen: geen pilotcasus, overdracht schuldhulp.")
    t.row((ANY, "True", ANY, ANY, ANY), ('"ja"', "True"), "Kinderen en veiligheidssignaal: ja, route kindveiligheid.")
    t.row((ANY, ANY, ">= 3", "True", "True"), ('"ja"', "False"), "3+ lage domeinen, lang, eerdere hulp faalde.")
    t.row((ANY, ANY, ">= 3", ANY, ANY), ('"twijfel"', "False"), "3+ lage domeinen: twijfel.")
    t.row((ANY, ANY, "2", "True", "True"), ('"twijfel"', "False"), "2 lage domeinen, lang, eerdere hulp faalde.")
    t.row((ANY,) * 5, ('"nee"', "False"), "Anders: geen multiprobleemgezin.")
    return t


def d4_garantie() -> Table:
    t = Table(
        "d4_garantie",
        "D4 Garantstelling",
        "FIRST",
        [
            Column("d4_in_mpg", "Multiprobleemgezin", "mpg", "boolean"),
            Column("d4_in_toestemming", "Toestemming of grondslag", "toestemming_of_grondslag", "boolean"),
            Column("d4_in_achterstand", "Achterstand (€)", "achterstand_bedrag", "number"),
            Column("d4_in_eerder", "Garantie in laatste 12 maanden", "eerdere_garantie_12_maanden", "boolean"),
            Column("d4_in_maand", "Maandbedrag (€)", "maandbedrag", "number"),
            Column("d4_in_bron", "Andere bron mogelijk", "andere_bron_mogelijk", "boolean"),
        ],
        [
            Column("d4_uit_soort", "Soort garantie", "garantie_soort"),
            Column("d4_uit_bedrag", "Voorgesteld maximumbedrag (€)", "voorstel_bedrag", "number"),
            Column("d4_uit_periode", "Periode (maanden)", "voorstel_periode_maanden", "integer"),
            Column("d4_uit_beslisser", "Beslist door", "garantie_beslisser"),
            Column("d4_uit_schuldhulp", "Schuldhulpaanvraag nodig", "schuldhulpaanvraag_nodig", "boolean"),
            Column("d4_uit_bron", "Ook andere bron aanvragen", "andere_bron_aanvragen", "boolean"),
            Column("d4_uit_reden", "Reden geen garantie", "garantie_reden_geen"),
        ],
        doc="Stap 6a: soort, bedrag, periode en wie beslist (teamleider tot plafond A, anders garantsteller).",
    )
    full = "achterstand_bedrag + 3 * maandbedrag"
    t.row(
        ("False", ANY, ANY, ANY, ANY, ANY),
        ('"geen"', "0", "0", '""', "False", "False", '"geen_multiprobleem"'),
        "Geen multiprobleemgezin.",
    )
    t.row(
        (ANY, "False", ANY, ANY, ANY, ANY),
        ('"geen"', "0", "0", '""', "False", "False", '"toestemming_ontbreekt"'),
        "Geen toestemming of grondslag: eerst vastleggen.",
    )
    t.row(
        (ANY, ANY, "? is not None and ? <= 500", "False", ANY, ANY),
        ('"achterstand_en_termijnen"', full, "3", '"teamleider"', "False", "andere_bron_mogelijk", '""'),
        "Achterstand tot € 500 (plafond A), geen eerdere garantie: teamleider.",
    )
    t.row(
        (ANY, ANY, "? is not None and 500 < ? <= 1500", ANY, ANY, ANY),
        ('"achterstand_en_termijnen"', full, "3", '"garantsteller"', "False", "andere_bron_mogelijk", '""'),
        "Achterstand € 500–1500: garantsteller.",
    )
    t.row(
        (ANY, ANY, "? is not None and ? > 1500", ANY, ANY, ANY),
        ('"alleen_termijnen"', "3 * maandbedrag", "3", '"garantsteller"', "True", "andere_bron_mogelijk", '""'),
        "Achterstand boven € 1500: alleen 3 termijnen plus schuldhulpaanvraag.",
    )
    t.row(
        (ANY, ANY, ANY, "True", ANY, ANY),
        ('"alleen_termijnen"', "3 * maandbedrag", "3", '"garantsteller"', "False", "andere_bron_mogelijk", '""'),
        "Eerdere garantie in de laatste 12 maanden: alleen 3 termijnen.",
    )
    t.row(
        (ANY,) * 6,
        ('"maatwerk"', "0", "3", '"garantsteller"', "False", "False", '""'),
        "Anders (bijvoorbeeld bedrag onbekend): maatwerk door de garantsteller.",
    )
    return t


def d5_escalatie() -> Table:
    t = Table(
        "d5_escalatie",
        "D5 Escalatie",
        "COLLECT",
        [
            Column("d5_in_werkdagen", "Werkdagen tot einddatum", "werkdagen_tot_einddatum", "integer"),
            Column("d5_in_contact", "Contact gelegd", "contact_gelegd", "boolean"),
            Column("d5_in_uitstel", "Uitstel al gevraagd", "uitstel_gevraagd", "boolean"),
            Column("d5_in_mpg", "Multiprobleemgezin", "mpg", "boolean"),
            Column("d5_in_garantie", "Garantiebesluit", "garantie_besluit"),
            Column(
                "d5_in_bijzonder", "Medisch, kwetsbaar of vorst", "medisch or kwetsbaar or vorstblokkade", "boolean"
            ),
        ],
        [
            Column("d5_uit_maatregel", "Maatregel", "maatregel"),
            Column("d5_uit_tekst", "Toelichting voor de coördinator", "maatregel_tekst"),
        ],
        doc="Wordt uitgevoerd als een termijn verstrijkt. Alle passende regels tellen (COLLECT).",
    )
    rows = [
        (
            ("2 < ? <= 10", "False", "False", ANY, ANY, ANY),
            "uitstelverzoek",
            "Uitstel van de einddatum is gevraagd aan de leverancier.",
        ),
        (
            ("<= 10", "False", ANY, ANY, ANY, ANY),
            "huisbezoek_met_twee",
            "Nog geen contact: leg een huisbezoek af met twee medewerkers.",
        ),
        (
            ("<= 8", "True", ANY, "None", ANY, ANY),
            "besluit_beoordeling",
            "Beoordeling staat open: de coördinator besluit binnen 1 werkdag.",
        ),
        (
            ("<= 5", ANY, ANY, "True", "None", ANY),
            "opschortingsverzoek",
            "Garantie nog niet besloten: opschorting van de afsluiting is gevraagd aan de leverancier.",
        ),
        (
            ("<= 5", ANY, ANY, "True", "None", ANY),
            "garantsteller_besluit",
            "De garantsteller besluit binnen 1 werkdag over de garantie.",
        ),
        (
            ("0 < ? <= 2", ANY, ANY, ANY, '!= "toegekend"', ANY),
            "spoedintake_schuldhulp",
            "Geen garantie: regel een spoedintake bij schuldhulpverlening.",
        ),
        (
            ("0 < ? <= 2", ANY, ANY, ANY, '!= "toegekend"', "True"),
            "netbeheerder_informeren",
            "Medisch, kwetsbaar of vorst: informeer de netbeheerder.",
        ),
        (
            ("<= 0", ANY, ANY, ANY, '!= "toegekend"', ANY),
            "incident_afsluiting",
            "Einddatum bereikt zonder garantie: incident 'afsluiting dreigt/heeft plaatsgevonden', start de "
            "heraansluitingsroute.",
        ),
    ]
    for cells, code, text in rows:
        t.row(cells, (f'"{code}"', f'"{text}"'))
    t.row(
        (ANY,) * 6,
        ('"coordinator_informeren"', '"Een termijn is verstreken; de coördinator is geïnformeerd."'),
        "Altijd: de coördinator krijgt een melding.",
    )
    return t


def d7_terugkoppeling() -> Table:
    t = Table(
        "d7_terugkoppeling",
        "D7 Status aan de leverancier",
        "FIRST",
        [
            Column("d7_in_mijlpaal", "Mijlpaal", "mijlpaal"),
            Column("d7_in_uitkomst", "Uitkomst", "uitkomst"),
        ],
        [
            Column("d7_uit_status", "Status", "terugkoppeling_status"),
            Column("d7_uit_garantie", "Met garantiegegevens", "met_garantiegegevens", "boolean"),
        ],
        doc="Alleen deze statuscodes gaan naar de leverancier; nooit een reden, score, gezondheid of gezinsgegevens.",
    )
    t.row(('"ontvangen"', ANY), ('"ontvangen"', "False"), "Melding geregistreerd.")
    t.row(('"in_behandeling"', ANY), ('"in_behandeling"', "False"), "Triage gedaan, casemanager aan de slag.")
    t.row(('"garantie"', ANY), ('"garantie_afgegeven"', "True"), "Garantie afgegeven: met bedrag, periode, referentie.")
    t.row(
        ('"afgesloten"', '? in ("doorverwezen_schuldhulp", "niet_ontvankelijk")'),
        ('"geen_pilotcasus"', "False"),
        "Geen pilotcasus (geen multiprobleemgezin of niet ontvankelijk).",
    )
    t.row(('"afgesloten"', '"niet_bereikt"'), ('"niet_bereikt"', "False"), "Gezin niet bereikt.")
    t.row(('"afgesloten"', ANY), ('"afgesloten"', "False"), "Zaak afgesloten (ook na intrekking).")
    t.row((ANY, ANY), ('"in_behandeling"', "False"), "Anders: in behandeling.")
    return t


NORMEN = [
    ("triage_na_t0", 1, "Stap 2: triage en toewijzing, T0 + werkdagen."),
    ("contact_pogingen_na_t0", 7, "Stap 4: drie pogingen over twee kanalen, T0 + werkdagen."),
    ("volgende_poging_werkdagen", 2, "Stap 4: volgende poging binnen zoveel werkdagen (na de T0-termijn)."),
    ("min_pogingen", 3, "Stap 4: minimaal aantal contactpogingen."),
    ("min_kanalen", 2, "Stap 4: minimaal aantal verschillende kanalen."),
    ("min_huisbezoeken", 1, "Stap 4: minimaal aantal huisbezoeken."),
    ("uitstel_voor_d", 10, "D5: bewaking 'geen contact', D − werkdagen."),
    ("uitstel_werkdagen", 10, "Uitstelverzoek: einddatum minstens zoveel werkdagen later."),
    ("spoed_voor_d", 2, "D5: spoedbewaking, D − werkdagen."),
    ("beoordeling_na_t0", 10, "Stap 5: beoordeling en toestemming, T0 + werkdagen."),
    ("beoordeling_voor_d", 8, "Stap 5: beoordeling en toestemming, uiterlijk D − werkdagen."),
    ("coordinator_besluit_werkdagen", 1, "Stap 4–5: coördinator besluit (twijfel, niet bereikt) binnen werkdagen."),
    ("garantieaanvraag_na_t0", 10, "Stap 6a: garantieaanvraag, T0 + werkdagen."),
    ("garantieaanvraag_voor_d", 7, "Stap 6a: garantieaanvraag, uiterlijk D − werkdagen."),
    ("overdracht_na_t0", 10, "Stap 6b: warme overdracht schuldhulp, T0 + werkdagen."),
    ("garantiebesluit_voor_d", 5, "Stap 7: garantiebesluit, uiterlijk D − werkdagen (hard)."),
    ("opschorting_werkdagen", 2, "Stap 8: leverancier bevestigt opschorting binnen werkdagen na de garantie."),
    ("gezinsplan_na_garantie", 20, "Stap 9: gezinsplan, garantiedatum + werkdagen."),
    ("maandcontrole_werkdagen", 5, "Stap 10: maandcontrole afronden binnen werkdagen."),
    ("claim_betalen_werkdagen", 10, "Stap 10: garantsteller betaalt een claim binnen werkdagen."),
    ("afsluiten_na_garantie", 10, "Stap 11: afsluiten, einde garantie + werkdagen."),
    ("bewaartermijn_geen_zaak_maanden", 3, "Stap 12: niet-ontvankelijke meldingen, maanden na afsluiting."),
    ("bewaartermijn_zaak_maanden", 24, "Stap 12: zaakdossiers, maanden na afsluiting."),
]


def termijnen() -> Table:
    t = Table(
        "termijnen",
        "Termijnen en normen",
        "COLLECT",
        [Column("tn_in_leverancier", "Leverancier", "leverancier")],
        [Column("tn_uit_naam", "Norm", "norm"), Column("tn_uit_waarde", "Waarde", "norm_waarde", "integer")],
        doc="Alle termijnen (werkdagen) en normen van de procedure. Een regel met een leverancier in de eerste kolom "
        '(bijvoorbeeld "essent") overschrijft de algemene waarde voor die leverancier: zet hem onder de algemene '
        "regel, want de laatste passende regel telt.",
    )
    for name, value, note in NORMEN:
        t.row((ANY,), (f'"{name}"', str(value)), note)
    return t


ALL = [d1_ontvankelijkheid, d2_prioriteit, d3_multiprobleem, d4_garantie, d5_escalatie, d7_terugkoppeling, termijnen]
