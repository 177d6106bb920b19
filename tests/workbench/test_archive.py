"""Bundles as zip files: a download unpacks to the same files; uploads are checked before they are read."""

from __future__ import annotations

import io
import zipfile

import pytest

from engine import BundleInvalid
from engine.workbench import from_upload, to_zip

FILES = {"a.bpmn": "<a/>", "a.schema.json": '{"type": "object"}', "t.dmn": "<d/>"}


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_download_unpacks_to_the_same_files() -> None:
    data = to_zip(FILES)
    assert from_upload("proces-v1.zip", data) == FILES
    assert to_zip(FILES) == data  # the same content gives the same zip


def test_folders_in_a_zip_are_flattened_and_other_files_skipped() -> None:
    data = zipped({"export/a.bpmn": b"<a/>", "export/README.md": b"lees mij", "__MACOSX/._a.bpmn": b"x"})
    assert from_upload("export.zip", data) == {"a.bpmn": "<a/>"}


def test_a_single_file_can_be_uploaded() -> None:
    assert from_upload("C:\\Users\\piet\\a.bpmn", b"<a/>") == {"a.bpmn": "<a/>"}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("kapot.zip", b"geen zip"),
        ("leeg.zip", zipped({"README.md": b"x"})),
        ("dubbel.zip", zipped({"x/a.bpmn": b"<a/>", "y/a.bpmn": b"<b/>"})),
        ("a.exe", b"MZ"),
        ("a.bpmn", b"\xff\xfe\x00"),
    ],
)
def test_bad_uploads_are_refused(name: str, data: bytes) -> None:
    with pytest.raises(BundleInvalid):
        from_upload(name, data)


def test_a_zip_bomb_is_refused_before_it_is_read() -> None:
    entries = {f"f{i}.bpmn": b"<a/>" for i in range(201)}
    with pytest.raises(BundleInvalid, match="Te veel"):
        from_upload("veel.zip", zipped(entries))
