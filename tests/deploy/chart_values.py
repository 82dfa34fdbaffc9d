"""Value sets the chart is rendered with in the tests (each must lint, render and pass policy)."""

from __future__ import annotations

from typing import Any

from subgraphs.shared.settings import COMPONENTS
from tests.deploy.processes import private_key_pem

SECRETS = {
    "HEALTHBOOK_SIGNING_KEY": "s" * 43,
    "JWT_PRIVATE_KEY": private_key_pem(),
    "BROKER_URL": "amqp://healthbook:pw@rabbitmq:5672/",
    "REDIS_URL": "redis://redis:6379/0",
    **{
        f"{name.upper()}_DATABASE_URL": f"postgresql+asyncpg://healthbook:pw@postgres/{name}"
        for name in COMPONENTS
    },
}
# The smallest install: the chart's defaults plus the secrets it cannot invent.
VALUES: dict[str, Any] = {"secrets": {"values": SECRETS}, "env": {"SMTP_HOST": "smtp.example.org"}}
INGRESS: dict[str, Any] = {
    **VALUES,
    "ingress": {"enabled": True, "host": "api.example.org", "tlsSecret": "api-tls"},
}
VALUE_SETS: dict[str, dict[str, Any]] = {
    "defaults": VALUES,
    "ingress": INGRESS,
    "existing-secret": {"secrets": {"existingSecret": "prod-healthbook"}},
    "prometheus-operator": {
        **VALUES,
        "ops": {"serviceMonitor": {"enabled": True}, "prometheusRule": {"enabled": True}},
    },
    "by-digest": {
        **INGRESS,
        "image": {"repository": "ghcr.io/example/healthbook", "digest": "sha256:" + "a" * 64},
    },
}
