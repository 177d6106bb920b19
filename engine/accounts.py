"""Staff accounts: the roles, teams, creating users with hashed passwords, and checking a password.

Functions take a session and never commit. Passwords are hashed with scrypt (``werkzeug.security``); the clear
text is never stored or logged. Suppliers (``leverancier``) are API clients, not users, and have no role here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .errors import Conflict, DataInvalid, FieldError
from .models import Team, User

# Role key → Dutch label (PROCEDURE.md, "Roles").
ROLES: dict[str, str] = {
    "casemanager": "Casemanager coördinatiepunt",
    "coordinator": "Coördinator / teamleider",
    "garantsteller": "Garantsteller",
    "schuldhulp": "Schuldhulpverlening",
    "procesbeheerder": "Procesbeheerder",
    "beheerder": "Functioneel beheerder / privacyfunctionaris",
}
TEAM_ROLES = frozenset({"casemanager", "coordinator"})
MIN_PASSWORD_LENGTH = 12
MAX_FAILED_LOGINS = 5
LOCK_PERIOD = timedelta(minutes=15)
HASH_METHOD = "scrypt"

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")
_TEAM_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    now: datetime,
    team: str | None = None,
    display_name: str = "",
) -> User:
    """Add an active user; the team (required for casemanager and coordinator) is created when missing."""
    _check_new_user(session, username, password, role, team)
    if team:
        ensure_team(session, team)
    user = User(
        username=username,
        password_hash=generate_password_hash(password, method=HASH_METHOD),
        role=role,
        team=team or None,
        display_name=display_name or username,
        active=True,
        failed_logins=0,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def ensure_team(session: Session, key: str, name: str = "") -> Team:
    if not _TEAM_KEY.match(key):
        raise _invalid("team", f"Ongeldige teamcode {key!r}: gebruik kleine letters, cijfers, '-' of '_'.")
    team = session.get(Team, key)
    if team is None:
        team = Team(key=key, name=name or key.replace("_", " ").replace("-", " ").title())
        session.add(team)
        session.flush()
    return team


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


@dataclass(frozen=True)
class ActiveUser:
    """Who a session belongs to, as every request needs it (no password hash, no counters)."""

    username: str
    display_name: str
    role: str
    team: str | None


def active_user(session: Session, username: str) -> ActiveUser | None:
    """The active account ``username``, read with one light query on every request (None: gone or deactivated)."""
    query = select(User.username, User.display_name, User.role, User.team).where(
        User.username == username, User.active.is_(True)
    )
    row = session.execute(query).first()
    return ActiveUser(row.username, row.display_name or row.username, row.role, row.team) if row else None


def verify_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def authenticate(session: Session, username: str, password: str, now: datetime) -> User | None:
    """The active, unlocked user with this password, or None; repeated failures lock the account for a while."""
    user = find_user(session, username)
    if user is None:
        check_password_hash(_dummy_hash(), password)  # a wrong name costs as much time as a wrong password
        return None
    locked = user.locked_until is not None and user.locked_until > now
    if not verify_password(user, password) or locked or not user.active:
        _count_failure(user, now)
        return None
    user.failed_logins, user.locked_until = 0, None
    return user


@cache
def _dummy_hash() -> str:
    return generate_password_hash("vangnet-no-such-user", method=HASH_METHOD)


def _count_failure(user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + LOCK_PERIOD


def _check_new_user(session: Session, username: str, password: str, role: str, team: str | None) -> None:
    if not _USERNAME.match(username):
        message = f"Ongeldige gebruikersnaam {username!r}: 2-100 tekens, kleine letters, cijfers, '.', '-' of '_'."
        raise _invalid("username", message)
    if role not in ROLES:
        raise _invalid("role", f"Onbekende rol {role!r}; kies uit: {', '.join(ROLES)}.")
    if role in TEAM_ROLES and not team:
        raise _invalid("team", f"Een {role} hoort bij een team: geef --team op (bijvoorbeeld venlo).")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _invalid("password", f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn.")
    if find_user(session, username) is not None:
        raise Conflict(f"Gebruiker {username!r} bestaat al.", username=username)


def _invalid(path: str, message: str) -> DataInvalid:
    return DataInvalid([FieldError(path, message)], message=message)


def notification_addresses(session: Session, role: str, team: str | None) -> list[str]:
    """E-mail addresses of the active users with ``role`` (of ``team`` too, for team roles)."""
    query = select(User.email).where(User.role == role, User.active.is_(True), User.email.is_not(None))
    if role in TEAM_ROLES and team:
        query = query.where(User.team == team)
    return sorted(str(address) for address in session.scalars(query) if address)
