"""helm/healthbook deploys the same topology to Kubernetes (rendered by the real Helm)."""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

import pytest
import yaml
from kubernetes_validate import utils as kubernetes

from healthbook import configuration
from healthbook.cli import SERVABLE
from subgraphs.shared.settings import COMPONENTS, DEFAULT_PORTS
from tests.deploy.chart_values import VALUES
from tests.deploy.compose_file import REPO
from tests.deploy.helm_chart import CHART, HelmError, lint, render_chart
from tests.deploy.processes import check_environment, serve_arguments

KUBERNETES_VERSION = "1.30"
OPS_PORT = 9464
SECRET_LIKE = re.compile(r"KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL|BROKER_URL|REDIS_URL")


@functools.cache
def _default() -> list[dict[str, Any]]:
    return render_chart(VALUES)


def _find(kind: str, name: str, manifests: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    for item in _default() if manifests is None else manifests:
        if item["kind"] == kind and item["metadata"]["name"] == name:
            return item
    raise AssertionError(f"no {kind} {name}")


def _container(component: str) -> dict[str, Any]:
    deployment = _find("Deployment", f"demo-healthbook-{component}")
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    container: dict[str, Any] = containers[0]
    return container


def _env(container: dict[str, Any], secret: dict[str, Any] | None = None) -> dict[str, str]:
    """Names → values the process sees (secret references resolved against `secret`)."""
    data = (secret or {}).get("stringData", {})
    env = {}
    for item in container["env"]:
        ref = item.get("valueFrom", {}).get("secretKeyRef")
        if ref is None:
            env[item["name"]] = item.get("value", "")
        elif ref["key"] in data or not ref.get("optional"):
            env[item["name"]] = data.get(ref["key"], "<secret>")
    return env


def test_chart_metadata() -> None:
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text(encoding="utf-8"))
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == "healthbook"
    assert re.fullmatch(r"\d+\.\d+\.\d+", chart["version"])
    assert chart["appVersion"]


def test_every_manifest_is_valid_kubernetes() -> None:
    for manifest in _default():
        kubernetes.validate(manifest, KUBERNETES_VERSION, strict=True)


def test_helm_lint_strict_passes() -> None:
    assert "0 chart(s) failed" in lint(VALUES)


def test_the_kubernetes_check_catches_a_misspelt_field() -> None:
    broken = copy.deepcopy(_find("Deployment", "demo-healthbook-router"))
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbes"] = {}
    with pytest.raises(kubernetes.ValidationError):
        kubernetes.validate(broken, KUBERNETES_VERSION, strict=True)


def test_rendering_without_secrets_names_the_missing_one() -> None:
    with pytest.raises(HelmError, match=r"secrets\.values\.[A-Z_]+ is required"):
        render_chart({})


def test_an_existing_secret_replaces_the_charts_own() -> None:
    manifests = render_chart({"secrets": {"existingSecret": "prod-healthbook"}})
    assert not [m for m in manifests if m["kind"] == "Secret"]
    deployment = _find("Deployment", "demo-healthbook-identity", manifests)
    refs = {
        item["valueFrom"]["secretKeyRef"]["name"]
        for item in deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        if "valueFrom" in item
    }
    assert refs == {"prod-healthbook"}


@pytest.mark.parametrize("component", SERVABLE)
def test_every_component_is_a_deployment_of_the_image(component: str) -> None:
    container = _container(component)
    assert container["args"] == serve_arguments(component)
    assert container["image"] == "healthbook:0.1.0"


@pytest.mark.parametrize("component", DEFAULT_PORTS)
def test_http_components_have_a_service_and_http_probes(component: str) -> None:
    container = _container(component)
    port = DEFAULT_PORTS[component]
    assert container["ports"] == [
        {"name": "http", "containerPort": port, "protocol": "TCP"},
        {"name": "ops", "containerPort": OPS_PORT, "protocol": "TCP"},
    ]
    assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "ops"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "ops"}
    assert container["startupProbe"]["httpGet"] == {"path": "/health/live", "port": "ops"}
    assert _env(container)["HEALTHBOOK_OPS_PORT"] == str(OPS_PORT)
    service = _find("Service", f"demo-healthbook-{component}")
    assert [(p["name"], p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [
        ("http", port, "http"),
        ("metrics", OPS_PORT, "ops"),
    ]
    pod_labels = _find("Deployment", f"demo-healthbook-{component}")["spec"]["template"][
        "metadata"
    ]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert service["spec"]["selector"]["app.kubernetes.io/component"] == component


@pytest.mark.parametrize("component", ["worker", "scheduler"])
def test_worker_and_scheduler_serve_only_their_ops_port(component: str) -> None:
    container = _container(component)
    assert container["ports"] == [{"name": "ops", "containerPort": OPS_PORT, "protocol": "TCP"}]
    assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "ops"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "ops"}
    service = _find("Service", f"demo-healthbook-{component}")
    assert [p["name"] for p in service["spec"]["ports"]] == ["metrics"]


def test_mail_and_sms_credentials_are_read_from_the_secret_when_present() -> None:
    for component in ("notifications", "worker", "scheduler"):
        refs = {
            item["name"]: item["valueFrom"]["secretKeyRef"]
            for item in _container(component)["env"]
            if "valueFrom" in item
        }
        for name in ("SMTP_PASSWORD", "SMS_AUTH_TOKEN"):
            assert refs[name] == {"name": "demo-healthbook", "key": name, "optional": True}


def _pods() -> list[dict[str, Any]]:
    kinds = ("Deployment", "Job")
    return [m["spec"]["template"]["spec"] for m in _default() if m["kind"] in kinds]


@pytest.mark.parametrize("component", [*SERVABLE, "migrate"])
def test_pods_run_unprivileged_on_a_read_only_root(component: str) -> None:
    [pod] = [p for p in _pods() if p["containers"][0]["name"] == component]
    dockerfile_user = re.search(r"^USER (\d+)", (REPO / "Dockerfile").read_text(), re.M)
    assert dockerfile_user is not None
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == int(dockerfile_user.group(1))
    assert pod["automountServiceAccountToken"] is False
    container = pod["containers"][0]
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    for path in ("/tmp", "/var/lib/healthbook"):
        assert "emptyDir" in volumes[mounts[path]]
    assert container["resources"]["requests"]
    assert container["resources"]["limits"]


@pytest.mark.parametrize("component", SERVABLE)
def test_each_component_is_given_every_variable_it_requires(component: str) -> None:
    env = _env(_container(component), _find("Secret", "demo-healthbook"))
    given = {name for name, value in env.items() if value}
    missing = {v.name for v in configuration.required_for(component)} - given
    assert not missing, f"helm: give {sorted(missing)} to {component}"
    names = [item["name"] for item in _container(component)["env"]]
    assert len(names) == len(set(names)), "a variable is set twice"


@pytest.mark.parametrize("component", SERVABLE)
def test_secrets_reach_processes_only_by_reference(component: str) -> None:
    for item in _container(component)["env"]:
        if SECRET_LIKE.search(item["name"]):
            assert "valueFrom" in item, f"{item['name']} is given in plain text"
    secret = _find("Secret", "demo-healthbook")["stringData"]
    for item in _container(component)["env"]:
        ref = item.get("valueFrom", {}).get("secretKeyRef")
        if ref and not ref.get("optional"):
            assert ref["key"] in secret, f"the Secret has no {ref['key']}"


@pytest.mark.parametrize("component", COMPONENTS)
def test_each_subgraph_gets_only_its_own_database(component: str) -> None:
    names = {item["name"] for item in _container(component)["env"]}
    assert {n for n in names if n.endswith("_DATABASE_URL")} == {
        f"{component.upper()}_DATABASE_URL"
    }


def test_services_find_each_other_by_service_name_and_port() -> None:
    router = _env(_container("router"))
    for name in COMPONENTS:
        assert router[f"ROUTER_SUBGRAPH_{name.upper()}_URL"] == (
            f"http://demo-healthbook-{name}:{DEFAULT_PORTS[name]}/graphql"
        )
    assert _env(_container("appointments"))["DOCTORS_URL"] == (
        "http://demo-healthbook-doctors:4002/graphql"
    )
    assert _env(_container("worker"))["JWKS_URL"] == (
        "http://demo-healthbook-identity:4001/.well-known/jwks.json"
    )


def test_migrations_run_as_a_hook_before_install_and_upgrade_after_the_secret() -> None:
    job = _find("Job", "demo-healthbook-migrate")
    secret = _find("Secret", "demo-healthbook")
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    for item in (job, secret):
        assert item["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    weight = "helm.sh/hook-weight"
    assert int(secret["metadata"]["annotations"][weight]) < int(
        job["metadata"]["annotations"][weight]
    )
    env = _env(container, secret)
    assert {f"{name.upper()}_DATABASE_URL" for name in COMPONENTS} <= set(env)


def test_the_router_scales_on_cpu_and_keeps_one_pod_through_disruptions() -> None:
    deployment = _find("Deployment", "demo-healthbook-router")
    assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
    hpa = _find("HorizontalPodAutoscaler", "demo-healthbook-router")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "demo-healthbook-router"
    assert hpa["spec"]["minReplicas"] >= 2
    pdb = _find("PodDisruptionBudget", "demo-healthbook-router")
    assert pdb["spec"]["maxUnavailable"] == 1
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()


@pytest.mark.parametrize("component", [*SERVABLE, "migrate"])
def test_the_code_accepts_each_pods_environment(component: str) -> None:
    secret = _find("Secret", "demo-healthbook")
    if component == "migrate":
        container = _find("Job", "demo-healthbook-migrate")["spec"]["template"]["spec"][
            "containers"
        ][0]
    else:
        container = _container(component)
    check_environment(component, _env(container, secret))


def test_the_ingress_publishes_only_the_router() -> None:
    assert not [m for m in _default() if m["kind"] == "Ingress"], "off unless asked for"
    values = {
        **VALUES,
        "ingress": {"enabled": True, "host": "api.example.org", "tlsSecret": "api-tls"},
    }
    ingress = _find("Ingress", "demo-healthbook", render_chart(values))
    kubernetes.validate(ingress, KUBERNETES_VERSION, strict=True)
    rule = ingress["spec"]["rules"][0]
    assert rule["host"] == "api.example.org"
    backend = rule["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "demo-healthbook-router", "port": {"name": "http"}}
    assert ingress["spec"]["tls"] == [{"hosts": ["api.example.org"], "secretName": "api-tls"}]
    with pytest.raises(HelmError, match=r"ingress\.host is required"):
        render_chart({**VALUES, "ingress": {"enabled": True}})
