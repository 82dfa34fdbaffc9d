"""The one image: multi-stage, non-root, no build tools or secrets, only what it needs."""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass

import pytest

from subgraphs.shared.settings import DEFAULT_PORTS
from tests.deploy.compose_file import REPO
from tests.deploy.processes import IMAGE_SUPERGRAPH, serve_arguments

DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
IGNORE = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def _instructions(text: str) -> list[Instruction]:
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        found.append(Instruction(keyword.upper(), rest.strip()))
    return found


def _stages(text: str) -> list[list[Instruction]]:
    stages: list[list[Instruction]] = []
    for item in _instructions(text):
        if item.keyword == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(item)
    return stages


def _arguments(text: str) -> dict[str, str]:
    return {
        name: default
        for name, default in re.findall(r"^ARG (\w+)=(\S+)$", text, flags=re.MULTILINE)
    }


def _ignored(path: str) -> bool:
    """Whether the build context leaves `path` out (last matching pattern wins)."""
    ignored = False
    for pattern in IGNORE:
        pattern = pattern.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        if pattern == "**" or fnmatch.fnmatch(path, pattern) or path.startswith(f"{pattern}/"):
            ignored = not negate
    return ignored


FINAL = _stages(DOCKERFILE)[-1]


def _stage(name: str) -> list[Instruction]:
    return next(s for s in _stages(DOCKERFILE) if s[0].arguments.endswith(f"AS {name}"))


def test_the_image_is_built_in_stages() -> None:
    stages = _stages(DOCKERFILE)
    assert len(stages) >= 2
    assert any(stage[0].arguments.endswith("AS builder") for stage in stages)


def test_a_node_stage_builds_the_web_app_and_graphiql_from_the_lockfiles() -> None:
    web = " ".join(item.arguments for item in _stage("web"))
    assert "npm ci" in web
    assert "npm run build" in web
    assert "vendor-graphiql.sh" in web
    builder = " ".join(item.arguments for item in _stage("builder"))
    assert "--from=web /src/router/static/web ./router/static/web" in builder


def test_the_runtime_stage_is_python_3_11_slim() -> None:
    base = FINAL[0].arguments.split()[0]
    image = _arguments(DOCKERFILE).get(base.strip("${}"), base)
    assert image.startswith("python:3.11-slim")


def test_the_builder_installs_the_locked_dependencies_with_uv() -> None:
    builder = " ".join(item.arguments for item in _stage("builder"))
    assert "requirements.lock" in builder
    assert "uv pip install" in builder
    assert "--no-deps ." in builder


def test_the_runtime_stage_runs_as_an_unprivileged_user() -> None:
    users = [item.arguments for item in FINAL if item.keyword == "USER"]
    assert users, "the runtime stage sets no USER"
    assert users[-1].split(":")[0] not in ("root", "0")
    keywords = [item.keyword for item in FINAL]
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")


def test_the_runtime_stage_carries_no_build_tools() -> None:
    commands = " ".join(item.arguments for item in FINAL if item.keyword == "RUN")
    for tool in ("apt-get install", "pip install", "gcc", "build-essential", "npm", "node"):
        assert tool not in commands
    copied = [item.arguments for item in FINAL if item.keyword == "COPY"]
    assert "--from=builder /opt/venv /opt/venv" in copied


def test_the_entrypoint_is_the_healthbook_command() -> None:
    entry = [item.arguments for item in FINAL if item.keyword == "ENTRYPOINT"]
    assert [json.loads(text) for text in entry] == [["healthbook"]]


def test_the_image_exposes_every_component_port() -> None:
    exposed = {int(p) for item in FINAL if item.keyword == "EXPOSE" for p in item.arguments.split()}
    assert exposed == set(DEFAULT_PORTS.values())


def test_the_healthcheck_asks_the_process_with_python() -> None:
    checks = [item.arguments for item in FINAL if item.keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    probe = json.loads(checks[0].split("CMD", 1)[1])
    assert probe[0] == "python"
    assert probe[1] == "/usr/local/bin/healthbook-healthcheck"


def test_the_committed_supergraph_is_in_the_image_where_the_router_reads_it() -> None:
    copied = [item.arguments for item in FINAL if item.keyword == "COPY"]
    assert "schema/supergraph.graphql schema/supergraph.graphql" in copied
    assert [item.arguments for item in FINAL if item.keyword == "WORKDIR"] == ["/app"]
    assert IMAGE_SUPERGRAPH == "/app/schema/supergraph.graphql"
    default = [json.loads(item.arguments) for item in FINAL if item.keyword == "CMD"]
    assert default == [serve_arguments("router")]


def test_no_secret_is_baked_into_the_image() -> None:
    for item in _instructions(DOCKERFILE):
        if item.keyword in ("ENV", "ARG", "LABEL"):
            assert not re.search(r"PASSWORD|SECRET|TOKEN|_KEY\b", item.arguments), item


def _sources() -> list[str]:
    found = []
    for item in _instructions(DOCKERFILE):
        if item.keyword != "COPY" or "--from=" in item.arguments:
            continue
        words = [word for word in item.arguments.split() if not word.startswith("--")]
        found.extend(words[:-1])
    return found


@pytest.mark.parametrize("source", _sources())
def test_every_copied_path_exists_and_reaches_the_build_context(source: str) -> None:
    matches = [p for p in REPO.glob(source) if not _ignored(str(p.relative_to(REPO)))]
    assert matches or source.endswith("*"), f"COPY {source}: missing or excluded"


@pytest.mark.parametrize("path", [".venv/bin/python", ".git/HEAD", "tests/conftest.py", ".env"])
def test_local_state_stays_out_of_the_build_context(path: str) -> None:
    assert _ignored(path)
