"""`healthbook serve scheduler`: the periodic dispatcher of due reminders."""

from __future__ import annotations

import importlib

from subgraphs.shared.settings import Settings


def run_scheduler(settings: Settings) -> int:
    """Run the notifications scheduler until stopped."""
    module = importlib.import_module("healthbook.notifications_scheduler")
    code: int = module.run(settings)
    return code
