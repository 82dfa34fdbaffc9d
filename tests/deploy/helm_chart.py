"""`helm template` for the Healthbook chart, with the test renderer of Go templates."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.gotemplate import Renderer


def render_chart(
    chart: Path, values: Mapping[str, Any], *, release: str = "demo", namespace: str = "default"
) -> list[dict[str, Any]]:
    """Every manifest of `chart` for these values (merged over its values.yaml), like
    `helm template`: `_*.tpl` files only define, empty documents are dropped."""
    meta = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))
    dot = {
        "Values": merge(defaults, values),
        "Release": {"Name": release, "Namespace": namespace, "Service": "Helm"},
        "Chart": {
            "Name": meta["name"],
            "Version": meta["version"],
            "AppVersion": meta.get("appVersion", ""),
        },
    }
    templates = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted((chart / "templates").iterdir())
        if path.suffix in (".yaml", ".tpl")
    }
    renderer = Renderer(templates)
    manifests: list[dict[str, Any]] = []
    for name in templates:
        if name.startswith("_"):
            continue
        text = renderer.render(name, dot)
        manifests.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return manifests


def merge(base: Any, override: Any) -> Any:
    """Helm's value merge: maps merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(override, Mapping):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base.get(key), value)
        return merged
    return override
