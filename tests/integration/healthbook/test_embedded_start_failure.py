"""`healthbook up` ends when its start fails, instead of living on without serving."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from healthbook import embedded
from healthbook.keys import with_embedded_secrets
from healthbook.stores import migrate
from subgraphs.shared.settings import Settings
from tests.support.processes import free_ports


def test_a_mailbox_port_taken_at_start_fails_the_start_and_leaves_no_thread_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = with_embedded_secrets(
        Settings.from_env({"HEALTHBOOK_DATA_DIR": str(tmp_path), **free_ports()})
    )
    migrate(settings, None)

    def taken(_settings: Settings) -> None:
        raise OSError(98, "error while attempting to bind: address already in use")

    monkeypatch.setattr(embedded, "_local_mailbox", taken)
    before = set(threading.enumerate())
    with pytest.raises(OSError, match="address already in use"):
        asyncio.run(embedded._run(settings, load_demo=False))
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert [t.name for t in left if not t.daemon] == []  # the process can exit
