"""The inbox read model on the demo cases: scope from the task rows, prefix search, counts, planner statistics."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select, text

from engine.models import Case, HumanTask
from engine.queries import InboxFilter, Scope, inbox

from .conftest import vangnet_of

COORDINATOR = Scope("coordinator", ("coordinator", "casemanager"), "venlo")


def names(app: Flask, search: str, scope: Scope = COORDINATOR) -> list[str]:
    engine = vangnet_of(app).engine
    with engine.database.reading() as s:
        page = inbox(s, scope, InboxFilter(view="team", search=search, sort="naam"), engine.now())
    assert page.total == len(page.rows)
    return [row.family_name or "" for row in page.rows]


def test_search_finds_names_postcodes_and_references_by_their_start(app: Flask) -> None:
    assert names(app, "bak") == ["Bakker"]
    assert names(app, "  VRIES ") == ["Vries"]
    assert names(app, "akker") == []  # a prefix search: the middle of a name does not match
    assert names(app, "5912 cd") == ["Vries"]
    assert names(app, "59") == ["Bakker", "Dijk", "Jansen", "Smit", "Vries"]
    assert names(app, "vn-2026-000004") == ["Dijk"]
    assert names(app, "4") == ["Dijk"]  # a number alone is a case number
    assert names(app, "%") == [] and names(app, "_akker") == []  # LIKE wildcards are plain characters


def test_the_scope_is_the_team_of_the_task_rows(app: Flask) -> None:
    engine = vangnet_of(app).engine
    other_team = Scope("casemanager-maas", ("coordinator", "casemanager"), "maas")
    assert names(app, "", other_team) == []
    with engine.transaction() as s:
        case_id = s.scalar(select(Case.id).where(Case.family_name == "Smit"))
        s.execute(HumanTask.__table__.update().where(HumanTask.case_id == case_id).values(team="maas"))
    assert names(app, "", other_team) == ["Smit"]
    assert "Smit" not in names(app, "")


def test_counts_of_the_tabs(app: Flask) -> None:
    engine = vangnet_of(app).engine
    with engine.database.reading() as s:
        task_id = s.scalar(select(HumanTask.id).join(Case).where(Case.family_name == "Jansen"))
    assert task_id is not None
    engine.run(lambda s: engine.claim(s, task_id, "coordinator"))
    with engine.database.reading() as s:
        mine = inbox(s, COORDINATOR, InboxFilter(view="mijn"), engine.now())
        team = inbox(s, COORDINATOR, InboxFilter(view="team", priority="P1"), engine.now())
    assert (mine.mine, mine.team, mine.total, [r.family_name for r in mine.rows]) == (1, 5, 1, ["Jansen"])
    assert (team.mine, team.team, team.total) == (1, 5, 2)


def test_statistics_for_the_planner_are_refreshed(app: Flask) -> None:
    database = vangnet_of(app).database
    database.refresh_statistics()
    if not database.is_sqlite:
        return  # PostgreSQL: autovacuum keeps the statistics; the call must simply not fail
    with database.engine.connect() as conn:
        analysed = set(conn.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())
    assert {"human_task", "case"} <= analysed
