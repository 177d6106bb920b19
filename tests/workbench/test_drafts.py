"""Drafts: started from the latest version, saved with a revision check; a stale save changes nothing."""

from __future__ import annotations

import pytest

from engine import Conflict, NotFound
from engine.errors import BundleInvalid
from engine.service import Engine
from engine.workbench import draft_files, find_draft, open_draft, put_files, save_file, version_files
from engine.workbench.drafts import discard

ACTOR = "procesbeheerder"


def test_a_draft_starts_from_the_latest_version(wb_engine: Engine) -> None:
    draft = wb_engine.run(lambda s: open_draft(s, "aanvraag", ACTOR, wb_engine.now()))
    assert (draft.revision, draft.base_version, draft.created_by) == (1, 1, ACTOR)
    with wb_engine.database.reading() as s:
        files, revision = draft_files(s, "aanvraag")
        assert files == version_files(s, "aanvraag", 1)
    assert revision == 1
    again = wb_engine.run(lambda s: open_draft(s, "aanvraag", "iemand-anders", wb_engine.now()))
    assert (again.revision, again.created_by) == (1, ACTOR)  # one shared draft per process


def test_an_unknown_process_has_no_draft(wb_engine: Engine) -> None:
    with pytest.raises(NotFound):
        wb_engine.run(lambda s: open_draft(s, "bestaat_niet", ACTOR, wb_engine.now()))


def test_a_save_raises_the_revision(wb_engine: Engine) -> None:
    wb_engine.run(lambda s: open_draft(s, "aanvraag", ACTOR, wb_engine.now()))
    saved = wb_engine.run(lambda s: save_file(s, "aanvraag", "aanvraag.bpmn", "<nieuw/>", 1, "anna", wb_engine.now()))
    assert (saved.revision, saved.updated_by) == (2, "anna")
    unchanged = wb_engine.run(
        lambda s: save_file(s, "aanvraag", "aanvraag.bpmn", "<nieuw/>", 2, "anna", wb_engine.now())
    )
    assert unchanged.revision == 2  # saving the same text again is no new revision
    with wb_engine.database.reading() as s:
        assert draft_files(s, "aanvraag")[0]["aanvraag.bpmn"] == "<nieuw/>"


def test_a_stale_save_is_refused_and_overwrites_nothing(wb_engine: Engine) -> None:
    wb_engine.run(lambda s: open_draft(s, "aanvraag", ACTOR, wb_engine.now()))
    # Anna and Bart both opened revision 1; Anna saves first.
    wb_engine.run(lambda s: save_file(s, "aanvraag", "aanvraag.bpmn", "<anna/>", 1, "anna", wb_engine.now()))
    with pytest.raises(Conflict) as refused:
        wb_engine.run(lambda s: save_file(s, "aanvraag", "aanvraag.bpmn", "<bart/>", 1, "bart", wb_engine.now()))
    assert "anna heeft het concept intussen opgeslagen" in refused.value.message
    assert refused.value.details["revision"] == 2
    with wb_engine.database.reading() as s:
        files, revision = draft_files(s, "aanvraag")
    assert (files["aanvraag.bpmn"], revision) == ("<anna/>", 2)


def test_an_upload_starts_a_draft_or_needs_the_current_revision(wb_engine: Engine) -> None:
    files = {"extra.schema.json": '{"type": "object"}'}
    started = wb_engine.run(lambda s: put_files(s, "aanvraag", files, None, ACTOR, wb_engine.now()))
    assert started.revision == 2 and "extra.schema.json" in started.file_names
    with pytest.raises(Conflict):  # the uploader saw no draft, but there is one now
        wb_engine.run(lambda s: put_files(s, "aanvraag", files, None, ACTOR, wb_engine.now()))


def test_file_names_are_checked(wb_engine: Engine) -> None:
    wb_engine.run(lambda s: open_draft(s, "aanvraag", ACTOR, wb_engine.now()))
    for bad in ("../x.bpmn", "x.exe", ".verborgen.bpmn"):
        with pytest.raises(BundleInvalid):
            wb_engine.run(lambda s, bad=bad: save_file(s, "aanvraag", bad, "<x/>", 1, ACTOR, wb_engine.now()))


def test_a_discarded_draft_is_gone(wb_engine: Engine) -> None:
    wb_engine.run(lambda s: open_draft(s, "aanvraag", ACTOR, wb_engine.now()))
    with pytest.raises(Conflict):
        wb_engine.run(lambda s: discard(s, "aanvraag", 7))
    wb_engine.run(lambda s: discard(s, "aanvraag", 1))
    with wb_engine.database.reading() as s:
        assert find_draft(s, "aanvraag") is None
