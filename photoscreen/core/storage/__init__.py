"""The session database: the store, its schema and migrations, decisions as rows, the check
of its records against the audit trail (:mod:`photoscreen.core.trail`), the folder lock,
this PC's fallback copy and centre file, and the session shared with a reviewer while staff
have it open.
"""

from __future__ import annotations

from photoscreen.core.storage import decisions, export_records, records_check
from photoscreen.core.storage.centre_file import CentreFile, default_centre_path
from photoscreen.core.storage.decisions import Snapshot
from photoscreen.core.storage.export_records import ExportRecord
from photoscreen.core.storage.fallback_copy import lock_and_open, open_store, open_store_for_reading
from photoscreen.core.storage.location import SessionLocation, locate_session
from photoscreen.core.storage.recorded_rules import differs, judged_before
from photoscreen.core.storage.records_check import Findings, RecordsGuard
from photoscreen.core.storage.review_access import open_for_review
from photoscreen.core.storage.session_lock import FolderLock, LockHolder, SessionLocked
from photoscreen.core.storage.store import Store, read_only_uri
from photoscreen.core.storage.store_errors import (
    DamagedValue,
    StoreError,
    WriteFailed,
    is_disk_full,
)

__all__ = [
    "CentreFile",
    "DamagedValue",
    "ExportRecord",
    "Findings",
    "FolderLock",
    "LockHolder",
    "RecordsGuard",
    "SessionLocation",
    "SessionLocked",
    "Snapshot",
    "Store",
    "StoreError",
    "WriteFailed",
    "decisions",
    "default_centre_path",
    "differs",
    "export_records",
    "is_disk_full",
    "judged_before",
    "locate_session",
    "lock_and_open",
    "open_for_review",
    "open_store",
    "open_store_for_reading",
    "read_only_uri",
    "records_check",
]
