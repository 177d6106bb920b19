"""``vangnet api-clients add / rotate / revoke``: a token shown once, stored hashed; the old token stops working."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from engine.db import Database
from engine.suppliers import ApiClient, authenticate, hash_token
from web.cli import cli


def run(args: list[str], url: str, tmp_path: Path) -> str:
    env = {"VANGNET_DATABASE_URL": url, "VANGNET_ENV": "test", "VANGNET_INSTANCE_PATH": str(tmp_path)}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_add_rotate_and_revoke(database: Database, migrated_url: str, tmp_path: Path) -> None:
    added = run(["api-clients", "add", "essent", "--webhook", "https://essent.example/vangnet"], migrated_url, tmp_path)
    token = added.splitlines()[1]
    assert token.startswith("vn_") and len(token) > 40
    with database.reading() as s:
        client = s.scalars(select(ApiClient)).one()
        assert client.token_hash == hash_token(token) and token not in client.token_hash
        assert client.webhook_url == "https://essent.example/vangnet" and client.webhook_secret in added
    rotated = run(["api-clients", "rotate", "essent"], migrated_url, tmp_path).splitlines()[1]
    with database.reading() as s:
        assert authenticate(s, token) is None
        assert authenticate(s, rotated) is not None
    run(["api-clients", "revoke", "essent"], migrated_url, tmp_path)
    with database.reading() as s:
        revoked = authenticate(s, rotated)
        assert revoked is not None and not revoked.active
    twice = CliRunner().invoke(cli, ["api-clients", "add", "essent"], env={"VANGNET_DATABASE_URL": migrated_url})
    assert twice.exit_code == 1 and "bestaat al" in twice.output
