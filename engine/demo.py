"""Start-up content: deploying the bundled ``processes/``, and the demo (users per role, a few fictitious notices).

Everything here is idempotent: the bundled processes deploy by content hash, demo users and demo cases are only
created when missing, so ``vangnet demo`` can run any number of times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import accounts, exchange
from .bundles import DeployResult, latest_version
from .calendar import local_zone
from .errors import ConfigurationError
from .models import Case
from .service import SYSTEM, Engine

DEMO_PASSWORD = "vangnet-demo-2026"
DEMO_TEAM = "venlo"
DEMO_SENDER = "essent"
NOTICE_MESSAGE = "melding"

# Role → display name. The usernames equal the role keys, so that the demo logins are easy to remember.
DEMO_USERS: dict[str, str] = {
    "casemanager": "Carla Casemanager",
    "coordinator": "Cor Coördinator",
    "garantsteller": "Gerda Garantsteller",
    "schuldhulp": "Sam Schuldhulp",
    "procesbeheerder": "Piet Procesbeheerder",
    "beheerder": "Bea Beheerder",
}


@dataclass(frozen=True)
class DemoPerson:
    """A fictitious household: who, where, and how many working days are left until the planned end of supply."""

    initials: str
    prefix: str
    surname: str
    birth_date: str
    postcode: str
    house_number: int
    working_days_left: int
    children: str = "ja"
    vulnerable: bool = False
    medical: bool = False
    arrears: float = 742.5
    instalment: float = 145.0


DEMO_PEOPLE = (
    DemoPerson("J.", "", "Jansen", "1985-04-12", "5911AB", 12, 25),
    DemoPerson("M.", "de", "Vries", "1979-09-30", "5912CD", 7, 18, arrears=1210.0, instalment=162.5),
    DemoPerson("A.", "", "Bakker", "1992-01-05", "5921EF", 88, 30, children="onbekend", arrears=389.9),
    DemoPerson("S.", "van", "Dijk", "1968-06-21", "5913GH", 3, 15, medical=True, arrears=1875.0, instalment=210.0),
    DemoPerson("R.", "", "Smit", "1990-11-02", "5928JK", 41, 22, vulnerable=True, arrears=615.0),
)


@dataclass
class DemoResult:
    deployed: list[DeployResult] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)
    users_present: list[str] = field(default_factory=list)
    cases_created: list[str] = field(default_factory=list)
    cases_present: list[str] = field(default_factory=list)
    notice_process: bool = False


# --- the bundled processes ---------------------------------------------------------------------------------


def bundle_folders(processes_dir: Path) -> list[Path]:
    """The folders that hold a bundle: ``processes/`` itself when it has BPMN files, and each sub-folder that has."""
    if not processes_dir.is_dir():
        return []
    candidates = [processes_dir, *sorted(p for p in processes_dir.iterdir() if p.is_dir())]
    return [folder for folder in candidates if any(folder.glob("*.bpmn"))]


def deploy_bundled(engine: Engine, note: str = "meegeleverd proces") -> list[DeployResult]:
    """Deploy every bundle under the settings' processes folder that is new; none there is not an error."""
    results = []
    for folder in bundle_folders(engine.settings.processes_dir):
        bundle = engine.read_bundle([folder])
        results.append(engine.run(partial(engine.deploy, bundle=bundle, actor=SYSTEM, note=note)))
    return results


# --- the demo ----------------------------------------------------------------------------------------------


def seed(engine: Engine, cases: bool = True) -> DemoResult:
    """Deploy the bundled processes, create one demo user per role and (``cases``) start the demo notices."""
    if engine.settings.production:
        raise ConfigurationError("De demo is niet toegestaan als VANGNET_ENV=production (bekende wachtwoorden).")
    result = DemoResult(deployed=deploy_bundled(engine))
    engine.run(partial(_seed_users, engine=engine, result=result))
    result.notice_process = engine.run(lambda session: latest_version(session, NOTICE_MESSAGE) is not None)
    if result.notice_process and cases:
        _seed_cases(engine, result)
    return result


def _seed_users(session: Session, engine: Engine, result: DemoResult) -> None:
    for role, name in DEMO_USERS.items():
        if accounts.find_user(session, role) is not None:
            result.users_present.append(role)
            continue
        team = DEMO_TEAM if role in accounts.TEAM_ROLES else None
        accounts.create_user(session, role, DEMO_PASSWORD, role, engine.now(), team=team, display_name=name)
        result.users_created.append(role)


def _seed_cases(engine: Engine, result: DemoResult) -> None:
    """One transaction per notice, as the API would do; a notice already known is left as it is. The last one
    came in by phone and was registered by the coördinator, so the exchange page has two channels to compare."""
    today = engine.now().astimezone(local_zone()).date()
    for number, person in enumerate(DEMO_PEOPLE, start=1):
        key = f"ESS-2026-{number:04d}"
        existing = engine.run(partial(_reference_of, business_key=key))
        if existing is not None:
            result.cases_present.append(existing)
            continue
        channel, actor = ("telefoon", "coordinator") if number == len(DEMO_PEOPLE) else ("api", DEMO_SENDER)
        payload = notice_payload(engine, key, person, today)
        submit = partial(exchange.submit_notice, engine, supplier=DEMO_SENDER, channel=channel, actor=actor)
        started = engine.run(partial(submit, payload=payload))
        result.cases_created.append(started.reference)


def _reference_of(session: Session, business_key: str) -> str | None:
    query = select(Case.reference).where(Case.sender == DEMO_SENDER, Case.business_key == business_key)
    return session.scalar(query)


def notice_payload(engine: Engine, notice_id: str, person: DemoPerson, today: date) -> dict[str, Any]:
    """A supplier's notice (melding) as the API would receive it, for a fictitious household."""
    end_date = engine.calendar.add_working_days(today, person.working_days_left)
    return {
        "melding_id": notice_id,
        "leverancier": DEMO_SENDER,
        "meldingsdatum": today.isoformat(),
        "soort": "eindelevering",
        "klant": {
            "voorletters": person.initials,
            "tussenvoegsel": person.prefix,
            "achternaam": person.surname,
            "geboortedatum": person.birth_date,
        },
        "adres": {"postcode": person.postcode, "huisnummer": person.house_number, "toevoeging": "", "plaats": "Venlo"},
        "telefoon": "0612345678",
        "email": None,
        "contractreferentie": f"C-{person.house_number:03d}-{person.postcode}",
        "producten": ["elektriciteit", "gas"],
        "achterstand_bedrag": person.arrears,
        "achterstand_sinds": (today - timedelta(days=128)).isoformat(),
        "maandbedrag": person.instalment,
        "aantal_herinneringen": 3,
        "laatste_herinnering": (today - timedelta(days=22)).isoformat(),
        "contactpogingen_aantal": 2,
        "laatste_contactpoging": (today - timedelta(days=17)).isoformat(),
        "regeling_aangeboden": True,
        "regeling_status": "geweigerd",
        "geplande_einddatum": end_date.isoformat(),
        "kinderen_in_huishouden": person.children,
        "kwetsbaarheid_bekend": person.vulnerable,
        "medisch": person.medical,
        "bezwaar_gegevensdeling": False,
        "kanaal": "api",
    }
