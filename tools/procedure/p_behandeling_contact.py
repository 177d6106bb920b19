"""Steps 2–4 of the case work: triage, the contact attempts with their deadlines, the family not reached; and the
building blocks shared with the later steps (plain escalation, closing with an outcome)."""

from __future__ import annotations

from . import p_behandeling_docs as docs
from .common import (
    CASEMANAGER,
    COORDINATOR,
    OP_EINDDATUM,
    SYSTEEM,
    na_t0,
    termijn_verstreken,
    voor_d,
)
from .model import Process

S, CO, CM = SYSTEEM, COORDINATOR, CASEMANAGER


def escalation_chain(
    p: Process,
    timer: str,
    lane: str,
    at: tuple[float, float],
    step: str,
    advice: str,
    end_at: tuple[float, float],
    role: str = "coordinator",
) -> None:
    """Timer → notification → end: the plain escalation of a T0-based deadline."""
    throw, end = f"{timer}_melden", f"{timer}_gemeld"
    p.throw(throw, "Escalatie melden", lane, at, "intern_escalatie", termijn_verstreken(step, advice, role))
    p.end(end, "Escalatie gemeld", lane, end_at)
    p.chain(timer, throw, end)


def closing_chain(p: Process, key: str, outcome: str, lane: str, col: float, row: float, name: str) -> str:
    """Script that sets the outcome (a Python assignment, or '' when a form chose it), the D7 status call and
    the end event; returns the script id."""
    script, call, end = f"afsluiten_{key}", f"eindstatus_{key}", f"afgesloten_{key}"
    p.script(
        script,
        f"Afsluiten: {name}",
        lane,
        (col, row),
        docs.afsluiten(outcome),
        doc="Legt de uitkomst en de bewaartermijn vast.",
    )
    p.call(
        call,
        "Eindstatus terugkoppelen",
        lane,
        (col + 1, row),
        "terugkoppelen",
        doc="Eindstatus aan de leverancier volgens D7.",
    )
    p.end(end, f"Zaak afgesloten ({name})", lane, (col + 2, row))
    p.chain(script, call, end)
    return script


def triage(p: Process) -> None:
    p.start("zaak_geopend", "Zaak geopend", S, (0, 1))
    p.script("zaak_openen", "Zaak openen", S, (1, 1), docs.ZAAK_OPENEN, doc="Zet de beginwaarden van stap 2–11.")
    p.user("triage", "Triage en toewijzing", CO, (2, 0), "triage", docs.TRIAGE)
    p.timer("triage_termijn", "T0 + 1 werkdag", "triage", na_t0("triage_na_t0"))
    escalation_chain(
        p,
        "triage_termijn",
        CO,
        (2, 1),
        "triage en toewijzing",
        "de triage is niet op tijd afgerond; de teamleider pakt dit op.",
        (3, 1),
    )
    p.script(
        "triage_verwerken",
        "Triage verwerken",
        S,
        (3, 1),
        docs.TRIAGE_VERWERKEN,
        doc="De zaak is toegewezen; de leverancier hoort 'in behandeling'.",
    )
    p.call(
        "in_behandeling_terugkoppelen",
        "In behandeling terugkoppelen",
        S,
        (4, 1),
        "terugkoppelen",
        doc="Status 'in_behandeling' aan de leverancier (D7).",
    )
    p.chain("zaak_geopend", "zaak_openen", "triage", "triage_verwerken", "in_behandeling_terugkoppelen")


def contact(p: Process) -> None:
    p.sub("contact", "Contact leggen (stap 3–4)", CM, (5, 0, 10, 3), docs.CONTACT_SUB)
    inner = {"parent": "contact"}
    p.start("contact_start", "Contact nodig", CM, (5, 0), **inner)
    p.user("eerste_poging", "Eerste contactpoging", CM, (6, 0), "contactpoging", docs.EERSTE_POGING, **inner)
    p.timer(
        "eerste_poging_termijn",
        "T0 + termijn uit D2",
        "eerste_poging",
        "tijdstip(werkdagen_na(ontvangen_op, eerste_contact_werkdagen))",
    )
    p.throw(
        "eerste_poging_melden",
        "Escalatie melden",
        CM,
        (6, 1),
        "intern_escalatie",
        termijn_verstreken(
            "eerste contactpoging", "de eerste contactpoging is te laat; verdeel de zaak zo nodig opnieuw."
        ),
        **inner,
    )
    p.end("eerste_poging_gemeld", "Escalatie gemeld", CM, (6, 2), **inner)
    p.xor("pogingen_samen", "Poging vastgelegd", CM, (7, 0), **inner)
    p.script(
        "pogingen_verwerken",
        "Pogingen verwerken",
        CM,
        (8, 0),
        docs.POGINGEN_VERWERKEN,
        doc="Telt pogingen, kanalen en huisbezoeken; kijkt of het gezin is bereikt.",
        **inner,
    )
    p.xor("bereikt_vraag", "Contact gelegd?", CM, (9, 0), **inner)
    p.end("contact_gelegd_einde", "Contact gelegd", CM, (10, 0), **inner)
    p.xor("norm_vraag", "3 pogingen, 2 kanalen, 1 huisbezoek?", CM, (9, 1), **inner)
    p.end("pogingen_gedaan", "Pogingen gedaan", CM, (10, 1), **inner)
    p.user("volgende_poging", "Volgende contactpoging", CM, (8, 2), "contactpoging", docs.VOLGENDE_POGING, **inner)
    p.timer(
        "volgende_poging_termijn",
        "Volgende poging",
        "volgende_poging",
        'tijdstip(laatste(werkdagen_na(ontvangen_op, normen["contact_pogingen_na_t0"]), '
        'werkdagen_na(vandaag(), normen["volgende_poging_werkdagen"])))',
    )
    p.end("volgende_poging_verlopen", "Termijn verstreken", CM, (8, 3), **inner)
    p.chain("contact_start", "eerste_poging", "pogingen_samen", "pogingen_verwerken", "bereikt_vraag")
    p.chain("eerste_poging_termijn", "eerste_poging_melden", "eerste_poging_gemeld")
    p.flow("bereikt_vraag", "contact_gelegd_einde", "ja", "contact_gelegd == True")
    p.flow("bereikt_vraag", "norm_vraag", "nee", default=True)
    p.flow("norm_vraag", "pogingen_gedaan", "ja", "norm_pogingen_gehaald == True")
    p.flow("norm_vraag", "volgende_poging", "nee", default=True)
    p.flow("volgende_poging", "pogingen_samen")
    p.chain("volgende_poging_termijn", "volgende_poging_verlopen")
    p.flow("in_behandeling_terugkoppelen", "contact")
    _contact_deadlines(p)


def _contact_deadlines(p: Process) -> None:
    p.timer("contact_t0_termijn", "T0 + 7 wd", "contact", na_t0("contact_pogingen_na_t0"), slot=0)
    escalation_chain(
        p,
        "contact_t0_termijn",
        CM,
        (11, 4),
        "drie contactpogingen",
        "na 7 werkdagen is er nog geen contact. Besluit over een outreachend huisbezoek en vraag "
        "zo nodig de leverancier om uitstel.",
        (12, 4),
    )
    p.timer("contact_d10", "D − 10 wd", "contact", voor_d("uitstel_voor_d"), slot=1)
    p.timer("contact_d2", "D − 2 wd", "contact", voor_d("spoed_voor_d"), slot=2)
    p.xor("contact_verstreken", "Termijn verstreken", CM, (10, 5))
    p.call(
        "contact_escaleren",
        "Escaleren (D5)",
        CM,
        (11, 5),
        "escaleren",
        doc="D5: uitstel vragen en huisbezoek met twee medewerkers als er nog geen contact is.",
    )
    p.end("contact_geescaleerd", "Escalatie gemeld", CM, (12, 5))
    p.timer("contact_d0", "D", "contact", OP_EINDDATUM, slot=3)
    p.call(
        "contact_d0_escaleren",
        "Escaleren (D5)",
        CM,
        (9, 5),
        "escaleren",
        doc="D5: de einddatum is bereikt zonder contact: incident en heraansluitingsroute.",
    )
    p.end("contact_d0_geescaleerd", "Escalatie gemeld", CM, (9, 6))
    p.flow("contact_d10", "contact_verstreken")
    p.flow("contact_d2", "contact_verstreken")
    p.chain("contact_verstreken", "contact_escaleren", "contact_geescaleerd")
    p.chain("contact_d0", "contact_d0_escaleren", "contact_d0_geescaleerd")


def niet_bereikt(p: Process) -> None:
    p.xor("contact_vraag", "Gezin bereikt?", CM, (11, 1.5))
    p.user("niet_bereikt", "Besluit: gezin niet bereikt", CO, (12, 2), "niet_bereikt", docs.NIET_BEREIKT)
    p.timer(
        "niet_bereikt_termijn",
        "1 werkdag",
        "niet_bereikt",
        'tijdstip(werkdagen_na(vandaag(), normen["coordinator_besluit_werkdagen"]))',
    )
    p.end("niet_bereikt_verlopen", "Termijn verstreken", CO, (12, 3))
    p.xor("huisbezoek_vraag", "Outreachend huisbezoek?", CO, (13, 2))
    p.user("huisbezoek", "Outreachend huisbezoek", CM, (14, 0), "huisbezoek", docs.HUISBEZOEK)
    p.xor("huisbezoek_bereikt_vraag", "Bereikt bij huisbezoek?", CM, (15, 0))
    p.script(
        "contact_vastleggen",
        "Contact vastleggen",
        CM,
        (16, 1),
        "contact_gelegd = True",
        doc="Het gezin is bij het huisbezoek bereikt.",
    )
    closing = closing_chain(p, "niet_bereikt", 'uitkomst = "niet_bereikt"', CO, 16, 2, "niet bereikt")
    p.flow("contact", "contact_vraag")
    p.flow("contact_vraag", "niet_bereikt", "nee", default=True)
    p.chain("niet_bereikt_termijn", "niet_bereikt_verlopen")
    p.chain("niet_bereikt", "huisbezoek_vraag")
    p.flow("huisbezoek_vraag", "huisbezoek", "ja", 'niet_bereikt_besluit == "huisbezoek"')
    p.flow("huisbezoek_vraag", closing, "nee", default=True)
    p.chain("huisbezoek", "huisbezoek_bereikt_vraag")
    p.flow("huisbezoek_bereikt_vraag", "contact_vastleggen", "ja", "huisbezoek_bereikt == True")
    p.flow("huisbezoek_bereikt_vraag", closing, "nee", default=True, route="hv")
