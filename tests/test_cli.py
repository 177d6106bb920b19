"""The ``vangnet`` command, driven through click's CliRunner (in process) and as a real process for ``serve``.

Every command reads its configuration from the environment, so each test hands the runner an environment that
points at the database of the backend under test and at folders of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import select

from engine.accounts import verify_password
from engine.clock import ManualClock
from engine.db import Database
from engine.models import Case, ProcessVersion, Team, User
from engine.service import Engine
from engine.settings import Settings
from web import create_app
from web.cli import cli

from .conftest import BUNDLES, HERE, START
from .helpers import count, deploy, events, start_aanvraag
from .test_worker import free_port, poll

PROJECT = HERE.parent
PASSWORD = "correct-horse-battery"

NOTICE_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
                  id="defs_melding" targetNamespace="http://vangnet.example/test">
  <bpmn:message id="msg_melding" name="melding"/>
  <bpmn:process id="melding_test" name="Melding (test)" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_coordinator" name="coordinator">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>registreren</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>triage</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>einde</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="Melding ontvangen">
      <bpmn:outgoing>f1</bpmn:outgoing>
      <bpmn:messageEventDefinition id="start_def" messageRef="msg_melding">
        <bpmn:extensionElements>
          <spiffworkflow:messageVariable>melding</spiffworkflow:messageVariable>
        </bpmn:extensionElements>
      </bpmn:messageEventDefinition>
    </bpmn:startEvent>
    <bpmn:scriptTask id="registreren" name="Registreren">
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>team = team_voor_postcode(melding["adres"]["postcode"])
geplande_einddatum = melding["geplande_einddatum"]</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:userTask id="triage" name="Triage">
      <bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="einde" name="Klaar">
      <bpmn:incoming>f3</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="registreren"/>
    <bpmn:sequenceFlow id="f2" sourceRef="registreren" targetRef="triage"/>
    <bpmn:sequenceFlow id="f3" sourceRef="triage" targetRef="einde"/>
  </bpmn:process>
</bpmn:definitions>
"""

# A timer at a fixed moment, then a script that fails: the sweep fires it and the case goes to the error state.
FAILING_TIMER_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
                  id="defs_wekker" targetNamespace="http://vangnet.example/test">
  <bpmn:message id="msg_wekker" name="wekker"/>
  <bpmn:process id="wekker" name="Wekker (test)" isExecutable="true">
    <bpmn:startEvent id="start">
      <bpmn:outgoing>f1</bpmn:outgoing>
      <bpmn:messageEventDefinition id="start_def" messageRef="msg_wekker">
        <bpmn:extensionElements>
          <spiffworkflow:messageVariable>wekker</spiffworkflow:messageVariable>
        </bpmn:extensionElements>
      </bpmn:messageEventDefinition>
    </bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="wachten" name="Wachten">
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition id="wachten_def">
        <bpmn:timeDate>"2026-12-08T00:00:00+00:00"</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:scriptTask id="delen" name="Delen">
      <bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:script>uitkomst = 1 / wekker["deler"]</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:endEvent id="einde">
      <bpmn:incoming>f3</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wachten"/>
    <bpmn:sequenceFlow id="f2" sourceRef="wachten" targetRef="delen"/>
    <bpmn:sequenceFlow id="f3" sourceRef="delen" targetRef="einde"/>
  </bpmn:process>
</bpmn:definitions>
"""

Invoke = Callable[..., Result]


@pytest.fixture
def env(database: Database, tmp_path: Path) -> dict[str, str | None]:
    """The environment of a command: this test's database and empty processes/forms folders of its own."""
    for folder in ("processes", "forms", "instance"):
        (tmp_path / folder).mkdir()
    return {
        "VANGNET_DATABASE_URL": database.url,
        "VANGNET_ENV": "test",
        "VANGNET_NOW": None,
        "VANGNET_SECRET_KEY": None,
        "VANGNET_INSTANCE_PATH": str(tmp_path / "instance"),
        "VANGNET_PROCESSES_DIR": str(tmp_path / "processes"),
        "VANGNET_FORMS_DIR": str(tmp_path / "forms"),
    }


@pytest.fixture
def vangnet(env: dict[str, str | None]) -> Invoke:
    def invoke(*args: str, input: str | None = None, **extra_env: str | None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, env={**env, **extra_env}, catch_exceptions=False)

    return invoke


@pytest.fixture
def engine(database: Database, clock: ManualClock, tmp_path: Path) -> Engine:
    """An engine on the same database, for setting up cases and reading results."""
    settings = Settings(database_url=database.url, environment="test", instance_path=tmp_path)
    return Engine(settings, database, clock)


def copy_bundle(name: str, target: Path, skip: tuple[str, ...] = ()) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in (BUNDLES / name).iterdir():
        if path.name not in skip:
            shutil.copy(path, target / path.name)
    return target


# --- help and configuration ---------------------------------------------------------------------------------


def all_commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        found[prefix + name] = command
        if isinstance(command, click.Group):
            found.update(all_commands(command, f"{prefix}{name} "))
    return found


def test_every_command_has_help_and_help_needs_no_configuration() -> None:
    commands = all_commands(cli)
    expected = {"serve", "worker", "db upgrade", "validate", "deploy", "timers run-due", "users add", "demo"}
    assert expected <= set(commands)
    runner = CliRunner()
    for name, command in commands.items():
        assert command.help, name
        result = runner.invoke(cli, [*name.split(), "--help"], env={"VANGNET_ENV": "onzin"})
        assert result.exit_code == 0, (name, result.output)


def test_vangnet_now_is_refused_in_production(vangnet: Invoke) -> None:
    result = vangnet("timers", "run-due", VANGNET_ENV="production", VANGNET_NOW="2026-12-07T08:00:00+00:00")
    assert result.exit_code == 1
    assert "VANGNET_NOW is niet toegestaan" in result.output
    assert "Traceback" not in result.output


def test_db_upgrade_creates_the_default_sqlite_database_in_the_instance_folder(tmp_path: Path) -> None:
    env = {"VANGNET_DATABASE_URL": None, "VANGNET_ENV": "test", "VANGNET_INSTANCE_PATH": str(tmp_path / "inst")}
    for _ in range(2):
        result = CliRunner().invoke(cli, ["db", "upgrade"], env=env)
        assert (result.exit_code, result.output) == (0, "Database is bijgewerkt.\n")
    assert (tmp_path / "inst" / "vangnet.sqlite3").is_file()


@pytest.mark.parametrize("command", [["timers", "run-due"], ["worker"], ["deploy", str(BUNDLES / "aanvraag")]])
def test_a_database_without_schema_gets_a_clear_message(tmp_path: Path, command: list[str]) -> None:
    env = {"VANGNET_DATABASE_URL": f"sqlite:///{tmp_path / 'leeg.sqlite3'}", "VANGNET_ENV": "test"}
    result = CliRunner().invoke(cli, command, env=env)
    assert result.exit_code == 1
    assert "vangnet db upgrade" in result.output
    assert "Traceback" not in result.output


# --- validate and deploy ------------------------------------------------------------------------------------


def test_validate_and_deploy_a_bundle_then_deploy_it_again(vangnet: Invoke, engine: Engine) -> None:
    folder = str(BUNDLES / "aanvraag")
    checked = vangnet("validate", folder)
    assert checked.exit_code == 0, checked.output
    assert "In orde: proces aanvraag" in checked.output
    assert count(engine, ProcessVersion) == 0

    first = vangnet("deploy", folder, "--note", "eerste versie", "--actor", "piet")
    assert first.exit_code == 0, first.output
    assert "Proces aanvraag versie 1: nieuw gedeployed" in first.output
    again = vangnet("deploy", folder)
    assert again.exit_code == 0, again.output
    assert "Proces aanvraag versie 1: was al aanwezig" in again.output
    with engine.database.reading() as session:
        version = session.scalars(select(ProcessVersion)).one()
        assert (version.number, version.note, version.deployed_by) == (1, "eerste versie", "piet")


def test_a_bundle_with_an_unclosed_tag_is_refused_with_file_and_line(vangnet: Invoke, tmp_path: Path) -> None:
    folder = copy_bundle("aanvraag", tmp_path / "kapot")
    bpmn = folder / "aanvraag.bpmn"
    bpmn.write_text(bpmn.read_text().replace("</bpmn:process>", "</bpmn:proces>"))
    for command in ("validate", "deploy"):
        result = vangnet(command, str(folder))
        assert result.exit_code == 1, result.output
        assert re.search(r"^aanvraag\.bpmn:\d+: Geen geldige XML", result.output, re.MULTILINE), result.output
        assert "Traceback" not in result.output
    assert "er is niets gedeployed" in result.output


def test_a_bundle_with_a_missing_form_is_refused(vangnet: Invoke, tmp_path: Path, engine: Engine) -> None:
    folder = copy_bundle("aanvraag", tmp_path / "zonder_formulier", skip=("beoordelen.schema.json",))
    result = vangnet("deploy", str(folder))
    assert result.exit_code == 1
    assert "beoordelen.schema.json: Formulier niet gevonden" in result.output
    assert count(engine, ProcessVersion) == 0


def test_a_forbidden_expression_is_reported_with_file_line_and_element(vangnet: Invoke, tmp_path: Path) -> None:
    folder = copy_bundle("aanvraag", tmp_path / "onveilig")
    bpmn = folder / "aanvraag.bpmn"
    bpmn.write_text(bpmn.read_text().replace("akkoord == True", "__import__('os').system('id')"))
    line = next(n for n, text in enumerate(bpmn.read_text().splitlines(), 1) if 'id="f_ja"' in text)
    result = vangnet("validate", str(folder))
    assert result.exit_code == 1
    assert f"aanvraag.bpmn:{line} [f_ja]: " in result.output


# --- users --------------------------------------------------------------------------------------------------


def test_users_add_reads_the_password_from_stdin(vangnet: Invoke, engine: Engine) -> None:
    result = vangnet("users", "add", "carla", "--role", "casemanager", "--team", "venlo", "--name", "Carla de Wit",
                     input=f"{PASSWORD}\nnot read\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Gebruiker carla aangemaakt (rol casemanager, team venlo)" in result.output
    assert PASSWORD not in result.output
    with engine.database.reading() as session:
        user = session.scalars(select(User)).one()
        assert (user.role, user.team, user.display_name) == ("casemanager", "venlo", "Carla de Wit")
        assert verify_password(user, PASSWORD) and not verify_password(user, "not read")
        assert session.get(Team, "venlo") is not None


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--role", "garantsteller"], "te kort", "minstens 12 tekens"),
        (["--role", "garantsteller"], "", "minstens 12 tekens"),
        (["--role", "leverancier"], PASSWORD, "Onbekende rol 'leverancier'"),
        (["--role", "coordinator"], PASSWORD, "hoort bij een team"),
    ],
)
def test_users_add_refuses_bad_input(
    vangnet: Invoke, engine: Engine, args: list[str], password: str, message: str
) -> None:
    result = vangnet("users", "add", "gerda", *args, input=f"{password}\n")
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert count(engine, User) == 0


def test_users_add_refuses_an_existing_username(vangnet: Invoke) -> None:
    assert vangnet("users", "add", "bea", "--role", "beheerder", input=f"{PASSWORD}\n").exit_code == 0
    again = vangnet("users", "add", "bea", "--role", "beheerder", input=f"{PASSWORD}\n")
    assert again.exit_code == 1
    assert "bestaat al" in again.output


# --- timers -------------------------------------------------------------------------------------------------


def test_timers_run_due_fires_what_is_due_at_vangnet_now(vangnet: Invoke, engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    reference = engine.run(lambda session: session.get(Case, case_id).reference)  # type: ignore[union-attr]

    early = vangnet("timers", "run-due", VANGNET_NOW=(START + timedelta(hours=1)).isoformat())
    assert (early.exit_code, early.output) == (0, "0 afgegaan, 0 mislukt.\n")

    due = vangnet("timers", "run-due", VANGNET_NOW="2026-12-09T08:00:00+01:00")
    assert due.exit_code == 0, due.output
    assert f"Afgegaan: {reference}" in due.output
    assert "1 afgegaan, 0 mislukt." in due.output
    assert events(engine, case_id).count("timers_fired") == 1


def test_timers_run_due_exits_non_zero_when_a_timer_fails(vangnet: Invoke, engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "wekker").mkdir()
    (tmp_path / "wekker" / "wekker.bpmn").write_text(FAILING_TIMER_BPMN)
    assert vangnet("deploy", str(tmp_path / "wekker")).exit_code == 0
    good = engine.run(lambda s: engine.start_case(s, "wekker", "test", "goed", {"deler": 4}, actor="test"))
    bad = engine.run(lambda s: engine.start_case(s, "wekker", "test", "fout", {"deler": 0}, actor="test"))
    result = vangnet("timers", "run-due", VANGNET_NOW="2026-12-09T08:00:00+00:00")
    assert result.exit_code == 1
    assert f"Afgegaan: {good.reference}" in result.output
    assert f"Mislukt: {bad.reference} (de fout staat bij de zaak)" in result.output
    assert "1 afgegaan, 1 mislukt." in result.output
    assert "Traceback" not in result.output
    with engine.database.reading() as session:
        assert session.get(Case, bad.case_id).status == "error"  # type: ignore[union-attr]


# --- demo ---------------------------------------------------------------------------------------------------


def counts(engine: Engine) -> Mapping[str, int]:
    return {model.__name__: count(engine, model) for model in (User, Team, ProcessVersion, Case)}


def test_demo_without_a_notice_process_still_creates_the_users(vangnet: Invoke, engine: Engine) -> None:
    result = vangnet("demo")
    assert result.exit_code == 0, result.output
    assert "Nog geen proces gedeployed dat start met bericht 'melding'" in result.output
    assert "vangnet-demo-2026" in result.output
    assert counts(engine) == {"User": 6, "Team": 1, "ProcessVersion": 0, "Case": 0}


def test_demo_deploys_starts_notices_and_is_idempotent(
    vangnet: Invoke, engine: Engine, env: dict[str, str | None]
) -> None:
    (Path(str(env["VANGNET_PROCESSES_DIR"])) / "melding.bpmn").write_text(NOTICE_BPMN)
    first = vangnet("demo", VANGNET_NOW=START.isoformat())
    assert first.exit_code == 0, first.output
    assert "Proces melding_test versie 1: nieuw gedeployed" in first.output
    assert "Demozaken gestart: VN-2026-" in first.output
    assert counts(engine) == {"User": 6, "Team": 1, "ProcessVersion": 1, "Case": 5}

    second = vangnet("demo", VANGNET_NOW=(START + timedelta(days=3)).isoformat())
    assert second.exit_code == 0, second.output
    assert "was al aanwezig" in second.output
    assert "Demozaken bestonden al" in second.output
    assert "Demogebruikers bestonden al" in second.output
    assert counts(engine) == {"User": 6, "Team": 1, "ProcessVersion": 1, "Case": 5}
    with engine.database.reading() as session:
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert {c.team for c in cases} == {"venlo"}
        left = [engine.calendar.working_days_between(START.date(), c.planned_end_date) for c in cases]  # type: ignore[arg-type]
        assert sorted(left) == [15, 18, 22, 25, 30]


def test_demo_is_refused_in_production(vangnet: Invoke, engine: Engine) -> None:
    result = vangnet("demo", VANGNET_ENV="production", VANGNET_SECRET_KEY="geheim-genoeg-voor-een-test")
    assert result.exit_code == 1
    assert "niet toegestaan" in result.output
    assert count(engine, User) == 0


# --- the web app that `serve` starts ------------------------------------------------------------------------


@pytest.fixture
def make_app() -> Iterator[Callable[[Settings], Flask]]:
    apps: list[Flask] = []

    def make(settings: Settings) -> Flask:
        apps.append(create_app({"TESTING": True, "VANGNET_SETTINGS": settings}))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["vangnet"].database.dispose()


def test_the_front_page_shows_counts_and_no_personal_data(
    engine: Engine, make_app: Callable[[Settings], Flask]
) -> None:
    deploy(engine, "aanvraag")
    start_aanvraag(engine, key="A-1", naam="Jansen")
    start_aanvraag(engine, key="A-2", naam="Pietersen")
    client = make_app(engine.settings).test_client()
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<html lang="nl"[ >]', page), page
    assert "<h1>Vangnet</h1>" in page
    assert "takenlijst" in page
    assert re.search(r"<td>aanvraag</td>\s*<td>1 \(nieuwste: 1\)</td>\s*<td[^>]*>2</td>", page), page
    assert re.search(r"<td>casemanager</td><td[^>]*>2</td>", page), page
    assert "Jansen" not in page and "Pietersen" not in page
    health = client.get("/gezondheid")
    assert (health.status_code, health.get_json()) == (200, {"status": "ok", "database": "ok"})


def test_health_reports_a_database_that_cannot_be_reached(
    tmp_path: Path, make_app: Callable[[Settings], Flask]
) -> None:
    missing = tmp_path / "bestaat-niet" / "nergens"
    settings = Settings(database_url=f"sqlite:///{missing}/db.sqlite3", environment="test", instance_path=tmp_path)
    app = make_app(settings)
    shutil.rmtree(missing)  # the factory prepared the folder; take it away again
    health = app.test_client().get("/gezondheid")
    assert (health.status_code, health.get_json()) == (503, {"status": "fout", "database": "fout"})


def test_vangnet_serve_migrates_deploys_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    processes = copy_bundle("aanvraag", tmp_path / "processes")
    port = free_port()
    env = {
        **os.environ,
        "VANGNET_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "VANGNET_ENV": "test",
        "VANGNET_INSTANCE_PATH": str(tmp_path),
        "VANGNET_PROCESSES_DIR": str(processes),
    }
    command = [sys.executable, "-m", "web.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        up = poll(lambda: _get(f"http://127.0.0.1:{port}/gezondheid") is not None or process.poll() is not None)
        page = _get(f"http://127.0.0.1:{port}/")
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert up and process.returncode == 0, stderr
    assert page is not None and "<td>aanvraag</td>" in page
    assert "Proces aanvraag versie 1: nieuw gedeployed" in stdout
    assert "Background sweep started" in stderr


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None
