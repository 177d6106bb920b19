"""The exchange with suppliers: notices in, updates in, and what goes back out (D7 status, the feed).

Every channel (the API, staff registering a phoned-in notice) submits a notice through :func:`submit_notice`, so
the same idempotency and the same record for the metrics apply. What a supplier may see of its notice is only the
D7 status (:func:`notice_status`); what it reads from its feed are the outbox rows meant for it, reduced to an
allow-list of fields per message (:data:`SUPPLIER_FIELDS`). The feed is filled by the outbox delivery
(``engine.webhooks``): a row gets its feed position when it is published, under a lock on the supplier's client
row, so positions are committed in the order they are given and a reader that resumes after position *n* never
misses a row that commits later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .case_work import add_event
from .cases import MessageResult
from .errors import DataInvalid, FieldError, NotFound
from .models import RUNNING, Case, Outbox
from .suppliers import ApiClient, FeedEntry, SupplierNotice

if TYPE_CHECKING:
    from .service import Engine

NOTICE_MESSAGE = "melding"
SUPPLIER_CHANNEL = "leverancier"
CHANNELS = ("api", "telefoon", "e-mail")
STATUS_MESSAGE = "terugkoppeling"
DEFAULT_STATUS = "ontvangen"
GUARANTEE_STATUS = "garantie_afgegeven"
MOVE_END_DATE = "einddatum_gewijzigd"
COMPLETION = "aanvulling"
REPEAT_EVENT = "notice_repeated"  # a case event: the same notice sent again (details: the channel)

# D7 data minimisation: per outbound message, the only fields a supplier ever sees.
SUPPLIER_FIELDS: dict[str, tuple[str, ...]] = {
    "terugkoppeling": ("status", "bedrag", "periode_maanden", "garantsteller_referentie"),
    "uitstelverzoek": ("geplande_einddatum", "gevraagde_einddatum", "uitstel_werkdagen"),
    "opschortingsverzoek": ("geplande_einddatum",),
    "aanvulverzoek": ("ontbrekende_velden", "uiterlijk"),
}
# Supplier updates to a running case (message names of processes/).
SUPPLIER_UPDATES = ("intrekking", "einddatum_gewijzigd", "opschorting_bevestigd", "betaling_gemist", "aanvulling")


@dataclass(frozen=True)
class NoticeStatus:
    status: str
    details: dict[str, Any]  # only for garantie_afgegeven: bedrag, periode_maanden, garantsteller_referentie


@dataclass(frozen=True)
class NoticeResult:
    notice_key: str
    case_id: int
    reference: str
    created: bool
    status: NoticeStatus


@dataclass(frozen=True)
class FeedItem:
    position: int
    notice_key: str
    name: str
    at: datetime
    data: dict[str, Any]


# --- notices in ----------------------------------------------------------------------------------------------


def submit_notice(
    engine: Engine, session: Session, supplier: str, payload: dict[str, Any], channel: str, actor: str
) -> NoticeResult:
    """Start the case of a notice (snake_case payload with ``melding_id``), or find the same one again.

    The same supplier and notice id with the same content returns the existing case and records the repeat (with
    the channel it came by, for the metrics); other content raises :class:`~engine.errors.Conflict`. The content
    is compared as the notice was first stored, so the same notice by another channel is a repeat, not a
    conflict."""
    if channel not in CHANNELS:
        raise DataInvalid([FieldError("kanaal", f"Onbekend kanaal {channel!r}.", "enum")])
    key = str(payload["melding_id"])
    known = session.scalar(
        select(SupplierNotice).where(SupplierNotice.supplier == supplier, SupplierNotice.notice_key == key)
    )
    notice = {**payload, "leverancier": supplier, "kanaal": known.channel if known else channel}
    started = engine.start_case(session, NOTICE_MESSAGE, supplier, key, notice, actor)
    if started.created:
        session.add(
            SupplierNotice(
                case_id=started.case_id,
                supplier=supplier,
                notice_key=key,
                channel=channel,
                received_at=engine.now(),
                planned_end_date=_text_or_none(notice.get("geplande_einddatum")),
                duplicates=0,
            )
        )
    else:
        _record_repeat(engine, session, started.case_id, channel, actor)
    status = notice_status(session, started.case_id)
    return NoticeResult(key, started.case_id, started.reference, started.created, status)


def _record_repeat(engine: Engine, session: Session, case_id: int, channel: str, actor: str) -> None:
    """A repeat counts on the notice and is an event of its own, so the metrics count it by its channel and day."""
    bump = update(SupplierNotice).where(SupplierNotice.case_id == case_id)
    session.execute(bump.values(duplicates=SupplierNotice.duplicates + 1))
    add_event(session, session.get(Case, case_id), actor, REPEAT_EVENT, engine.now(), {"channel": channel})


def known_suppliers(session: Session) -> list[str]:
    """Every supplier key Vangnet knows: its API clients and the senders of notices (for staff to choose from)."""
    clients = set(session.scalars(select(ApiClient.key)))
    senders = session.scalars(select(Case.sender).where(Case.start_message == NOTICE_MESSAGE).distinct())
    return sorted(clients.union(senders))


def find_notice(session: Session, supplier: str, notice_key: str) -> Case:
    """The supplier's own notice; another supplier's notice is as unknown as a missing one."""
    case = session.scalar(select(Case).where(Case.sender == supplier, Case.business_key == notice_key))
    if case is None or case.start_message != NOTICE_MESSAGE:
        raise NotFound("Deze melding is niet bekend.", notice_key=notice_key)
    return case


def notice_status(session: Session, case_id: int) -> NoticeStatus:
    """The last D7 status sent about the case (``ontvangen`` before any), with guarantee details only."""
    query = (
        select(Outbox.payload)
        .where(Outbox.case_id == case_id, Outbox.channel == SUPPLIER_CHANNEL, Outbox.name == STATUS_MESSAGE)
        .order_by(Outbox.id.desc())
        .limit(1)
    )
    payload = session.scalar(query) or {}
    status = str(payload.get("status") or DEFAULT_STATUS)
    if status != GUARANTEE_STATUS:
        return NoticeStatus(status, {})
    return NoticeStatus(status, _allowed(STATUS_MESSAGE, payload, exclude=("status",)))


def deliver_update(
    engine: Engine,
    session: Session,
    supplier: str,
    notice_key: str,
    message_key: str,
    name: str,
    payload: dict[str, Any],
) -> MessageResult:
    """Deliver a supplier update to its case, idempotent by ``message_key``; a new D also re-arms every deadline."""
    case = find_notice(session, supplier, notice_key)
    result = engine.deliver_message(session, name, supplier, message_key, payload, supplier, business_key=notice_key)
    if result.created and name == COMPLETION and payload.get("geplande_einddatum"):
        _complete_planned_end(session, case.id, str(payload["geplande_einddatum"]))
    if result.created and name == MOVE_END_DATE:
        session.refresh(case)
        if case.status == RUNNING:
            values = {"geplande_einddatum": payload["geplande_einddatum"]}
            engine.cases.update_data(session, case.id, values, supplier, "einddatum gewijzigd door de leverancier")
    return result


def _complete_planned_end(session: Session, case_id: int, planned_end: str) -> None:
    """A notice without D gets the D its completion gives, so its lead time T0 → D can be measured."""
    missing = (SupplierNotice.case_id == case_id) & SupplierNotice.planned_end_date.is_(None)
    session.execute(update(SupplierNotice).where(missing).values(planned_end_date=_text_or_none(planned_end)))


# --- the feed ------------------------------------------------------------------------------------------------


def publish(session: Session, message: Outbox, now: datetime) -> FeedEntry:
    """Give an outbox row its place in the supplier's feed (once; a retried delivery keeps its place)."""
    known = session.scalar(select(FeedEntry).where(FeedEntry.outbox_id == message.id))
    if known is not None:
        return known
    supplier = message.recipient or ""
    session.execute(select(ApiClient.id).where(ApiClient.key == supplier).with_for_update())
    last = session.scalar(select(func.max(FeedEntry.position)).where(FeedEntry.supplier == supplier))
    entry = FeedEntry(outbox_id=message.id, supplier=supplier, position=(last or 0) + 1, published_at=now)
    with session.begin_nested():  # without a client row to lock, the unique position catches a race
        session.add(entry)
        session.flush()
    return entry


def read_feed(session: Session, supplier: str, after: int, limit: int) -> list[FeedItem]:
    query = (
        select(FeedEntry.position, Case.business_key, Outbox.name, Outbox.created_at, Outbox.payload)
        .join(Outbox, Outbox.id == FeedEntry.outbox_id)
        .join(Case, Case.id == Outbox.case_id)
        .where(FeedEntry.supplier == supplier, FeedEntry.position > after)
        .order_by(FeedEntry.position)
        .limit(limit)
    )
    rows = session.execute(query)
    return [FeedItem(pos, key, name, at, _allowed(name, payload)) for pos, key, name, at, payload in rows]


def feed_item_for(session: Session, message: Outbox, entry: FeedEntry) -> FeedItem:
    key = session.scalar(select(Case.business_key).where(Case.id == message.case_id)) or ""
    return FeedItem(entry.position, key, message.name, message.created_at, _allowed(message.name, message.payload))


def feed_item_json(item: FeedItem) -> dict[str, Any]:
    """The supplier-facing form of a feed item (the API's feed and the webhook send exactly this)."""
    return {
        "positie": item.position,
        "meldingId": item.notice_key,
        "soort": item.name,
        "tijdstip": item.at.isoformat(),
        "gegevens": camel_keys(item.data),
    }


def _allowed(name: str, payload: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(payload, dict):
        return {}
    fields = SUPPLIER_FIELDS.get(name, ())
    return {k: payload[k] for k in fields if k in payload and k not in exclude and payload[k] is not None}


# --- names: snake_case inside, camelCase on the wire (Dutch API design rules) --------------------------------


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def camel_keys(value: Any) -> Any:
    """camelCase every key; a list of field paths (``klant.achternaam``) is rewritten segment by segment."""
    if isinstance(value, dict):
        return {camel(k): camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [".".join(camel(p) for p in v.split(".")) if isinstance(v, str) else camel_keys(v) for v in value]
    return value


def snake_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {snake(k): snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake_keys(v) for v in value]
    return value


def _text_or_none(value: Any) -> str | None:
    return str(value)[:10] if value not in (None, "") else None
