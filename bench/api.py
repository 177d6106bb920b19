"""Supplier API benchmark (not a test): notices per second through real HTTP, on SQLite or PostgreSQL.

Run ``.venv/bin/python -m bench.api [--database sqlite|postgresql+psycopg://...] [--notices 300]``.
A Werkzeug server (threaded) on 127.0.0.1 serves the app with the API and the real processes/; clients post
complete notices (each starts a case through D1/D2 to triage) over keep-alive connections, one client and then
four at once. Prints notices/s and the latency per request.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from bench.common import ROOT, START, fresh_database, summary
from engine.clock import ManualClock
from engine.settings import Settings
from engine.suppliers import add_client
from web import create_app


def notice(number: int) -> dict[str, Any]:
    return {
        "meldingId": f"BENCH-{number:06d}",
        "meldingsdatum": "2026-12-07",
        "soort": "eindelevering",
        "klant": {"voorletters": "J.", "tussenvoegsel": "", "achternaam": "Jansen", "geboortedatum": "1985-04-12"},
        "adres": {"postcode": "5911AB", "huisnummer": number % 500 + 1, "toevoeging": "", "plaats": "Venlo"},
        "contractreferentie": f"C-{number}",
        "producten": ["elektriciteit"],
        "achterstandBedrag": 742.5,
        "maandbedrag": 145.0,
        "aantalHerinneringen": 3,
        "contactpogingenAantal": 2,
        "regelingAangeboden": True,
        "geplandeEinddatum": "2027-02-26",
        "kinderenInHuishouden": "ja",
        "kwetsbaarheidBekend": False,
        "medisch": False,
        "bezwaarGegevensdeling": False,
    }


def post_all(port: int, token: str, numbers: range, latencies: list[float]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for number in numbers:
        began = time.perf_counter()
        connection.request("POST", "/api/v1/meldingen", body=json.dumps(notice(number)), headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 201, response.status
        latencies.append((time.perf_counter() - began) * 1000)
    connection.close()


def run(port: int, token: str, first: int, count: int, clients: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    share = count // clients
    threads = [
        threading.Thread(
            target=post_all, args=(port, token, range(first + i * share, first + (i + 1) * share), latencies)
        )
        for i in range(clients)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return share * clients / (time.perf_counter() - began), latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--notices", type=int, default=300)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as work:
        url = fresh_database(args.database, Path(work))
        settings = Settings(database_url=url, environment="test", instance_path=Path(work), forms_dir=ROOT / "forms")
        config = {
            "VANGNET_SETTINGS": settings,
            "VANGNET_CLOCK": ManualClock(START),
            "VANGNET_API_RATE_LIMIT": "1000000/60",
        }
        app = create_app(config)
        engine = app.extensions["vangnet"].engine
        bundle = engine.read_bundle([ROOT / "processes"])
        engine.run(lambda s: engine.deploy(s, bundle, actor="bench"))
        token = engine.run(lambda s: add_client(s, "bench", engine.now())).token
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            run(server.server_port, token, 900_000, 20, 1)  # warm up: spec cache, connections
            for clients in (1, 4):
                rate, latencies = run(server.server_port, token, clients * 100_000, args.notices, clients)
                print(f"{engine.database.dialect:10} {clients} client(s): {rate:6.1f} notices/s  {summary(latencies)}")
        finally:
            server.shutdown()
            engine.database.dispose()


if __name__ == "__main__":
    main()
