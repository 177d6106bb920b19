"""Checking and deploying a draft: problems carry their element, nothing invalid or stale is deployed, running
cases stay on their version, and a deploy is an audit event."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import BundleInvalid, Conflict, DataInvalid, InvalidState
from engine.models import CaseEvent, ProcessVersion
from engine.service import Engine
from engine.workbench import (
    check_draft,
    deploy_draft,
    draft_files,
    find_draft,
    open_draft,
    processes,
    save_file,
    versions,
)

from ..helpers import case, start_aanvraag

ACTOR = "procesbeheerder"


def edit(engine: Engine, old: str, new: str, revision: int = 1) -> int:
    """Open the draft and replace ``old`` by ``new`` in aanvraag.bpmn; the new revision."""
    engine.run(lambda s: open_draft(s, "aanvraag", ACTOR, engine.now()))
    with engine.database.reading() as s:
        text = draft_files(s, "aanvraag")[0]["aanvraag.bpmn"]
    assert old in text
    changed = text.replace(old, new)
    saved = engine.run(lambda s: save_file(s, "aanvraag", "aanvraag.bpmn", changed, revision, ACTOR, engine.now()))
    return saved.revision


def check(engine: Engine) -> list[str]:
    with engine.database.reading() as s:
        problems, _revision = check_draft(engine, s, "aanvraag")
    return [f"{p.file}:{p.element_id}" for p in problems]


def test_a_broken_condition_is_reported_on_its_flow_and_not_deployed(wb_engine: Engine) -> None:
    revision = edit(wb_engine, "akkoord == True", "akkoord ===")
    assert check(wb_engine) == ["aanvraag.bpmn:f_ja"]
    with pytest.raises(BundleInvalid) as refused:
        wb_engine.run(lambda s: deploy_draft(wb_engine, s, "aanvraag", revision, "kapot", ACTOR))
    assert refused.value.problems[0].element_id == "f_ja"
    assert refused.value.problems[0].line
    with wb_engine.database.reading() as s:
        assert [v.number for v in versions(s, "aanvraag")] == [1]
        assert find_draft(s, "aanvraag") is not None  # the draft is kept for repair


def test_a_deployed_draft_is_the_next_version_and_running_cases_stay(wb_engine: Engine) -> None:
    running = start_aanvraag(wb_engine, "A-1")
    revision = edit(wb_engine, 'name="Aanvraag beoordelen"', 'name="Aanvraag grondig beoordelen"')
    assert check(wb_engine) == []
    result = wb_engine.run(lambda s: deploy_draft(wb_engine, s, "aanvraag", revision, "Taaknaam verduidelijkt", ACTOR))
    assert (result.number, result.created) == (2, True)
    with wb_engine.database.reading() as s:
        listed = versions(s, "aanvraag")
        assert find_draft(s, "aanvraag") is None
        event = s.scalars(select(CaseEvent).where(CaseEvent.action == "version_deployed")).all()[-1]
    assert [(v.number, v.open_cases, v.deployed_by, v.note) for v in listed] == [
        (2, 0, ACTOR, "Taaknaam verduidelijkt"),
        (1, 1, "tester", ""),
    ]
    assert (event.actor, event.details["version"], event.details["note"]) == (ACTOR, 2, "Taaknaam verduidelijkt")
    assert case(wb_engine, running).version.number == 1
    new = start_aanvraag(wb_engine, "A-2")
    assert case(wb_engine, new).version.number == 2


def test_a_deploy_needs_a_note_and_the_current_revision(wb_engine: Engine) -> None:
    revision = edit(wb_engine, 'name="Aanvraag beoordelen"', 'name="Beoordelen"')
    with pytest.raises(DataInvalid) as no_note:
        wb_engine.run(lambda s: deploy_draft(wb_engine, s, "aanvraag", revision, "  ", ACTOR))
    assert no_note.value.errors[0].path == "note"
    with pytest.raises(Conflict):
        wb_engine.run(lambda s: deploy_draft(wb_engine, s, "aanvraag", revision - 1, "oud", ACTOR))
    with wb_engine.database.reading() as s:
        assert s.scalar(select(ProcessVersion.number).order_by(ProcessVersion.number.desc())) == 1


def test_an_unchanged_draft_is_not_a_new_version(wb_engine: Engine) -> None:
    wb_engine.run(lambda s: open_draft(s, "aanvraag", ACTOR, wb_engine.now()))
    with pytest.raises(InvalidState, match="gelijk aan versie 1"):
        wb_engine.run(lambda s: deploy_draft(wb_engine, s, "aanvraag", 1, "niets", ACTOR))


def test_the_main_process_keeps_its_id(wb_engine: Engine) -> None:
    revision = edit(wb_engine, 'process id="aanvraag"', 'process id="iets_anders"')
    assert check(wb_engine) == ["aanvraag.bpmn:iets_anders"]
    with pytest.raises(BundleInvalid):
        wb_engine.run(lambda s: deploy_draft(wb_engine, s, "aanvraag", revision, "hernoemd", ACTOR))
    with wb_engine.database.reading() as s:
        assert s.scalars(select(ProcessVersion.process_id)).all() == ["aanvraag"]


def test_the_process_list(wb_engine: Engine) -> None:
    start_aanvraag(wb_engine, "A-1")
    wb_engine.run(lambda s: open_draft(s, "aanvraag", ACTOR, wb_engine.now()))
    with wb_engine.database.reading() as s:
        [listed] = processes(wb_engine, s)
    assert (listed.process_id, listed.name, listed.latest.number, listed.open_cases) == (
        "aanvraag",
        "Aanvraag (test)",
        1,
        1,
    )
    assert listed.draft is not None and listed.draft.revision == 1
