"""Builds the use cases' collaborators once per process and keeps them on the resources."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from subgraphs.appointments.domain import Policy
from subgraphs.appointments.service.availability import AvailabilityChecker, HttpAvailabilityChecker
from subgraphs.appointments.service.lifecycle import Deps, utcnow
from subgraphs.appointments.settings import AppointmentsSettings
from subgraphs.shared.resources import Resources

KEY: Final = "appointments.deps"


def policy_of(settings: AppointmentsSettings) -> Policy:
    return Policy(
        cutoff=settings.cutoff,
        max_reschedules=settings.max_reschedules,
        require_confirmation=settings.require_confirmation,
        min_notice=settings.min_notice,
        booking_window=settings.booking_window,
    )


def install(
    resources: Resources,
    *,
    settings: AppointmentsSettings | None = None,
    availability: AvailabilityChecker | None = None,
    policy: Policy | None = None,
    clock: Callable[[], datetime] | None = None,
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
    )
    resources.extras[KEY] = deps
    return deps
