"""What each Healthbook process reads, to check a deployment's environment against the code."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from subgraphs.shared.modules import optional_module
from subgraphs.shared.settings import COMPONENTS, Settings

# Processes that open every store.
ALL_STORES = ("worker", "scheduler", "migrate", "seed")
# Where the image keeps the committed supergraph (WORKDIR /app + COPY schema/...).
IMAGE_SUPERGRAPH = "/app/schema/supergraph.graphql"


def serve_arguments(component: str) -> list[str]:
    """The `healthbook` arguments that run `component` from the image."""
    extra = ["--supergraph", IMAGE_SUPERGRAPH] if component == "router" else []
    return ["serve", component, *extra]


def private_key_pem() -> str:
    """A fresh Ed25519 signing key, as an operator would generate for JWT_PRIVATE_KEY."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def settings_classes(module_name: str) -> list[Any]:
    """The classes with a `from_env` that a settings module defines (none if it is absent)."""
    module = optional_module(module_name)
    if module is None:
        return []
    return [
        item
        for item in vars(module).values()
        if inspect.isclass(item)
        and item.__module__ == module.__name__
        and callable(getattr(item, "from_env", None))
    ]


def check_environment(process: str, env: Mapping[str, str]) -> None:
    """Read `env` as `process` would at start; raises the code's own ConfigError if wrong."""
    settings = Settings.from_env(env)
    readers = COMPONENTS if process in ALL_STORES else (process,)
    for name in readers:
        if name in COMPONENTS:
            settings.require_database(name)
        for reader in settings_classes(f"subgraphs.{name}.settings"):
            reader.from_env(env)
    if process == "router":
        for reader in settings_classes("router.config"):
            reader.from_env(env)
