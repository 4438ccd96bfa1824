"""File names as the operating system gives them, which is not always text.

On Linux a file name is bytes. One written by an old camera, a card reader or a Windows
PC in another code page ("caf\\xe9.jpg" in Latin-1) is not valid UTF-8, and Python hands
it over with each such byte as a lone surrogate ("caf\\udce9.jpg"); Windows allows
unpaired UTF-16 surrogates in names too. Such a string opens the file, but cannot be
encoded as UTF-8: SQLite, a UTF-8 log file and a JSON document refuse it, and Qt drops
the odd character without a word (two different files would then show, and be looked
up, under one name).

So a name is kept exactly as Python gives it everywhere in memory, and converted only at
the edges, here:

- :func:`stored_name` / :func:`name_from_store`: in the session database, a name that is
  valid text is stored as text; any other as the bytes the system uses (a BLOB), which can
  never equal a text value, so the mapping is one to one and old sessions read as before;
- :func:`shown_name`: for people (the window, logs, summaries, the command line): each
  undecodable byte as ``\\xe9`` and control characters made visible (see
  :mod:`~photoscreen.core.basics.printable`);
- :func:`name_key`: an id for a file that survives Qt's strings: the name itself when it
  is valid text, else ``"/"`` and the hex of its bytes (no file name contains ``/``);
- :func:`path_digest`: a short id for a path, for the names of things photoscreen keeps
  about a folder in the per-user data folder.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from photoscreen.core.basics.printable import printable


def is_text(name: str) -> bool:
    """Whether ``name`` is valid Unicode text (no lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def stored_name(name: str) -> str | bytes:
    """``name`` as the session database keeps it: text, or the system's bytes."""
    return name if is_text(name) else os.fsencode(name)


def name_from_store(value: str | bytes) -> str:
    """The name :func:`stored_name` stored, as Python gives it for the file."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def shown_name(name: str | os.PathLike[str]) -> str:
    """A name or path for people to read: undecodable bytes and controls made visible."""
    return printable(os.fspath(name))


def name_key(name: str) -> str:
    """An id for the file ``name`` that is valid text, one to one with the name."""
    return name if is_text(name) else "/" + os.fsencode(name).hex()


def path_digest(path: Path) -> str:
    """A short id, one per path (resolved): a hash of the system's bytes for it, which
    are the same as its UTF-8 for a path that is text, so ids made before are kept."""
    return hashlib.sha256(os.fsencode(Path(path).resolve())).hexdigest()[:20]
