"""Builds the use cases' collaborators once per process and keeps them on the resources."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from subgraphs.appointments.calendar_feed.keys import FeedConfig, feed_secret
from subgraphs.appointments.domain import Policy
from subgraphs.appointments.service.availability import AvailabilityChecker, HttpAvailabilityChecker
from subgraphs.appointments.service.lifecycle import Deps, utcnow
from subgraphs.appointments.service.openings import HttpOpeningsFinder, OpeningsFinder
from subgraphs.appointments.settings import AppointmentsSettings
from subgraphs.shared.resources import Resources

KEY: Final = "appointments.deps"
FEED_KEY: Final = "appointments.calendar_feed"


def policy_of(settings: AppointmentsSettings) -> Policy:
    return Policy(
        cutoff=settings.cutoff,
        max_reschedules=settings.max_reschedules,
        require_confirmation=settings.require_confirmation,
        min_notice=settings.min_notice,
        booking_window=settings.booking_window,
        offer_hold=settings.offer_hold,
    )


def install(
    resources: Resources,
    *,
    settings: AppointmentsSettings | None = None,
    availability: AvailabilityChecker | None = None,
    policy: Policy | None = None,
    clock: Callable[[], datetime] | None = None,
    openings: OpeningsFinder | None = None,
) -> Deps:
    """The collaborators of `resources` (created on first call, from the environment)."""
    existing = resources.extras.get(KEY)
    if isinstance(existing, Deps):
        return existing
    own = settings or AppointmentsSettings.from_env()
    deps = Deps(
        db=resources.database,
        pubsub=resources.pubsub,
        availability=availability
        or HttpAvailabilityChecker(
            own.doctors_url,
            timeout_seconds=own.doctors_timeout_seconds,
            signing_key=resources.settings.signing_key,
        ),
        policy=policy or policy_of(own),
        clock=clock or utcnow,
        openings=openings
        or HttpOpeningsFinder(
            own.doctors_url,
            timeout_seconds=own.doctors_timeout_seconds,
            signing_key=resources.settings.signing_key,
        ),
    )
    resources.extras[FEED_KEY] = FeedConfig(
        secret=feed_secret(
            configured=own.calendar_feed_secret,
            signing_key=resources.settings.signing_key,
            data_dir=resources.settings.data_dir,
        ),
        public_url=own.public_url,
    )
    resources.extras[KEY] = deps
    return deps


def feed_config(resources: Resources) -> FeedConfig:
    """How this process seals feed tokens and where feed addresses point."""
    install(resources)
    config = resources.extras[FEED_KEY]
    assert isinstance(config, FeedConfig)
    return config
