"""The tables. Plain typed SQLAlchemy 2.0 models; the schema is created by Alembic migrations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base

JsonDict = dict[str, Any]

# Case statuses (English in code; the UI translates them).
RUNNING, SUSPENDED, ERROR, COMPLETED, CANCELLED = "running", "suspended", "error", "completed", "cancelled"
OPEN_STATUSES = (RUNNING, SUSPENDED, ERROR)


class ProcessVersion(Base):
    """One immutable deployed bundle (BPMN + DMN + forms), keyed by its content hash."""

    __tablename__ = "process_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    files: Mapped[dict[str, str]] = mapped_column(JSON, deferred=True)  # loaded only to parse a version
    start_messages: Mapped[list[str]] = mapped_column(JSON)
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("process_id", "number"),)


class Case(Base):
    __tablename__ = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    sender: Mapped[str] = mapped_column(String(200))
    business_key: Mapped[str] = mapped_column(String(200))
    start_message: Mapped[str] = mapped_column(String(200))
    payload_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default=RUNNING)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    next_timer_at: Mapped[datetime | None]
    error: Mapped[JsonDict | None] = mapped_column(JSON)
    # Projections kept on the row: message names the case waits for, and how many kept messages await it.
    waiting_messages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # BPMN element ids the case has passed, in order of first visit (the diagram marks the path taken).
    path: Mapped[list[str]] = mapped_column(JSON, default=list)
    queued_messages: Mapped[int] = mapped_column(Integer, default=0)
    team: Mapped[str | None] = mapped_column(String(100), index=True)
    planned_end_date: Mapped[date | None]
    priority: Mapped[str | None] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(60))
    phase: Mapped[str | None] = mapped_column(String(40))
    family_name: Mapped[str | None] = mapped_column(String(200), index=True)
    search_name: Mapped[str | None] = mapped_column(String(200), index=True)  # lower case, for prefix search
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    winter: Mapped[bool] = mapped_column(default=False)
    medical: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # Retention (PROCEDURE.md step 12): the process sets ``bewaren_tot``; after it the personal data goes.
    retain_until: Mapped[date | None] = mapped_column(index=True)
    anonymised_at: Mapped[datetime | None]

    version: Mapped[ProcessVersion] = relationship(lazy="joined", innerjoin=True)
    stored: Mapped[CaseState | None] = relationship(lazy="select", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (
        UniqueConstraint("sender", "business_key"),
        Index("ix_case_due_timers", "status", "next_timer_at"),
    )

    @property
    def state(self) -> str:
        """The spec-less workflow state (JSON text), kept in ``case_state``; loaded only when a command needs it."""
        return self.stored.state if self.stored is not None else ""

    @state.setter
    def state(self, value: str) -> None:
        if self.stored is None:
            self.stored = CaseState(state=value)
        else:
            self.stored.state = value


class CaseState(Base):
    """A case's workflow state, apart from the case row: the row stays small, so the inbox, the timer sweep and
    the case lists scan it without reading several kilobytes of workflow per case (in SQLite a large column
    makes every later column of the row cost an overflow-page walk)."""

    __tablename__ = "case_state"

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(Text)


class HumanTask(Base):
    """Projection of a ready user task: inbox queries read this, never a workflow.

    ``team`` is the case's team, copied at every projection, so that the inbox scope (open, lane, team) and its
    counts are answered from one index without touching the case rows. An open task always belongs to an open
    case: closing a case cancels its task rows in the same command.
    """

    __tablename__ = "human_task"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # SpiffWorkflow task id
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    element_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    lane: Mapped[str | None] = mapped_column(String(100), index=True)
    assignee: Mapped[str | None] = mapped_column(String(200), index=True)
    form: Mapped[str | None] = mapped_column(String(200))
    ui_form: Mapped[str | None] = mapped_column(String(200))
    instructions: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)
    draft: Mapped[JsonDict | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    finished_by: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(100))

    case: Mapped[Case] = relationship()

    __table_args__ = (
        Index("ix_human_task_scope", "state", "team", "lane", "assignee"),
        Index("ix_human_task_scope_due", "state", "team", "due_at"),
    )


class CaseEvent(Base):
    """Append-only timeline and audit trail. ``case_id`` is empty for system-wide events (e.g. a deploy)."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    origin: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[JsonDict] = mapped_column(JSON, default=dict)


class MessageIn(Base):
    """Every inbound message, idempotent by (sender, message_key), with what became of it."""

    __tablename__ = "message_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(200))
    message_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    business_key: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[JsonDict] = mapped_column(JSON)
    payload_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), index=True)  # delivered | unmatched | failed
    detail: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]

    case: Mapped[Case | None] = relationship()

    __table_args__ = (UniqueConstraint("sender", "message_key"),)


class Outbox(Base):
    """Outbound messages (to the supplier, e-mail notifications), delivered with retries; never lost."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[JsonDict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default="pending")  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]

    case: Mapped[Case | None] = relationship()

    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)


class Team(Base):
    __tablename__ = "team"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(40))
    team: Mapped[str | None] = mapped_column(ForeignKey("team.key"))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    email: Mapped[str | None] = mapped_column(String(300))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class AccessLog(Base):
    """One line per read or change of personal data: who, what, when, from where, allowed or not. No BSN."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(100))
    result: Mapped[str] = mapped_column(String(20))  # allowed | denied
    origin: Mapped[str] = mapped_column(String(200), default="")
