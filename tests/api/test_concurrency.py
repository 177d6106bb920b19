"""The same notice posted at once from several threads: one case, one 201, the others 200 (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import func, select

from engine.models import Case
from engine.suppliers import SupplierNotice

from .conftest import app_engine, notice

THREADS = 8


def test_concurrent_duplicate_posts_make_one_case(app: Flask, essent: dict[str, str]) -> None:
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()

    def post() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/meldingen", json=notice(), headers=essent)
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=post) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    with app_engine(app).database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1
        assert s.scalars(select(SupplierNotice.duplicates)).one() == THREADS - 1


def test_concurrent_different_notices_all_start(app: Flask, essent: dict[str, str]) -> None:
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []

    def post(number: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/meldingen", json=notice(meldingId=f"ESS-{number}"), headers=essent)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [201] * THREADS
    with app_engine(app).database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == THREADS
