"""The appointments subgraph's own configuration, read once at start and failing loudly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from subgraphs.shared import booking_rules
from subgraphs.shared.settings import ConfigError, Env, Variable

COMPONENTS: Final = ("appointments",)
# The worker runs this subgraph's consumer, which offers freed slots to the waitlist: it asks
# the doctors subgraph and applies the booking bounds and the offer hold too.
WITH_WORKER: Final = ("appointments", "worker")

VARIABLES: Final[tuple[Variable, ...]] = (
    Variable(
        "DOCTORS_URL",
        "GraphQL endpoint of the doctors subgraph, asked whether a slot is bookable "
        "(default: DOCTORS_PORT on this host)",
        "http://127.0.0.1:4002/graphql",
        components=WITH_WORKER,
    ),
    Variable(
        "DOCTORS_TIMEOUT_SECONDS",
        "how long a booking waits for the doctors subgraph before SERVICE_UNAVAILABLE",
        "3",
        components=WITH_WORKER,
    ),
    Variable(
        "APPOINTMENTS_CUTOFF_HOURS",
        "hours before the start after which a patient can no longer cancel or reschedule",
        "24",
        components=COMPONENTS,
    ),
    Variable(
        "APPOINTMENTS_MAX_RESCHEDULES",
        "how many times a patient may reschedule one appointment",
        "3",
        components=COMPONENTS,
    ),
    Variable(
        "APPOINTMENTS_REQUIRE_CONFIRMATION",
        "true: bookings stay PENDING until the doctor confirms; false: CONFIRMED at once",
        "true",
        components=COMPONENTS,
    ),
    Variable(
        "APPOINTMENTS_MIN_NOTICE_MINUTES",
        "shortest notice any booking must give (minutes); also each doctor's default notice "
        "(subgraphs/shared/booking_rules.py); a doctor may ask for more",
        str(booking_rules.MINIMUM_NOTICE_MINUTES),
        components=WITH_WORKER,
    ),
    Variable(
        "APPOINTMENTS_BOOKING_WINDOW_DAYS",
        "how far ahead any booking may be made (days); also each doctor's default window "
        "(subgraphs/shared/booking_rules.py); a doctor may choose a shorter one",
        str(booking_rules.BOOKING_WINDOW_DAYS),
        components=WITH_WORKER,
    ),
    Variable(
        "WAITLIST_OFFER_MINUTES",
        "how long a freed slot offered to the first patient on the doctor's waitlist is held "
        "for them before it passes to the next in line (minutes)",
        "15",
        components=WITH_WORKER,
    ),
    Variable(
        "PUBLIC_APP_URL",
        "the web address users open; password reset, invitation and calendar feed links "
        "start with it",
        "http://127.0.0.1:4000",
        components=COMPONENTS,
    ),
    Variable(
        "CALENDAR_FEED_SECRET",
        "secret that seals calendar feed addresses (changing it revokes every feed); "
        "empty: derived from HEALTHBOOK_SIGNING_KEY",
        components=COMPONENTS,
    ),
)

_BOOLEANS: Final = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@dataclass(frozen=True)
class AppointmentsSettings:
    """Booking rules of this deployment and where the doctors subgraph answers."""

    doctors_url: str
    doctors_timeout_seconds: float
    cutoff: timedelta
    max_reschedules: int
    require_confirmation: bool
    min_notice: timedelta
    booking_window: timedelta
    offer_hold: timedelta = timedelta(minutes=15)
    public_url: str = "http://127.0.0.1:4000"
    calendar_feed_secret: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AppointmentsSettings:
        given = dict(os.environ) if environ is None else dict(environ)
        # Our variables are not in the shared list, so their defaults are filled in here.
        values = {item.name: item.default or "" for item in VARIABLES}
        values.update({name: value for name, value in given.items() if value})
        if not given.get("DOCTORS_URL"):  # follow the local doctors port when not set
            port = Env(given).integer("DOCTORS_PORT", minimum=1, maximum=65535)
            values["DOCTORS_URL"] = f"http://127.0.0.1:{port}/graphql"
        env = Env(values)
        doctors_url = env.text("DOCTORS_URL")
        if not doctors_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"DOCTORS_URL must be an http:// or https:// URL, got {doctors_url!r}"
            )
        flag = env.text("APPOINTMENTS_REQUIRE_CONFIRMATION").strip().lower()
        if flag not in _BOOLEANS:
            raise ConfigError(
                f"APPOINTMENTS_REQUIRE_CONFIRMATION must be true or false, got {flag!r}"
            )
        return cls(
            doctors_url=doctors_url,
            doctors_timeout_seconds=env.number("DOCTORS_TIMEOUT_SECONDS", minimum=0.1),
            cutoff=timedelta(hours=env.integer("APPOINTMENTS_CUTOFF_HOURS", maximum=24 * 30)),
            max_reschedules=env.integer("APPOINTMENTS_MAX_RESCHEDULES", maximum=100),
            require_confirmation=_BOOLEANS[flag],
            min_notice=timedelta(
                minutes=env.integer("APPOINTMENTS_MIN_NOTICE_MINUTES", maximum=60 * 24 * 30)
            ),
            booking_window=timedelta(
                days=env.integer("APPOINTMENTS_BOOKING_WINDOW_DAYS", minimum=1, maximum=3660)
            ),
            offer_hold=timedelta(
                minutes=env.integer("WAITLIST_OFFER_MINUTES", minimum=1, maximum=60 * 24)
            ),
            public_url=_http_url(env.text("PUBLIC_APP_URL")),
            calendar_feed_secret=values.get("CALENDAR_FEED_SECRET", ""),
        )


def _http_url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ConfigError(f"PUBLIC_APP_URL must be an http(s) URL, got {raw!r}")
    return raw.rstrip("/")
