"""Prometheus, the OpenTelemetry collector and Grafana are wired to what the code emits."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry

from healthbook.cli import SERVABLE
from healthbook.job_metrics import JobMetrics
from healthbook.scheduler_metrics import SchedulerMetrics
from healthbook.store_metrics import StoreMetrics
from router.metrics import RouterMetrics
from subgraphs.shared.metrics import GraphQLMetrics
from tests.deploy import compose_file
from tests.deploy.compose_file import REPO, environment

DEPLOY = REPO / "deploy"
SERVICES: dict[str, Any] = compose_file.load()["services"]
SERIES = (
    r"\b((?:graphql|router|worker|scheduler|outbox)_[a-z_]+|appointments|notifications)\b"
    r"(?=\s*[{\[)])"
)
METRICS = ("graphql_requests_total", "graphql_request_duration_seconds", "graphql_errors_total")


def _yaml(relative: str) -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / relative).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


DASHBOARDS = sorted((DEPLOY / "grafana/dashboards").glob("*.json"))


def _dashboard(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _panels() -> list[dict[str, Any]]:
    return [
        panel
        for path in DASHBOARDS
        for panel in _dashboard(path)["panels"]
        if panel["type"] != "row"
    ]


def _expressions() -> list[str]:
    return [target["expr"] for panel in _panels() for target in panel["targets"]]


def _exported() -> dict[str, set[str]]:
    """Series name → label names, as the code exports them once something was observed."""
    subgraph = GraphQLMetrics("doctors")
    subgraph.requests.labels("doctors", "Search", "query").inc()
    subgraph.latency.labels("doctors", "Search", "query").observe(0.1)
    subgraph.errors.labels("doctors", "Search", "query", "NOT_FOUND").inc()
    router = RouterMetrics()
    router.observe_request("Search", 200, 0.1, 1)
    router.observe_fetch("doctors", 0.1)
    registries: list[CollectorRegistry] = [subgraph.registry, router.registry]
    registries += _process_registries()
    series: dict[str, set[str]] = {}
    for registry in registries:
        for metric in registry.collect():
            for sample in metric.samples:
                series.setdefault(sample.name, set()).update(sample.labels)
    return series


def _process_registries() -> list[CollectorRegistry]:
    """The worker's and scheduler's series, each observed once."""
    jobs = JobMetrics()
    for counter in (jobs.processed, jobs.failed, jobs.retried, jobs.dead):
        counter.labels("mail").inc()
    jobs.lag.labels("mail").observe(1)
    scheduler = SchedulerMetrics()
    scheduler.enqueued.labels("EMAIL").inc()
    stores = StoreMetrics({}, jobs.registry)
    stores.pending.labels("doctors").set(1)
    stores.oldest.labels("doctors").set(1)
    stores.appointments.labels("CONFIRMED").set(1)
    stores.notifications.labels("EMAIL", "SENT").set(1)
    return [jobs.registry, scheduler.registry]


def exported_series() -> dict[str, set[str]]:
    return _exported()


def test_prometheus_scrapes_the_ops_port_of_every_process() -> None:
    jobs = {job["job_name"]: job for job in _yaml("prometheus.yml")["scrape_configs"]}
    healthbook = jobs["healthbook"]
    assert healthbook["metrics_path"] == "/metrics"
    targets = {t for group in healthbook["static_configs"] for t in group["targets"]}
    for name in SERVABLE:
        ops = environment(SERVICES[name])["HEALTHBOOK_OPS_PORT"]
        assert ops not in str(SERVICES[name].get("ports", [])), f"{name} publishes its ops port"
    assert targets == {f"{name}:{ops}" for name in SERVABLE}


def test_compose_mounts_each_configuration_file_that_exists() -> None:
    for name in ("prometheus", "grafana", "otel-collector", "postgres", "tempo", "loki"):
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
    for pipeline in collector["service"]["pipelines"].values():
        for kind in ("receivers", "processors", "exporters"):
            for name in pipeline[kind]:
                assert name in collector[kind], f"pipeline uses undefined {kind[:-1]} {name}"


def test_traces_land_in_tempo_and_logs_in_loki_linked_by_trace_id() -> None:
    collector = _yaml("otel-collector.yaml")
    pipelines = collector["service"]["pipelines"]
    [traces] = pipelines["traces"]["exporters"]
    assert collector["exporters"][traces]["endpoint"] == "tempo:4317"
    assert (
        "4317"
        in _yaml("tempo.yaml")["distributor"]["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"]
    )
    [logs] = pipelines["logs"]["exporters"]
    assert collector["exporters"][logs]["endpoint"] == "http://loki:3100/otlp"
    assert _yaml("loki.yaml")["limits_config"]["allow_structured_metadata"] is True
    operators = collector["receivers"]["filelog"]["operators"]
    [trace_parser] = [op for op in operators if op["type"] == "trace_parser"]
    assert trace_parser["trace_id"]["parse_from"] == "attributes.trace_id"
    mounts = SERVICES["otel-collector"]["volumes"]
    assert "/var/lib/docker/containers:/var/lib/docker/containers:ro" in mounts
    sources = {
        s["uid"]: s
        for s in _yaml("grafana/provisioning/datasources/prometheus.yaml")["datasources"]
    }
    assert sources["tempo"]["url"] == "http://tempo:3200"
    assert sources["tempo"]["jsonData"]["tracesToLogsV2"]["datasourceUid"] == "loki"
    assert sources["loki"]["url"] == "http://loki:3100"
    links = sources["loki"]["jsonData"]["derivedFields"]
    assert {link["datasourceUid"] for link in links} == {"tempo"}


def test_log_lines_carry_the_trace_id_the_collector_reads() -> None:
    from opentelemetry.sdk.trace import TracerProvider

    from subgraphs.shared.logs import JsonFormatter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    with TracerProvider().get_tracer("t").start_as_current_span("s") as span:
        line = json.loads(JsonFormatter("doctors").format(record))
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert line["component"] == "doctors"
    assert line["level"]


def test_grafana_reads_the_provisioned_prometheus_and_dashboards() -> None:
    source = _yaml("grafana/provisioning/datasources/prometheus.yaml")["datasources"][0]
    assert source["url"] == "http://prometheus:9090"
    folder = _yaml("grafana/provisioning/dashboards/healthbook.yaml")["providers"][0]
    mounts = SERVICES["grafana"]["volumes"]
    assert f"./deploy/grafana/dashboards:{folder['options']['path']}:ro" in mounts
    for panel in _panels():
        assert panel["datasource"]["uid"] == source["uid"]


@pytest.mark.parametrize("metric", METRICS)
def test_the_dashboard_charts_each_graphql_series(metric: str) -> None:
    assert any(metric in expr for expr in _expressions())


def test_the_dashboard_asks_only_for_series_and_labels_the_code_exports() -> None:
    exported = _exported()
    for expr in _expressions():
        names = re.findall(SERIES, expr)
        assert names, expr
        labels = {label for name in names for label in exported.get(name, set())}
        for name in names:
            assert name in exported, f"{name} is not a series Healthbook exports"
        for grouped in re.findall(r"by \(([^)]*)\)", expr):
            for label in grouped.split(", "):
                assert label in labels, f"{name} has no label {label}"
        for label in re.findall(r"\{(\w+)=~", expr):
            assert label in labels


def test_the_business_dashboard_charts_bookings_notifications_and_jobs() -> None:
    text = " ".join(_expressions())
    names = ["appointments", "notifications", "worker_jobs_dead_total"]
    names += ["scheduler_deliveries_enqueued_total", "outbox_oldest_pending_seconds"]
    for name in names:
        assert name in text


def test_the_dashboard_charts_the_router_and_its_subgraph_calls() -> None:
    text = " ".join(_expressions())
    for name in ("router_requests_total", "router_subgraph_fetch_duration_seconds_bucket"):
        assert name in text


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.stem)
def test_panels_do_not_overlap(path: Path) -> None:
    seen: set[tuple[int, int]] = set()
    for panel in _dashboard(path)["panels"]:
        grid = panel["gridPos"]
        cells = {
            (x, y)
            for x in range(grid["x"], grid["x"] + grid["w"])
            for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not cells & seen, f"panel {panel['title']} overlaps another"
        seen |= cells
