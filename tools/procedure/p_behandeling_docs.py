"""Scripts and task instructions (Dutch, Markdown with Jinja) of the case-work process."""

from __future__ import annotations

from .common import SAMENVATTING

ZAAK_OPENEN = """\
fase = "triage"
contact_gelegd = False
contactpogingen = []
mpg = None
garantie_besluit = None
geclaimd = False
toestemming_ingetrokken_op = None"""

TRIAGE_VERWERKEN = """\
fase = "contact"
mijlpaal = "in_behandeling\""""

POGINGEN_VERWERKEN = """\
# Alle pogingen tot nu toe; 'pogingen' zijn de nieuwe uit het formulier.
contactpogingen = contactpogingen + pogingen
kanalen = sorted({poging["kanaal"] for poging in contactpogingen})
huisbezoeken = len([poging for poging in contactpogingen if poging["kanaal"] == "huisbezoek"])
contact_gelegd = any(poging["bereikt"] for poging in contactpogingen)
norm_pogingen_gehaald = (
    len(contactpogingen) >= normen["min_pogingen"]
    and len(kanalen) >= normen["min_kanalen"]
    and huisbezoeken >= normen["min_huisbezoeken"]
)"""

BEOORDELING_VERWERKEN = """\
laag_scorende_domeinen = len([score for score in zrm_scores.values() if score <= 2])
toestemming_of_grondslag = (
    grondslag in ("toestemming", "wettelijke_taak")
    and "garantsteller" in delen_met
    and not toestemming_ingetrokken_op
)"""

TWIJFEL_VERWERKEN = """\
mpg_advies = twijfel_besluit
conclusie = twijfel_besluit"""

MONITORING_VOORBEREIDEN = """\
fase = "monitoring"
controle_nummer = 0
aantal_claims = 0
geclaimd = False
# De eerste controle een maand na de garantie (dag 28 als de maand korter is).
eerste_dag = als_datum(garantie_datum)
maand = eerste_dag.month
volgende_controle = date(eerste_dag.year + maand // 12, maand % 12 + 1, min(eerste_dag.day, 28))
del eerste_dag, maand"""

CONTROLE_VERWERKEN = """\
controle_nummer = controle_nummer + 1
eerste_dag = als_datum(garantie_datum)
maand = eerste_dag.month + controle_nummer
volgende_controle = date(eerste_dag.year + maand // 12, maand % 12 + 1, min(eerste_dag.day, 28))
del eerste_dag, maand"""


def afsluiten(outcome: str) -> str:
    lines = [outcome] if outcome else []
    lines += [
        'mijlpaal = "afgesloten"',
        'fase = "afgesloten"',
        "afgesloten_op = vandaag()",
        "# Stap 12: de persoonsgegevens worden na deze datum geanonimiseerd (bewaartermijn uit de normentabel).",
        'bewaren_tot = afgesloten_op + timedelta(days=31 * normen["bewaartermijn_zaak_maanden"])',
    ]
    return "\n".join(lines)


CONTACT_SUB = (
    "Stap 3–4: eerste contactpoging binnen de termijn uit D2, daarna minstens 3 pogingen over 2 kanalen waarvan "
    "1 huisbezoek (normen in de tabel)."
)

TRIAGE = f"""\
{SAMENVATTING}
**Stap 2 — triage en toewijzing** (uiterlijk T0 + 1 werkdag).

1. Zoek het gezin op bij het coördinatiepunt: is het al bekend, loopt er hulp?
2. Bevestig of wijzig de prioriteit (advies D2: **{{{{ prioriteit }}}}**, eerste contact binnen \
{{{{ eerste_contact_werkdagen }}}} werkdag(en)).
3. Wijs een casemanager toe.
{{% if incassotraject_onvolledig %}}
De leverancier heeft het incassotraject niet volledig doorlopen (herinneringen, contact of regeling).
{{% endif %}}"""

EERSTE_POGING = f"""\
{SAMENVATTING}
**Stap 3 — eerste contactpoging**: bel eerst, ga daarna langs. Leg elke poging vast (datum, dagdeel, kanaal, \
bereikt). Schrijf geen bijzondere persoonsgegevens in de notitie."""

VOLGENDE_POGING = """\
**Stap 4 — volgende contactpoging.** Nodig: minstens {{ normen.min_pogingen }} pogingen over \
{{ normen.min_kanalen }} kanalen, waarvan {{ normen.min_huisbezoeken }} huisbezoek. Tot nu toe \
{{ contactpogingen | length }} poging(en) via {{ kanalen | join(', ') }}."""

NIET_BEREIKT = """\
Het gezin van melding **{{ melding_id }}** is na {{ contactpogingen | length }} pogingen niet bereikt. Besluit \
binnen 1 werkdag: een **outreachend huisbezoek** (met twee medewerkers) of **afsluiten** (status *niet bereikt* \
aan de leverancier)."""

HUISBEZOEK = """\
Leg een outreachend huisbezoek af, bij voorkeur met twee medewerkers. Leg vast of het gezin is bereikt."""

BEOORDELEN = f"""\
{SAMENVATTING}
**Stap 5 — beoordeling** (uiterlijk T0 + 10 werkdagen én D − 8 werkdagen).

Scoor de 13 domeinen van de zelfredzaamheidsmatrix (1 = acute problematiek … 5 = volledig zelfredzaam) en \
beantwoord de vragen. D3 bepaalt daarna of dit een multiprobleemgezin is; bij twijfel, of als uw conclusie \
afwijkt, besluit de coördinator. Leg geen diagnoses vast."""

TOESTEMMING = """\
Informeer het gezin over de melding en over wat het coördinatiepunt deelt. Leg de grondslag vast \
(toestemming of wettelijke taak) en met wie gegevens gedeeld mogen worden. Zonder toestemming of grondslag \
voor de garantsteller is geen garantie mogelijk."""

TWIJFEL = """\
D3 gaf **{{ mpg_advies }}**, de casemanager concludeerde **{{ conclusie }}**. Besluit binnen 1 werkdag of \
dit een multiprobleemgezin is.

Onderbouwing van de casemanager: {{ onderbouwing }}"""

OVERDRACHT = f"""\
{SAMENVATTING}
**Stap 6b — warme overdracht** naar schuldhulpverlening (uiterlijk T0 + 10 werkdagen). Maak persoonlijk \
kennis met de schuldhulpverlener; een folder alleen is niet genoeg. De leverancier krijgt de status \
*geen pilotcasus*."""

ZONDER_GARANTIE = """\
Er is geen garantie afgegeven ({{ garantie_besluit }}). Kies de uitkomst die bij de afloop past en rond de \
zaak af. De leverancier krijgt alleen de eindstatus."""

GEZINSPLAN = f"""\
{SAMENVATTING}
**Stap 9 — één gezin, één plan**, samen met het gezin (uiterlijk garantiedatum + 20 werkdagen). Schrijf de \
doelen in de woorden van het gezin. Neem het energiedeel op: betalingsregeling, noodfonds of bijzondere \
bijstand, budgetbeheer, aanvraag schuldhulp, advies over een prepaid- of slimme meter.
{{% if schuldhulpaanvraag_nodig %}}**Let op:** D4 vraagt om een aanvraag schuldhulp.{{% endif %}}"""

MAANDCONTROLE = """\
**Stap 10 — maandcontrole {{ controle_nummer + 1 }} van {{ garantie_periode_maanden }}.** Loopt de \
betaling en worden de afspraken uit het gezinsplan nagekomen?"""

CLAIM = """\
De leverancier meldt een gemiste betaling onder garantie **{{ garantsteller_referentie }}** \
(maximaal € {{ garantie_bedrag }}). Beoordeel de claim en betaal binnen 10 werkdagen."""

PLAN_HERZIEN = """\
Er is een claim op de garantie gedaan. Bespreek met de casemanager of het gezinsplan moet worden aangepast."""

NA_GARANTIE = """\
**Stap 11 — afsluiten.** De garantieperiode is voorbij{% if geclaimd %} en er is geclaimd{% endif %}. Leg vast \
of de regeling na afloop wordt nagekomen. De leverancier krijgt de status *afgesloten*."""
