"""The rendered chart passes checkov's Kubernetes policies but the documented exceptions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.chart_values import VALUE_SETS
from tests.deploy.helm_chart import template_text
from tests.deploy.tools import REPO, run

CONFIG = REPO / "deploy/checkov.yaml"


def _failures(directory: Path) -> list[str]:
    result = run("checkov", "--config-file", CONFIG, "--directory", directory, "--output", "json")
    assert result.returncode in (0, 1), result.stderr
    reports: Any = json.loads(result.stdout)
    if isinstance(reports, dict):
        reports = [reports]
    return [
        f"{check['check_id']} {check['check_name']}: {check['resource']} ({check['file_path']})"
        for report in reports
        if isinstance(report, dict) and "results" in report
        for check in report["results"]["failed_checks"]
    ]


# A pod the policies must refuse, checked in the same run: the check can fail.
CANARY = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "canary", "namespace": "healthbook"},
    "spec": {
        "containers": [{"name": "c", "image": "x:1", "securityContext": {"privileged": True}}]
    },
}


def test_every_value_set_passes_the_kubernetes_policies(tmp_path: Path) -> None:
    for name, values in VALUE_SETS.items():
        (tmp_path / f"{name}.yaml").write_text(
            template_text(values, namespace="healthbook"), encoding="utf-8"
        )
    (tmp_path / "zz-canary.yaml").write_text(yaml.safe_dump(CANARY), encoding="utf-8")
    failures = _failures(tmp_path)
    assert [f for f in failures if "zz-canary" not in f] == []
    assert any("CKV_K8S_16" in f for f in failures), "a privileged container went unnoticed"


def test_every_check_skipped_in_a_manifest_is_explained() -> None:
    skips = [
        value
        for values in VALUE_SETS.values()
        for manifest in yaml.safe_load_all(template_text(values))
        if manifest
        for key, value in manifest["metadata"].get("annotations", {}).items()
        if key.startswith("checkov.io/skip")
    ]
    assert skips
    for skip in skips:
        check, _, reason = skip.partition("=")
        assert check.startswith("CKV"), skip
        assert len(reason) > 20, f"{skip!r} has no reason"


def test_every_skipped_check_is_explained() -> None:
    text = CONFIG.read_text(encoding="utf-8")
    skipped = yaml.safe_load(text)["skip-check"]
    lines = text.splitlines()
    for check in skipped:
        at = lines.index(f"  - {check}")
        assert lines[at - 1].lstrip().startswith("#"), f"{check} is skipped without a reason"
