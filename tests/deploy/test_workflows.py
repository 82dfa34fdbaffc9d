"""The pipeline for people who fork or deploy Healthbook: checked by actionlint and read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.deploy.tools import REPO, run

WORKFLOWS = REPO / ".github/workflows"


def _load(name: str) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return loaded


def _commands(workflow: dict[Any, Any]) -> str:
    return "\n".join(
        step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]
    )


def test_actionlint_accepts_every_workflow() -> None:
    result = run("actionlint", "-color=false", *sorted(WORKFLOWS.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github/workflows/broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo ${{ github.nope }}\n",
        encoding="utf-8",
    )
    result = run("actionlint", "-color=false", broken, cwd=tmp_path)
    assert result.returncode == 1
    assert "nope" in result.stdout


def test_every_pull_request_runs_make_test() -> None:
    ci = _load("ci.yml")
    assert "pull_request" in ci[True]  # YAML 1.1 reads the key `on` as True
    assert "make test" in _commands(ci)


def test_main_builds_scans_packages_and_deploys_to_staging_with_a_helm_test() -> None:
    release = _load("release.yml")
    assert release[True]["push"]["branches"] == ["main"]
    jobs = release["jobs"]
    build = next(s for s in jobs["image"]["steps"] if s.get("id") == "build")
    assert build["with"]["platforms"] == "linux/amd64,linux/arm64"
    assert build["with"]["push"] is True
    assert any("trivy" in s.get("uses", "") for s in jobs["image"]["steps"])
    commands = _commands(release)
    assert "helm lint --strict" in commands
    assert "helm package" in commands
    assert "helm upgrade --install" in commands
    assert "--atomic" in commands
    assert "helm test" in commands
    assert 'image.digest="$DIGEST"' in commands
    assert set(jobs["staging"]["needs"]) == {"image", "chart"}


def test_dependabot_watches_pip_npm_docker_and_actions_where_they_are_pinned() -> None:
    config = yaml.safe_load((REPO / ".github/dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {u["package-ecosystem"] for u in config["updates"]}
    assert {"pip", "npm", "docker", "github-actions"} <= ecosystems
    for update in config["updates"]:
        directory = REPO / update["directory"].lstrip("/")
        assert directory.is_dir(), update
        if update["package-ecosystem"] == "npm":
            assert (directory / "package-lock.json").exists()
