"""The edge scenarios of issue 11: one or more small federations per planner behaviour and
per federation directive, declared with `tests.router.scenarios.declare`.

Their supergraphs (composed by `@theguild/federation-composition`) are committed here as
`<name>.graphql`; `python -m tests.router.scenarios` recomposes them and
`python -m tests.router.scenarios --summary` prints what they cover and what is marked as
answered wrongly today. `tests/router/differential/test_edge_scenarios.py` runs them all.
"""

from __future__ import annotations

import re
from collections import Counter

from tests.router.scenarios import Scenario
from tests.router.scenarios.declare import Case

__all__ = ["edge_scenarios", "summary"]

BEHAVIOURS = {
    1: "response-key conflicts in subgraph queries",
    2: "a field's type differs between subgraphs",
    3: "work split across subgraphs (value types, parent re-fetch, multi-hop keys)",
    4: "root choice among shareable subgraphs counts @provides",
    5: "@external key fields",
    6: "@interfaceObject",
    7: "@inaccessible and the public schema",
    8: "@requires with fragments on abstract types",
    9: "partial unions",
    10: "lean plans",
}


def edge_scenarios() -> list[Scenario]:
    from tests.router.scenarios.edge import (
        conflicts,
        directives,
        external,
        inaccessible,
        interface_objects,
        lean,
        requires,
        roots,
        split,
        type_mismatch,
        unions,
    )

    modules = (
        conflicts,
        type_mismatch,
        split,
        roots,
        external,
        interface_objects,
        inaccessible,
        requires,
        unions,
        lean,
        directives,
    )
    return [scenario for module in modules for scenario in module.SCENARIOS]


def _behaviour(reason: str) -> str:
    """`planner: behaviour 3: ...` -> `behaviour 3`; `planner: progressive @override: ...`."""
    if reason.startswith("hive:"):
        return "Hive Gateway wrong"
    found = re.match(r"\s*planner:\s*([^:]+):", reason)
    return found.group(1).strip() if found else "other"


def summary(scenarios: list[Scenario] | None = None) -> str:
    """Scenarios, cases and today's xfail marks, by behaviour and by directive."""
    scenarios = edge_scenarios() if scenarios is None else scenarios
    cases = [c for s in scenarios for c in s.operations]
    lines = [
        f"{len(scenarios)} edge scenarios, {len(cases)} hand-written cases "
        f"(+ generated operations on each scenario)",
    ]
    for number, title in BEHAVIOURS.items():
        names = [s.name for s in scenarios if number in s.extra["behaviours"]]
        lines.append(f"  behaviour {number:>2} ({title}): {len(names)} scenarios")
    directives = Counter(d for s in scenarios for d in s.extra["directives"])
    lines.append("  directives: " + ", ".join(f"{d} {n}" for d, n in sorted(directives.items())))
    marks: Counter[str] = Counter()
    hive_wrong = 0
    for scenario in scenarios:
        for case in scenario.operations:
            assert isinstance(case, Case)
            for kind, reason in (("answer", case.xfail), ("requests", case.more_requests)):
                if reason:
                    marks[f"{_behaviour(reason)} ({kind})"] += 1
            hive_wrong += bool(case.hive_wrong)
        if scenario.extra["generated_xfail"]:
            marks[f"{_behaviour(scenario.extra['generated_xfail'])} (generated)"] += 1
    lines.append(f"xfail marks (strict): {sum(marks.values())}")
    lines.extend(f"  {key}: {count}" for key, count in sorted(marks.items()))
    lines.append(f"cases where Hive Gateway is wrong (ours held to `expect`): {hive_wrong}")
    reference = [s.name for s in scenarios if s.extra["generated_hive_wrong"]]
    lines.append(
        f"scenarios whose generated operations Hive Gateway answers wrongly (ours held to "
        f"the Reference answer there): {len(reference)} {reference}"
    )
    from tests.router.scenarios import all_scenarios

    first = [s for s in all_scenarios() if s.extra.get("generated_xfail")]
    lines.append(
        f"first six scenarios (also in the differential suite): {len(first)} generated xfail"
        + "".join(f"\n  {s.name}: {s.extra['generated_xfail']}" for s in first)
    )
    return "\n".join(lines)
