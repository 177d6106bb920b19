"""Case life-cycle commands: cancel, suspend, resume, record a failure, retry (optionally on a newer version)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .case_work import CaseWork, add_event, close_case, lock_case, require_status
from .errors import CaseScriptError, InvalidState
from .models import ERROR, OPEN_STATUSES, RUNNING, SUSPENDED, Case, ProcessVersion


class LifecycleCommands(CaseWork):
    def cancel(self, session: Session, case_id: int, actor: str, reason: str = "") -> Case:
        case = lock_case(session, case_id)
        if case.status not in OPEN_STATUSES:
            raise InvalidState(f"Zaak {case.reference} is al gesloten.")
        parsed = self.specs.get(case.version)
        now = self.clock.now()
        self._run(session, case, parsed, self.runtime.cancel, now)
        close_case(case, "cancelled", now)
        add_event(session, case, actor, "case_cancelled", now, {"reason": reason})
        return case

    def suspend(self, session: Session, case_id: int, actor: str, reason: str = "") -> Case:
        case = lock_case(session, case_id)
        require_status(case, RUNNING)
        case.status, case.updated_at = SUSPENDED, self.clock.now()
        add_event(session, case, actor, "case_suspended", case.updated_at, {"reason": reason})
        return case

    def resume(self, session: Session, case_id: int, actor: str) -> Case:
        case = lock_case(session, case_id)
        require_status(case, SUSPENDED)
        now = self.clock.now()
        case.status, case.updated_at = RUNNING, now
        add_event(session, case, actor, "case_resumed", now, {})
        self._deliver_queued(session, case, actor, now)
        return case

    def retry(self, session: Session, case_id: int, actor: str, version_id: int | None = None) -> Case:
        """Clear an error and run the case on (after a fixed definition was deployed: on the given version)."""
        case = lock_case(session, case_id)
        require_status(case, ERROR)
        if version_id is not None and version_id != case.process_version_id:
            self._switch_version(session, case, version_id)
        parsed = self.specs.get(case.version)
        now = self.clock.now()
        previous = case.error
        case.status, case.error = RUNNING, None
        self._run(session, case, parsed, self.runtime.fire_timers, now)
        add_event(
            session,
            case,
            actor,
            "case_retried",
            now,
            {"previous_error": previous, "version": case.version.number},
        )
        return case

    def record_failure(self, session: Session, case_id: int, error: CaseScriptError, actor: str) -> None:
        """After a rollback: mark the case as failed (state untouched) so an operator can fix and retry."""
        case = lock_case(session, case_id)
        now = self.clock.now()
        failure = error.failure
        case.status, case.updated_at = ERROR, now
        case.error = {
            "element_id": failure.element_id,
            "element_name": failure.element_name,
            "message": failure.message,
            "line": failure.line,
            "error_line": failure.error_line,
            "trace": failure.trace,
            "at": now.isoformat(),
        }
        add_event(session, case, actor, "case_failed", now, case.error)

    def _switch_version(self, session: Session, case: Case, version_id: int) -> None:
        target = session.get(ProcessVersion, version_id)
        if target is None or target.process_id != case.version.process_id:
            raise InvalidState("Die versie hoort niet bij het proces van deze zaak.")
        parsed = self.specs.get(target)
        names = self.runtime.serializer.task_spec_names(case.state)
        known = set(parsed.spec.task_specs) | {n for s in parsed.subprocess_specs.values() if s for n in s.task_specs}
        missing = sorted(names - known)
        if missing:
            raise InvalidState(
                f"De zaak kan niet naar versie {target.number}: onderdelen ontbreken ({', '.join(missing)})."
            )
        case.process_version_id, case.version = target.id, target
