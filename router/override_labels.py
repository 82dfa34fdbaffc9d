"""Progressive `@override` labels: which ones are active for one request.

A field moved with `@override(from: "old", label: "...")` resolves in the overriding
subgraph while its label is active and in the overridden one otherwise. Two kinds of label:

- `percent(N)` (N from 0 to 100, decimals allowed): rolled once per request per label, from
  an injectable random source (`[0, 1)` floats, e.g. a seeded `random.Random().random`);
  active when `100 * roll < N` (`percent(0)` is never active, `percent(100)` always, neither
  takes a roll);
- any other label (`^[a-zA-Z][a-zA-Z0-9_\\-:./]*$`, like Apollo Router's): active only when
  switched on by configuration (`ROUTER_OVERRIDE_LABELS`); a `percent(N)` named there is
  always active.

The planner plans (and the gateway caches plans) per set of active labels
(`router.ownership.Ownership(active_labels=...)`), so only the labels a supergraph uses can
make a difference, and the number of distinct plans per operation is bounded by the sets
that can occur (2^labels at worst; in practice one or two per label in rollout).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # router.supergraph reads router.config, which reads this module
    from router.supergraph import Supergraph

__all__ = ["LABEL", "OverrideLabels", "Roll", "parse_labels", "percent_of"]

LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
_PERCENT = re.compile(r"^percent\((\d+(?:\.\d+)?)\)$")

Roll = Callable[[], float]


def percent_of(label: str) -> float | None:
    """N of `percent(N)` (0 to 100), or None for another label."""
    found = _PERCENT.match(label)
    if found is None:
        return None
    value = float(found.group(1))
    return value if 0 <= value <= 100 else None


def parse_labels(text: str) -> frozenset[str]:
    """Labels from a comma-separated list; `ValueError` naming the first malformed one."""
    labels = frozenset(part.strip() for part in text.split(",") if part.strip())
    for label in sorted(labels):
        if percent_of(label) is None and (label.startswith("percent(") or not LABEL.match(label)):
            raise ValueError(f"{label!r} is not an override label")
    return labels


@dataclass(frozen=True)
class OverrideLabels:
    """The labels a supergraph uses, and those switched on by configuration."""

    percents: Mapping[str, float] = field(default_factory=dict)  # percent(N) label -> N
    enabled: frozenset[str] = frozenset()  # labels of the supergraph always active

    @classmethod
    def of(cls, supergraph: Supergraph, enabled: Iterable[str] = ()) -> OverrideLabels:
        used = {
            join.override_label
            for joins in supergraph.field_joins.values()
            for join in joins
            if join.override_label is not None
        }
        percents = {label: n for label in used if (n := percent_of(label)) is not None}
        return cls(percents=percents, enabled=frozenset(enabled) & used)

    @property
    def used(self) -> bool:
        """Whether any request can have a label active (else `roll` is always empty)."""
        return bool(self.percents or self.enabled)

    def roll(self, random: Roll) -> frozenset[str]:
        """The labels active for one request: one roll per `percent(N)` label with
        0 < N < 100 that is not enabled, in label order (so a seeded source gives the same
        labels every run); `percent(100)` is always active, `percent(0)` never."""
        active = set(self.enabled)
        for label in sorted(self.percents):
            share = self.percents[label]
            if label in active or share <= 0:
                continue
            if share >= 100 or 100 * random() < share:
                active.add(label)
        return frozenset(active)
