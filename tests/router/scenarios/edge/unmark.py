"""Remove the xfail marks of cases that pass now (after a planner fix).

    .venv/bin/pytest tests/router/differential/test_edge_scenarios.py -q --junitxml=/tmp/edge.xml
    .venv/bin/python -m tests.router.scenarios.edge.unmark /tmp/edge.xml

reads the `XPASS(strict)` test ids from that JUnit report and deletes the matching `xfail=`,
`more_requests=` or (generated operations) `generated_xfail=` arguments from the scenario
modules: the edge scenarios' `declare(...)` calls and the first six scenarios'
`Scenario(..., extra={"generated_xfail": ...})` (an `extra` left empty goes too); run
`ruff format` after it and review the diff before committing.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from xml.etree import ElementTree

HERE = Path(__file__).parent
MODULES = (HERE, HERE.parent)  # the edge scenarios and the first six
_ID = re.compile(r"(test_\w+)\[(\w+?)(?:-(\d+))?\]")
_KIND = {
    "test_hand_written_case_answers_like_hive_gateway": "xfail",
    "test_hand_written_case_needs_no_more_subgraph_requests_than_hive_gateway": "more_requests",
    "test_generated_operations_answer_like_hive_gateway_with_no_more_requests": "generated_xfail",
}


def passing_marks(report: Path) -> set[tuple[str, int | None, str]]:
    """(scenario, case index or None, keyword) for every XPASS(strict) test of the report."""
    found = set()
    for case in ElementTree.parse(report).iter("testcase"):  # noqa: S314 - our own report
        failure = case.find("failure")
        if failure is None or "XPASS(strict)" not in (failure.get("message") or ""):
            continue
        match = _ID.fullmatch(case.get("name") or "")
        if match and match.group(1) in _KIND:
            index = int(match.group(3)) if match.group(3) is not None else None
            found.add((match.group(2), index, _KIND[match.group(1)]))
    return found


def unmark(source: str, marks: set[tuple[str, int | None, str]]) -> str:
    """`source` without the keyword arguments (or `extra` entries) `marks` names."""
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))

    def span(first: ast.expr | ast.keyword, last: ast.expr | ast.keyword) -> tuple[int, int]:
        """From `first`'s start to `last`'s end, with the comma that follows."""
        assert last.end_lineno is not None
        assert last.end_col_offset is not None
        start = offsets[first.lineno - 1] + first.col_offset
        end = offsets[last.end_lineno - 1] + last.end_col_offset
        if source[end : end + 1] == ",":
            end += 1
        return start, end

    spans: list[tuple[int, int]] = []
    for call in ast.walk(ast.parse(source)):
        if not isinstance(call, ast.Call):
            continue
        if getattr(call.func, "id", "") == "declare":
            spans.extend(span(k, k) for k in _declared_marks(call, marks))
        elif getattr(call.func, "id", "") == "Scenario":
            spans.extend(span(*nodes) for nodes in _scenario_marks(call, marks))
    for start, end in sorted(spans, reverse=True):
        source = source[:start] + source[end:]
    return source


def _declared_marks(call: ast.Call, marks: set[tuple[str, int | None, str]]) -> list[ast.keyword]:
    """The keywords of a `declare("name", ..., cases=[Case(...)])` that `marks` names."""
    name = call.args[0].value if call.args and isinstance(call.args[0], ast.Constant) else None
    found = []
    for keyword in call.keywords:
        if keyword.arg == "generated_xfail" and (name, None, "generated_xfail") in marks:
            found.append(keyword)
        if keyword.arg != "cases" or not isinstance(keyword.value, ast.List):
            continue
        for index, case in enumerate(keyword.value.elts):
            if isinstance(case, ast.Call):
                found.extend(k for k in case.keywords if (name, index, k.arg) in marks)
    return found


def _scenario_marks(
    call: ast.Call, marks: set[tuple[str, int | None, str]]
) -> list[tuple[ast.expr | ast.keyword, ast.expr | ast.keyword]]:
    """What to delete from one of the first six scenarios,
    `Scenario(name="keys", extra={"generated_xfail": "..."}, ...)`: the whole `extra=` when
    the mark is its only entry, else the entry alone."""
    keywords = {k.arg: k for k in call.keywords}
    name, extra = keywords.get("name"), keywords.get("extra")
    if name is None or extra is None or not isinstance(name.value, ast.Constant):
        return []
    if (name.value.value, None, "generated_xfail") not in marks:
        return []
    if not isinstance(extra.value, ast.Dict):
        return []
    entries = list(zip(extra.value.keys, extra.value.values, strict=True))
    for key, value in entries:
        if isinstance(key, ast.Constant) and key.value == "generated_xfail":
            return [(extra, extra)] if len(entries) == 1 else [(key, value)]
    return []


def main() -> None:
    marks = passing_marks(Path(sys.argv[1]))
    for path in sorted(p for folder in MODULES for p in folder.glob("*.py")):
        before = path.read_text()
        after = unmark(before, marks)
        if after != before:
            path.write_text(after)
            print(f"unmarked in {path.name}")
    print(f"{len(marks)} passing marks")


if __name__ == "__main__":
    main()
