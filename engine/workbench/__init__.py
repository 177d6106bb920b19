"""The process owners' workbench, engine side: drafts with optimistic saves, checking and deploying a draft,
the list of processes and versions, bundles as zip files, moving running cases to the newest version, and the
heatmap of a version. No Flask here; ``web.workbench`` calls these."""

from . import models as models  # registers the draft tables on the metadata
from .archive import from_upload, to_zip
from .catalogue import ProcessInfo, VersionInfo, process, processes, version_files, versions
from .compatibility import CaseFit, CompatibilityReport, report
from .diff import BundleDiff, Change, diff_files, diff_versions
from .drafts import DraftInfo, discard, draft_files, find_draft, open_draft, put_files, save_file
from .form_check import FormCheck, check_form, save_form
from .heatmap import ElementHeat, Heatmap, heatmap
from .migration import MoveResult, migrate_all, migrate_case
from .publish import check_draft, deploy_draft

__all__ = [
    "BundleDiff",
    "CaseFit",
    "Change",
    "CompatibilityReport",
    "DraftInfo",
    "ElementHeat",
    "FormCheck",
    "Heatmap",
    "MoveResult",
    "ProcessInfo",
    "VersionInfo",
    "check_draft",
    "check_form",
    "deploy_draft",
    "diff_files",
    "diff_versions",
    "discard",
    "draft_files",
    "find_draft",
    "from_upload",
    "heatmap",
    "migrate_all",
    "migrate_case",
    "open_draft",
    "process",
    "processes",
    "put_files",
    "report",
    "save_file",
    "save_form",
    "to_zip",
    "version_files",
    "versions",
]
