"""A bundle's files: the BPMN and DMN of one process plus every form they reference.

Reading only: which files belong to a bundle, and its content hash. Checking is ``engine.validation``; storing
is ``engine.bundles``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import BundleInvalid, Problem

FORM_PROPERTIES = ("formJsonSchemaFilename", "formUiSchemaFilename")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_FORM_XPATH = etree.XPath(
    "//s:property[@name='formJsonSchemaFilename' or @name='formUiSchemaFilename']/@value",
    namespaces={"s": _SPIFF_NS},
)


@dataclass(frozen=True)
class BundleFiles:
    """File name → text. Names are plain file names (no folders): BPMN, DMN and form files side by side."""

    files: Mapping[str, str]

    @property
    def bpmn(self) -> dict[str, str]:
        return {n: t for n, t in sorted(self.files.items()) if n.endswith(".bpmn")}

    @property
    def dmn(self) -> dict[str, str]:
        return {n: t for n, t in sorted(self.files.items()) if n.endswith(".dmn")}

    @property
    def forms(self) -> dict[str, str]:
        return {n: t for n, t in sorted(self.files.items()) if n.endswith(".json")}

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(sorted(self.files.items()), ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_bundle(folders: Iterable[Path], forms_dir: Path | None) -> BundleFiles:
    """Read the BPMN/DMN files of ``folders`` and the forms they name (from those folders, then ``forms_dir``)."""
    files: dict[str, str] = {}
    problems: list[Problem] = []
    folder_list = list(folders)
    for folder in folder_list:
        if not folder.is_dir():
            raise BundleInvalid([Problem(str(folder), "Deze map bestaat niet.")])
        for path in sorted([*folder.glob("*.bpmn"), *folder.glob("*.dmn")]):
            _add(files, problems, path.name, path.read_text(encoding="utf-8"))
    if not any(name.endswith(".bpmn") for name in files):
        problems.append(Problem(", ".join(map(str, folder_list)), "Geen BPMN-bestanden gevonden."))
    search = [*folder_list, *([forms_dir] if forms_dir else [])]
    for form in sorted(referenced_forms(files)):
        _add_form(files, problems, form, search)
    if problems:
        raise BundleInvalid(problems)
    return BundleFiles(files)


def referenced_forms(files: Mapping[str, str]) -> set[str]:
    """Form file names named by user tasks (well-formed BPMN only; broken XML is reported by validation)."""
    names: set[str] = set()
    for name, text in files.items():
        if not name.endswith(".bpmn"):
            continue
        try:
            tree = etree.fromstring(text.encode("utf-8"))
        except etree.XMLSyntaxError:
            continue
        names.update(str(v) for v in _FORM_XPATH(tree))
    return names


def _add(files: dict[str, str], problems: list[Problem], name: str, text: str) -> None:
    if name in files and files[name] != text:
        problems.append(Problem(name, "Twee verschillende bestanden met dezelfde naam."))
    files[name] = text


def _add_form(files: dict[str, str], problems: list[Problem], form: str, search: list[Path]) -> None:
    if not SAFE_NAME.match(form):
        problems.append(Problem(form, "Ongeldige formuliernaam: alleen letters, cijfers, '.', '_' en '-'."))
        return
    for folder in search:
        candidate = folder / form
        if candidate.is_file():
            files[form] = candidate.read_text(encoding="utf-8")
            return
    where = ", ".join(str(f) for f in search)
    problems.append(Problem(form, f"Formulier niet gevonden (gezocht in: {where})."))
