"""Bearer-token authentication and rate limits of the supplier API.

The rate limit is a fixed window per API client (and, for requests without a valid token, per IP address), kept
in this process's memory: with several web processes each enforces it on its own, so the effective limit is the
per-process limit times the number of processes (set it accordingly, or limit at the reverse proxy).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from flask import request
from sqlalchemy.orm import Session

from engine.suppliers import ApiClient, authenticate


@dataclass
class RateLimiter:
    limit: int
    window: float
    _hits: dict[str, tuple[float, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, key: str) -> float | None:
        """Count one request; ``None`` when allowed, else the seconds until the window resets."""
        now = time.monotonic()
        with self._lock:
            start, used = self._hits.get(key, (now, 0))
            if now - start >= self.window:
                start, used = now, 0
            if used >= self.limit:
                return max(self.window - (now - start), 0.0)
            self._hits[key] = (start, used + 1)
            if len(self._hits) > 10_000:
                self._forget(now)
            return None

    def _forget(self, now: float) -> None:
        for key in [k for k, (start, _) in self._hits.items() if now - start >= self.window]:
            del self._hits[key]


def parse_limit(text: str) -> tuple[int, float]:
    """``"120/60"``: 120 requests per 60 seconds."""
    count, _, seconds = text.partition("/")
    return int(count), float(seconds or 60)


@dataclass(frozen=True)
class Caller:
    client: ApiClient | None
    problem: tuple[int, str] | None


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def identify(session: Session) -> Caller:
    token = bearer_token()
    if token is None:
        return Caller(None, (401, "Geef een API-token mee: Authorization: Bearer <token>."))
    client = authenticate(session, token)
    if client is None:
        return Caller(None, (401, "Dit API-token is onbekend of vervangen."))
    if not client.active:
        return Caller(client, (403, "Dit API-token is ingetrokken."))
    return Caller(client, None)
