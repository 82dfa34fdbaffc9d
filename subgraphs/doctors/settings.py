"""The doctors subgraph's own configuration variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from subgraphs.shared.settings import ConfigError, Variable

VARIABLES: Final[tuple[Variable, ...]] = (
    Variable(
        "DOCTORS_SEARCH_CACHE_SECONDS",
        "how long a doctor search result is cached (changes invalidate it at once anyway)",
        "60",
        components=("doctors",),
    ),
    Variable(
        "DOCTORS_PAGE_SIZE_MAX",
        "the largest page a doctor search may ask for",
        "100",
        components=("doctors",),
    ),
)


def _integer(values: Mapping[str, str], name: str, *, minimum: int, maximum: int) -> int:
    declared = next(v for v in VARIABLES if v.name == name)
    raw = values.get(name) or declared.default or ""
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


@dataclass(frozen=True)
class DoctorsSettings:
    search_cache_seconds: int = 60
    page_size_max: int = 100

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DoctorsSettings:
        values = dict(os.environ) if environ is None else environ
        return cls(
            search_cache_seconds=_integer(
                values, "DOCTORS_SEARCH_CACHE_SECONDS", minimum=1, maximum=86_400
            ),
            page_size_max=_integer(values, "DOCTORS_PAGE_SIZE_MAX", minimum=1, maximum=1000),
        )
