"""`healthbook router plan`: the plan for an operation in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.main import plan_command
from tests.router.planner.federations import supergraph_file
from tests.router.scenarios import all_scenarios

SHOP = next(s for s in all_scenarios() if s.name == "shop")


def test_plan_command_prints_the_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "q.graphql"
    query.write_text("query A { me { id } } query B { topProducts { inStock } }")
    assert (
        plan_command(["--supergraph", str(SHOP.supergraph_file), str(query), "--operation", "B"])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("query plan, 2 fetch(es):")
    assert "#1 inventory after #0, merged at topProducts/@:" in out


def test_plan_command_reports_invalid_operations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = tmp_path / "q.graphql"
    query.write_text("{ nope }")
    assert plan_command(["--supergraph", str(SHOP.supergraph_file), str(query)]) == 1
    assert "Cannot query field 'nope'" in capsys.readouterr().err


def test_plan_command_plans_with_the_labels_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = supergraph_file("labels")
    query = tmp_path / "q.graphql"
    query.write_text("{ posts { shares } }")
    assert plan_command(["--supergraph", str(labels), str(query)]) == 0
    assert capsys.readouterr().out.startswith("query plan, 1 fetch(es):")
    assert plan_command(["--supergraph", str(labels), str(query), "--labels", "percent(50)"]) == 0
    assert "#1 social after #0" in capsys.readouterr().out
    assert plan_command(["--supergraph", str(labels), str(query), "--labels", "9x"]) == 1
    assert "not an override label" in capsys.readouterr().err
