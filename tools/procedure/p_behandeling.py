"""The case work (steps 2–11) as a call activity of the main process. Steps 2–4 are in p_behandeling_contact;
here: the assessment (D3), the handover, the guarantee, the family plan, monthly monitoring with claims."""

from __future__ import annotations

from . import p_behandeling_docs as docs
from .common import (
    CASEMANAGER,
    COORDINATOR,
    GARANTSTELLER,
    OP_EINDDATUM,
    SYSTEEM,
    na_t0,
    notificatie,
    voor_d,
    vroegste,
)
from .model import Process
from .p_behandeling_contact import closing_chain, contact, escalation_chain, niet_bereikt, triage

S, CO, CM, GS = SYSTEEM, COORDINATOR, CASEMANAGER, GARANTSTELLER


def behandeling() -> Process:
    p = Process(
        "behandeling",
        "Zaak behandelen (stap 2–11)",
        [S, GS, CO, CM],
        doc="Aangeroepen door het hoofdproces na een ontvankelijke melding. Alle termijnen tellen vanaf T0 en terug "
        "vanaf de einddatum D; de vroegste geldt.",
    )
    triage(p)
    contact(p)
    niet_bereikt(p)
    _beoordeling(p)
    _geen_multiprobleem(p)
    _garantie_en_plan(p)
    _monitoring(p)
    return p


def _beoordeling(p: Process) -> None:
    p.xor("beoordelen_samen", "Beoordelen", CM, (17, 1.5))
    p.script(
        "beoordeling_voorbereiden",
        "Beoordeling voorbereiden",
        CM,
        (18, 1.5),
        'fase = "beoordeling"',
        doc="De zaak gaat naar stap 5.",
    )
    p.user("beoordelen", "Gezinssituatie beoordelen", CM, (19, 1.5), "beoordeling", docs.BEOORDELEN)
    deadline = vroegste("beoordeling_na_t0", "beoordeling_voor_d")
    p.timer("beoordelen_termijn", "Termijn", "beoordelen", deadline, slot=0)
    p.timer("beoordelen_d2", "D − 2 wd", "beoordelen", voor_d("spoed_voor_d"), slot=1)
    p.timer("beoordelen_d0", "D", "beoordelen", OP_EINDDATUM, slot=2)
    p.xor("beoordelen_verstreken", "Termijn verstreken", CM, (19, 2.5))
    p.call(
        "beoordelen_escaleren",
        "Escaleren (D5)",
        CM,
        (19, 3.5),
        "escaleren",
        doc="D5: bij D − 8 besluit de coördinator binnen 1 werkdag; bij D − 2 spoedmaatregelen.",
    )
    p.end("beoordelen_geescaleerd", "Escalatie gemeld", CM, (19, 4.5))
    p.user("toestemming", "Toestemming vastleggen", CM, (20, 1.5), "toestemming", docs.TOESTEMMING)
    p.timer("toestemming_termijn", "T0 + 10 / D − 8 werkdagen", "toestemming", deadline)
    p.call(
        "toestemming_escaleren",
        "Escaleren (D5)",
        CM,
        (20, 2.5),
        "escaleren",
        doc="D5 bepaalt de maatregelen bij een verstreken termijn.",
    )
    p.end("toestemming_geescaleerd", "Escalatie gemeld", CM, (20, 3.5))
    p.script(
        "beoordeling_verwerken",
        "Beoordeling verwerken",
        CM,
        (21, 1.5),
        docs.BEOORDELING_VERWERKEN,
        doc="Telt de domeinen met score 1–2 en bepaalt of er toestemming of een grondslag is.",
    )
    p.rule(
        "multiprobleem_bepalen",
        "Multiprobleem bepalen (D3)",
        CM,
        (22, 1.5),
        "d3_multiprobleem",
        doc="D3: ja, nee of twijfel, en of de route kindveiligheid nodig is.",
    )
    p.xor("veiligheid_vraag", "Veiligheidssignaal?", CM, (23, 1.5))
    veilig = notificatie(
        "coordinator",
        '"Veiligheidssignaal: " + melding_id',
        '"Bij zaak " + melding_id + " is een veiligheidssignaal vastgelegd. Volg de meldcode huiselijk geweld en '
        'kindermishandeling."',
    )
    p.throw("veiligheid_melden", "Coördinator: meldcode volgen", CM, (24, 0.5), "intern_veiligheid", veilig)
    p.xor("veiligheid_klaar", "Veiligheid afgehandeld", CM, (25, 1.5))
    p.xor("route_samen", "Route bepalen", CM, (26, 1.5))
    p.xor("multiprobleem_vraag", "Multiprobleemgezin?", CM, (27, 1.5))
    p.user("twijfel", "Twijfel: besluit multiprobleem", CO, (27, 2), "twijfel", docs.TWIJFEL)
    p.timer(
        "twijfel_termijn",
        "1 werkdag",
        "twijfel",
        'tijdstip(werkdagen_na(vandaag(), normen["coordinator_besluit_werkdagen"]))',
    )
    p.nodes["twijfel_termijn"].attrs["side"] = "top"
    p.end("twijfel_verlopen", "Termijn verstreken", CO, (28, 1))
    p.script(
        "twijfel_verwerken",
        "Besluit coördinator verwerken",
        CO,
        (28, 2),
        docs.TWIJFEL_VERWERKEN,
        doc="Het besluit van de coördinator vervangt advies en conclusie.",
    )
    p.flow("contact_vraag", "beoordelen_samen", "ja", "contact_gelegd == True")
    p.flow("contact_vastleggen", "beoordelen_samen", route="hv")
    p.chain(
        "beoordelen_samen",
        "beoordeling_voorbereiden",
        "beoordelen",
        "toestemming",
        "beoordeling_verwerken",
        "multiprobleem_bepalen",
        "veiligheid_vraag",
    )
    for timer in ("termijn", "d2", "d0"):
        p.flow(f"beoordelen_{timer}", "beoordelen_verstreken")
    p.chain("beoordelen_verstreken", "beoordelen_escaleren", "beoordelen_geescaleerd")
    p.chain("toestemming_termijn", "toestemming_escaleren", "toestemming_geescaleerd")
    p.flow("veiligheid_vraag", "veiligheid_melden", "ja", "veiligheidsroute == True")
    p.flow("veiligheid_vraag", "veiligheid_klaar", "nee", default=True)
    p.flow("veiligheid_melden", "veiligheid_klaar", route="hv")
    p.chain("veiligheid_klaar", "route_samen", "multiprobleem_vraag")
    p.flow("multiprobleem_vraag", "twijfel", "twijfel", 'mpg_advies == "twijfel" or conclusie != mpg_advies')
    p.chain("twijfel_termijn", "twijfel_verlopen")
    p.chain("twijfel", "twijfel_verwerken")
    p.flow("twijfel_verwerken", "route_samen", route="above")


def _geen_multiprobleem(p: Process) -> None:
    p.script(
        "geen_multiprobleem",
        "Geen multiprobleem vastleggen",
        CM,
        (28, 4),
        'mpg = False\nfase = "overdracht"',
        doc="Geen pilotcasus: warme overdracht naar schuldhulpverlening.",
    )
    p.user("overdracht", "Warme overdracht schuldhulpverlening", CM, (29, 4), "overdracht", docs.OVERDRACHT)
    p.timer("overdracht_termijn", "T0 + 10 werkdagen", "overdracht", na_t0("overdracht_na_t0"))
    p.end("overdracht_verlopen", "Termijn verstreken", CM, (29, 5))
    closing = closing_chain(p, "doorverwezen", 'uitkomst = "doorverwezen_schuldhulp"', CM, 30, 4, "doorverwezen")
    p.flow("multiprobleem_vraag", "geen_multiprobleem", "nee", default=True)
    p.chain("geen_multiprobleem", "overdracht", closing)
    p.chain("overdracht_termijn", "overdracht_verlopen")


def _garantie_en_plan(p: Process) -> None:
    p.script(
        "multiprobleem",
        "Multiprobleem vastleggen",
        CM,
        (28, 1.5),
        'mpg = True\nfase = "garantie"',
        doc="Pilotcasus: de garantie wordt aangevraagd.",
    )
    p.call(
        "garantstelling",
        "Garantstelling (stap 6a–8)",
        CM,
        (29, 1.5),
        "garantstelling",
        doc="Aanvraag, besluit, status aan de leverancier en bevestiging van de opschorting.",
    )
    p.xor("garantie_vraag", "Garantie afgegeven?", CM, (30, 1.5))
    p.user("zonder_garantie", "Zaak afsluiten zonder garantie", CM, (31, 3), "afsluiten", docs.ZONDER_GARANTIE)
    closing = closing_chain(p, "zonder_garantie", "", CM, 32, 3, "zonder garantie")
    p.user("gezinsplan", "Gezinsplan opstellen (1G1P)", CM, (31, 1.5), "gezinsplan", docs.GEZINSPLAN)
    p.timer(
        "gezinsplan_termijn",
        "Garantie + 20 werkdagen",
        "gezinsplan",
        'tijdstip(werkdagen_na(garantie_datum, normen["gezinsplan_na_garantie"]))',
    )
    escalation_chain(
        p,
        "gezinsplan_termijn",
        CM,
        (31, 2.5),
        "gezinsplan",
        "het gezinsplan is niet binnen 20 werkdagen na de garantie opgesteld.",
        (32, 2.5),
    )
    p.flow("multiprobleem_vraag", "multiprobleem", "ja", 'mpg_advies == "ja" and conclusie == "ja"')
    p.chain("multiprobleem", "garantstelling", "garantie_vraag")
    p.flow("garantie_vraag", "gezinsplan", "ja", 'garantie_besluit == "toegekend"')
    p.flow("garantie_vraag", "zonder_garantie", "nee", default=True)
    p.chain("zonder_garantie", closing)


def _monitoring(p: Process) -> None:
    p.script(
        "monitoring_voorbereiden",
        "Monitoring voorbereiden",
        CM,
        (32, 1.5),
        docs.MONITORING_VOORBEREIDEN,
        doc="Plant de eerste maandcontrole, een maand na de garantie.",
    )
    p.xor("monitoring_samen", "Volgende controle", CM, (33, 1.5))
    p.receive(
        "wachten_op_controle",
        "Wachten op maandcontrole",
        S,
        (34, 1),
        "betaling_gemist",
        "betaling_gemist",
        doc="Tot de volgende maandcontrole; meldt de leverancier een gemiste betaling, dan volgt een claim.",
    )
    p.timer(
        "controle_moment",
        "Maandcontrole",
        "wachten_op_controle",
        'tijdstip(werkdagen_na(volgende_controle, 0), "09:00")',
        interrupting=True,
    )
    p.user("claim", "Claim beoordelen en betalen", GS, (35, 0), "claim", docs.CLAIM)
    p.timer(
        "claim_termijn", "10 werkdagen", "claim", 'tijdstip(werkdagen_na(vandaag(), normen["claim_betalen_werkdagen"]))'
    )
    escalation_chain(p, "claim_termijn", GS, (35, 1), "claim", "de claim is niet binnen 10 werkdagen betaald.", (36, 1))
    p.user("plan_herzien", "Gezinsplan herzien na claim", CO, (36, 0), "plan_herzien", docs.PLAN_HERZIEN)
    p.script(
        "claim_verwerken",
        "Claim verwerken",
        CO,
        (37, 1),
        "geclaimd = True\naantal_claims = aantal_claims + 1",
        doc="Telt de claim; bij afsluiten wordt de uitkomst 'garantie_geclaimd'.",
    )
    p.user("maandcontrole", "Maandelijkse controle", CM, (35, 1.5), "maandcontrole", docs.MAANDCONTROLE)
    p.timer(
        "maandcontrole_termijn",
        "5 werkdagen",
        "maandcontrole",
        'tijdstip(werkdagen_na(volgende_controle, normen["maandcontrole_werkdagen"]))',
    )
    escalation_chain(
        p,
        "maandcontrole_termijn",
        CM,
        (35, 2.5),
        "maandcontrole",
        "de maandelijkse controle is niet afgerond.",
        (36, 2.5),
    )
    p.script(
        "controle_verwerken",
        "Controle verwerken",
        CM,
        (36, 1.5),
        docs.CONTROLE_VERWERKEN,
        doc="Telt de controle en plant de volgende.",
    )
    p.xor("periode_vraag", "Garantieperiode voorbij?", CM, (37, 1.5))
    p.user("na_garantie", "Zaak afsluiten na garantie", CM, (38, 1.5), "afsluiten_garantie", docs.NA_GARANTIE)
    p.timer(
        "na_garantie_termijn",
        "Einde garantie + 10 werkdagen",
        "na_garantie",
        'tijdstip(werkdagen_na(garantie_einde, normen["afsluiten_na_garantie"]))',
    )
    escalation_chain(
        p,
        "na_garantie_termijn",
        CM,
        (38, 2.5),
        "afsluiten",
        "de zaak is niet binnen 10 werkdagen na het einde van de garantie afgesloten.",
        (39, 2.5),
        role="procesbeheerder",
    )
    outcome = 'uitkomst = "garantie_geclaimd" if geclaimd else "afsluiting_voorkomen_garantie"'
    closing = closing_chain(p, "na_garantie", outcome, CM, 39, 1.5, "na garantie")
    p.chain(
        "gezinsplan",
        "monitoring_voorbereiden",
        "monitoring_samen",
        "wachten_op_controle",
        "claim",
        "plan_herzien",
        "claim_verwerken",
        "monitoring_samen",
    )
    p.chain("controle_moment", "maandcontrole", "controle_verwerken", "periode_vraag")
    p.flow("periode_vraag", "na_garantie", "ja", "controle_nummer >= garantie_periode_maanden")
    p.flow("periode_vraag", "monitoring_samen", "nee", default=True, route="above")
    p.chain("na_garantie", closing)
