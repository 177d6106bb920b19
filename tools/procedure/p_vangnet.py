"""The main process: notice in, intake (steps 0–1, D1, D2), the case work as a call activity, withdrawal, D moved."""

from __future__ import annotations

from .common import COORDINATOR, SYSTEEM, UITSTELVERZOEK, notificatie
from .model import Process

REGISTREREN = """\
# T0 is het moment van ontvangst: alle 'T0 + n werkdagen'-termijnen tellen vanaf deze datum.
ontvangen_op = vandaag()
ontvangen_tijdstip = nu().isoformat()
melding_id = melding.get("melding_id")
leverancier = melding.get("leverancier")
winter = winterperiode(ontvangen_op)
vorstblokkade = False
aanvul_besluit = None
aanvulling = None
uitstel_gevraagd = False
prioriteit = None
uitkomst = None
fase = "intake"
mijlpaal = "ontvangen\""""

CONTROLEREN = """\
# Verplichte velden: zonder deze gegevens vraagt D1 de leverancier om aanvulling.
klant = melding.get("klant") or {}
adres = melding.get("adres") or {}
verplichte_velden = {
    "klant.achternaam": klant.get("achternaam"),
    "adres.postcode": adres.get("postcode"),
    "adres.huisnummer": adres.get("huisnummer"),
    "geplande_einddatum": melding.get("geplande_einddatum"),
    "achterstand_bedrag": melding.get("achterstand_bedrag"),
}
ontbrekende_velden = [veld for veld, waarde in verplichte_velden.items() if waarde in (None, "")]
team = team_voor_postcode(adres.get("postcode")) if adres.get("postcode") else None
binnen_pilotgebied = None if not adres.get("postcode") else team is not None
huishouden = melding.get("klantsoort", "huishouden") == "huishouden"
aantal_herinneringen = melding.get("aantal_herinneringen") or 0
regeling_aangeboden = melding.get("regeling_aangeboden") is True
contactpogingen_leverancier = melding.get("contactpogingen_aantal") or 0
geplande_einddatum = melding.get("geplande_einddatum")
achterstand_bedrag = melding.get("achterstand_bedrag")
maandbedrag = melding.get("maandbedrag") or 0
medisch = melding.get("medisch") is True
kwetsbaar = melding.get("kwetsbaarheid_bekend") is True
kinderen_gemeld = melding.get("kinderen_in_huishouden") == "ja"
# De termijnen en normen uit de tabel, als opzoeklijst: normen["triage_na_t0"] enzovoort.
normen = dict(zip(norm, norm_waarde))
del klant, adres, verplichte_velden"""

AANVULLING_VERWERKEN = """\
# Aangevulde velden (van de leverancier of de coördinator) over de melding heen leggen; groepen per veld.
melding = {**melding, **{sleutel: ({**(melding.get(sleutel) or {}), **waarde} if isinstance(waarde, dict) else waarde)
                         for sleutel, waarde in (aanvulling or {}).items()}}"""

AFWIJZING = """\
uitkomst = "niet_ontvankelijk"
mijlpaal = "afgesloten"
fase = "afgesloten"
afgesloten_op = vandaag()
bewaren_tot = afgesloten_op + timedelta(days=31 * normen["bewaartermijn_geen_zaak_maanden"])"""

INTREKKING = """\
uitkomst = "ingetrokken"
reden_intrekking = intrekking.get("reden")
mijlpaal = "afgesloten"
fase = "afgesloten"
afgesloten_op = vandaag()
bewaren_tot = afgesloten_op + timedelta(days=31 * normen["bewaartermijn_zaak_maanden"])"""

NIEUWE_EINDDATUM = """\
geplande_einddatum = einddatum_gewijzigd["geplande_einddatum"]
werkdagen_tot_einddatum = werkdagen_tussen(vandaag(), geplande_einddatum)
uitstel_nodig = werkdagen_tot_einddatum < normen["uitstel_werkdagen"]"""

DOC_ONVOLLEDIG = """\
De leverancier heeft de melding **{{ melding_id }}** niet op tijd aangevuld. Ontbrekend: \
{{ ontbrekende_velden | join(', ') }}.

Bel de incassoafdeling van de leverancier en vul de ontbrekende gegevens hieronder in. Kies **afwijzen** als de \
melding niet compleet te krijgen is; de leverancier krijgt dan de status *geen pilotcasus*."""


def vangnet() -> Process:
    p = Process(
        "vangnet",
        "Vangnet: van melding tot afsluiting",
        [COORDINATOR, SYSTEEM],
        doc="Hoofdproces. Stap 0–1 (ontvangst, ontvankelijkheid D1, prioriteit D2) en daarna de zaakbehandeling "
        "(stap 2–11) als aangeroepen proces. Intrekking door de leverancier stopt de zaak op elk moment.",
    )
    _intake(p)
    _aanvulling(p)
    _prioriteit(p)
    _lopende_zaak(p)
    return p


def _intake(p: Process) -> None:
    p.start("melding_ontvangen", "Melding ontvangen", SYSTEEM, (0, 2), message="melding", variable="melding")
    p.script(
        "melding_registreren",
        "Melding registreren",
        SYSTEEM,
        (1, 2),
        REGISTREREN,
        doc="Legt T0 vast en zet de beginwaarden van de zaak.",
    )
    p.rule(
        "termijnen_bepalen",
        "Termijnen en normen bepalen",
        SYSTEEM,
        (2, 2),
        "termijnen",
        doc="Leest alle termijnen en normen uit de tabel 'Termijnen en normen'.",
    )
    p.call(
        "ontvangst_bevestigen",
        "Ontvangst bevestigen",
        SYSTEEM,
        (3, 2),
        "terugkoppelen",
        doc="Status 'ontvangen' aan de leverancier (D7).",
    )
    p.xor("opnieuw_toetsen", "Toetsen", SYSTEEM, (4, 2))
    p.script(
        "melding_controleren",
        "Melding controleren",
        SYSTEEM,
        (5, 2),
        CONTROLEREN,
        doc="Bepaalt team, pilotgebied, ontbrekende velden en de kenmerken voor D1 en D2.",
    )
    p.rule(
        "ontvankelijkheid",
        "Ontvankelijkheid toetsen (D1)",
        SYSTEEM,
        (6, 2),
        "d1_ontvankelijkheid",
        doc="D1: buiten pilotgebied of geen huishouden wordt afgewezen; ontbrekende velden worden aangevuld.",
    )
    p.xor("ontvankelijk", "Ontvankelijk?", SYSTEEM, (7, 2))
    p.script(
        "afwijzing_vastleggen",
        "Afwijzing vastleggen",
        SYSTEEM,
        (8, 3),
        AFWIJZING,
        doc="Uitkomst 'niet_ontvankelijk'; persoonsgegevens gaan na de korte bewaartermijn weg.",
    )
    p.call(
        "afwijzing_terugkoppelen",
        "Afwijzing terugkoppelen",
        SYSTEEM,
        (9, 3),
        "terugkoppelen",
        doc="Status 'geen_pilotcasus' aan de leverancier (D7), zonder reden.",
    )
    p.end("niet_ontvankelijk", "Melding niet ontvankelijk", SYSTEEM, (10, 3))
    p.chain(
        "melding_ontvangen",
        "melding_registreren",
        "termijnen_bepalen",
        "ontvangst_bevestigen",
        "opnieuw_toetsen",
        "melding_controleren",
        "ontvankelijkheid",
        "ontvankelijk",
    )
    p.flow("ontvankelijk", "afwijzing_vastleggen", "afwijzen", 'ontvankelijkheid == "afwijzen"')
    p.chain("afwijzing_vastleggen", "afwijzing_terugkoppelen", "niet_ontvankelijk")


def _aanvulling(p: Process) -> None:
    payload = (
        '{"ontbrekende_velden": ontbrekende_velden, "uiterlijk": str(werkdagen_na(vandaag(), aanvultermijn_werkdagen))}'
    )
    p.throw("aanvulling_vragen", "Aanvulling vragen", SYSTEEM, (8, 0), "aanvulverzoek", payload)
    p.receive(
        "wachten_op_aanvulling",
        "Wachten op aanvulling",
        SYSTEEM,
        (9, 0),
        "aanvulling",
        "aanvulling",
        doc="Wacht op de ontbrekende gegevens van de leverancier (bericht 'aanvulling').",
    )
    p.timer(
        "aanvultermijn_verstreken",
        "Aanvultermijn verstreken",
        "wachten_op_aanvulling",
        "tijdstip(werkdagen_na(vandaag(), aanvultermijn_werkdagen))",
        interrupting=True,
    )
    p.nodes["aanvultermijn_verstreken"].attrs["side"] = "top"
    p.user(
        "onvolledige_melding",
        "Onvolledige melding aanvullen",
        COORDINATOR,
        (10, 0),
        "onvolledige_melding",
        DOC_ONVOLLEDIG,
    )
    p.script(
        "aanvulling_verwerken",
        "Aanvulling verwerken",
        SYSTEEM,
        (10, 0),
        AANVULLING_VERWERKEN,
        doc="Voegt de aangevulde gegevens toe aan de melding; daarna toetst D1 opnieuw.",
    )
    p.flow("ontvankelijk", "aanvulling_vragen", "aanvullen", 'ontvankelijkheid == "aanvullen"')
    p.chain("aanvulling_vragen", "wachten_op_aanvulling", "aanvulling_verwerken")
    p.flow("aanvultermijn_verstreken", "onvolledige_melding")
    p.flow("onvolledige_melding", "aanvulling_verwerken")
    p.flow("aanvulling_verwerken", "opnieuw_toetsen", route="above")


def _prioriteit(p: Process) -> None:
    p.rule(
        "prioriteit_bepalen",
        "Prioriteit bepalen (D2)",
        SYSTEEM,
        (8, 2),
        "d2_prioriteit",
        doc="D2: prioriteit en termijn voor het eerste contact; minder dan 10 werkdagen tot D: uitstel vragen.",
    )
    p.xor("uitstel_nodig_vraag", "Minder dan 10 werkdagen tot D?", SYSTEEM, (9, 2))
    p.script(
        "uitstel_vastleggen",
        "Uitstel vastleggen",
        SYSTEEM,
        (10, 2),
        "uitstel_gevraagd = True",
        doc="Onthoudt dat uitstel is gevraagd, zodat D5 het niet nog eens vraagt.",
    )
    p.throw("uitstel_vragen", "Uitstel vragen", SYSTEEM, (11, 2), "uitstelverzoek", UITSTELVERZOEK)
    p.xor("uitstel_afgehandeld", "Uitstel afgehandeld", SYSTEEM, (12, 2))
    p.xor("spoed_vraag", "Prioriteit P1?", SYSTEEM, (13, 2))
    spoed = notificatie(
        "coordinator",
        '"Spoedmelding (P1): " + melding_id',
        '"Nieuwe melding met prioriteit P1. Eerste contact binnen " + str(eerste_contact_werkdagen) '
        '+ " werkdag(en); einddatum levering " + str(geplande_einddatum) + ". Zie de zaak in Vangnet."',
    )
    p.throw("spoed_melden", "Coördinator spoed melden", SYSTEEM, (14, 2), "intern_spoedmelding", spoed)
    p.xor("spoed_afgehandeld", "Spoed afgehandeld", SYSTEEM, (15, 2))
    p.flow("ontvankelijk", "prioriteit_bepalen", "accepteren", default=True)
    p.chain("prioriteit_bepalen", "uitstel_nodig_vraag")
    p.flow("uitstel_nodig_vraag", "uitstel_vastleggen", "ja", "uitstel_nodig == True")
    p.flow("uitstel_nodig_vraag", "uitstel_afgehandeld", "nee", default=True, route="below")
    p.chain("uitstel_vastleggen", "uitstel_vragen", "uitstel_afgehandeld", "spoed_vraag")
    p.flow("spoed_vraag", "spoed_melden", "ja", 'prioriteit == "P1"')
    p.flow("spoed_vraag", "spoed_afgehandeld", "nee", default=True, route="below")
    p.chain("spoed_melden", "spoed_afgehandeld")


def _lopende_zaak(p: Process) -> None:
    p.call(
        "zaak_behandelen",
        "Zaak behandelen (stap 2–11)",
        SYSTEEM,
        (16.5, 2),
        "behandeling",
        doc="Triage, contact, beoordeling, garantie, gezinsplan, monitoring en afsluiting.",
        span=2,
    )
    p.on_message(
        "ingetrokken", "Melding ingetrokken", "zaak_behandelen", "intrekking", "intrekking", slot=0, side="top"
    )
    p.on_message(
        "einddatum_gewijzigd",
        "Einddatum gewijzigd",
        "zaak_behandelen",
        "einddatum_gewijzigd",
        "einddatum_gewijzigd",
        slot=1,
        interrupting=False,
        side="top",
    )
    p.end("zaak_afgesloten", "Zaak afgesloten", SYSTEEM, (18, 2))
    p.script(
        "intrekking_vastleggen",
        "Intrekking vastleggen",
        SYSTEEM,
        (18, 1),
        INTREKKING,
        doc="De leverancier trok de melding in: alle open taken zijn gestopt; uitkomst 'ingetrokken'.",
    )
    p.call(
        "intrekking_terugkoppelen",
        "Afsluiting terugkoppelen",
        SYSTEEM,
        (19, 1),
        "terugkoppelen",
        doc="Status 'afgesloten' aan de leverancier (D7).",
    )
    p.end("zaak_ingetrokken", "Zaak ingetrokken", SYSTEEM, (20, 1))
    p.script(
        "nieuwe_einddatum",
        "Nieuwe einddatum verwerken",
        SYSTEEM,
        (18, 0),
        NIEUWE_EINDDATUM,
        doc="De termijnen schuiven mee (het systeem zet de nieuwe datum in de lopende zaak).",
    )
    p.xor("opnieuw_uitstel", "Minder dan 10 werkdagen?", SYSTEEM, (19, 0))
    p.throw("opnieuw_uitstel_vragen", "Uitstel vragen", SYSTEEM, (20, 0), "uitstelverzoek", UITSTELVERZOEK)
    p.xor("opnieuw_uitstel_klaar", "Uitstel afgehandeld", SYSTEEM, (21, 0))
    wijziging = notificatie(
        "coordinator",
        '"Einddatum gewijzigd: " + melding_id',
        '"De leverancier heeft de einddatum verschoven naar " + str(geplande_einddatum) + " (nog " '
        '+ str(werkdagen_tot_einddatum) + " werkdagen). Alle termijnen zijn meeverschoven; controleer de prioriteit."',
    )
    p.throw("wijziging_melden", "Coördinator informeren", SYSTEEM, (22, 0), "intern_einddatum", wijziging)
    p.end("wijziging_verwerkt", "Wijziging verwerkt", SYSTEEM, (23, 0))
    p.chain("spoed_afgehandeld", "zaak_behandelen", "zaak_afgesloten")
    p.chain("ingetrokken", "intrekking_vastleggen", "intrekking_terugkoppelen", "zaak_ingetrokken")
    p.chain("einddatum_gewijzigd", "nieuwe_einddatum", "opnieuw_uitstel")
    p.flow("opnieuw_uitstel", "opnieuw_uitstel_vragen", "ja", "uitstel_nodig == True")
    p.flow("opnieuw_uitstel", "opnieuw_uitstel_klaar", "nee", default=True, route="below")
    p.chain("opnieuw_uitstel_vragen", "opnieuw_uitstel_klaar", "wijziging_melden", "wijziging_verwerkt")
