"""A subgraph's operation label stays bounded whatever names callers send."""

from __future__ import annotations

from subgraphs.shared.metrics import MAX_OPERATIONS, GraphQLMetrics


def test_operation_names_beyond_the_cap_or_malformed_are_other() -> None:
    metrics = GraphQLMetrics("doctors")
    assert metrics.operation_label("SearchDoctors") == "SearchDoctors"
    for index in range(MAX_OPERATIONS):
        metrics.operation_label(f"Invented{index}")
    assert metrics.operation_label("OneTooMany") == "other"
    assert metrics.operation_label("SearchDoctors") == "SearchDoctors"
    assert metrics.operation_label("{ evil }") == "other"
    assert metrics.operation_label(None) == "anonymous"
    assert len(metrics.operations) == MAX_OPERATIONS
