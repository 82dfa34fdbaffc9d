"""The garbage collector of a serving process, set for many long-lived connections.

CPython's cyclic collector walks every tracked object of a generation when it collects it.
A router holding thousands of WebSocket subscribers holds millions of long-lived objects,
and with the default thresholds (700, 10, 10) each delivery burst (one body per
subscriber, alive until its socket takes it) promotes enough short-lived objects to the
oldest generation to trigger a full collection every few changes: a 0.6 to 0.8 s pause of the
whole event loop at 5,000 subscribers (`python -m bench.live`, bench/LIVE.md), which was
the p99 of that change.

Two settings, applied once per process before it serves:

- `gc.freeze()` moves everything built at start-up (modules, the schema, the supergraph,
  plans warmed from persisted operations) out of every collection: it lives as long as the
  process, and walking it on each full collection only cost time.
- a first-generation threshold of 50,000 allocations instead of 700: a delivery burst's
  objects are mostly freed by reference counting before a collection sees them, so they
  are no longer promoted, and full collections come from real growth only. Cyclic garbage
  waits a little longer to be reclaimed (at most 50,000 allocations).
"""

from __future__ import annotations

import gc

__all__ = ["YOUNG_THRESHOLD", "settle_collector"]

YOUNG_THRESHOLD = 50_000


def settle_collector() -> None:
    """Freeze what exists now and raise the young generation's threshold (see module doc)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
