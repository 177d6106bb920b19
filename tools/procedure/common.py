"""Expressions shared by the process descriptions: deadlines, notifications and supplier messages.

Every deadline is computed from ``ontvangen_op`` (T0) and ``geplande_einddatum`` (D) directly, with the number of
working days read from the ``normen`` table, so that moving D re-arms the timer at the right moment.
"""

from __future__ import annotations

SYSTEEM, COORDINATOR, CASEMANAGER, GARANTSTELLER = "Systeem", "Coördinator", "Casemanager", "Garantsteller"


def na_t0(norm: str) -> str:
    return f'tijdstip(werkdagen_na(ontvangen_op, normen["{norm}"]))'


def voor_d(norm: str) -> str:
    return f'tijdstip(werkdagen_voor(geplande_einddatum, normen["{norm}"]))'


def vroegste(norm_t0: str, norm_d: str) -> str:
    return (
        f'tijdstip(vroegste(werkdagen_na(ontvangen_op, normen["{norm_t0}"]), '
        f'werkdagen_voor(geplande_einddatum, normen["{norm_d}"])))'
    )


OP_EINDDATUM = "tijdstip(als_datum(geplande_einddatum))"


def notificatie(role: str, subject: str, text: str) -> str:
    """Payload of an ``intern_…`` message: a role, a subject and a text (Python string expressions)."""
    return f'{{"aan": "{role}", "onderwerp": {subject}, "tekst": {text}, "melding_id": melding_id}}'


def termijn_verstreken(step: str, advice: str, role: str = "coordinator") -> str:
    subject = f'"Termijn verstreken: {step} (" + melding_id + ")"'
    text = f'"Zaak " + melding_id + ": {advice}"'
    return notificatie(role, subject, text)


UITSTELVERZOEK = (
    '{"geplande_einddatum": str(als_datum(geplande_einddatum)), '
    '"gevraagde_einddatum": str(werkdagen_na(geplande_einddatum, normen["uitstel_werkdagen"])), '
    '"uitstel_werkdagen": normen["uitstel_werkdagen"]}'
)
OPSCHORTINGSVERZOEK = '{"geplande_einddatum": str(als_datum(geplande_einddatum))}'

SAMENVATTING = """**Melding {{ melding_id }}** — {{ melding.klant.voorletters }} {{ melding.klant.tussenvoegsel }} \
{{ melding.klant.achternaam }}, {{ melding.adres.postcode }} {{ melding.adres.huisnummer }}\
{{ melding.adres.toevoeging }} {{ melding.adres.plaats }}

- Geplande einddatum levering (D): **{{ geplande_einddatum }}** · prioriteit **{{ prioriteit }}**
- Achterstand € {{ achterstand_bedrag }} · maandbedrag € {{ maandbedrag }}
{% if winter %}- **Winterperiode**: een aanvraag schuldhulp of een nagekomen regeling blokkeert afsluiting. \
Bespreek dit met het gezin.
{% endif %}{% if vorstblokkade %}- **Vorstblokkade actief**: de netbeheerder sluit nu niet af; de termijnen lopen \
gewoon door.
{% endif %}{% if medisch or kwetsbaar %}- **Medisch of kwetsbaar** (geen diagnose vastleggen): bel de leverancier en \
informeer de netbeheerder.
{% endif %}"""
