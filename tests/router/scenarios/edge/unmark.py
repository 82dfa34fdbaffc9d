"""Remove the xfail marks of cases that pass now (after a planner fix).

    .venv/bin/pytest tests/router/differential/test_edge_scenarios.py -q --tb=short | \\
        .venv/bin/python -m tests.router.scenarios.edge.unmark

reads the `XPASS(strict)` test ids from stdin and deletes the matching `xfail=`,
`more_requests=` or (generated operations) `generated_xfail=` arguments from the scenario
modules; run `ruff format` after it and review the diff before committing.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from xml.etree import ElementTree

HERE = Path(__file__).parent
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
    """`source` without the keyword arguments `marks` names."""
    spans: list[tuple[int, int]] = []
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))

    def span(node: ast.keyword) -> tuple[int, int]:
        assert node.end_lineno is not None
        assert node.end_col_offset is not None
        start = offsets[node.lineno - 1] + node.col_offset
        end = offsets[node.end_lineno - 1] + node.end_col_offset
        if source[end : end + 1] == ",":
            end += 1
        return start, end

    for call in ast.walk(ast.parse(source)):
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "declare"):
            continue
        name = call.args[0].value if call.args and isinstance(call.args[0], ast.Constant) else None
        for keyword in call.keywords:
            if keyword.arg == "generated_xfail" and (name, None, "generated_xfail") in marks:
                spans.append(span(keyword))
            if keyword.arg != "cases" or not isinstance(keyword.value, ast.List):
                continue
            for index, case in enumerate(keyword.value.elts):
                if isinstance(case, ast.Call):
                    spans.extend(span(k) for k in case.keywords if (name, index, k.arg) in marks)
    for start, end in sorted(spans, reverse=True):
        source = source[:start] + source[end:]
    return source


def main() -> None:
    marks = passing_marks(Path(sys.argv[1]))
    for path in sorted(HERE.glob("*.py")):
        before = path.read_text()
        after = unmark(before, marks)
        if after != before:
            path.write_text(after)
            print(f"unmarked in {path.name}")
    print(f"{len(marks)} passing marks")


if __name__ == "__main__":
    main()
