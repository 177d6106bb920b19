"""The guarantee (steps 6a–8) as a call activity: request, D4, decision by teamleider or guarantor, status to
the supplier, and waiting for the hold confirmation with a 2-working-day timer."""

from __future__ import annotations

from .common import CASEMANAGER, COORDINATOR, GARANTSTELLER, OP_EINDDATUM, SYSTEEM, voor_d, vroegste
from .model import Process

BESLUIT_VERWERKEN = """\
garantie_datum = vandaag()
if garantie_besluit == "toegekend":
    eerste_dag = als_datum(garantie_datum)
    maand = eerste_dag.month - 1 + int(garantie_periode_maanden)
    garantie_einde = date(eerste_dag.year + maand // 12, maand % 12 + 1, min(eerste_dag.day, 28))
    mijlpaal = "garantie"
    fase = "gezinsplan"
    del eerste_dag, maand"""

DOC_AANVRAGEN = """\
Vraag de garantie aan voor het gezin. D4 berekent daarna soort, bedrag en periode en kiest wie beslist \
(teamleider tot plafond A, anders de garantsteller).

Uiterlijk **T0 + 10 werkdagen en D − 7 werkdagen**. De garantsteller ziet alleen naam, adres, contractreferentie, \
leverancier, bedrag en periode.
{% if schuldhulpaanvraag_nodig %}Let op: bij deze achterstand hoort ook een aanvraag schuldhulp.{% endif %}"""

DOC_BESLUIT = """\
Voorstel volgens D4: **{{ garantie_soort }}**, maximaal **€ {{ voorstel_bedrag }}** voor \
**{{ voorstel_periode_maanden }} maanden** (contract {{ melding.contractreferentie }}, leverancier \
{{ leverancier }}).

Beslis uiterlijk **D − 5 werkdagen** (D = {{ geplande_einddatum }}). Daarna vraagt het systeem de leverancier \
automatisch om opschorting en krijgen coördinator en garantsteller een escalatie."""

DOC_BELLEN = """\
De leverancier heeft de opschorting binnen 2 werkdagen na de garantie niet bevestigd. Bel de leverancier en \
leg vast of de afsluiting is opgeschort.
{% if medisch or kwetsbaar %}**Medisch of kwetsbaar**: informeer ook de netbeheerder.{% endif %}"""


def garantstelling() -> Process:
    p = Process(
        "garantstelling",
        "Garantstelling (stap 6a–8)",
        [SYSTEEM, CASEMANAGER, COORDINATOR, GARANTSTELLER],
        doc="Aanvraag, besluit door teamleider (tot plafond A) of garantsteller, status aan de leverancier en "
        "bevestiging van de opschorting.",
    )
    p.start("garantie_nodig", "Garantie nodig", CASEMANAGER, (0, 0))
    p.user("garantie_aanvragen", "Garantie aanvragen", CASEMANAGER, (1, 0), "garantie_aanvragen", DOC_AANVRAGEN)
    p.timer(
        "aanvraagtermijn",
        "T0 + 10 / D − 7 werkdagen",
        "garantie_aanvragen",
        vroegste("garantieaanvraag_na_t0", "garantieaanvraag_voor_d"),
    )
    p.call(
        "aanvraag_escaleren",
        "Escaleren (D5)",
        CASEMANAGER,
        (1, 1),
        "escaleren",
        doc="De aanvraagtermijn is verstreken: D5 bepaalt de maatregelen.",
    )
    p.end("aanvraag_geescaleerd", "Escalatie gemeld", CASEMANAGER, (2, 1))
    p.rule(
        "garantie_bepalen",
        "Garantie bepalen (D4)",
        SYSTEEM,
        (2, 1),
        "d4_garantie",
        doc="D4: soort garantie, maximumbedrag, periode en wie beslist.",
    )
    p.xor("garantie_mogelijk", "Garantie mogelijk?", SYSTEEM, (3, 1))
    p.script(
        "geen_garantie",
        "Geen garantie vastleggen",
        SYSTEEM,
        (4, 0),
        'garantie_besluit = "geen"',
        doc="D4 geeft geen garantie (geen multiprobleemgezin of geen toestemming).",
    )
    p.end("zonder_garantie", "Geen garantie", SYSTEEM, (5, 0))
    _besluit(p, "teamleider", "Garantie besluiten (teamleider)", COORDINATOR, 4)
    _besluit(p, "garantsteller", "Garantie besluiten (garantsteller)", GARANTSTELLER, 5)
    p.xor("besluit_genomen", "Besluit genomen", COORDINATOR, (6, 0))
    p.script(
        "besluit_verwerken",
        "Besluit verwerken",
        SYSTEEM,
        (7, 1),
        BESLUIT_VERWERKEN,
        doc="Legt datum en einde van de garantie vast.",
    )
    p.xor("toegekend", "Garantie toegekend?", SYSTEEM, (8, 1))
    p.end("afgewezen", "Garantie afgewezen", SYSTEEM, (9, 0))
    p.call(
        "garantie_terugkoppelen",
        "Garantie terugkoppelen",
        SYSTEEM,
        (9, 1),
        "terugkoppelen",
        doc="Status 'garantie_afgegeven' met bedrag, periode en referentie aan de leverancier (D7).",
    )
    p.receive(
        "wachten_op_opschorting",
        "Wachten op bevestiging opschorting",
        SYSTEEM,
        (10, 1),
        "opschorting_bevestigd",
        "opschorting",
        doc="De leverancier bevestigt dat de afsluiting is opgeschort (bericht 'opschorting_bevestigd').",
    )
    p.timer(
        "opschorting_termijn",
        "2 werkdagen na garantie",
        "wachten_op_opschorting",
        'tijdstip(werkdagen_na(garantie_datum, normen["opschorting_werkdagen"]))',
        interrupting=True,
    )
    p.user(
        "leverancier_bellen",
        "Leverancier bellen over opschorting",
        COORDINATOR,
        (11, 0),
        "opschorting_navragen",
        DOC_BELLEN,
    )
    p.script(
        "opschorting_vastleggen",
        "Opschorting vastleggen",
        SYSTEEM,
        (11, 1),
        "opschorting_bevestigd = True",
        doc="De leverancier heeft de opschorting bevestigd.",
    )
    p.xor("opschorting_geregeld", "Opschorting geregeld", SYSTEEM, (12, 1))
    p.end("garantie_afgegeven", "Garantie afgegeven", SYSTEEM, (13, 1))
    p.chain("garantie_nodig", "garantie_aanvragen", "garantie_bepalen", "garantie_mogelijk")
    p.chain("aanvraagtermijn", "aanvraag_escaleren", "aanvraag_geescaleerd")
    p.flow("garantie_mogelijk", "geen_garantie", "nee", 'garantie_soort == "geen"')
    p.chain("geen_garantie", "zonder_garantie")
    p.flow(
        "garantie_mogelijk",
        "besluit_teamleider",
        "teamleider",
        'garantie_soort != "geen" and garantie_beslisser == "teamleider"',
    )
    p.flow("garantie_mogelijk", "besluit_garantsteller", "garantsteller", default=True, route="hv")
    p.flow("besluit_teamleider", "besluit_genomen")
    p.flow("besluit_garantsteller", "besluit_genomen", route="hv")
    p.chain("besluit_genomen", "besluit_verwerken", "toegekend")
    p.flow("toegekend", "garantie_terugkoppelen", "ja", 'garantie_besluit == "toegekend"')
    p.flow("toegekend", "afgewezen", "nee", default=True)
    p.chain("garantie_terugkoppelen", "wachten_op_opschorting", "opschorting_vastleggen", "opschorting_geregeld")
    p.chain("opschorting_termijn", "leverancier_bellen")
    p.flow("leverancier_bellen", "opschorting_geregeld")
    p.chain("opschorting_geregeld", "garantie_afgegeven")
    return p


def _besluit(p: Process, who: str, name: str, lane: str, col: int) -> None:
    """A decision task with its hard D − 5 deadline and the D − 2 and D checks, all escalating through D5."""
    task = f"besluit_{who}"
    p.user(task, name, lane, (col, 0), "garantie_besluit", DOC_BESLUIT)
    p.timer(f"{task}_d5", "D − 5 wd (hard)", task, voor_d("garantiebesluit_voor_d"), slot=0)
    p.timer(f"{task}_d2", "D − 2 wd", task, voor_d("spoed_voor_d"), slot=1)
    p.timer(f"{task}_d0", "D", task, OP_EINDDATUM, slot=2)
    p.xor(f"{task}_verstreken", "Termijn verstreken", lane, (col, 1))
    p.call(
        f"{task}_escaleren",
        "Escaleren (D5)",
        lane,
        (col, 2),
        "escaleren",
        doc="D5: bij D − 5 zonder besluit opschorting vragen en garantsteller en coördinator escaleren.",
    )
    p.end(f"{task}_geescaleerd", "Escalatie gemeld", lane, (col, 3))
    for timer in ("d5", "d2", "d0"):
        p.flow(f"{task}_{timer}", f"{task}_verstreken")
    p.chain(f"{task}_verstreken", f"{task}_escaleren", f"{task}_geescaleerd")
