"""The case row's optimistic check (``lock_version``), written by ``engine.case_work.write_case_row``.

The lock query already serialises commands on PostgreSQL and SQLite; the version check is the second line: a
write based on a case row someone else changed in the meantime must fail whole, as a ``Conflict``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from engine.case_work import lock_case, write_case_row
from engine.errors import Conflict
from engine.models import Case
from engine.service import Engine

from .helpers import case, deploy, start_aanvraag


def test_a_changed_case_row_is_written_once_with_its_version_raised(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    before = case(engine, case_id)
    with engine.transaction() as s:
        row = lock_case(s, case_id)
        write_case_row(s, row, {"priority": "P1", "team": row.team})
        assert (row.priority, row.lock_version) == ("P1", before.lock_version + 1)
        assert not s.dirty  # nothing left for the unit of work to write
        write_case_row(s, row, {"priority": "P1"})  # unchanged now: no second update
    after = case(engine, case_id)
    assert (after.priority, after.lock_version) == ("P1", before.lock_version + 1)


def test_a_write_on_a_row_changed_meanwhile_fails_and_changes_nothing(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    before = case(engine, case_id)
    with pytest.raises(Conflict), engine.transaction() as s:
        row = lock_case(s, case_id)
        # someone else's committed change, as the lock would normally have prevented: the version moved
        s.connection().execute(update(Case).where(Case.id == case_id).values(lock_version=Case.lock_version + 1))
        write_case_row(s, row, {"priority": "P1"})
    after = case(engine, case_id)
    assert (after.priority, after.lock_version) == (before.priority, before.lock_version)  # all rolled back


def test_the_check_raises_what_the_orm_would(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    with engine.database.transaction() as s:
        row = lock_case(s, case_id)
        s.connection().execute(update(Case).where(Case.id == case_id).values(lock_version=Case.lock_version + 1))
        with pytest.raises(StaleDataError):
            write_case_row(s, row, {"priority": "P1"})
        s.rollback()
