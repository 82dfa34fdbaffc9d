"""What resolvers take from the request: the caller, the store, the cache, the clock, ids."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader

from subgraphs.doctors.settings import DoctorsSettings
from subgraphs.shared.errors import BadUserInput
from subgraphs.shared.graphql import Context

Info = strawberry.Info[Context, None]
K = TypeVar("K")
V = TypeVar("V")

CLOCK = "doctors.clock"
SETTINGS = "doctors.settings"


def now(info: Info) -> datetime:
    """The current time (tests put a fixed clock in `resources.extras`)."""
    clock: Callable[[], datetime] | None = info.context.resources.extras.get(CLOCK)
    return clock() if clock is not None else datetime.now(UTC)


def settings(info: Info) -> DoctorsSettings:
    extras = info.context.resources.extras
    if SETTINGS not in extras:
        extras[SETTINGS] = DoctorsSettings.from_env()
    value: DoctorsSettings = extras[SETTINGS]
    return value


def parse_id(value: str, field: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise BadUserInput(f"{field} is not a valid id.", field=field) from None


def loader(
    info: Info, name: str, load: Callable[[Sequence[K]], Awaitable[Sequence[V]]]
) -> DataLoader[K, V]:
    """The request's DataLoader called `name`, created on first use."""
    loaders: dict[str, Any] = info.context.loaders
    if name not in loaders:
        loaders[name] = DataLoader(load_fn=load)
    found: DataLoader[K, V] = loaders[name]
    return found
