"""Files only their owner may read: stores with password hashes, mail with live reset links.

Directories Healthbook creates are 0700 and its files 0600, whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Final

DIRECTORY_MODE: Final = 0o700
FILE_MODE: Final = 0o600
# SQLite's companions of a database file (it creates them with the database file's mode).
SQLITE_COMPANIONS: Final = ("-wal", "-shm", "-journal")


def private_directory(path: Path, *, existing_too: bool = False) -> Path:
    """Create `path` (and missing parents) as 0700; with `existing_too` also tighten it."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=DIRECTORY_MODE, exist_ok=True)
        os.chmod(directory, DIRECTORY_MODE)  # mkdir's mode is filtered by the umask
    if existing_too and path.is_dir():
        os.chmod(path, DIRECTORY_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make sure `path` exists as a 0600 file (its directory created 0700 when missing)."""
    private_directory(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    os.close(descriptor)
    os.chmod(path, FILE_MODE)
    return path


def private_sqlite(path: Path) -> Path:
    """The database file 0600 before SQLite opens it, and companions left from earlier runs."""
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path.with_name(path.name + suffix), FILE_MODE)
    return path
