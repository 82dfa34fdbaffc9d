"""compose.yaml as the tests read it: YAML anchors merged, `${NAME:-default}` resolved."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_PATH = REPO / "compose.yaml"
_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingInput(LookupError):
    """A `${NAME:?message}` the operator must provide is not in the environment."""


def load(path: Path = COMPOSE_PATH) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def operator_inputs(text: str) -> set[str]:
    """The variables compose refuses to start without (`${NAME:?message}`)."""
    return {m["name"] for m in _VARIABLE.finditer(text) if m["op"] in ("?", ":?")}


def interpolate(value: str, environ: Mapping[str, str] | None = None) -> str:
    """What compose makes of `value` in an environment (by default an empty one)."""
    given = environ or {}

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"] or "", match["arg"] or ""
        if given.get(name):
            return given[name]
        if "?" in op:
            raise MissingInput(f"{name}: {arg}")
        return arg

    return _VARIABLE.sub(substitute, value)


def environment(
    service: Mapping[str, Any], inputs: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A service's environment with interpolation applied (list or mapping form).

    `inputs` stands for what the operator exports; each required input missing from it
    reads as a placeholder.
    """
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    given = dict(inputs or {})
    for value in raw.values():
        for name in operator_inputs(str(value)):
            given.setdefault(name, f"<{name} from the operator>")
    return {str(k): interpolate(str(v), given) for k, v in raw.items() if v is not None}


def command(service: Mapping[str, Any]) -> list[str]:
    raw = service.get("command") or []
    return raw.split() if isinstance(raw, str) else [str(word) for word in raw]


def depends_on(service: Mapping[str, Any]) -> dict[str, str]:
    """Service name → condition (the short list form means service_started)."""
    raw = service.get("depends_on") or {}
    if isinstance(raw, list):
        return dict.fromkeys(raw, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in raw.items()}
