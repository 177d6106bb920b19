"""The pilot area: postcode ranges mapped to teams (a setting, e.g. ``5900-5929:venlo``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ConfigurationError

_RANGE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*:\s*([a-z0-9_-]+)\s*$")
_POSTCODE = re.compile(r"^\s*(\d{4})\s*[A-Za-z]{0,2}\s*$")
DEFAULT_PILOT_AREAS = "5900-5929:venlo"


@dataclass(frozen=True)
class Area:
    low: int
    high: int
    team: str


def parse_areas(text: str) -> tuple[Area, ...]:
    """Parse ``'5900-5929:venlo, 6000-6099:weert'``."""
    areas = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _RANGE.match(part)
        if not match or int(match[1]) > int(match[2]):
            raise ConfigurationError(f"Ongeldig pilotgebied {part!r}; verwacht bijvoorbeeld '5900-5929:venlo'.")
        areas.append(Area(int(match[1]), int(match[2]), match[3]))
    return tuple(areas)


def team_for_postcode(areas: tuple[Area, ...], postcode: object) -> str | None:
    """The team whose area holds ``postcode`` (e.g. '5911 AB'), or None when it lies outside every area."""
    match = _POSTCODE.match(str(postcode or ""))
    if not match:
        return None
    number = int(match[1])
    return next((a.team for a in areas if a.low <= number <= a.high), None)


def script_helper(areas: tuple[Area, ...]) -> dict[str, Callable[[object], str | None]]:
    return {"team_voor_postcode": lambda postcode: team_for_postcode(areas, postcode)}
