"""Configuration from the environment, read once, failing by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.config import ConfigError, RouterConfig


def test_defaults_without_any_variable() -> None:
    config = RouterConfig.from_env({})
    assert config.port == 4000
    assert config.subgraph_timeout == 30.0
    assert config.expose_query_plan is True
    assert config.supergraph_path is None


def test_subgraph_urls_and_timeouts_are_read_per_subgraph() -> None:
    config = RouterConfig.from_env(
        {
            "ROUTER_SUPERGRAPH": "/srv/supergraph.graphql",
            "ROUTER_SUBGRAPH_TIMEOUT": "5",
            "ROUTER_SUBGRAPH_DOCTORS_URL": "http://doctors:8000/graphql",
            "ROUTER_SUBGRAPH_DOCTORS_TIMEOUT": "1.5",
        }
    )
    assert config.supergraph_path == Path("/srv/supergraph.graphql")
    assert config.url_for("doctors", "http://default") == "http://doctors:8000/graphql"
    assert config.url_for("identity", "http://default") == "http://default"
    assert config.timeout_for("doctors") == 1.5
    assert config.timeout_for("identity") == 5.0


def test_the_query_plan_is_hidden_outside_development_unless_asked() -> None:
    assert RouterConfig.from_env({"HEALTHBOOK_ENV": "production"}).expose_query_plan is False
    config = RouterConfig.from_env(
        {"HEALTHBOOK_ENV": "production", "ROUTER_EXPOSE_QUERY_PLAN": "true"}
    )
    assert config.expose_query_plan is True


def test_subscription_sharing_is_on_unless_turned_off() -> None:
    assert RouterConfig.from_env({}).share_subscriptions is True
    config = RouterConfig.from_env({"ROUTER_SHARE_SUBSCRIPTIONS": "false"})
    assert config.share_subscriptions is False


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ROUTER_PORT", "eighty"),
        ("ROUTER_PORT", "70000"),
        ("ROUTER_SUBGRAPH_TIMEOUT", "-1"),
        ("ROUTER_SUBGRAPH_REVIEWS_TIMEOUT", "soon"),
        ("ROUTER_SUBGRAPH_REVIEWS_URL", "reviews:4000"),
        ("ROUTER_EXPOSE_QUERY_PLAN", "maybe"),
        ("ROUTER_SHARE_SUBSCRIPTIONS", "sometimes"),
        ("ROUTER_PLAN_CACHE_SIZE", "0"),
        ("ROUTER_OVERRIDE_LABELS", "beta, 9lives"),
        ("ROUTER_OVERRIDE_LABELS", "percent(150)"),
    ],
)
def test_a_malformed_variable_is_named_in_the_error(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        RouterConfig.from_env({name: value})


def test_override_labels_are_a_comma_separated_set() -> None:
    config = RouterConfig.from_env(
        {"ROUTER_OVERRIDE_LABELS": " beta-views, percent(20),beta-views"}
    )
    assert config.override_labels == {"beta-views", "percent(20)"}
    assert RouterConfig.from_env({}).override_labels == frozenset()
