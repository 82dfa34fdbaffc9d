"""Node tooling from schema/node_modules: present after `make node`, required in CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parents[2] / "schema" / "node_modules"


def require_node_package(package: str) -> Path:
    """The installed package's folder; fails in CI and skips elsewhere when missing."""
    path = NODE_MODULES / package
    if shutil.which("node") and path.exists():
        return path
    message = f"node and {package} are needed (run `make node`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
