"""Embedded data stays private: directories 0700, stores (with WAL/SHM), mail and SMS 0600."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from subgraphs.notifications.channels.sms import SinkSms
from subgraphs.shared.database import Database
from subgraphs.shared.private_files import private_directory


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual default, which makes files 0644
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


async def test_a_sqlite_store_and_its_wal_and_shm_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "identity.sqlite3"
    database = Database.from_url(f"sqlite+aiosqlite:///{path}")
    try:
        async with database.engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (secret TEXT)"))
            await connection.execute(text("INSERT INTO t VALUES ('x')"))
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists()
        assert shm.exists()
        assert [mode(p) for p in (path, wal, shm)] == [0o600, 0o600, 0o600]
        assert mode(path.parent) == 0o700
    finally:
        await database.dispose()


async def test_an_existing_world_readable_store_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    path.write_bytes(b"")
    Path(f"{path}-wal").write_bytes(b"")
    os.chmod(path, 0o644)
    database = Database.from_url(f"sqlite+aiosqlite:///{path}")
    await database.dispose()
    assert mode(path) == 0o600
    assert mode(Path(f"{path}-wal")) == 0o600


async def test_the_sms_sink_file_is_owner_only(tmp_path: Path) -> None:
    sink = SinkSms(tmp_path / "data" / "sms-sink.jsonl")
    await sink.send(to="+4930123456", body="Your visit", reference="r1")
    assert mode(sink.path) == 0o600
    assert mode(sink.path.parent) == 0o700


def test_the_mailbox_is_owner_only(tmp_path: Path) -> None:
    import smtplib

    from subgraphs.notifications.channels.smtp_sink import SmtpSink

    mbox = tmp_path / "data" / "mail.mbox"
    sink = SmtpSink(mbox=mbox).start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as client:
            client.sendmail("a@example.org", ["b@example.org"], b"Subject: reset\r\n\r\nlink")
    finally:
        sink.stop()
    assert mode(mbox) == 0o600
    assert mode(mbox.parent) == 0o700


def test_the_data_directory_itself_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    private_directory(data, existing_too=True)
    assert mode(data) == 0o700
