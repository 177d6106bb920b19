"""Staff accounts (engine.accounts): roles, teams, hashed passwords, login checks with a temporary lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import accounts
from engine.clock import ManualClock
from engine.db import Database
from engine.errors import Conflict, DataInvalid
from engine.models import Team, User

from .conftest import HERE

PASSWORD = "correct-horse-battery"


@pytest.fixture
def run(database: Database) -> Callable[[Callable[[Session], Any]], Any]:
    def in_transaction(work: Callable[[Session], Any]) -> Any:
        with database.transaction() as session:
            return work(session)

    return in_transaction


def add(run: Callable[..., Any], clock: ManualClock, username: str = "carla", **options: Any) -> User:
    options = {"password": PASSWORD, "role": "casemanager", "team": "venlo", **options}
    return run(lambda s: accounts.create_user(s, username, now=clock.now(), **options))  # type: ignore[no-any-return]


def test_the_roles_are_the_staff_roles_of_the_procedure() -> None:
    procedure = (HERE.parent.parent / "shared" / "domain" / "PROCEDURE.md").resolve()
    expected = ["casemanager", "coordinator", "garantsteller", "schuldhulp", "procesbeheerder", "beheerder"]
    assert list(accounts.ROLES) == expected
    if procedure.is_file():  # shared/ sits beside the clone on developer machines and in CI
        for role in expected:
            assert f"`{role}`" in procedure.read_text(encoding="utf-8")
    assert "leverancier" not in accounts.ROLES  # an API client, not a person


def test_a_user_gets_a_scrypt_hash_and_the_team_is_created(
    run: Callable[..., Any], clock: ManualClock, database: Database
) -> None:
    user = add(run, clock, display_name="Carla de Wit")
    add(run, clock, "cor", role="coordinator")
    with database.reading() as session:
        stored = session.scalars(select(User).where(User.username == "carla")).one()
        teams = session.scalars(select(Team)).all()
    assert stored.password_hash.startswith("scrypt:") and PASSWORD not in stored.password_hash
    assert accounts.verify_password(stored, PASSWORD)
    assert not accounts.verify_password(stored, PASSWORD + "!")
    assert (user.role, user.team, user.display_name, user.active) == ("casemanager", "venlo", "Carla de Wit", True)
    assert [(t.key, t.name) for t in teams] == [("venlo", "Venlo")]


def test_a_user_without_a_team_role_needs_no_team(run: Callable[..., Any], clock: ManualClock) -> None:
    user = add(run, clock, "gerda", role="garantsteller", team=None)
    assert (user.team, user.display_name) == (None, "gerda")


@pytest.mark.parametrize(
    ("username", "options", "field", "words"),
    [
        ("carla", {"password": "elf-tekens!"}, "password", "minstens 12 tekens"),
        ("carla", {"role": "leverancier"}, "role", "Onbekende rol"),
        ("carla", {"role": "coordinator", "team": None}, "team", "hoort bij een team"),
        ("Carla Smit", {}, "username", "Ongeldige gebruikersnaam"),
        ("carla", {"team": "Venlo Noord"}, "team", "Ongeldige teamcode"),
    ],
)
def test_invalid_users_are_refused_with_the_field(
    run: Callable[..., Any], clock: ManualClock, username: str, options: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(DataInvalid) as refused:
        add(run, clock, username, **options)
    assert [e.path for e in refused.value.errors] == [field]
    assert words in refused.value.message


def test_a_username_is_unique(run: Callable[..., Any], clock: ManualClock) -> None:
    add(run, clock)
    with pytest.raises(Conflict, match="bestaat al"):
        add(run, clock)


def login(run: Callable[..., Any], clock: ManualClock, password: str, username: str = "carla") -> User | None:
    return run(lambda s: accounts.authenticate(s, username, password, clock.now()))  # type: ignore[no-any-return]


def test_authenticate_checks_the_password_and_resets_failures(run: Callable[..., Any], clock: ManualClock) -> None:
    add(run, clock)
    assert login(run, clock, "wrong-password-1") is None
    assert login(run, clock, PASSWORD, username="nobody") is None
    user = login(run, clock, PASSWORD)
    assert user is not None and (user.username, user.failed_logins) == ("carla", 0)


def test_repeated_failures_lock_the_account_for_a_while(run: Callable[..., Any], clock: ManualClock) -> None:
    add(run, clock)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        assert login(run, clock, "wrong-password-1") is None
    assert login(run, clock, PASSWORD) is None  # locked, even with the right password
    clock.advance(accounts.LOCK_PERIOD + timedelta(minutes=1))
    assert login(run, clock, PASSWORD) is not None


def test_an_inactive_user_cannot_log_in(run: Callable[..., Any], clock: ManualClock) -> None:
    add(run, clock)
    run(lambda s: setattr(accounts.find_user(s, "carla"), "active", False))
    assert login(run, clock, PASSWORD) is None
