"""Rendering trail entries for a compliance officer: NDJSON (one JSON object a line) or CSV.

Only the trail's own columns go out (ids, roles, action, outcome, where, when, the chain's
`seq`, `prev_hash` and `hash` so the export itself can be checked); never anything else.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from enum import StrEnum
from typing import Final

import orjson

from subgraphs.shared.audit.chain import FIELDS, as_text
from subgraphs.shared.audit.trail import TrailEntry

COLUMNS: Final = ("seq", *FIELDS, "prev_hash", "hash")
_FORMULA: Final = frozenset("=+-@\t\r")


class ExportFormat(StrEnum):
    NDJSON = "NDJSON"
    CSV = "CSV"


CONTENT_TYPES: Final = {
    ExportFormat.NDJSON: "application/x-ndjson",
    ExportFormat.CSV: "text/csv",
}


def _record(row: TrailEntry) -> dict[str, str | int | None]:
    record: dict[str, str | int | None] = {"seq": row.seq}
    record.update({name: as_text(getattr(row, name)) for name in (*FIELDS, "prev_hash", "hash")})
    return record


def _cell(value: str | int | None) -> str | int | None:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in _FORMULA:
        return "'" + value
    return value


def render(rows: Iterable[TrailEntry], form: ExportFormat) -> str:
    """The entries as one NDJSON or CSV document (CSV with a header line)."""
    records = [_record(row) for row in rows]
    if form is ExportFormat.NDJSON:
        return "".join(orjson.dumps(r).decode() + "\n" for r in records)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in r.items()} for r in records)
    return out.getvalue()
