"""The ``vangnet`` command: serve, worker, database, definitions, timers, users and the demo.

Configuration comes only from the environment (``settings_from_env``), read when a command runs, never at import.
Engine errors become a short message in Dutch and exit status 1, without a traceback.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property, partial
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import click
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine import (
    BundleInvalid,
    Database,
    DataInvalid,
    DeployResult,
    Engine,
    Settings,
    VangnetError,
    accounts,
    demo,
    settings_from_env,
    worker,
)
from engine.migrate import upgrade
from engine.models import Case, ProcessVersion, User

from . import create_app, prepare_database_folder

DIR = click.Path(exists=True, file_okay=False, path_type=Path)


class Failure(click.ClickException):
    """A message for the user (no traceback), exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Fout: {self.format_message()}", err=True)


class VangnetGroup(click.Group):
    """The root group: turns engine and database errors into messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BundleInvalid as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            nothing = "; er is niets gedeployed" if ctx.invoked_subcommand != "validate" else ""
            raise Failure(f"{len(exc.problems)} fout(en) gevonden{nothing}.") from exc
        except DataInvalid as exc:
            raise Failure("; ".join(e.message for e in exc.errors) or exc.message) from exc
        except VangnetError as exc:
            raise Failure(exc.message) from exc
        except SQLAlchemyError as exc:
            hint = "Is de database bereikbaar en bijgewerkt? Probeer `vangnet db upgrade`."
            raise Failure(f"Databasefout: {getattr(exc, 'orig', None) or exc}\n{hint}") from exc


class State:
    """Settings, database and engine, built on first use so that ``--help`` needs no configuration."""

    @cached_property
    def settings(self) -> Settings:
        return settings_from_env()

    @cached_property
    def database(self) -> Database:
        prepare_database_folder(self.settings.database_url)
        return Database(self.settings.database_url)

    @cached_property
    def engine(self) -> Engine:
        return Engine(self.settings, self.database)

    def close(self) -> None:
        if "database" in self.__dict__:
            self.database.dispose()


pass_state = click.make_pass_decorator(State)


@click.group(cls=VangnetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Vangnet: zaaksysteem voor het coördinatiepunt energiearmoede.

    Configuratie via omgevingsvariabelen: VANGNET_DATABASE_URL (standaard een SQLite-bestand in instance/),
    VANGNET_ENV (development, test of production), VANGNET_NOW (vaste starttijd voor demo en test; niet in
    production) en VANGNET_SECRET_KEY (verplicht in production).
    """
    state = State()
    ctx.obj = state
    ctx.call_on_close(state.close)


# --- running ------------------------------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres waarop de webserver luistert.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Poort van de webserver.")
def serve(host: str, port: int) -> None:
    """Start de webapplicatie met de ingebouwde timer- en verzendronde.

    Werkt eerst de database bij en deployt nieuwe processen uit processes/. Gebruikt de ontwikkelserver van
    Werkzeug (goed voor de pilot op één machine); in productie: gunicorn 'web:create_app()' plus `vangnet worker`.
    """
    _configure_logging()
    app = create_app()
    state = app.extensions["vangnet"]
    try:
        upgrade(state.database)
        _echo_deploys(demo.deploy_bundled(state.engine))
        scheduler = worker.start_background(state.engine, state.settings.sweep_interval_seconds)
        try:
            with _sigterm_as_interrupt():
                app.run(host=host, port=port, debug=False, load_dotenv=False, use_reloader=False, threaded=True)
        except OSError as exc:
            raise Failure(f"Kan de webserver niet starten op {host}:{port}: {exc.strerror or exc}") from exc
        finally:
            scheduler.shutdown(wait=True)
    finally:
        state.database.dispose()


@cli.command("worker", short_help="Alleen de timer- en verzendronde (zonder web).")
@pass_state
def worker_command(state: State) -> None:
    """Voer alleen de timer- en verzendronde uit, tot SIGINT of SIGTERM (naast gunicorn-webprocessen)."""
    state.engine.run(_require_schema)  # fail now with a clear message, not in every tick
    _configure_logging()
    worker.run_forever(state.engine, state.settings.sweep_interval_seconds)


@cli.group()
def db() -> None:
    """Databasebeheer."""


@db.command("upgrade")
@pass_state
def db_upgrade(state: State) -> None:
    """Werk het databaseschema bij naar de nieuwste versie (veilig om vaker te draaien)."""
    upgrade(state.database)
    click.echo("Database is bijgewerkt.")


# --- definitions --------------------------------------------------------------------------------------------


@cli.command(short_help="Controleer een bundel zonder te deployen.")
@click.argument("folders", nargs=-1, required=True, type=DIR)
@pass_state
def validate(state: State, folders: tuple[Path, ...]) -> None:
    """Controleer een bundel (BPMN/DMN in FOLDERS; formulieren uit die mappen, dan uit forms/) zonder te deployen."""
    engine = state.engine
    parsed = engine.validate(engine.read_bundle(folders))
    click.echo(f"In orde: proces {parsed.process_id} (start met: {', '.join(parsed.start_messages)}).")


@cli.command(short_help="Deploy een bundel als nieuwe versie.")
@click.argument("folders", nargs=-1, required=True, type=DIR)
@click.option("--note", default="", help="Toelichting bij deze versie.")
@click.option("--actor", default="beheer", show_default=True, help="Wie deployt (komt in het logboek).")
@pass_state
def deploy(state: State, folders: tuple[Path, ...], note: str, actor: str) -> None:
    """Deploy een bundel als nieuwe versie; dezelfde inhoud nogmaals deployen verandert niets."""
    engine = state.engine
    bundle = engine.read_bundle(folders)
    result = engine.run(partial(engine.deploy, bundle=bundle, actor=actor, note=note), actor=actor)
    _echo_deploys([result])


def _echo_deploys(results: Sequence[DeployResult]) -> None:
    for result in results:
        what = "nieuw gedeployed" if result.created else "was al aanwezig"
        click.echo(f"Proces {result.process_id} versie {result.number}: {what} ({result.content_hash[:12]}).")


# --- timers -------------------------------------------------------------------------------------------------


@cli.group()
def timers() -> None:
    """Timers van zaken."""


@timers.command("run-due")
@pass_state
def timers_run_due(state: State) -> None:
    """Laat alle verlopen timers één keer afgaan en stop (exit-status 1 als er een mislukte)."""
    result = state.engine.run_due_timers()
    for reference in result.fired:
        click.echo(f"Afgegaan: {reference}")
    with state.database.reading() as session:
        for case_id in result.failed:
            click.echo(f"Mislukt: {_case_name(session, case_id)} (de fout staat bij de zaak)", err=True)
    click.echo(f"{len(result.fired)} afgegaan, {len(result.failed)} mislukt.")
    if result.failed:
        sys.exit(1)


@cli.group()
def retention() -> None:
    """Bewaartermijnen: persoonsgegevens van afgesloten zaken anonimiseren als hun termijn voorbij is."""


@retention.command("run")
@pass_state
def retention_run(state: State) -> None:
    """Anonimiseer nu elke afgesloten zaak waarvan de bewaartermijn voorbij is, en verwijder oude toegangsregels.

    Dit draait ook elke dag vanzelf in `vangnet serve` en `vangnet worker`. Tellingen blijven bewaard."""
    from engine import retention as retention_rules

    result = retention_rules.run(state.engine)
    for reference in result.anonymised:
        click.echo(f"Geanonimiseerd: {reference}")
    click.echo(
        f"{len(result.anonymised)} zaken geanonimiseerd, {result.access_lines_removed} toegangsregels verwijderd."
    )


def _case_name(session: Session, case_id: str) -> str:
    reference = session.scalar(select(Case.reference).where(Case.id == int(case_id))) if case_id.isdigit() else None
    return reference or f"zaak {case_id}"


# --- users --------------------------------------------------------------------------------------------------


@cli.group()
def users() -> None:
    """Gebruikers van het coördinatiepunt en de partners."""


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, metavar="ROL", help=f"Een van: {', '.join(accounts.ROLES)}.")
@click.option("--team", default=None, help="Teamcode, bijvoorbeeld venlo (verplicht voor casemanager en coordinator).")
@click.option("--name", "display_name", default="", help="Weergavenaam, bijvoorbeeld 'Carla de Wit'.")
@pass_state
def users_add(state: State, username: str, role: str, team: str | None, display_name: str) -> None:
    """Maak gebruiker USERNAME aan. Het wachtwoord (minstens 12 tekens) komt van standaardinvoer, eerste regel."""
    password = _read_password()
    engine = state.engine

    def create(session: Session) -> User:
        return accounts.create_user(session, username, password, role, engine.now(), team, display_name)

    user = engine.run(create)
    in_team = f", team {user.team}" if user.team else ""
    click.echo(f"Gebruiker {user.username} aangemaakt (rol {user.role}{in_team}).")


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True, err=True))
    return sys.stdin.readline().rstrip("\r\n")


# --- demo ---------------------------------------------------------------------------------------------------


@cli.command("demo", short_help="Demo inrichten: gebruikers per rol en demozaken.")
@pass_state
def demo_command(state: State) -> None:
    """Richt een demo in: database bijwerken, processen deployen, demogebruikers en enkele demozaken (herhaalbaar)."""
    if state.settings.production:
        raise Failure("De demo is niet toegestaan als VANGNET_ENV=production.")
    upgrade(state.database)
    result = demo.seed(state.engine)
    _echo_deploys(result.deployed)
    _echo_demo_users(result)
    _echo_demo_cases(result)


def _echo_demo_users(result: demo.DemoResult) -> None:
    if result.users_created:
        click.echo(f"Demogebruikers aangemaakt: {', '.join(result.users_created)}.")
    if result.users_present:
        click.echo(f"Demogebruikers bestonden al: {', '.join(result.users_present)}.")
    click.echo(f"Inloggen met de rol als gebruikersnaam en wachtwoord {demo.DEMO_PASSWORD}")


def _echo_demo_cases(result: demo.DemoResult) -> None:
    if not result.notice_process:
        click.echo(f"Nog geen proces gedeployed dat start met bericht '{demo.NOTICE_MESSAGE}': geen demozaken.")
        return
    if result.cases_created:
        click.echo(f"Demozaken gestart: {', '.join(result.cases_created)}.")
    if result.cases_present:
        click.echo(f"Demozaken bestonden al: {', '.join(result.cases_present)}.")


# --- API clients (supplier API) -----------------------------------------------------------------------------


@cli.group("api-clients")
def api_clients() -> None:
    """API-clients van leveranciers: één per leverancier; tokens worden alleen gehasht bewaard."""


@api_clients.command("add")
@click.argument("name")
@click.option("--webhook", default=None, metavar="URL", help="Optioneel: hier krijgt de leverancier berichten.")
@pass_state
def api_clients_add(state: State, name: str, webhook: str | None) -> None:
    """Maak API-client NAME aan (NAME is de leveranciercode, bv. essent) en toon het token één keer."""
    from engine import suppliers

    engine = state.engine
    issued = engine.run(lambda session: suppliers.add_client(session, name, engine.now(), webhook))
    _echo_token(issued)


@api_clients.command("rotate")
@click.argument("name")
@pass_state
def api_clients_rotate(state: State, name: str) -> None:
    """Geef API-client NAME een nieuw token; het oude werkt meteen niet meer."""
    from engine import suppliers

    engine = state.engine
    _echo_token(engine.run(lambda session: suppliers.rotate(session, name, engine.now())))


@api_clients.command("revoke")
@click.argument("name")
@pass_state
def api_clients_revoke(state: State, name: str) -> None:
    """Trek API-client NAME in: het token geeft daarna 403."""
    from engine import suppliers

    engine = state.engine
    engine.run(lambda session: suppliers.revoke(session, name, engine.now()))
    click.echo(f"API-client {name} is ingetrokken.")


def _echo_token(issued: Any) -> None:
    click.echo(f"Token voor {issued.key} (wordt niet opnieuw getoond; bewaar het veilig):")
    click.echo(issued.token)
    if issued.webhook_secret:
        click.echo("Webhookgeheim (voor de handtekening X-Vangnet-Handtekening):")
        click.echo(issued.webhook_secret)


# --- helpers ------------------------------------------------------------------------------------------------


def _require_schema(session: Session) -> None:
    session.execute(select(ProcessVersion.id).limit(1))


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every tick at INFO


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM stops the web server as Ctrl-C does, so that the clean-up after it runs."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise KeyboardInterrupt


def main() -> None:
    cli(prog_name="vangnet")


if __name__ == "__main__":
    main()
