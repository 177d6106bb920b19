"""Webhook push from the outbox: signed, retried with the outbox back-off, and never lost while the receiver is down."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.clock import ManualClock
from engine.suppliers import add_client
from engine.webhooks import POSITION_HEADER, SIGNATURE_HEADER
from tests.helpers import outbox

from .conftest import app_engine, notice


class Receiver:
    """A real HTTP server on 127.0.0.1 that answers 503 to the first ``failures`` requests, then 204."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                failing = receiver.failures > 0
                receiver.failures -= 1
                if not failing:
                    receiver.received.append((dict(self.headers), body))
                self.send_response(503 if failing else 204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/vangnet"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver(failures=2)
    yield running
    running.close()


def test_a_failing_webhook_is_retried_with_back_off_until_it_recovers(
    app: Flask, client: FlaskClient, clock: ManualClock, receiver: Receiver
) -> None:
    engine = app_engine(app)
    issued = engine.run(lambda s: add_client(s, "essent", engine.now(), receiver.url))
    headers = {"Authorization": f"Bearer {issued.token}"}
    assert client.post("/api/v1/meldingen", json=notice(), headers=headers).status_code == 201

    assert engine.deliver_outbox().retried  # 503: kept, next attempt after 1 s
    (row,) = outbox(engine)
    assert (row.state, row.attempts) == ("pending", 1)
    # the feed has it already: a supplier never loses a message to a failing webhook
    assert len(client.get("/api/v1/terugkoppelingen", headers=headers).get_json()["terugkoppelingen"]) == 1
    assert engine.deliver_outbox().sent == []  # not due yet: nothing is sent before the back-off
    clock.advance(timedelta(seconds=1))
    assert engine.deliver_outbox().retried  # 503 again: next after 2 s
    clock.advance(timedelta(seconds=2))
    assert engine.deliver_outbox().sent == [row.id]
    (row,) = outbox(engine)
    assert (row.state, row.attempts) == ("sent", 3)

    ((received_headers, body),) = receiver.received
    item = json.loads(body)
    assert item == {
        "positie": 1,
        "meldingId": "ESS-2026-0001",
        "soort": "terugkoppeling",
        "tijdstip": item["tijdstip"],
        "gegevens": {"status": "ontvangen"},
    }
    assert received_headers[POSITION_HEADER] == "1"
    timestamp, mac = (part.split("=", 1)[1] for part in received_headers[SIGNATURE_HEADER].split(","))
    assert issued.webhook_secret
    expected = hmac.new(issued.webhook_secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(mac, expected)


def test_without_a_webhook_a_row_is_delivered_when_published_in_the_feed(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    engine = app_engine(app)
    client.post("/api/v1/meldingen", json=notice(), headers=essent)
    (row,) = outbox(engine)
    assert engine.deliver_outbox().sent == [row.id]
    assert engine.deliver_outbox().sent == []  # published once, at one position
    assert [
        i["positie"] for i in client.get("/api/v1/terugkoppelingen", headers=essent).get_json()["terugkoppelingen"]
    ] == [1]
