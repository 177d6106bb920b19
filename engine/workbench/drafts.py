"""Drafts: the shared working copy of a process's next version, saved file by file with a revision check.

A process has at most one draft, started from its latest version. Every save names the revision it was based
on; a stale save is refused with a :class:`~engine.errors.Conflict` and changes nothing, so two process owners
never silently overwrite each other. Functions take a session and never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..bundle_files import SAFE_NAME
from ..bundles import latest_of_process
from ..errors import BundleInvalid, Conflict, NotFound, Problem
from ..models import ProcessVersion
from .models import ProcessDraft, ProcessDraftFile

FILE_SUFFIXES = (".bpmn", ".dmn", ".json")
MAX_FILE_CHARS = 2_000_000


@dataclass(frozen=True)
class DraftInfo:
    process_id: str
    revision: int
    base_version: int
    file_names: list[str]
    created_by: str
    updated_at: datetime
    updated_by: str


def find_draft(session: Session, process_id: str) -> DraftInfo | None:
    draft = session.scalar(select(ProcessDraft).where(ProcessDraft.process_id == process_id))
    return _info(session, draft) if draft is not None else None


def open_draft(session: Session, process_id: str, actor: str, now: datetime) -> DraftInfo:
    """The process's draft; a new one from its latest version when there is none."""
    draft = lock_draft(session, process_id)
    if draft is None:
        draft = _create(session, process_id, actor, now)
    return _info(session, draft)


def draft_files(session: Session, process_id: str) -> tuple[dict[str, str], int]:
    """Every file of the draft, and the revision they belong to."""
    draft = _required(session, process_id)
    rows = session.execute(
        select(ProcessDraftFile.name, ProcessDraftFile.text).where(ProcessDraftFile.draft_id == draft.id)
    )
    return {name: text for name, text in sorted(rows.all())}, draft.revision


def save_file(
    session: Session, process_id: str, name: str, text: str, revision: int, actor: str, now: datetime
) -> DraftInfo:
    """Store one file of the draft, if the draft is still at ``revision``; the revision then grows by one."""
    return put_files(session, process_id, {name: text}, revision, actor, now)


def put_files(
    session: Session, process_id: str, files: Mapping[str, str], revision: int | None, actor: str, now: datetime
) -> DraftInfo:
    """Add or replace files (an upload). ``revision`` None means: the caller saw no draft, so start one."""
    check_names(files)
    draft = lock_draft(session, process_id)
    if draft is None and revision is None:
        draft = _create(session, process_id, actor, now)
    elif draft is None:
        raise Conflict(
            "Het concept bestaat niet meer: het is intussen uitgerold of weggegooid. Open een nieuw concept."
        )
    else:
        check_revision(draft, revision)
    if _write(draft, files, actor, now):
        draft.revision += 1
        draft.updated_at, draft.updated_by = now, actor
    session.flush()
    return _info(session, draft)


def _write(draft: ProcessDraft, files: Mapping[str, str], actor: str, now: datetime) -> bool:
    """Write the files that differ; whether any did."""
    by_name = {f.name: f for f in draft.files}
    changed = False
    for name, text in files.items():
        row = by_name.get(name)
        if row is not None and row.text == text:
            continue
        if row is None:
            row = ProcessDraftFile(name=name)
            draft.files.append(row)
        row.text, row.updated_at, row.updated_by = text, now, actor
        changed = True
    return changed


def discard(session: Session, process_id: str, revision: int) -> None:
    draft = lock_draft(session, process_id)
    if draft is None:
        raise NotFound(f"Proces {process_id} heeft geen concept.")
    check_revision(draft, revision)
    session.delete(draft)
    session.flush()


def check_names(files: Mapping[str, str]) -> None:
    problems = []
    for name, text in files.items():
        if not SAFE_NAME.match(name) or not name.endswith(FILE_SUFFIXES):
            msg = "Ongeldige bestandsnaam: alleen letters, cijfers, '.', '_' en '-', eindigend op .bpmn, .dmn of .json."
            problems.append(Problem(name, msg))
        elif len(text) > MAX_FILE_CHARS:
            problems.append(Problem(name, f"Het bestand is te groot (meer dan {MAX_FILE_CHARS} tekens)."))
    if problems:
        raise BundleInvalid(problems)


def check_revision(draft: ProcessDraft, revision: int | None) -> None:
    if revision != draft.revision:
        raise Conflict(
            f"{draft.updated_by} heeft het concept intussen opgeslagen (revisie {draft.revision}; u werkte op "
            f"revisie {revision}). Uw wijziging is niet opgeslagen en niets is overschreven.",
            revision=draft.revision,
            updated_by=draft.updated_by,
            updated_at=draft.updated_at.isoformat(),
        )


def lock_draft(session: Session, process_id: str) -> ProcessDraft | None:
    query = select(ProcessDraft).where(ProcessDraft.process_id == process_id)
    return session.scalar(query.with_for_update().execution_options(populate_existing=True))


def _required(session: Session, process_id: str) -> ProcessDraft:
    draft = session.scalar(select(ProcessDraft).where(ProcessDraft.process_id == process_id))
    if draft is None:
        raise NotFound(f"Proces {process_id} heeft geen concept.")
    return draft


def _create(session: Session, process_id: str, actor: str, now: datetime) -> ProcessDraft:
    latest = latest_of_process(session, process_id)
    if latest is None:
        raise NotFound(f"Proces {process_id} is niet uitgerold.")
    draft = ProcessDraft(
        process_id=process_id,
        base_version_id=latest.id,
        revision=1,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
    )
    session.add(draft)
    draft.files = [
        ProcessDraftFile(name=name, text=text, updated_at=now, updated_by=actor)
        for name, text in sorted(latest.files.items())
    ]
    session.flush()
    return draft


def _info(session: Session, draft: ProcessDraft) -> DraftInfo:
    base = session.get(ProcessVersion, draft.base_version_id)
    return DraftInfo(
        process_id=draft.process_id,
        revision=draft.revision,
        base_version=base.number if base is not None else 0,
        file_names=[f.name for f in draft.files],
        created_by=draft.created_by,
        updated_at=draft.updated_at,
        updated_by=draft.updated_by,
    )
