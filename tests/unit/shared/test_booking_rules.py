"""Issue 12 item 6: one definition of the minimum notice and booking window defaults, and
every place that has a default agrees with it (domain Policy, the environment, the doctors'
BookingPolicy / BookingPolicyInput / table column, the exported SDL, the README table)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from subgraphs.appointments.domain import Policy
from subgraphs.appointments.settings import AppointmentsSettings
from subgraphs.doctors.domain.availability import BookingPolicy
from subgraphs.doctors.models import Doctor
from subgraphs.doctors.schema.inputs import BookingPolicyInput
from subgraphs.shared import booking_rules

REPO = Path(__file__).resolve().parents[3]
NOTICE = timedelta(minutes=booking_rules.MINIMUM_NOTICE_MINUTES)
WINDOW = timedelta(days=booking_rules.BOOKING_WINDOW_DAYS)


def test_the_domain_policy_the_environment_and_the_doctors_input_agree() -> None:
    env = AppointmentsSettings.from_env({})
    doctor_input = BookingPolicyInput().to_policy()
    column = Doctor.model_fields
    assert (Policy().min_notice, Policy().booking_window) == (NOTICE, WINDOW)
    assert (env.min_notice, env.booking_window) == (NOTICE, WINDOW)
    assert (doctor_input.notice, doctor_input.window) == (NOTICE, WINDOW)
    assert (BookingPolicy().notice, BookingPolicy().window) == (NOTICE, WINDOW)
    assert column["minimum_notice_minutes"].default == booking_rules.MINIMUM_NOTICE_MINUTES
    assert column["booking_window_days"].default == booking_rules.BOOKING_WINDOW_DAYS


def test_the_published_schema_and_the_readme_state_the_same_defaults() -> None:
    sdl = (REPO / "schema/subgraphs/doctors.graphql").read_text()
    assert f"minimumNoticeMinutes: Int! = {booking_rules.MINIMUM_NOTICE_MINUTES}" in sdl
    assert f"bookingWindowDays: Int! = {booking_rules.BOOKING_WINDOW_DAYS}" in sdl
    readme = (REPO / "README.md").read_text()
    notice = re.search(r"\| `APPOINTMENTS_MIN_NOTICE_MINUTES` \| `(\d+)` \|", readme)
    window = re.search(r"\| `APPOINTMENTS_BOOKING_WINDOW_DAYS` \| `(\d+)` \|", readme)
    assert notice is not None
    assert window is not None
    assert int(notice[1]) == booking_rules.MINIMUM_NOTICE_MINUTES
    assert int(window[1]) == booking_rules.BOOKING_WINDOW_DAYS
