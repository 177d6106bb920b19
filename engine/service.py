"""The engine object: given its settings, database and clock, it offers the use cases ``web`` and the CLI call.

It owns the parts SpiffWorkflow is given (the sandboxed script engine, the spec-less serializer, the clock) and
wraps each command in one transaction. A script failure rolls the command back whole and then, in a transaction
of its own, marks the case as failed with the element id, line and message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from . import bundles, outbox, tasks, timers
from .bundle_files import BundleFiles, read_bundle
from .calendar import BusinessCalendar, script_helpers
from .cases import CaseCommands, MessageResult, StartResult
from .clock import Clock, install_spiff_clock
from .db import Database
from .errors import CaseScriptError, Conflict, SandboxViolation
from .models import Case, HumanTask
from .regions import parse_areas, script_helper
from .runtime import Runtime
from .sandbox import Sandbox, SandboxedScriptEngine
from .serialization import StateSerializer
from .settings import Settings
from .validation import ParsedBundle, parse_bundle
from .webhooks import SupplierTransport

T = TypeVar("T")
SYSTEM = "systeem"


class Engine:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        clock: Clock | None = None,
        calendar: BusinessCalendar | None = None,
    ) -> None:
        install_spiff_clock()
        self.settings = settings
        self.database = database
        self.clock = clock or settings.make_clock()
        self.calendar = calendar or BusinessCalendar(settings.extra_closed_days)
        year = self.clock.now().year
        self.calendar.prepare(range(year - 1, year + 3))  # not inside a time-limited script (see calendar)
        self.sandbox = Sandbox(self._script_names(), time_limit=settings.script_time_limit_seconds)
        self.script_engine = SandboxedScriptEngine(self.sandbox)
        self.specs = bundles.SpecCache()
        self.runtime = Runtime(self.script_engine, StateSerializer(), self.clock, settings.live_cache_size)
        self.cases = CaseCommands(self.runtime, self.specs, self.clock)
        # Supplier messages: published in the supplier's feed, pushed to its webhook when it has one.
        self.transports: dict[str, outbox.Transport] = {"leverancier": SupplierTransport(self.now)}
        if settings.smtp_host:
            self.transports["notificatie"] = outbox.SmtpTransport(
                settings.smtp_host, settings.smtp_port, settings.mail_from
            )

    def _script_names(self) -> dict[str, Any]:
        helpers = script_helpers(self.calendar, today=lambda: self.now().date(), now=self.now)
        areas = script_helper(parse_areas(self.settings.pilot_areas))
        return {"Decimal": Decimal, "date": date, "datetime": datetime, "timedelta": timedelta, **helpers, **areas}

    def now(self) -> datetime:
        return self.clock.now()

    # --- transactions -------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self, actor: str = SYSTEM) -> Iterator[Session]:
        """One unit of work. A :class:`CaseScriptError` rolls back and is then recorded on its case."""
        try:
            with self.database.transaction() as session:
                yield session
        except StaleDataError as exc:
            raise Conflict("Iemand anders heeft deze zaak net gewijzigd; probeer het opnieuw.") from exc
        except CaseScriptError as exc:
            case_id = exc.details.get("case_id")
            if case_id is not None:
                with self.database.transaction() as session:
                    self.cases.record_failure(session, int(case_id), exc, actor)
            raise

    def run(self, work: Callable[[Session], T], actor: str = SYSTEM) -> T:
        with self.transaction(actor) as session:
            return work(session)

    # --- definitions --------------------------------------------------------------------------------------

    def compile_check(self, source: str, mode: Literal["eval", "exec"]) -> SandboxViolation | None:
        try:
            if mode == "eval":
                self.sandbox.compile_expression(source)
            else:
                self.sandbox.compile_script(source)
        except SandboxViolation as violation:
            return violation
        return None

    def read_bundle(self, folders: Iterable[Path]) -> BundleFiles:
        return read_bundle(folders, self.settings.forms_dir)

    def validate(self, bundle: BundleFiles) -> ParsedBundle:
        return parse_bundle(bundle, self.compile_check)

    def deploy(self, session: Session, bundle: BundleFiles, actor: str, note: str = "") -> bundles.DeployResult:
        return bundles.deploy(session, bundle, self.compile_check, self.specs, actor, self.now(), note)

    # --- cases --------------------------------------------------------------------------------------------

    def start_case(
        self, session: Session, message: str, sender: str, business_key: str, payload: Any, actor: str
    ) -> StartResult:
        return self.cases.start(session, message, sender, business_key, payload, actor)

    def complete_task(self, session: Session, task_id: str, data: dict[str, Any], actor: str) -> Case:
        return self.cases.complete_task(session, task_id, data, actor)

    def deliver_message(
        self,
        session: Session,
        name: str,
        sender: str,
        message_key: str,
        payload: Any,
        actor: str,
        case_reference: str | None = None,
        business_key: str | None = None,
    ) -> MessageResult:
        return self.cases.deliver_message(
            session, name, sender, message_key, payload, actor, case_reference, business_key
        )

    def claim(self, session: Session, task_id: str, user: str) -> HumanTask:
        return tasks.claim(session, task_id, user, self.now())

    def unclaim(self, session: Session, task_id: str, user: str) -> HumanTask:
        return tasks.unclaim(session, task_id, user, self.now())

    def assign(
        self,
        session: Session,
        task_id: str,
        assignee: str | None,
        actor: str,
        expected: str | tasks._Anyone | None = tasks.ANYONE,
    ) -> HumanTask:
        return tasks.assign(session, task_id, assignee, actor, self.now(), expected)

    def save_draft(self, session: Session, task_id: str, data: Any, actor: str) -> HumanTask:
        return tasks.save_draft(session, task_id, data, actor, self.now())

    # --- background work ----------------------------------------------------------------------------------

    def run_due_timers(self, limit: int = 1000) -> timers.SweepResult:
        return timers.sweep(self.run, self.cases.fire_timers, self.now, limit)

    def deliver_outbox(self, transports: Mapping[str, outbox.Transport] | None = None) -> outbox.DeliveryResult:
        chosen = self.transports if transports is None else transports
        return outbox.deliver_due(self.run, chosen, self.now, self.settings.outbox_max_attempts)
