"""API clients: one per supplier, with a bearer token stored only as its SHA-256 hash, and an optional webhook.

The client's ``key`` is the supplier key: it is the ``sender`` of every case the supplier starts and the
``recipient`` of every outbox row meant for it. A token is shown once, when it is made (``add``/``rotate``); only
its hash is kept, so a leaked database yields no usable token. Tokens carry 256 random bits, so a plain hash (no
salt, no slow KDF) is enough and lets a request find its client with one indexed lookup. Functions take a session
and never commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base
from .errors import Conflict, DataInvalid, FieldError, InvalidState, NotFound

TOKEN_PREFIX = "vn_"
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{1,99}$")


class ApiClient(Base):
    """A supplier's system that may use the notice API."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(12))  # the first characters, to tell tokens apart in logs
    active: Mapped[bool] = mapped_column(default=True)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(100))  # needed in clear text to sign
    created_at: Mapped[datetime]
    rotated_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SupplierNotice(Base):
    """One notice as it arrived (API or by staff), for the exchange metrics: channel, T0, D, repeats."""

    __tablename__ = "supplier_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    supplier: Mapped[str] = mapped_column(String(200))
    notice_key: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20), index=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    planned_end_date: Mapped[str | None] = mapped_column(String(10))  # as sent (ISO date), D at T0
    duplicates: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("supplier", "notice_key"),)


class FeedEntry(Base):
    """An outbox row published in its supplier's feed, at a position that only grows (the feed cursor)."""

    __tablename__ = "supplier_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), unique=True)
    supplier: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("supplier", "position"),)


@dataclass(frozen=True)
class IssuedToken:
    """A new token: shown to the operator once, never stored in clear."""

    key: str
    token: str
    webhook_secret: str | None = None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def add_client(session: Session, key: str, now: datetime, webhook_url: str | None = None) -> IssuedToken:
    _check_key(key)
    if find_client(session, key) is not None:
        raise Conflict(f"API-client {key!r} bestaat al; gebruik rotate voor een nieuw token.", key=key)
    token = new_token()
    client = ApiClient(key=key, active=True, created_at=now)
    _set_token(client, token)
    session.add(client)
    secret = _set_webhook(client, webhook_url) if webhook_url else None
    session.flush()
    return IssuedToken(key, token, secret)


def rotate(session: Session, key: str, now: datetime) -> IssuedToken:
    """A new token replaces the old one at once (the old one stops working)."""
    client = _require_client(session, key)
    if not client.active:
        raise InvalidState(f"API-client {key!r} is ingetrokken; maak een nieuwe client aan.")
    token = new_token()
    _set_token(client, token)
    client.rotated_at = now
    return IssuedToken(key, token)


def revoke(session: Session, key: str, now: datetime) -> ApiClient:
    client = _require_client(session, key)
    client.active, client.revoked_at = False, client.revoked_at or now
    return client


def set_webhook(session: Session, key: str, url: str | None) -> str | None:
    """Set (or with ``None`` remove) the webhook; returns the new signing secret, shown once."""
    client = _require_client(session, key)
    if url is None:
        client.webhook_url = client.webhook_secret = None
        return None
    return _set_webhook(client, url)


def authenticate(session: Session, token: str) -> ApiClient | None:
    """The client that owns ``token`` (active or revoked: the caller tells 401 from 403), or ``None``."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return session.scalar(select(ApiClient).where(ApiClient.token_hash == hash_token(token)))


def find_client(session: Session, key: str) -> ApiClient | None:
    return session.scalar(select(ApiClient).where(ApiClient.key == key))


def _require_client(session: Session, key: str) -> ApiClient:
    client = find_client(session, key)
    if client is None:
        raise NotFound(f"API-client {key!r} bestaat niet.")
    return client


def _set_token(client: ApiClient, token: str) -> None:
    client.token_hash, client.token_hint = hash_token(token), token[:10]


def _set_webhook(client: ApiClient, url: str) -> str:
    _check_webhook_url(url)
    client.webhook_url, client.webhook_secret = url, secrets.token_urlsafe(32)
    return client.webhook_secret


def _check_key(key: str) -> None:
    if not _KEY.match(key):
        message = "Gebruik 2–100 kleine letters, cijfers, '-' of '_', te beginnen met een letter of cijfer."
        raise DataInvalid([FieldError("key", message, "pattern")], f"Ongeldige clientnaam {key!r}.")


def _check_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or len(url) > 500:
        message = "Geef een volledige http(s)-URL (in productie https)."
        raise DataInvalid([FieldError("webhook_url", message, "format")], f"Ongeldige webhook-URL {url!r}.")
