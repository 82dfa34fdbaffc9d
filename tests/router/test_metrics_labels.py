"""The router's operation label stays bounded whatever names clients send."""

from __future__ import annotations

from router.metrics import MAX_OPERATIONS, RouterMetrics


def _operations(metrics: RouterMetrics) -> set[str]:
    return {
        sample.labels["operation"]
        for metric in metrics.registry.collect()
        if metric.name == "router_requests"
        for sample in metric.samples
    }


def test_operation_names_beyond_the_cap_or_malformed_count_as_other() -> None:
    metrics = RouterMetrics()
    metrics.observe_request("SearchDoctors", 200, 0.01, 0)
    for index in range(MAX_OPERATIONS + 50):
        metrics.observe_request(f"Invented{index}", 200, 0.01, 0)
    metrics.observe_request("drop table; --", 200, 0.01, 0)
    metrics.observe_request("x" * 500, 200, 0.01, 0)
    metrics.observe_request(None, 200, 0.01, 0)
    metrics.observe_request("SearchDoctors", 200, 0.01, 0)
    names = _operations(metrics)
    assert len(names) == MAX_OPERATIONS + 2  # the kept names, "other" and "anonymous"
    assert {"SearchDoctors", "other", "anonymous"} <= names
    assert "drop table; --" not in names
    value = metrics.registry.get_sample_value(
        "router_requests_total", {"operation": "SearchDoctors", "status": "200"}
    )
    assert value == 2
