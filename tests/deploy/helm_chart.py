"""`helm template` and `helm lint` of the Healthbook chart, with the real Helm binary."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.tools import REPO, run

CHART = REPO / "helm/healthbook"


class HelmError(RuntimeError):
    """Helm refused the chart or the values (its message names why)."""


def _values_file(values: Mapping[str, Any], directory: str) -> Path:
    path = Path(directory) / "values.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    return path


def template_text(
    values: Mapping[str, Any],
    *,
    release: str = "demo",
    namespace: str = "default",
    chart: Path = CHART,
    extra: tuple[str, ...] = (),
) -> str:
    """The output of `helm template` for `values` merged over the chart's values.yaml."""
    with tempfile.TemporaryDirectory() as directory:
        result = run(
            "helm",
            "template",
            release,
            chart,
            "--namespace",
            namespace,
            "--values",
            _values_file(values, directory),
            *extra,
        )
    if result.returncode != 0:
        raise HelmError(result.stderr.strip())
    return result.stdout


def render_chart(
    values: Mapping[str, Any],
    *,
    release: str = "demo",
    namespace: str = "default",
    extra: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Every manifest `helm template` renders (tests of `helm test` included)."""
    text = template_text(values, release=release, namespace=namespace, extra=extra)
    return [doc for doc in yaml.safe_load_all(text) if doc]


def lint(values: Mapping[str, Any]) -> str:
    """`helm lint --strict` with `values`; raises HelmError with its output on failure."""
    with tempfile.TemporaryDirectory() as directory:
        result = run("helm", "lint", "--strict", CHART, "--values", _values_file(values, directory))
    if result.returncode != 0:
        raise HelmError(result.stdout + result.stderr)
    return result.stdout
