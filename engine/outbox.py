"""Outbound delivery from the outbox, with retries and exponential back-off; a failing channel loses nothing.

A *transport* delivers one message of one channel and raises :class:`DeliveryFailed` when it could not. Rows
stay in the table: ``pending`` until delivered (``sent``) or out of attempts (``failed``, for an operator).
Channels without a transport (e.g. the supplier feed, which suppliers read themselves) are left pending.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import partial
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from .accounts import notification_addresses
from .models import Outbox

MAX_BACKOFF = timedelta(hours=1)


class DeliveryFailed(Exception):
    """A transport could not deliver a message (it will be retried)."""


class Transport(Protocol):
    def __call__(self, message: Outbox) -> None: ...


@dataclass
class DeliveryResult:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s … capped at an hour."""
    return min(timedelta(seconds=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim_due_message(session: Session, channels: list[str], now: datetime, skip: set[int]) -> Outbox | None:
    query = (
        select(Outbox)
        .where(Outbox.state == "pending", Outbox.channel.in_(channels), Outbox.next_attempt_at <= now)
        .order_by(Outbox.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if skip:
        query = query.where(Outbox.id.not_in(skip))
    return session.scalars(query).first()


def deliver_one(message: Outbox, transport: Transport, now: datetime, max_attempts: int) -> str:
    """Try once; update the row; return 'sent', 'retried' or 'failed'."""
    message.attempts += 1
    try:
        transport(message)
    except DeliveryFailed as exc:
        message.last_error = str(exc)[:2000]
        if message.attempts >= max_attempts:
            message.state = "failed"
            return "failed"
        message.next_attempt_at = now + backoff(message.attempts)
        return "retried"
    message.state, message.sent_at, message.last_error = "sent", now, None
    return "sent"


def deliver_due(
    run_in_transaction: Callable[[Callable[[Session], str | None]], str | None],
    transports: Mapping[str, Transport],
    now: Callable[[], datetime],
    max_attempts: int,
    limit: int = 500,
) -> DeliveryResult:
    """Deliver due outbox rows of the channels that have a transport, one row per transaction."""
    result = DeliveryResult()
    seen: set[int] = set()
    while transports and len(seen) < limit:
        ids: list[int] = []
        attempt = partial(_deliver_next, transports=transports, now=now, max_attempts=max_attempts, seen=seen, ids=ids)
        outcome = run_in_transaction(attempt)
        if outcome is None:
            break
        getattr(result, outcome).append(ids[0])
    return result


def _deliver_next(
    session: Session,
    transports: Mapping[str, Transport],
    now: Callable[[], datetime],
    max_attempts: int,
    seen: set[int],
    ids: list[int],
) -> str | None:
    message = claim_due_message(session, sorted(transports), now(), seen)
    if message is None:
        return None
    ids.append(message.id)
    seen.add(message.id)
    return deliver_one(message, transports[message.channel], now(), max_attempts)


@dataclass(frozen=True)
class SmtpTransport:
    """E-mail notifications through an SMTP server."""

    host: str
    port: int
    sender: str
    timeout: float = 10.0

    def __call__(self, message: Outbox) -> None:
        addresses = self._addresses(message)
        if not addresses:
            raise DeliveryFailed(f"Geen e-mailadres bekend voor {message.recipient!r}.")
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = ", ".join(addresses)
        mail["Subject"] = str(message.payload.get("onderwerp", message.name))
        mail.set_content(str(message.payload.get("tekst", "")))
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"SMTP {self.host}:{self.port}: {exc}") from exc

    @staticmethod
    def _addresses(message: Outbox) -> list[str]:
        """An address as is; a role key (``aan`` of an ``intern_`` message) becomes that role's active users,
        limited to the case's team for team roles."""
        recipient = message.recipient or ""
        if "@" in recipient:
            return [recipient]
        session = object_session(message)
        if session is None or not recipient:
            return []
        team = message.case.team if message.case is not None else None
        return notification_addresses(session, recipient, team)
