"""What the notifications code takes from a component's `Resources`, built once per process.

Tests replace any of these by putting their own object in `resources.extras` first.
"""

from __future__ import annotations

from datetime import timedelta

from subgraphs.notifications.channels import Channels, OneTimeLinks
from subgraphs.notifications.channels.jobs import Enqueue, broker_enqueue
from subgraphs.notifications.service.planning import PlanConfig
from subgraphs.notifications.settings import NotificationSettings
from subgraphs.notifications.webhooks import jobs as webhook_jobs
from subgraphs.shared.resources import Resources

SETTINGS_KEY = "notifications.settings"
CHANNELS_KEY = "notifications.channels"
ENQUEUE_KEY = "notifications.enqueue"
WEBHOOK_ENQUEUE_KEY = "notifications.webhooks.enqueue"


def settings_of(resources: Resources) -> NotificationSettings:
    found = resources.extras.get(SETTINGS_KEY)
    if not isinstance(found, NotificationSettings):
        found = NotificationSettings.from_env()
        resources.extras[SETTINGS_KEY] = found
    return found


def channels_of(resources: Resources) -> Channels:
    found = resources.extras.get(CHANNELS_KEY)
    if not isinstance(found, Channels):
        settings = settings_of(resources)
        found = Channels.from_settings(
            settings,
            data_dir=resources.settings.data_dir,
            links=OneTimeLinks(resources.cache, settings.public_url),
        )
        resources.extras[CHANNELS_KEY] = found
    return found


def enqueue_of(resources: Resources) -> Enqueue | None:
    """How to enqueue deliveries from this process: the bus's broker, or None (the sweep will)."""
    found = resources.extras.get(ENQUEUE_KEY)
    if found is not None:
        enqueue: Enqueue = found
        return enqueue
    if resources.bus is not None:
        enqueue = broker_enqueue(resources.bus.broker)
        resources.extras[ENQUEUE_KEY] = enqueue
        return enqueue
    return None


def plan_config(resources: Resources) -> PlanConfig:
    settings = settings_of(resources)
    _, _, address = settings.smtp.sender.rpartition("<")
    return PlanConfig(
        organizer=address.rstrip(">").strip() or "no-reply@healthbook.local",
        default_lead_minutes=settings.reminder_lead_minutes,
        contact_wait=timedelta(seconds=settings.contact_wait_seconds),
    )


def webhook_enqueue_of(resources: Resources) -> webhook_jobs.EnqueueWebhook | None:
    """How to enqueue webhook deliveries from this process (None: no bus; replay sends later)."""
    found = resources.extras.get(WEBHOOK_ENQUEUE_KEY)
    if found is not None:
        enqueue: webhook_jobs.EnqueueWebhook = found
        return enqueue
    if resources.bus is not None:
        enqueue = webhook_jobs.broker_enqueue(resources.bus.broker)
        resources.extras[WEBHOOK_ENQUEUE_KEY] = enqueue
        return enqueue
    return None
