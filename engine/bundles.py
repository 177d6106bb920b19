"""Deploying bundles as immutable versions, and the in-memory cache of parsed specs per version."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .bundle_files import BundleFiles
from .models import CaseEvent, ProcessVersion
from .validation import CompileCheck, ParsedBundle, parse_bundle


@dataclass(frozen=True)
class DeployResult:
    version_id: int
    process_id: str
    number: int
    content_hash: str
    created: bool


class SpecCache:
    """Parsed specs per content hash. Versions are immutable, so entries never go stale."""

    def __init__(self) -> None:
        self._parsed: dict[str, ParsedBundle] = {}
        self._lock = threading.Lock()

    def get(self, version: ProcessVersion) -> ParsedBundle:
        parsed = self._parsed.get(version.content_hash)
        if parsed is None:
            # Stored versions were checked whole at deploy: parse without the XSD and sandbox passes.
            parsed = parse_bundle(BundleFiles(version.files), compile_check=None, xsd=False)
            with self._lock:
                self._parsed.setdefault(version.content_hash, parsed)
        return parsed

    def cached(self, content_hash: str) -> ParsedBundle | None:
        """The parsed version if it is in memory already (no database read needed to find it)."""
        return self._parsed.get(content_hash)

    def put(self, content_hash: str, parsed: ParsedBundle) -> None:
        with self._lock:
            self._parsed.setdefault(content_hash, parsed)


def deploy(
    session: Session,
    bundle: BundleFiles,
    compile_check: CompileCheck,
    cache: SpecCache,
    actor: str,
    now: datetime,
    note: str = "",
) -> DeployResult:
    """Check ``bundle`` whole and store it as a new version, unless the same content is deployed already."""
    parsed = parse_bundle(bundle, compile_check)
    content_hash = bundle.content_hash
    existing = session.scalar(select(ProcessVersion).where(ProcessVersion.content_hash == content_hash))
    if existing is not None:
        return DeployResult(existing.id, existing.process_id, existing.number, content_hash, created=False)
    number = (session.scalar(_max_number(parsed.process_id)) or 0) + 1
    version = ProcessVersion(
        process_id=parsed.process_id,
        number=number,
        content_hash=content_hash,
        files=dict(bundle.files),
        start_messages=parsed.start_messages,
        deployed_at=now,
        deployed_by=actor,
        note=note,
    )
    session.add(version)
    session.flush()
    session.add(_deploy_event(version, actor, now))
    cache.put(content_hash, parsed)
    return DeployResult(version.id, version.process_id, number, content_hash, created=True)


def _max_number(process_id: str):  # type: ignore[no-untyped-def]
    return select(func.max(ProcessVersion.number)).where(ProcessVersion.process_id == process_id)


def _deploy_event(version: ProcessVersion, actor: str, now: datetime) -> CaseEvent:
    details = {
        "process_id": version.process_id,
        "version": version.number,
        "hash": version.content_hash,
        "files": sorted(version.files),
        "note": version.note,
    }
    return CaseEvent(case_id=None, at=now, actor=actor, action="version_deployed", origin="", details=details)


def latest_version(session: Session, start_message: str) -> ProcessVersion | None:
    """The newest version of a process that starts with ``start_message`` (new cases use the latest)."""
    for version in session.scalars(select(ProcessVersion).order_by(ProcessVersion.id.desc())):  # files: deferred
        if start_message in version.start_messages:
            return version
    return None


def latest_of_process(session: Session, process_id: str) -> ProcessVersion | None:
    query = select(ProcessVersion).where(ProcessVersion.process_id == process_id)
    return session.scalar(query.order_by(ProcessVersion.number.desc()).limit(1))
