"""Prometheus, the OpenTelemetry collector and Grafana are wired to what the code emits."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from subgraphs.shared.settings import DEFAULT_PORTS
from tests.deploy import compose_file
from tests.deploy.compose_file import REPO, environment

DEPLOY = REPO / "deploy"
SERVICES: dict[str, Any] = compose_file.load()["services"]
METRICS = ("graphql_requests_total", "graphql_request_duration_seconds", "graphql_errors_total")


def _yaml(relative: str) -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / relative).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _dashboard() -> dict[str, Any]:
    path = DEPLOY / "grafana/dashboards/healthbook-graphql.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _expressions() -> list[str]:
    return [target["expr"] for panel in _dashboard()["panels"] for target in panel["targets"]]


def test_prometheus_scrapes_metrics_of_every_http_component() -> None:
    jobs = {job["job_name"]: job for job in _yaml("prometheus.yml")["scrape_configs"]}
    healthbook = jobs["healthbook"]
    assert healthbook["metrics_path"] == "/metrics"
    targets = {t for group in healthbook["static_configs"] for t in group["targets"]}
    assert targets == {f"{name}:{port}" for name, port in DEFAULT_PORTS.items()}


def test_compose_mounts_each_configuration_file_that_exists() -> None:
    for name in ("prometheus", "grafana", "otel-collector", "postgres"):
        for volume in SERVICES[name].get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (REPO / source).exists(), f"{name} mounts missing {source}"


def test_traces_go_to_the_collectors_otlp_http_receiver() -> None:
    collector = _yaml("otel-collector.yaml")
    http = collector["receivers"]["otlp"]["protocols"]["http"]["endpoint"]
    port = http.rsplit(":", 1)[1]
    for name in ("router", "identity", "worker"):
        assert environment(SERVICES[name])["OTEL_EXPORTER_OTLP_ENDPOINT"] == (
            f"http://otel-collector:{port}"
        )
    pipeline = collector["service"]["pipelines"]["traces"]
    for kind in ("receivers", "processors", "exporters"):
        for name in pipeline[kind]:
            assert name in collector[kind], f"pipeline uses undefined {kind[:-1]} {name}"


def test_grafana_reads_the_provisioned_prometheus_and_dashboards() -> None:
    source = _yaml("grafana/provisioning/datasources/prometheus.yaml")["datasources"][0]
    assert source["url"] == "http://prometheus:9090"
    folder = _yaml("grafana/provisioning/dashboards/healthbook.yaml")["providers"][0]
    mounts = SERVICES["grafana"]["volumes"]
    assert f"./deploy/grafana/dashboards:{folder['options']['path']}:ro" in mounts
    for panel in _dashboard()["panels"]:
        assert panel["datasource"]["uid"] == source["uid"]


@pytest.mark.parametrize("metric", METRICS)
def test_the_dashboard_charts_each_graphql_series(metric: str) -> None:
    assert any(metric in expr for expr in _expressions())


def test_the_dashboard_asks_only_for_series_the_code_emits() -> None:
    emitted = {
        *METRICS,
        *(f"graphql_request_duration_seconds_{part}" for part in ("bucket", "sum", "count")),
    }
    for expr in _expressions():
        for name in re.findall(r"\b(graphql_[a-z_]+)\b", expr):
            assert name in emitted, f"{name} is not a series Healthbook exports"
        assert re.findall(r"by \(([^)]*)\)", expr)
        for labels in re.findall(r"by \(([^)]*)\)", expr):
            for label in labels.split(", "):
                assert label in {"component", "operation", "type", "code", "le"}


def test_panels_do_not_overlap() -> None:
    seen: set[tuple[int, int]] = set()
    for panel in _dashboard()["panels"]:
        grid = panel["gridPos"]
        cells = {
            (x, y)
            for x in range(grid["x"], grid["x"] + grid["w"])
            for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not cells & seen, f"panel {panel['title']} overlaps another"
        seen |= cells
