"""Small things every part of the core may use: face boxes, file names as the system gives
them, printable text, cancel tokens, freed memory, process identity.
"""

from __future__ import annotations

from photoscreen.core.basics.file_names import (
    name_from_store,
    name_key,
    path_digest,
    shown_name,
    stored_name,
)
from photoscreen.core.basics.freed_memory import return_big_buffers_promptly
from photoscreen.core.basics.geometry import SAME_FACE_INSIDE, SAME_FACE_IOU, Box, same_face
from photoscreen.core.basics.jobs import Cancelled, CancelToken, Progress
from photoscreen.core.basics.printable import printable
from photoscreen.core.basics.process_identity import boot_id, pid_alive, process_started
from photoscreen.core.basics.safe_files import (
    open_without_following,
    sync_directory,
    temporary_name,
    write_and_sync,
    write_atomically,
)
from photoscreen.core.basics.user_folders import config_dir, data_dir

__all__ = [
    "SAME_FACE_INSIDE",
    "SAME_FACE_IOU",
    "Box",
    "CancelToken",
    "Cancelled",
    "Progress",
    "boot_id",
    "config_dir",
    "data_dir",
    "name_from_store",
    "name_key",
    "open_without_following",
    "path_digest",
    "pid_alive",
    "printable",
    "process_started",
    "return_big_buffers_promptly",
    "same_face",
    "shown_name",
    "stored_name",
    "sync_directory",
    "temporary_name",
    "write_and_sync",
    "write_atomically",
]
