"""The serving process's collector settings (`router.collector`), in a process of their own
so this test run's collector is left as it is."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json
from router.collector import YOUNG_THRESHOLD, settle_collector
kept = [[] for _ in range(1000)]
before = gc.get_freeze_count()
settle_collector()
print(json.dumps({"threshold": gc.get_threshold(), "before": before,
                  "frozen": gc.get_freeze_count(), "young": YOUNG_THRESHOLD}))
"""


def probe() -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_what_exists_at_start_up_is_left_out_of_every_collection() -> None:
    result = probe()
    assert result["before"] == 0
    assert isinstance(result["frozen"], int)
    assert result["frozen"] >= 1000


def test_the_young_generation_waits_for_many_allocations_and_the_older_keep_theirs() -> None:
    result = probe()
    assert result["threshold"] == [result["young"], 10, 10]
    assert result["young"] == 50_000
