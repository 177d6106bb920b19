"""The background sweep (engine.worker): due timers fire and outbox e-mail is delivered, with retries and back-off.

Real things only: the database of the backend under test, a real SMTP server on 127.0.0.1 (aiosmtpd), a real
``vangnet worker`` process stopped with SIGTERM. Business time moves through the manual clock; the sweep itself
runs on wall-clock intervals, so the tests poll the database with a deadline instead of sleeping a fixed time.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import Message as EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy.orm import Session

from engine import worker
from engine.clock import ManualClock
from engine.db import Database
from engine.models import Outbox, Team, User
from engine.outbox import SmtpTransport
from engine.service import Engine
from engine.settings import Settings

from .conftest import HERE, START
from .helpers import deploy, events, start_aanvraag

PROJECT = HERE.parent
REMINDER_DUE = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)  # the first timer of an 'aanvraag' case started at START
INTERVAL = 0.05
DEADLINE = 20.0  # seconds: generous for a loaded CI machine, yet nothing can hang


def poll(condition: Callable[[], object], timeout: float = DEADLINE) -> bool:
    """Whether ``condition`` became true within ``timeout`` seconds (checked every 20 ms)."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def wait_until(condition: Callable[[], object], timeout: float = DEADLINE) -> None:
    if not poll(condition, timeout):
        pytest.fail(f"condition not met within {timeout} s")


@pytest.fixture
def sweeping_engine(database: Database, clock: ManualClock, tmp_path: Path) -> Engine:
    settings = Settings(database_url=database.url, environment="test", instance_path=tmp_path)
    return Engine(settings, database, clock)


@pytest.fixture
def background(sweeping_engine: Engine) -> Iterator[Callable[[], None]]:
    started = []

    def start() -> None:
        started.append(worker.start_background(sweeping_engine, INTERVAL))

    yield start
    for scheduler in started:
        scheduler.shutdown(wait=True)


def test_the_background_sweep_fires_a_due_timer(
    sweeping_engine: Engine, clock: ManualClock, background: Callable[[], None]
) -> None:
    deploy(sweeping_engine, "aanvraag")
    case_id = start_aanvraag(sweeping_engine)
    background()
    clock.set(REMINDER_DUE + timedelta(minutes=1))
    wait_until(lambda: "timers_fired" in events(sweeping_engine, case_id))
    assert events(sweeping_engine, case_id).count("timers_fired") == 1


# --- e-mail through a real SMTP server ----------------------------------------------------------------------


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[EmailMessage] = []

    def handle_message(self, message: EmailMessage) -> None:
        self.received.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port: int) -> Iterator[Callable[[], Inbox]]:
    controllers: list[Controller] = []

    def start() -> Inbox:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def add_notification(engine: Engine, now: datetime) -> int:
    message = Outbox(
        channel="notificatie",
        name="intern_escalatie",
        recipient="coordinator@venlo.example",
        payload={"onderwerp": "Escalatie VN-2026-000001", "tekst": "Termijn verlopen: eerste contact."},
        state="pending",
        next_attempt_at=now,
        created_at=now,
    )
    return engine.run(lambda session: _add(session, message))


def _add(session: Session, message: Outbox) -> int:
    session.add(message)
    session.flush()
    return message.id


def stored(engine: Engine, message_id: int) -> Outbox:
    with engine.database.reading() as session:
        row = session.get(Outbox, message_id)
        assert row is not None
        session.expunge(row)
        return row


def test_an_email_is_delivered_through_smtp(
    sweeping_engine: Engine,
    smtp_port: int,
    smtp_server: Callable[[], Inbox],
    background: Callable[[], None],
) -> None:
    inbox = smtp_server()
    sweeping_engine.transports = {"notificatie": SmtpTransport("127.0.0.1", smtp_port, "vangnet@venlo.example")}
    message_id = add_notification(sweeping_engine, START)
    background()
    wait_until(lambda: stored(sweeping_engine, message_id).state == "sent")
    sent = stored(sweeping_engine, message_id)
    assert (sent.attempts, sent.sent_at, sent.last_error) == (1, START, None)
    assert len(inbox.received) == 1
    mail = inbox.received[0]
    assert (mail["To"], mail["Subject"]) == ("coordinator@venlo.example", "Escalatie VN-2026-000001")
    assert "Termijn verlopen" in mail.get_payload()


def test_an_email_is_retried_with_backoff_while_the_smtp_server_is_down(
    sweeping_engine: Engine,
    clock: ManualClock,
    smtp_port: int,
    smtp_server: Callable[[], Inbox],
    background: Callable[[], None],
) -> None:
    sweeping_engine.transports = {"notificatie": SmtpTransport("127.0.0.1", smtp_port, "vangnet@venlo.example")}
    message_id = add_notification(sweeping_engine, START)
    background()
    wait_until(lambda: stored(sweeping_engine, message_id).attempts == 1)
    failed_once = stored(sweeping_engine, message_id)
    assert failed_once.state == "pending"
    assert failed_once.next_attempt_at == START + timedelta(seconds=1)
    assert f"127.0.0.1:{smtp_port}" in (failed_once.last_error or "")
    # Not due again until the back-off has passed: a sweep now tries nothing.
    assert sweeping_engine.deliver_outbox().retried == []

    inbox = smtp_server()
    clock.advance(timedelta(seconds=2))
    wait_until(lambda: stored(sweeping_engine, message_id).state == "sent")
    delivered = stored(sweeping_engine, message_id)
    assert (delivered.attempts, delivered.last_error) == (2, None)
    assert len(inbox.received) == 1


class BrokenOnce:
    """A transport with a bug that shows once (not a DeliveryFailed): the tick fails, the next one delivers."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, message: Outbox) -> None:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("transport bug")


def test_a_failing_tick_is_logged_and_the_sweep_goes_on(
    sweeping_engine: Engine, background: Callable[[], None], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="engine.worker")
    transport = BrokenOnce()
    sweeping_engine.transports = {"notificatie": transport}
    message_id = add_notification(sweeping_engine, START)
    background()
    wait_until(lambda: stored(sweeping_engine, message_id).state == "sent")
    assert transport.calls == 2
    assert stored(sweeping_engine, message_id).attempts == 1  # the failed tick was rolled back whole
    assert any(r.message == "Outbox delivery failed" and r.exc_info for r in caplog.records)


# --- the `vangnet worker` process -----------------------------------------------------------------------------


def test_vangnet_worker_fires_timers_and_stops_cleanly_on_sigterm(
    sweeping_engine: Engine, database: Database, tmp_path: Path
) -> None:
    deploy(sweeping_engine, "aanvraag")
    case_id = start_aanvraag(sweeping_engine)
    env = {
        **os.environ,
        "VANGNET_DATABASE_URL": database.url,
        "VANGNET_ENV": "test",
        "VANGNET_NOW": (REMINDER_DUE + timedelta(minutes=1)).isoformat(),
        "VANGNET_INSTANCE_PATH": str(tmp_path),
    }
    command = [sys.executable, "-m", "web.cli", "worker"]
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        fired = poll(lambda: "timers_fired" in events(sweeping_engine, case_id) or process.poll() is not None)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert fired and process.returncode == 0, stderr
    assert "Worker stopped" in stderr
    assert events(sweeping_engine, case_id).count("timers_fired") == 1


def test_an_escalation_reaches_the_coordinators_of_the_case_team_by_email(
    settings: Settings, database: Database, clock: ManualClock, smtp_port: int, smtp_server: Callable[[], Inbox]
) -> None:
    inbox = smtp_server()
    engine = Engine(replace(settings, smtp_host="127.0.0.1", smtp_port=smtp_port), database, clock)
    engine.run(lambda s: add_coordinators(s, clock.now()))
    deploy(engine, "aanvraag")
    start_aanvraag(engine)  # team venlo
    clock.set(datetime(2026, 12, 8, 16, 0, 1, tzinfo=UTC))
    engine.run_due_timers()
    assert engine.deliver_outbox().sent != []
    assert [mail["To"] for mail in inbox.received] == ["coord@venlo.example"]
    assert inbox.received[0]["Subject"] == "Termijn verstreken: Aanvraag beoordelen"


def add_coordinators(session: Session, now: datetime) -> None:
    for name, team in (("coord", "venlo"), ("anders", "weert")):
        session.add(Team(key=team, name=team))
        session.add(
            User(
                username=name,
                password_hash="x",
                role="coordinator",
                team=team,
                email=f"{name}@{team}.example",
                created_at=now,
            )
        )
