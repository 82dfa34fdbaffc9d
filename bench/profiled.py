"""`python -m bench.profiled OUT.prof <healthbook arguments…>`: the `healthbook` command with
a cProfile profiler the bench switches on and off from outside, so that a profile covers the
measured requests and not the start-up: SIGUSR1 starts profiling the main thread's CPU time (the
server's event loop), SIGUSR2 stops it and writes the statistics to OUT.prof (pstats, renamed
into place whole). `bench.subgraphs` runs the subgraphs this way."""

from __future__ import annotations

import cProfile
import os
import signal
import sys
import time
from types import FrameType

from healthbook.cli import main as healthbook


def main() -> int:
    out, *argv = sys.argv[1:]
    # CPU time of the main thread, not wall time: on a loaded machine wall time is mostly
    # waiting for a core. (SQLite's work in aiosqlite's thread is therefore not in it.)
    profiler = cProfile.Profile(time.thread_time)

    def start(_signum: int, _frame: FrameType | None) -> None:
        profiler.clear()  # each window its own profile
        profiler.enable()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        profiler.disable()
        profiler.dump_stats(f"{out}.part")
        os.replace(f"{out}.part", out)  # whoever waits for OUT sees it whole

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    return healthbook(argv)


if __name__ == "__main__":
    sys.exit(main())
