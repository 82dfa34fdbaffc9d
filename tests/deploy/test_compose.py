"""compose.yaml runs the distributed topology: checked here since no Docker engine runs."""

from __future__ import annotations

import importlib.resources
import json
import re
from typing import Any

import jsonschema
import pytest

from healthbook import configuration
from healthbook.cli import SERVABLE
from subgraphs.shared.settings import COMPONENTS, DEFAULT_PORTS
from tests.deploy import compose_file
from tests.deploy.compose_file import command, depends_on, environment
from tests.deploy.processes import check_environment, private_key_pem, serve_arguments

COMPOSE = compose_file.load()
SERVICES: dict[str, Any] = COMPOSE["services"]
WORKERS = ("worker", "scheduler")
ONE_SHOT = ("migrate", "seed")
# Where each service listens inside the compose network.
LISTENS = {
    **{name: {port} for name, port in DEFAULT_PORTS.items()},
    "postgres": {5432},
    "rabbitmq": {5672, 15672, 15692},
    "redis": {6379},
    "mailpit": {1025, 8025},
    "otel-collector": {4317, 4318, 13133},
    "prometheus": {9090},
    "grafana": {3000},
}
DATABASE_URLS = {f"{name.upper()}_DATABASE_URL": name for name in COMPONENTS}
# What an operator exports before `docker compose up` (compose refuses to start without).
OPERATOR_INPUTS = {"JWT_PRIVATE_KEY": private_key_pem()}


def _compose_schema() -> dict[str, Any]:
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    loaded: dict[str, Any] = json.loads((vendor / "compose-spec.json").read_text("utf-8"))
    return loaded


def _required(service: str) -> set[str]:
    if service in ONE_SHOT:
        shared = [v for v in configuration.all_variables() if not v.components]
        return {v.name for v in shared if v.required_in_production} | set(DATABASE_URLS)
    return {v.name for v in configuration.required_for(service)}


def test_compose_file_follows_the_compose_specification() -> None:
    jsonschema.validate(COMPOSE, _compose_schema())


def test_the_schema_check_catches_a_misspelt_key() -> None:
    broken = {"services": {"router": {"image": "x", "depend_on": ["identity"]}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, _compose_schema())


@pytest.mark.parametrize("component", SERVABLE)
def test_every_component_is_a_service_of_the_one_image(component: str) -> None:
    service = SERVICES[component]
    assert command(service) == serve_arguments(component)
    assert service["image"] == SERVICES["migrate"]["image"]
    assert service["build"] == "."


@pytest.mark.parametrize("component", SERVABLE)
def test_every_component_has_a_healthcheck_of_its_own(component: str) -> None:
    check = SERVICES[component]["healthcheck"]
    probe = check["test"]
    assert probe[:3] == ["CMD", "healthbook-healthcheck", component]
    if component in DEFAULT_PORTS:
        assert probe[3:] == ["ready"], "HTTP components are healthy when ready"
    for timing in ("interval", "timeout", "retries", "start_period"):
        assert timing in check


@pytest.mark.parametrize("name", [*SERVABLE, "postgres", "rabbitmq", "redis", "mailpit"])
def test_services_others_wait_for_have_a_healthcheck(name: str) -> None:
    assert SERVICES[name]["healthcheck"]["test"]


@pytest.mark.parametrize("component", [*COMPONENTS, *WORKERS])
def test_components_with_stores_wait_for_migrations_and_their_services(component: str) -> None:
    waits = depends_on(SERVICES[component])
    assert waits["migrate"] == "service_completed_successfully"
    for name in ("postgres", "rabbitmq", "redis"):
        assert waits[name] == "service_healthy"


def test_the_router_waits_for_every_healthy_subgraph() -> None:
    waits = depends_on(SERVICES["router"])
    assert {name: waits.get(name) for name in COMPONENTS} == dict.fromkeys(
        COMPONENTS, "service_healthy"
    )


def test_migrate_runs_once_before_everything() -> None:
    migrate = SERVICES["migrate"]
    assert command(migrate) == ["migrate"]
    assert migrate["restart"] == "no"
    assert depends_on(migrate) == {"postgres": "service_healthy"}


@pytest.mark.parametrize("name", SERVICES)
def test_every_dependency_exists_and_its_condition_can_be_met(name: str) -> None:
    for other, condition in depends_on(SERVICES[name]).items():
        assert other in SERVICES, f"{name} depends on unknown service {other}"
        if condition == "service_healthy":
            assert "healthcheck" in SERVICES[other], f"{other} has no healthcheck"
        if condition == "service_completed_successfully":
            assert SERVICES[other].get("restart") == "no", f"{other} is not one-shot"


@pytest.mark.parametrize("name", [*SERVABLE, *ONE_SHOT])
def test_each_process_is_given_every_variable_it_requires(name: str) -> None:
    given = {key for key, value in environment(SERVICES[name]).items() if value}
    missing = _required(name) - given
    assert not missing, f"compose.yaml: add {sorted(missing)} to {name}'s environment"


@pytest.mark.parametrize("name", [*SERVABLE, *ONE_SHOT])
def test_each_process_runs_in_production_mode_bound_to_all_interfaces(name: str) -> None:
    env = environment(SERVICES[name])
    assert env["HEALTHBOOK_ENV"] == "production"
    assert env["HEALTHBOOK_HOST"] == "0.0.0.0"  # noqa: S104  (inside a container)


@pytest.mark.parametrize("component", COMPONENTS)
def test_each_subgraph_sees_only_its_own_database(component: str) -> None:
    env = environment(SERVICES[component])
    own = f"{component.upper()}_DATABASE_URL"
    assert set(env) & set(DATABASE_URLS) == {own}
    assert env[own].startswith("postgresql+asyncpg://")
    assert env[own].endswith(f"@postgres:5432/{component}")


def test_postgres_creates_one_database_per_subgraph() -> None:
    init = (compose_file.REPO / "deploy/postgres/init.sql").read_text(encoding="utf-8")
    created = set(re.findall(r"^CREATE DATABASE (\w+);", init, flags=re.MULTILINE))
    assert created == set(COMPONENTS)
    mounts = SERVICES["postgres"]["volumes"]
    assert "./deploy/postgres/init.sql:/docker-entrypoint-initdb.d/10-databases.sql:ro" in mounts
    assert SERVICES["postgres"]["image"].startswith("postgres:16")


@pytest.mark.parametrize("component", COMPONENTS)
def test_subgraphs_listen_on_their_default_ports(component: str) -> None:
    service = SERVICES[component]
    assert service["expose"] == [str(DEFAULT_PORTS[component])]
    assert environment(service).get(f"{component.upper()}_PORT", "") in (
        "",
        str(DEFAULT_PORTS[component]),
    )


def test_the_router_is_published_on_its_port_and_finds_every_subgraph() -> None:
    router = SERVICES["router"]
    assert [compose_file.interpolate(p) for p in router["ports"]] == ["127.0.0.1:4000:4000"]
    env = environment(router)
    for name in COMPONENTS:
        url = f"http://{name}:{DEFAULT_PORTS[name]}/graphql"
        assert env[f"ROUTER_SUBGRAPH_{name.upper()}_URL"] == url


@pytest.mark.parametrize("name", SERVICES)
def test_urls_between_services_name_a_port_the_service_listens_on(name: str) -> None:
    for key, value in environment(SERVICES[name]).items():
        for host, port in re.findall(r"://(?:[^@/\s]*@)?([a-z][a-z0-9-]*):(\d+)", value):
            assert host in SERVICES, f"{name}.{key} points at unknown host {host}"
            assert int(port) in LISTENS[host], f"{name}.{key}: {host} does not listen on {port}"


def test_notifications_send_mail_to_the_smtp_catcher() -> None:
    for name in ("notifications", "worker", "scheduler"):
        env = environment(SERVICES[name])
        assert (env["SMTP_HOST"], env["SMTP_PORT"]) == ("mailpit", "1025")


@pytest.mark.parametrize("name", [*SERVABLE, *ONE_SHOT])
def test_healthbook_containers_are_locked_down(name: str) -> None:
    service = SERVICES[name]
    assert service["read_only"] is True
    assert service["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in service["security_opt"]
    assert str(service.get("user", "10001")).split(":")[0] not in ("0", "root")


def test_secrets_have_only_marked_local_development_defaults() -> None:
    text = compose_file.COMPOSE_PATH.read_text(encoding="utf-8")
    for name, default in re.findall(r"\$\{(\w*(?:PASSWORD|SECRET|KEY|TOKEN)\w*):-([^}]*)\}", text):
        assert default.startswith("local-dev-only"), f"{name} defaults to an unmarked secret"
    for service in SERVICES.values():
        raw = service.get("environment") or {}
        for key, value in raw.items():
            if re.search(r"PASSWORD|SECRET|SIGNING_KEY|TOKEN", key) and value:
                assert "${" in str(value), f"{key} is hard-coded; interpolate it"
            assert not re.search(r"://[^:/]+:(?!\$\{)[^@]+@", str(value)), (
                f"{key} embeds a literal password"
            )


def test_every_input_compose_refuses_to_start_without_is_documented() -> None:
    text = compose_file.COMPOSE_PATH.read_text(encoding="utf-8")
    readme = (compose_file.REPO / "deploy/README.md").read_text(encoding="utf-8")
    inputs = compose_file.operator_inputs(text)
    assert inputs == set(OPERATOR_INPUTS)
    for name in inputs:
        assert name in readme, f"deploy/README.md does not say how to set {name}"


@pytest.mark.parametrize("name", [*SERVABLE, *ONE_SHOT])
def test_the_code_accepts_each_processs_environment(name: str) -> None:
    check_environment(name, environment(SERVICES[name], OPERATOR_INPUTS))
