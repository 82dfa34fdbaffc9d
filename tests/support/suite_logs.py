"""One grep over a whole test run's logs for secrets (issue 15 item 1), as a pytest plugin.

Every pytest process (the xdist controller and each worker) writes each log record that
reaches the root logger into `<run dir>/records-<pid>.jsonl`: the line the production JSON
formatter makes of it and its raw message (with the traceback), tagged with the test that was
running. `keep(log)` copies a server's or worker's output there once the process has stopped
(`tests/support/processes.py` calls it). When the session ends the controller streams every
file through `secret_scan`: a hit fails the run (exit status 1) and is printed with its file,
line and test, the secret masked. The run directory is removed when clean, kept otherwise.

The formatted lines are checked for every shape, emails included (the formatter masks them all);
the raw messages for the secrets proper, so that a hash or token the formatter happens to catch
still fails the run: code must not hand them to a logger at all. What legitimately holds such a
string is named below, one case at a time, with the reason.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import orjson
import pytest

from subgraphs.shared.logs import JsonFormatter, logger_levels
from tests.support import secret_scan
from tests.support.secret_scan import Hit

ENV: Final = "HEALTHBOOK_SUITE_LOGS"
RECORDS: Final = "records-*.jsonl"
PROCESSES: Final = "processes-*.tsv"
SHOWN: Final = 30  # hits printed; the rest are counted


@dataclass(frozen=True)
class Expected:
    """Output that holds a secret's shape on purpose: a whole line, matched exactly."""

    line: re.Pattern[str]
    reason: str


# A process's console output (not log records) that shows what a person must see.
CONSOLE: Final = (
    Expected(
        re.compile(
            r"  demo accounts  admin@healthbook\.local, patient@healthbook\.local, "
            r"dr\.silva@healthbook\.local \(password: healthbook-demo\)"
        ),
        "`healthbook up --seed` announces the documented demo accounts (healthbook/embedded.py)",
    ),
    Expected(
        re.compile(r"created admin [^\s@]+@[^\s@]+ \([0-9a-f-]{36}\)"),
        "`healthbook create-admin` confirms the account it created to the operator who typed it",
    ),
)

_current_test = "(outside any test)"
_kept = itertools.count()


# The least each library logger may log in production (LOG_LEVEL=DEBUG, the most verbose):
# a test that turns aiosqlite or SQLAlchemy down to DEBUG (caplog) sees statement parameters
# and rows that configure_logging never lets through, so those records are not collected.
FLOOR: Final = logger_levels("DEBUG")


def written_in_production(record: logging.LogRecord) -> bool:
    """Whether `configure_logging` lets `record` through at its most verbose level."""
    name = record.name
    while name:
        if name in FLOOR:
            return record.levelno >= FLOOR[name]
        name = name.rpartition(".")[0]
    return True


class _Collector(logging.Handler):
    """Writes each record production would write, formatted and raw, as one JSON line."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._file = path.open("ab")
        self._formatter = JsonFormatter("tests")

    def emit(self, record: logging.LogRecord) -> None:
        if self._file.closed or not written_in_production(record):
            return  # closed: a server thread still logging after the session's end
        try:
            raw = record.getMessage()
            if record.exc_info:
                raw += "\n" + self._formatter.formatException(record.exc_info)
            entry = {"test": _current_test, "line": self._formatter.format(record), "raw": raw}
            self._file.write(orjson.dumps(entry, default=str) + b"\n")
            self._file.flush()
        except Exception:  # a log record must never fail the code that logs it
            self.handleError(record)

    def close(self) -> None:
        """Kept open: `logging.config.dictConfig` (uvicorn.Config calls it) closes every
        handler but leaves this one on the root logger, still receiving records."""

    def finish(self) -> None:
        logging.getLogger().removeHandler(self)
        self.acquire()
        try:
            self._file.close()
        finally:
            self.release()
        super().close()


_collector: _Collector | None = None


def run_directory() -> Path | None:
    directory = os.environ.get(ENV)
    return Path(directory) if directory else None


def keep(log: Path) -> None:
    """Copy a stopped process's output `log` into the run's directory for the final scan."""
    directory = run_directory()
    if directory is None or not log.is_file():
        return
    kept = directory / f"process-{os.getpid()}-{next(_kept)}-{log.name}"
    shutil.copyfile(log, kept)
    with (directory / f"processes-{os.getpid()}.tsv").open("a") as index:
        index.write(f"{kept.name}\t{_current_test}\t{log}\n")


def pytest_configure(config: pytest.Config) -> None:
    global _collector
    if not hasattr(config, "workerinput"):  # the controller (or the only process)
        os.environ[ENV] = tempfile.mkdtemp(prefix="healthbook-suite-logs-")
    directory = run_directory()
    assert directory is not None
    _collector = _Collector(directory / f"records-{os.getpid()}.jsonl")
    logging.getLogger().addHandler(_collector)


def pytest_runtest_logstart(nodeid: str) -> None:
    global _current_test
    _current_test = nodeid
    root = logging.getLogger()
    if _collector is not None and _collector not in root.handlers:  # configure_logging
        root.addHandler(_collector)  # replaces the root's handlers: take ours back


def pytest_runtest_logfinish(nodeid: str) -> None:
    global _current_test
    _current_test = f"(after {nodeid})"


_hits: list[Hit] = []
_scanned: dict[str, float] = {}


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _collector is not None:
        _collector.finish()
    if hasattr(session.config, "workerinput"):
        return
    directory = run_directory()
    assert directory is not None
    started = time.perf_counter()
    _hits.extend(scan_run(directory))
    _scanned.update(
        files=len(list(directory.glob("*"))),
        megabytes=sum(path.stat().st_size for path in directory.glob("*")) / 1e6,
        seconds=time.perf_counter() - started,
    )
    if _hits and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    if _collector is not None and not _collector._file.closed:  # no session ran (--help)
        _collector.finish()
    directory = run_directory()
    if directory is not None and not hasattr(config, "workerinput") and not _hits:
        shutil.rmtree(directory, ignore_errors=True)  # kept only for a person to read hits


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _scanned:
        line = "logs scanned for secrets: {files:.0f} files, {megabytes:.1f} MB in {seconds:.2f} s"
        terminalreporter.write_line(line.format(**_scanned))
    if not _hits:
        return
    terminalreporter.section("secrets in the logs of this run", red=True)
    for hit in _hits[:SHOWN]:
        terminalreporter.write_line(str(hit))
    if len(_hits) > SHOWN:
        terminalreporter.write_line(f"… and {len(_hits) - SHOWN} more")
    terminalreporter.write_line(f"{len(_hits)} secret(s) found; every file is in {run_directory()}")


def scan_run(directory: Path) -> Iterator[Hit]:
    """Every hit in the records and the kept process outputs under `directory`."""
    for path in sorted(directory.glob(RECORDS)):
        yield from _scan_records(path)
    for index in sorted(directory.glob(PROCESSES)):
        for entry in index.read_text().splitlines():
            name, test, original = entry.split("\t")
            yield from _scan_output(directory / name, f"output of a process of {test}, {original}")


def _scan_records(path: Path) -> Iterator[Hit]:
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            entry = orjson.loads(line)
            origin = f"a record of {entry['test']}"
            hits = secret_scan.scan(str(path), number, entry["line"], origin=origin)
            seen = {hit.kind for hit in hits}
            raw = secret_scan.scan(
                str(path), number, entry["raw"], secret_scan.SECRETS, f"raw message of {origin}"
            )
            yield from hits
            yield from (hit for hit in raw if hit.kind not in seen)


def _scan_output(path: Path, origin: str) -> Iterator[Hit]:
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            text = line.rstrip("\n")
            if any(expected.line.fullmatch(text) for expected in CONSOLE):
                continue
            yield from secret_scan.scan(str(path), number, text, origin=origin)
