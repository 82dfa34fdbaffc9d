"""The whole-run log scan fails a run whose logs hold a secret, names where, and masks it.

Each case is a real pytest run (in a subprocess, on xdist's two workers as `make test` runs)
of a tiny generated suite with the plugin loaded as tests/conftest.py loads it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.processes import REPO_ROOT
from tests.support.suite_logs import ENV

JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"
HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
TOKEN = "Xq3vB9kLm2Zp7RtY4wNc8HjD1sFgA6eUoI5yTrEiWqA"  # secrets.token_urlsafe(32)'s shape
EMAIL = "pat@example.test"

RECORDS = f'''
import logging

def test_a_failed_store_logs_its_parameters():
    logging.getLogger("subgraphs.identity").error("insert failed: %s", ("{HASH}", "{JWT}"))

def test_a_refresh_logs_the_token():
    logging.getLogger("subgraphs.identity").warning("refresh reused: {TOKEN}")
'''
PROCESS = f"""
from tests.support.suite_logs import keep

def test_a_server_prints_a_traceback_with_an_address(tmp_path):
    log = tmp_path / "identity.log"
    log.write_text("starting\\nTraceback: unique violation for {EMAIL}\\n")
    keep(log)
"""
CLEAN = f"""
import logging
from tests.support.suite_logs import keep

def test_a_login_logs_no_secret():
    logging.getLogger("subgraphs.identity").warning("login refused for user 42")

def test_a_library_at_debug_that_production_keeps_at_warning(caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("aiosqlite").debug("executing ('{HASH}',)")  # LOG_LEVEL=DEBUG drops it

def test_the_demo_banner_names_its_documented_accounts(tmp_path):
    log = tmp_path / "up.log"
    log.write_text(
        "Healthbook is running\\n"
        "  demo accounts  admin@healthbook.local, patient@healthbook.local, "
        "dr.silva@healthbook.local (password: healthbook-demo)\\n"
    )
    keep(log)
"""


def _run(tmp_path: Path, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ("tests.support.suite_logs",)\n')
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    env = {key: value for key, value in os.environ.items() if key != ENV}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _forget_the_run(out: str) -> None:
    """Remove the directory a failed scan keeps for a person to read."""
    kept = re.search(r"every file is in (\S+)", out)
    assert kept, out
    shutil.rmtree(kept.group(1))


def test_a_hash_a_jwt_a_token_or_an_email_in_any_log_fails_the_run(tmp_path: Path) -> None:
    run = _run(tmp_path, {"test_records.py": RECORDS, "test_process.py": PROCESS})
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "3 passed" in out  # the tests pass: the scan fails the run
    assert "secrets in the logs of this run" in out
    _forget_the_run(out)
    records = [line for line in out.splitlines() if "a record of test_records.py::" in line]
    assert any("argon2 hash" in line for line in records), out
    assert any("JWT" in line for line in records), out
    assert any("256-bit token" in line and "refresh reused" in line for line in records), out
    email = [line for line in out.splitlines() if ":2: email (output of a process" in line]
    assert email, out
    assert "identity.log" in email[0], out  # the file and the line
    for secret in (JWT, HASH, "c2FsdHNhbHQ", TOKEN, EMAIL):
        assert secret not in out + run.stderr  # named, never shown


def test_clean_logs_and_the_cases_named_as_expected_pass(tmp_path: Path) -> None:
    run = _run(tmp_path, {"test_clean.py": CLEAN})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "logs scanned for secrets" in run.stdout
    assert "secrets in the logs" not in run.stdout
