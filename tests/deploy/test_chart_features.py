"""What the chart adds around the workloads: network policies, disruption budgets, spread,
the service account, rollouts on changed secrets, the values schema and `helm test`."""

from __future__ import annotations

import copy
import functools
from typing import Any

import pytest
from kubernetes_validate import utils as kubernetes

from healthbook.cli import SERVABLE
from subgraphs.shared.settings import COMPONENTS
from tests.deploy.chart_values import INGRESS, VALUE_SETS, VALUES
from tests.deploy.helm_chart import HelmError, lint, render_chart

KUBERNETES_VERSION = "1.30"
LABELS = {"app.kubernetes.io/name": "healthbook", "app.kubernetes.io/instance": "demo"}
# Who calls whom: the router every subgraph, appointments the doctors (so does the worker,
# whose appointments consumer offers freed slots to the waitlist), and every process
# identity (its JWKS). Worker and scheduler are called by nobody.
CALLERS = {
    "identity": {*SERVABLE, "migrate"},
    "doctors": {"router", "appointments", "worker"},
    "appointments": {"router"},
    "notifications": {"router"},
}


@functools.cache
def _render(name: str) -> list[dict[str, Any]]:
    return render_chart(VALUE_SETS[name])


def _all(kind: str, manifests: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == kind}


def _component(selector: dict[str, Any]) -> str | None:
    labels = selector.get("podSelector", {}).get("matchLabels", {})
    if selector.get("namespaceSelector") or labels.items() < LABELS.items():
        return None
    component: str | None = labels.get("app.kubernetes.io/component")
    return component


@pytest.mark.parametrize("name", VALUE_SETS)
def test_each_value_set_lints_strictly_and_renders_valid_kubernetes(name: str) -> None:
    lint(VALUE_SETS[name])
    for manifest in _render(name):
        if manifest["kind"] not in ("ServiceMonitor", "PrometheusRule"):  # CRDs
            kubernetes.validate(manifest, KUBERNETES_VERSION, strict=True)


def test_a_wrong_value_fails_at_install_by_the_values_schema() -> None:
    for broken in (
        {"components": {"router": {"port": "http"}}},
        {"ops": {"port": 70000}},
        {"ingres": {"enabled": True}},
        {"router": {"trustedProxies": ["everyone"]}},
    ):
        with pytest.raises(HelmError, match="values don't meet the specifications of the schema"):
            render_chart({**VALUES, **broken})


def test_default_deny_covers_every_pod_of_the_release() -> None:
    policies = _all("NetworkPolicy", _render("defaults"))
    deny = policies["demo-healthbook-default-deny"]["spec"]
    assert deny == {"podSelector": {"matchLabels": LABELS}, "policyTypes": ["Ingress", "Egress"]}
    for name in SERVABLE:
        assert f"demo-healthbook-{name}" in policies


def _ingress_rules(component: str) -> dict[str, list[dict[str, Any]]]:
    policy = _all("NetworkPolicy", _render("defaults"))[f"demo-healthbook-{component}"]
    rules: dict[str, list[dict[str, Any]]] = {}
    for rule in policy["spec"].get("ingress", []):
        for port in rule["ports"]:
            rules.setdefault(port["port"], []).extend(rule["from"])
    return rules


@pytest.mark.parametrize("component", COMPONENTS)
def test_subgraphs_admit_only_the_components_that_call_them(component: str) -> None:
    callers = {_component(peer) for peer in _ingress_rules(component)["http"]}
    assert callers == CALLERS[component]


@pytest.mark.parametrize("component", ["worker", "scheduler"])
def test_worker_and_scheduler_admit_no_caller(component: str) -> None:
    assert "http" not in _ingress_rules(component)


def test_the_routers_public_port_admits_the_ingress_controller_and_the_test_pod_only() -> None:
    peers = _ingress_rules("router")["http"]
    assert {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}
    } in peers
    assert {_component(peer) for peer in peers} == {None, "test"}


@pytest.mark.parametrize("component", SERVABLE)
def test_the_ops_port_admits_only_the_monitoring_namespace(component: str) -> None:
    assert _ingress_rules(component)["ops"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}
    ]


@pytest.mark.parametrize("component", SERVABLE)
def test_only_components_with_a_database_may_reach_postgres(component: str) -> None:
    policy = _all("NetworkPolicy", _render("defaults"))[f"demo-healthbook-{component}"]
    ports = {port["port"] for rule in policy["spec"]["egress"] for port in rule["ports"]}
    assert (5432 in ports) == (component != "router")
    assert {53, 5672, 6379} <= ports


def test_an_in_cluster_database_admits_only_its_component_and_migrations() -> None:
    values = {
        **VALUES,
        "networkPolicy": {"databasePods": {"doctors": {"matchLabels": {"db": "d"}}}},
    }
    policy = _all("NetworkPolicy", render_chart(values))["demo-healthbook-doctors-database"]
    assert policy["spec"]["podSelector"] == {"matchLabels": {"db": "d"}}
    [rule] = policy["spec"]["ingress"]
    assert {_component(peer) for peer in rule["from"]} == {
        "doctors",
        "worker",
        "scheduler",
        "migrate",
    }


def test_components_with_more_than_one_replica_get_a_disruption_budget() -> None:
    manifests = _render("defaults")
    budgets = _all("PodDisruptionBudget", manifests)
    for name, deployment in _all("Deployment", manifests).items():
        component = name.removeprefix("demo-healthbook-")
        several = component == "router" or deployment["spec"].get("replicas", 1) > 1
        assert (name in budgets) == several, component
    single = {**VALUES, "components": {"doctors": {"replicas": 1}}}
    assert "demo-healthbook-doctors" not in _all("PodDisruptionBudget", render_chart(single))


def test_pods_spread_over_nodes_and_zones_and_use_a_tokenless_service_account() -> None:
    manifests = _render("defaults")
    account = _all("ServiceAccount", manifests)["demo-healthbook"]
    assert account["automountServiceAccountToken"] is False
    for deployment in _all("Deployment", manifests).values():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["serviceAccountName"] == "demo-healthbook"
        assert pod["automountServiceAccountToken"] is False
        keys = {c["topologyKey"] for c in pod["topologySpreadConstraints"]}
        assert keys == {"kubernetes.io/hostname", "topology.kubernetes.io/zone"}
        selector = deployment["spec"]["selector"]["matchLabels"]
        for constraint in pod["topologySpreadConstraints"]:
            assert constraint["labelSelector"]["matchLabels"] == selector


def _checksums(values: dict[str, Any]) -> dict[str, str]:
    deployment = _all("Deployment", render_chart(values))["demo-healthbook-doctors"]
    annotations: dict[str, str] = deployment["spec"]["template"]["metadata"]["annotations"]
    return annotations


def test_a_changed_secret_or_configuration_rolls_the_pods() -> None:
    before = _checksums(VALUES)
    changed = copy.deepcopy(VALUES)
    changed["secrets"]["values"]["REDIS_URL"] = "redis://other:6379/0"
    after = _checksums(changed)
    assert after["checksum/secret"] != before["checksum/secret"]
    assert after["checksum/config"] == before["checksum/config"]
    configured = _checksums({**VALUES, "env": {"LOG_LEVEL": "DEBUG"}})
    assert configured["checksum/config"] != before["checksum/config"]


def test_the_ingress_keeps_websocket_and_sse_streams_open_and_never_routes_to_metrics() -> None:
    ingress = _all("Ingress", _render("ingress"))["demo-healthbook"]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    ports = [
        path["backend"]["service"]["port"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    assert ports == [{"name": "http"}]


def test_service_monitors_scrape_the_metrics_port_when_asked_for() -> None:
    assert not _all("ServiceMonitor", _render("defaults"))
    values = {**VALUES, "ops": {"serviceMonitor": {"enabled": True}}}
    monitors = _all("ServiceMonitor", render_chart(values))
    assert set(monitors) == {f"demo-healthbook-{n}" for n in SERVABLE}
    for monitor in monitors.values():
        assert monitor["spec"]["endpoints"][0]["port"] == "metrics"


def test_helm_test_sends_a_graphql_query_through_the_router() -> None:
    pods = _all("Pod", render_chart(INGRESS))
    pod = pods["demo-healthbook-test-graphql"]
    assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    script = pod["spec"]["containers"][0]["args"][0]
    assert "http://demo-healthbook-router:4000/graphql" in script
    assert "doctors(page: {first: 1})" in script
    assert pod["metadata"]["labels"]["app.kubernetes.io/component"] == "test"
    compile(script, "helm-test", "exec")
