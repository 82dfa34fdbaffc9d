"""The Prometheus alert rules: valid for promtool, and about series that exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.chart_values import VALUES
from tests.deploy.helm_chart import render_chart
from tests.deploy.test_observability import exported_series
from tests.deploy.tools import REPO, run

RULES = REPO / "helm/healthbook/files/prometheus-alerts.yml"
# Series from Prometheus itself and the exporters the rules name, not from Healthbook.
EXTERNAL = {"up", "probe_ssl_earliest_cert_expiry",
            "certmanager_certificate_expiration_timestamp_seconds"}  # fmt: skip
FUNCTIONS = {"histogram_quantile", "clamp_min"}
WAKES_AN_OPERATOR = {
    "HealthbookComponentDown", "HealthbookRouterErrorRatio", "HealthbookRouterLatencyP99",
    "HealthbookDeadLetters", "HealthbookOutboxBacklog", "HealthbookRemindersOverdue",
    "HealthbookCertificateExpiry",
}  # fmt: skip


def _rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_promtool_accepts_the_rules() -> None:
    result = run("promtool", "check", "rules", RULES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(_rules())} rules found" in result.stdout


def test_promtool_accepts_the_compose_prometheus_configuration(tmp_path: Path) -> None:
    config = (REPO / "deploy/prometheus.yml").read_text(encoding="utf-8")
    local = tmp_path / "prometheus.yml"
    local.write_text(config.replace("/etc/prometheus/alerts.yml", str(RULES)), encoding="utf-8")
    result = run("promtool", "check", "config", local)
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_refuses_a_broken_rule(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: rate(\n")
    assert run("promtool", "check", "rules", broken).returncode != 0


def test_there_is_an_alert_for_each_thing_that_wakes_an_operator() -> None:
    assert {rule["alert"] for rule in _rules()} >= WAKES_AN_OPERATOR
    for rule in _rules():
        assert rule["annotations"]["summary"]
        assert rule["labels"]["severity"] in ("page", "ticket")


def test_rules_ask_only_for_series_that_exist() -> None:
    exported = set(exported_series())
    for rule in _rules():
        bare = re.sub(r"\{[^}]*\}|\[[^]]*\]|by \([^)]*\)", " ", rule["expr"])
        words = set(re.findall(r"\b[a-z][a-z0-9_]*\b", bare))
        series = {w for w in words if "_" in w or w == "up"} - FUNCTIONS
        series -= {"by", "sum", "max", "rate", "increase", "time"}
        assert series, rule["alert"]
        for name in series:
            assert name in exported or name in EXTERNAL, f"{rule['alert']}: no series {name}"


def test_the_chart_ships_the_same_rules_as_a_prometheus_rule() -> None:
    assert not [m for m in render_chart(VALUES) if m["kind"] == "PrometheusRule"]
    values = {**VALUES, "ops": {"prometheusRule": {"enabled": True}}}
    [rule] = [m for m in render_chart(values) if m["kind"] == "PrometheusRule"]
    shipped = [r for group in rule["spec"]["groups"] for r in group["rules"]]
    assert [r["alert"] for r in shipped] == [r["alert"] for r in _rules()]
    [down] = [r for r in shipped if r["alert"] == "HealthbookComponentDown"]
    assert down["expr"].strip() == 'up{job=~"demo-healthbook-.*"} == 0'
    assert "{{ $labels.service }}" in down["annotations"]["summary"]
