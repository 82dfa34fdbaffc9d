"""Migrating and seeding the stores of every subgraph."""

from __future__ import annotations

import logging

from healthbook.components import present_subgraphs
from subgraphs.shared.migrations import upgrade
from subgraphs.shared.modules import optional_module
from subgraphs.shared.resources import Resources, Shared
from subgraphs.shared.settings import Settings

log = logging.getLogger(__name__)


def migrate(settings: Settings, components: tuple[str, ...] | None) -> None:
    """Apply every pending Alembic migration to the named stores (all by default)."""
    for name in components or present_subgraphs():
        upgrade(name, settings.require_database(name))
        log.info("store migrated", extra={"store": name})


async def seed(settings: Settings, shared: Shared | None = None) -> list[str]:
    """Load demo data into each store that is empty; returns the stores seeded or checked."""
    done = []
    for name in present_subgraphs():
        module = optional_module(f"subgraphs.{name}.seed")
        if module is None:
            continue
        resources = Resources.open(name, settings, shared=shared)
        try:
            await module.seed(resources)
        finally:
            await resources.close()
        done.append(name)
    return done
