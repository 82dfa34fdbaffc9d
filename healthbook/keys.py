"""Secrets the embedded mode generates for itself into the data directory (never committed)."""

from __future__ import annotations

import dataclasses
import os
import secrets
from pathlib import Path

from subgraphs.shared.settings import Settings


def secret_file(path: Path, *, nbytes: int = 32) -> str:
    """The secret stored at `path`, created (mode 0600) on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value)
    return value


def with_embedded_secrets(settings: Settings) -> Settings:
    """Settings with a router signing key, generated into the data directory when unset."""
    if settings.signing_key:
        return settings
    key = secret_file(settings.data_dir / "secrets" / "signing.key")
    return dataclasses.replace(settings, signing_key=key)
