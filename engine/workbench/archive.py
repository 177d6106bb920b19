"""A bundle as a zip file (download), and files out of an upload (a zip, or single BPMN/DMN/JSON files).

Uploads are untrusted: entry names are reduced to plain file names and checked, and the number of entries and
the unpacked size are limited before anything is read, so a zip bomb costs nothing.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath

from ..errors import BundleInvalid, Problem
from .drafts import FILE_SUFFIXES, MAX_FILE_CHARS, check_names

MAX_ENTRIES = 200
MAX_TOTAL_BYTES = 20_000_000
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # the same content gives the same zip


def to_zip(files: Mapping[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), files[name].encode("utf-8"))
    return buffer.getvalue()


def from_upload(filename: str, data: bytes) -> dict[str, str]:
    """The files in an uploaded file: the entries of a zip, or the file itself."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    files = _from_zip(name, data) if name.lower().endswith(".zip") else {name: _text(name, data)}
    check_names(files)
    return files


def _from_zip(name: str, data: bytes) -> dict[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise BundleInvalid([Problem(name, "Dit is geen geldig zip-bestand.")]) from exc
    entries = [e for e in archive.infolist() if not e.is_dir() and not _hidden(e.filename)]
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_TOTAL_BYTES:
        raise BundleInvalid([Problem(name, f"Te veel of te grote bestanden (hoogstens {MAX_ENTRIES}).")])
    files: dict[str, str] = {}
    for entry in entries:
        plain = PurePosixPath(entry.filename).name
        if not plain.endswith(FILE_SUFFIXES):
            continue  # a README or picture next to the diagrams is not part of the bundle
        if plain in files:
            raise BundleInvalid([Problem(plain, "Twee bestanden met dezelfde naam in het zip-bestand.")])
        files[plain] = _text(plain, archive.read(entry))
    if not files:
        raise BundleInvalid([Problem(name, "Het zip-bestand bevat geen BPMN-, DMN- of JSON-bestanden.")])
    return files


def _hidden(path: str) -> bool:
    return any(part.startswith((".", "__MACOSX")) for part in PurePosixPath(path).parts)


def _text(name: str, data: bytes) -> str:
    if len(data) > MAX_FILE_CHARS * 4:
        raise BundleInvalid([Problem(name, "Het bestand is te groot.")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BundleInvalid([Problem(name, "Het bestand is geen UTF-8-tekst.")]) from exc
