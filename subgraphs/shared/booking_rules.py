"""The one definition of the booking rules' defaults: minimum notice and booking window.

Every place that needs a default reads it from here: the doctors subgraph's per-doctor
`BookingPolicy` (and `BookingPolicyInput`, the `doctors` table), the appointments
subgraph's deployment-wide `APPOINTMENTS_MIN_NOTICE_MINUTES` /
`APPOINTMENTS_BOOKING_WINDOW_DAYS` and its domain `Policy`. A doctor may ask for more notice
or a shorter window than the deployment; the deployment's settings bound every doctor.
"""

from __future__ import annotations

from typing import Final

MINIMUM_NOTICE_MINUTES: Final = 120
"""A booking must start at least this long after it is made (2 hours)."""

BOOKING_WINDOW_DAYS: Final = 90
"""A booking may start at most this far ahead (90 days)."""
