"""What the workbench lists: every process with its versions, who deployed them, and the cases on each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import OPEN_STATUSES, Case, ProcessVersion
from .drafts import DraftInfo, find_draft

if TYPE_CHECKING:
    from ..service import Engine


@dataclass(frozen=True)
class VersionInfo:
    id: int
    number: int
    content_hash: str
    deployed_at: datetime
    deployed_by: str
    note: str
    open_cases: int
    all_cases: int


@dataclass(frozen=True)
class ProcessInfo:
    process_id: str
    name: str
    latest: VersionInfo
    version_count: int
    open_cases: int
    draft: DraftInfo | None


def versions(session: Session, process_id: str) -> list[VersionInfo]:
    """The process's versions, newest first, with their open and total case counts."""
    open_count = func.count(Case.id).filter(Case.status.in_(OPEN_STATUSES))
    query = (
        select(ProcessVersion, open_count, func.count(Case.id))
        .outerjoin(Case, Case.process_version_id == ProcessVersion.id)
        .where(ProcessVersion.process_id == process_id)
        .group_by(ProcessVersion.id)
        .order_by(ProcessVersion.number.desc())
    )
    found = [_version_info(v, int(o), int(a)) for v, o, a in session.execute(query).all()]
    if not found:
        raise NotFound(f"Proces {process_id} bestaat niet.")
    return found


def processes(engine: Engine, session: Session) -> list[ProcessInfo]:
    ids = session.scalars(select(ProcessVersion.process_id).distinct().order_by(ProcessVersion.process_id))
    return [process(engine, session, process_id) for process_id in list(ids)]


def process(engine: Engine, session: Session, process_id: str) -> ProcessInfo:
    found = versions(session, process_id)
    latest = found[0]
    return ProcessInfo(
        process_id=process_id,
        name=process_name(engine, session, latest.id),
        latest=latest,
        version_count=len(found),
        open_cases=sum(v.open_cases for v in found),
        draft=find_draft(session, process_id),
    )


def process_name(engine: Engine, session: Session, version_id: int) -> str:
    """The main process's name as the diagram gives it (from the parsed-spec cache)."""
    version = session.get(ProcessVersion, version_id)
    if version is None:
        raise NotFound(f"Versie {version_id} bestaat niet.")
    spec = engine.specs.get(version).spec
    return str(getattr(spec, "description", None) or version.process_id)


def version_files(session: Session, process_id: str, number: int) -> dict[str, str]:
    query = select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.number == number)
    version = session.scalar(query)
    if version is None:
        raise NotFound(f"Proces {process_id} heeft geen versie {number}.")
    return dict(version.files)


def _version_info(version: ProcessVersion, open_cases: int, all_cases: int) -> VersionInfo:
    return VersionInfo(
        id=version.id,
        number=version.number,
        content_hash=version.content_hash,
        deployed_at=version.deployed_at,
        deployed_by=version.deployed_by,
        note=version.note,
        open_cases=open_cases,
        all_cases=all_cases,
    )
