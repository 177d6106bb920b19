"""The two reusable call activities: status feedback to the supplier (D7) and escalation (D5)."""

from __future__ import annotations

from .common import OPSCHORTINGSVERZOEK, SYSTEEM, UITSTELVERZOEK, notificatie
from .model import Process

BERICHT_SAMENSTELLEN = """\
# Alleen de statuscode uit D7, en bij een garantie bedrag, periode en referentie: nooit redenen of gezinsgegevens.
terugkoppeling_bericht = {"status": terugkoppeling_status}
if met_garantiegegevens:
    terugkoppeling_bericht["bedrag"] = garantie_bedrag
    terugkoppeling_bericht["periode_maanden"] = garantie_periode_maanden
    terugkoppeling_bericht["garantsteller_referentie"] = garantsteller_referentie"""


def terugkoppelen() -> Process:
    p = Process(
        "terugkoppelen",
        "Status terugkoppelen aan de leverancier",
        [SYSTEEM],
        doc="Aangeroepen bij elke mijlpaal. Zet vooraf 'mijlpaal' (en bij afsluiten 'uitkomst'); D7 kiest de status.",
    )
    p.start("start", "Mijlpaal bereikt", SYSTEEM, (0, 0))
    p.rule(
        "status_bepalen",
        "Status bepalen (D7)",
        SYSTEEM,
        (1, 0),
        "d7_terugkoppeling",
        doc="D7 bepaalt welke statuscode de leverancier bij deze mijlpaal krijgt.",
    )
    p.script(
        "bericht_samenstellen",
        "Bericht samenstellen",
        SYSTEEM,
        (2, 0),
        BERICHT_SAMENSTELLEN,
        doc="Zet het bericht in elkaar met alleen de toegestane velden.",
    )
    p.throw("status_versturen", "Status versturen", SYSTEEM, (3, 0), "terugkoppeling", "terugkoppeling_bericht")
    p.end("einde", "Status verstuurd", SYSTEEM, (4, 0))
    p.chain("start", "status_bepalen", "bericht_samenstellen", "status_versturen", "einde")
    return p


SITUATIE_BEPALEN = """\
werkdagen_tot_einddatum = werkdagen_tussen(vandaag(), geplande_einddatum)
maatregel = None
maatregel_tekst = None"""

ESCALATIE_SAMENSTELLEN = """\
vraag_uitstel = "uitstelverzoek" in maatregel
vraag_opschorting = "opschortingsverzoek" in maatregel
informeer_garantsteller = "garantsteller_besluit" in maatregel
escalatie_onderwerp = "Escalatie " + melding_id + " (" + fase + "): nog " + str(werkdagen_tot_einddatum) \\
    + " werkdagen tot de einddatum"
escalatie_tekst = "\\n".join(["- " + regel for regel in maatregel_tekst])"""


def escaleren() -> Process:
    p = Process(
        "escaleren",
        "Escaleren (D5)",
        [SYSTEEM],
        doc="Aangeroepen als een termijn verstrijkt die aan de einddatum D hangt. D5 kiest de maatregelen.",
    )
    p.start("start", "Termijn verstreken", SYSTEEM, (0, 0))
    p.script(
        "situatie_bepalen",
        "Situatie bepalen",
        SYSTEEM,
        (1, 0),
        SITUATIE_BEPALEN,
        doc="Telt de werkdagen tot de einddatum.",
    )
    p.rule(
        "maatregelen_bepalen",
        "Maatregelen bepalen (D5)",
        SYSTEEM,
        (2, 0),
        "d5_escalatie",
        doc="D5 verzamelt alle maatregelen die bij deze situatie horen.",
    )
    p.script(
        "escalatie_samenstellen",
        "Escalatie samenstellen",
        SYSTEEM,
        (3, 0),
        ESCALATIE_SAMENSTELLEN,
        doc="Zet de maatregelen om in berichten.",
    )
    p.xor("uitstel_vragen", "Uitstel vragen?", SYSTEEM, (4, 0))
    p.throw("uitstelverzoek", "Uitstelverzoek versturen", SYSTEEM, (5, 0), "uitstelverzoek", UITSTELVERZOEK)
    p.xor("uitstel_klaar", "Uitstel afgehandeld", SYSTEEM, (6, 0))
    p.xor("opschorting_vragen", "Opschorting vragen?", SYSTEEM, (7, 0))
    p.throw(
        "opschortingsverzoek",
        "Opschortingsverzoek versturen",
        SYSTEEM,
        (8, 0),
        "opschortingsverzoek",
        OPSCHORTINGSVERZOEK,
    )
    p.xor("opschorting_klaar", "Opschorting afgehandeld", SYSTEEM, (9, 0))
    p.xor("garantsteller_nodig", "Garantsteller informeren?", SYSTEEM, (10, 0))
    p.throw(
        "garantsteller_informeren",
        "Garantsteller informeren",
        SYSTEEM,
        (11, 1),
        "intern_escalatie",
        notificatie("garantsteller", "escalatie_onderwerp", "escalatie_tekst"),
    )
    p.xor("garantsteller_klaar", "Garantsteller afgehandeld", SYSTEEM, (12, 0))
    p.throw(
        "coordinator_informeren",
        "Coördinator informeren",
        SYSTEEM,
        (13, 0),
        "intern_escalatie",
        notificatie("coordinator", "escalatie_onderwerp", "escalatie_tekst"),
    )
    p.end("einde", "Escalatie gemeld", SYSTEEM, (14, 0))
    p.chain("start", "situatie_bepalen", "maatregelen_bepalen", "escalatie_samenstellen", "uitstel_vragen")
    p.flow("uitstel_vragen", "uitstelverzoek", "ja", "vraag_uitstel == True")
    p.flow("uitstel_vragen", "uitstel_klaar", "nee", default=True, route="below")
    p.chain("uitstelverzoek", "uitstel_klaar", "opschorting_vragen")
    p.flow("opschorting_vragen", "opschortingsverzoek", "ja", "vraag_opschorting == True")
    p.flow("opschorting_vragen", "opschorting_klaar", "nee", default=True, route="below")
    p.chain("opschortingsverzoek", "opschorting_klaar", "garantsteller_nodig")
    p.flow("garantsteller_nodig", "garantsteller_informeren", "ja", "informeer_garantsteller == True")
    p.flow("garantsteller_nodig", "garantsteller_klaar", "nee", default=True)
    p.chain("garantsteller_informeren", "garantsteller_klaar", "coordinator_informeren", "einde")
    return p
