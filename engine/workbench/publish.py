"""Checking a draft with the engine's deploy checks, and deploying it as a new version with a change note.

Deploy runs every check again (``engine.bundles.deploy`` parses the bundle whole), so nothing invalid is ever
stored, whatever the page showed before. The draft is gone once its content is a version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..bundle_files import BundleFiles
from ..bundles import DeployResult, deploy
from ..errors import BundleInvalid, DataInvalid, FieldError, InvalidState, Problem
from ..models import ProcessVersion
from ..validation import parse_bundle
from .drafts import check_revision, draft_files, lock_draft
from .models import ProcessDraft

if TYPE_CHECKING:
    from ..service import Engine

MAX_NOTE = 2000


def check_draft(engine: Engine, session: Session, process_id: str) -> tuple[list[Problem], int]:
    """Every problem the deploy checks find in the draft (none: it can be deployed), and the revision checked."""
    files, revision = draft_files(session, process_id)
    return check_files(engine, process_id, files), revision


def check_files(engine: Engine, process_id: str, files: dict[str, str]) -> list[Problem]:
    try:
        parsed = parse_bundle(BundleFiles(files), engine.compile_check)
    except BundleInvalid as invalid:
        return list(invalid.problems)
    if parsed.process_id != process_id:
        return [_renamed(BundleFiles(files), parsed.process_id, process_id)]
    return []


def _renamed(bundle: BundleFiles, found: str, expected: str) -> Problem:
    main = next((n for n, t in bundle.bpmn.items() if f'id="{found}"' in t), "")
    msg = f"Het hoofdproces heet nu {found!r}; het concept van {expected!r} moet zo blijven heten."
    return Problem(main, msg, element_id=found)


def deploy_draft(
    engine: Engine, session: Session, process_id: str, revision: int, note: str, actor: str
) -> DeployResult:
    """Deploy the draft at ``revision`` as the process's next version; the draft is removed."""
    note = note.strip()
    if not note:
        raise DataInvalid([FieldError("note", "Beschrijf kort wat er verandert.", "required")])
    if len(note) > MAX_NOTE:
        raise DataInvalid([FieldError("note", f"Gebruik hoogstens {MAX_NOTE} tekens.", "maxLength")])
    draft = lock_draft(session, process_id)
    if draft is None:
        raise InvalidState(f"Proces {process_id} heeft geen concept om uit te rollen.")
    check_revision(draft, revision)
    bundle = BundleFiles(draft_files(session, process_id)[0])
    _refuse_known_content(session, bundle)
    result = deploy(session, bundle, engine.compile_check, engine.specs, actor, engine.now(), note)
    if result.process_id != process_id:  # raised before commit: the caller's transaction rolls the version back
        raise BundleInvalid([_renamed(bundle, result.process_id, process_id)])
    _remove(session, draft)
    return result


def _refuse_known_content(session: Session, bundle: BundleFiles) -> None:
    known = session.scalar(select(ProcessVersion).where(ProcessVersion.content_hash == bundle.content_hash))
    if known is not None:
        raise InvalidState(f"Dit concept is gelijk aan versie {known.number}: er is niets nieuws om uit te rollen.")


def _remove(session: Session, draft: ProcessDraft) -> None:
    session.delete(draft)
    session.flush()
