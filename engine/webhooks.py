"""The outbox transport of channel ``leverancier``: publish in the supplier's feed, then push to its webhook.

Every row is published in the feed first (``exchange.publish``), so a supplier that reads the feed sees it even
while its webhook is down. A supplier without a webhook (or a revoked one) reads the feed only: for it the row
counts as delivered once published. With a webhook the row is delivered when the receiver answers 2xx; otherwise
the outbox retries with its back-off and, out of attempts, marks the row ``failed`` for an operator — the feed
still has it. Pushes are at least once: the receiver deduplicates on the ``positie`` (also in a header).

The body is the feed item as JSON. The signature header is ``t=<unix time>,v1=<hex HMAC-SHA256 over
"<t>.<body>" with the client's webhook secret>``, so a receiver can check origin and freshness.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import object_session

from .exchange import feed_item_for, feed_item_json, publish
from .models import Outbox
from .outbox import DeliveryFailed
from .suppliers import find_client

SIGNATURE_HEADER = "X-Vangnet-Handtekening"
POSITION_HEADER = "X-Vangnet-Positie"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


@dataclass(frozen=True)
class SupplierTransport:
    now: Callable[[], datetime]
    timeout: float = 5.0

    def __call__(self, message: Outbox) -> None:
        session = object_session(message)
        if session is None:
            raise DeliveryFailed("Het bericht hoort niet bij een databasesessie.")
        try:
            entry = publish(session, message, self.now())
        except IntegrityError as exc:
            raise DeliveryFailed("Feedpositie was net bezet; volgende ronde opnieuw.") from exc
        client = find_client(session, message.recipient or "")
        if client is None or not client.active or not client.webhook_url or not client.webhook_secret:
            return
        body = json.dumps(feed_item_json(feed_item_for(session, message, entry)), ensure_ascii=False).encode()
        self._post(client.webhook_url, client.webhook_secret, entry.position, body)

    def _post(self, url: str, secret: str, position: int, body: bytes) -> None:
        timestamp = int(self.now().timestamp())
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(secret, timestamp, body),
            POSITION_HEADER: str(position),
            "User-Agent": "Vangnet-webhook/1",
        }
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryFailed(f"Webhook {url} antwoordde {exc.code}.") from exc
        except (OSError, ValueError) as exc:
            raise DeliveryFailed(f"Webhook {url} niet bereikbaar: {exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryFailed(f"Webhook {url} antwoordde {status}.")
