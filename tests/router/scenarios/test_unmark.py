"""`python -m tests.router.scenarios.edge.unmark`: passing marks are deleted, others kept."""

from __future__ import annotations

from tests.router.scenarios.edge.unmark import unmark

DECLARED = """
X = declare(
    "split_value_type",
    about="a",
    generated_xfail="planner: behaviour 3: wrong",
    cases=[
        Case("{ a }", xfail="planner: behaviour 3: a"),
        Case("{ b }", more_requests="planner: behaviour 10: b"),
    ],
)
"""

FIRST_SIX = """
ONLY = Scenario(
    name="keys",
    extra={"generated_xfail": "planner: behaviour 10: 5 requests, Hive 4"},
    build=build,
)
MORE = Scenario(name="shop", extra={"generated_xfail": "planner: x", "note": 1}, build=build)
"""


def test_passing_marks_of_declared_scenarios_are_deleted_and_the_others_kept() -> None:
    after = unmark(DECLARED, {("split_value_type", None, "generated_xfail")})
    assert "generated_xfail" not in after
    assert 'xfail="planner: behaviour 3: a"' in after
    assert "more_requests=" in after
    after = unmark(DECLARED, {("split_value_type", 1, "more_requests")})
    assert "more_requests" not in after
    assert "generated_xfail=" in after


def test_the_first_six_scenarios_generated_marks_in_extra_are_deleted() -> None:
    after = unmark(
        FIRST_SIX, {("keys", None, "generated_xfail"), ("shop", None, "generated_xfail")}
    )
    assert "generated_xfail" not in after
    assert 'name="keys",\n    \n    build=build' in after  # `extra=` gone, ruff formats it
    assert 'extra={ "note": 1}' in after
    compile(after, "first_six.py", "exec")  # still Python


def test_marks_of_other_scenarios_are_left_alone() -> None:
    assert unmark(FIRST_SIX, {("abstract", None, "generated_xfail")}) == FIRST_SIX
    assert unmark(DECLARED, {("keys", None, "generated_xfail")}) == DECLARED
