"""The English catalogue covers every Dutch text in the code and templates (Dutch is the source language)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from .conftest import ROOT

CATALOGUE = ROOT / "web" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def ids(path: Path) -> set[object]:
    with path.open("rb") as file:
        return {message.id for message in read_po(file) if message.id}


def test_every_text_in_the_code_has_an_english_translation(tmp_path: Path) -> None:
    template = tmp_path / "messages.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg"]
    subprocess.run([*command, "-o", str(template), "."], cwd=ROOT, check=True)
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    missing = ids(template) - {m.id for m in catalogue if m.id}
    untranslated = [
        m.id for m in catalogue if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert (sorted(map(str, missing)), untranslated) == ([], []), "run pybabel extract/update and translate"
