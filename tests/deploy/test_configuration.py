"""The configuration reference is gathered from the declarations in code and kept fresh."""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import pytest

from healthbook import cli, configuration
from healthbook.configuration import Source
from subgraphs.shared.settings import Variable
from tests.deploy import refresh

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("subgraphs", "router", "workers", "healthbook")


def _modules_declaring_variables() -> set[str]:
    found = set()
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            if "migrations" in path.parts or "testing" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else []
                if isinstance(node, ast.AnnAssign):
                    targets = [node.target]
                if any(isinstance(t, ast.Name) and t.id == "VARIABLES" for t in targets):
                    module = path.relative_to(REPO).with_suffix("")
                    found.add(".".join(module.parts))
    return found


def _fake(monkeypatch: pytest.MonkeyPatch, name: str, *variables: Variable) -> None:
    module = types.ModuleType(name)
    module.VARIABLES = variables  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, name, module)


def test_env_example_is_generated_from_the_declarations() -> None:
    committed = (REPO / ".env.example").read_text(encoding="utf-8")
    assert committed == configuration.env_example(), (
        ".env.example is stale: run `.venv/bin/python -m tests.deploy.refresh`"
    )


def test_the_deployment_guide_carries_the_current_configuration_table() -> None:
    text = (REPO / "deploy/README.md").read_text(encoding="utf-8")
    assert refresh.table_in(text) == configuration.markdown_table(), (
        "deploy/README.md's configuration table is stale: run "
        "`.venv/bin/python -m tests.deploy.refresh`"
    )


def test_a_pasted_readme_table_is_kept_current() -> None:
    readme = REPO / "README.md"
    table = refresh.table_in(readme.read_text(encoding="utf-8")) if readme.exists() else None
    if table:  # the lead pastes it; from then on it must stay current
        assert table == configuration.markdown_table(), (
            "README.md's configuration table is stale: "
            "run `.venv/bin/python -m tests.deploy.refresh`"
        )


def test_refresh_replaces_only_the_table_between_the_markers() -> None:
    text = f"intro\n{refresh.START}\nold\n{refresh.END}\noutro\n"
    assert refresh.with_table(text, "| new |\n") == (
        f"intro\n{refresh.START}\n| new |\n{refresh.END}\noutro\n"
    )
    assert refresh.table_in("no markers") is None


def test_env_example_documents_every_variable_with_its_default() -> None:
    text = configuration.env_example()
    for item in configuration.all_variables():
        assert f"# {item.name}={item.default or ''}\n" in text


def test_every_module_that_declares_variables_is_collected() -> None:
    collected = {source.module for source in configuration.SOURCES}
    missing = _modules_declaring_variables() - collected
    assert not missing, f"add these modules to healthbook.configuration.SOURCES: {missing}"


def test_shared_variables_are_collected() -> None:
    names = [item.name for item in configuration.all_variables()]
    for expected in ("BROKER_URL", "REDIS_URL", "HEALTHBOOK_SIGNING_KEY", "DOCTORS_DATABASE_URL"):
        assert expected in names
    assert len(names) == len(set(names))


def test_a_component_module_owns_the_variables_that_name_no_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake(monkeypatch, "fake_shared", Variable("A", "shared", "1"))
    _fake(monkeypatch, "fake_doctors", Variable("B", "doctors' own"))
    monkeypatch.setattr(
        configuration,
        "SOURCES",
        (Source("fake_shared", "every process"), Source("fake_doctors", "doctors", ("doctors",))),
    )
    by_name = {item.name: item for item in configuration.all_variables()}
    assert by_name["A"].components == ()
    assert by_name["B"].components == ("doctors",)
    assert configuration.applies_to(by_name["A"], "router")
    assert not configuration.applies_to(by_name["B"], "router")


def test_a_variable_declared_twice_is_merged_into_its_first_declaration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake(monkeypatch, "fake_one", Variable("PORT", "port", "4000", components=("router",)))
    _fake(monkeypatch, "fake_two", Variable("PORT", "again", None, True, ("worker",)))
    monkeypatch.setattr(
        configuration, "SOURCES", (Source("fake_one", "one"), Source("fake_two", "two"))
    )
    assert configuration.all_variables() == [
        Variable("PORT", "port", "4000", True, ("router", "worker"))
    ]
    assert [s.variables for s in configuration.sections()][1] == ()


def test_absent_modules_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake(monkeypatch, "fake_present", Variable("X", "x"))
    monkeypatch.setattr(
        configuration,
        "SOURCES",
        (Source("fake_absent_module", "absent"), Source("fake_present", "present")),
    )
    assert [s.source.module for s in configuration.sections()] == ["fake_present"]


def test_required_for_names_what_production_needs_per_component() -> None:
    router = {item.name for item in configuration.required_for("router")}
    doctors = {item.name for item in configuration.required_for("doctors")}
    assert {"BROKER_URL", "HEALTHBOOK_SIGNING_KEY"} <= router
    assert "DOCTORS_DATABASE_URL" in doctors
    assert "DOCTORS_DATABASE_URL" not in router


def test_markdown_table_has_one_row_per_variable_and_escapes_pipes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake(monkeypatch, "fake_table", Variable("P", "a | b", "x|y", True))
    monkeypatch.setattr(configuration, "SOURCES", (Source("fake_table", "t"),))
    rows = configuration.markdown_table().splitlines()
    assert rows[2] == r"| `P` | `x\|y` | yes | all | a \| b |"
    assert len(rows) == 3


def test_config_command_prints_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "example"]) == 0
    assert capsys.readouterr().out == configuration.env_example()


def test_config_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "table"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| Variable |")
    assert "`BROKER_URL`" in out
