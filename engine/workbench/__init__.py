"""The process owners' workbench, engine side: drafts with optimistic saves, checking and deploying a draft,
the list of processes and versions, and bundles as zip files. No Flask here; ``web.workbench`` calls these."""

from . import models as models  # registers the draft tables on the metadata
from .archive import from_upload, to_zip
from .catalogue import ProcessInfo, VersionInfo, process, processes, version_files, versions
from .diff import BundleDiff, Change, diff_files, diff_versions
from .drafts import DraftInfo, discard, draft_files, find_draft, open_draft, put_files, save_file
from .publish import check_draft, deploy_draft

__all__ = [
    "BundleDiff",
    "Change",
    "DraftInfo",
    "ProcessInfo",
    "VersionInfo",
    "check_draft",
    "deploy_draft",
    "diff_files",
    "diff_versions",
    "discard",
    "draft_files",
    "find_draft",
    "from_upload",
    "open_draft",
    "process",
    "processes",
    "put_files",
    "save_file",
    "to_zip",
    "version_files",
    "versions",
]
