"""The web app's typed operations (web/src/gql/, GraphQL Code Generator) match the committed
supergraph and the operations in web/src/**/*.graphql: regenerate with `npm run codegen`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
CODEGEN = WEB / "node_modules" / ".bin" / "graphql-codegen"


@pytest.mark.node
@pytest.mark.timeout(180)
def test_generated_operation_types_are_fresh() -> None:
    if not (shutil.which("node") and CODEGEN.exists()):
        message = "the web app's node_modules are needed (run `make node`)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    process = subprocess.run(
        [str(CODEGEN), "--config", "codegen.ts", "--check"],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    assert process.returncode == 0, (
        "web/src/gql/ is stale: run `cd web && npm run codegen` and commit it\n"
        + process.stdout[-2000:]
        + process.stderr[-2000:]
    )
