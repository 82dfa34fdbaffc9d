"""Importing the optional parts of a component (its consumers, seed, jobs) by name."""

from __future__ import annotations

import importlib
from types import ModuleType


def optional_module(name: str) -> ModuleType | None:
    """The module `name`, or None when it (or a package above it) does not exist.

    A module that exists but fails to import for another reason still raises.
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if name == missing or name.startswith(f"{missing}."):
            return None
        raise
