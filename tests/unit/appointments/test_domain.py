"""The appointment aggregate's rules, without any store."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from subgraphs.appointments.domain import (
    Action,
    Actor,
    Appointment,
    Policy,
    Status,
    check_bookable_time,
    clean_reason,
    overlaps,
)
from subgraphs.appointments.errors import OutsideAvailability, RescheduleLimitReached, TooLate
from subgraphs.shared.auth import Role
from subgraphs.shared.errors import BadUserInput, Conflict, Forbidden, NotFound

NOW = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
START = NOW + timedelta(days=3)
POLICY = Policy()
PATIENT = Actor(uuid.uuid4(), Role.PATIENT)
DOCTOR = Actor(uuid.uuid4(), Role.DOCTOR)
ADMIN = Actor(uuid.uuid4(), Role.ADMIN)


def booked(policy: Policy = POLICY, start: datetime = START) -> Appointment:
    return Appointment.book(
        actor=PATIENT,
        doctor_id=uuid.uuid4(),
        doctor_user_id=DOCTOR.user_id,
        start=start,
        end=start + timedelta(minutes=30),
        time_zone="Europe/Lisbon",
        reason="  back   pain ",
        now=NOW,
        policy=policy,
    )


def confirmed(start: datetime = START) -> Appointment:
    appointment = booked(start=start)
    appointment.confirm(actor=DOCTOR, now=NOW)
    return appointment


def test_a_booking_waits_for_the_doctor_and_records_who_booked() -> None:
    appointment = booked()
    assert appointment.status is Status.PENDING
    assert appointment.reason == "back pain"
    [change] = appointment.changes
    assert change.action is Action.BOOKED
    assert (change.actor_id, change.from_status, change.to_status) == (
        PATIENT.user_id,
        None,
        Status.PENDING,
    )


def test_a_deployment_without_confirmation_books_confirmed() -> None:
    assert booked(Policy(require_confirmation=False)).status is Status.CONFIRMED


def test_only_patients_book() -> None:
    with pytest.raises(Forbidden):
        Appointment.book(
            actor=DOCTOR,
            doctor_id=uuid.uuid4(),
            doctor_user_id=DOCTOR.user_id,
            start=START,
            end=START + timedelta(minutes=30),
            time_zone="UTC",
            reason=None,
            now=NOW,
            policy=POLICY,
        )


@pytest.mark.parametrize(
    ("start", "error"),
    [
        (NOW - timedelta(minutes=1), TooLate),
        (NOW, TooLate),
        (NOW + timedelta(minutes=59), TooLate),
        (NOW + timedelta(days=91), OutsideAvailability),
    ],
)
def test_bookings_must_be_in_the_future_after_notice_and_inside_the_window(
    start: datetime, error: type[Exception]
) -> None:
    with pytest.raises(error):
        check_bookable_time(start, now=NOW, policy=POLICY)


def test_times_without_offset_are_bad_input() -> None:
    with pytest.raises(BadUserInput):
        check_bookable_time(datetime(2030, 3, 10, 9, 0), now=NOW, policy=POLICY)


def test_the_doctor_confirms_and_history_shows_from_and_to() -> None:
    appointment = booked()
    appointment.changes.clear()
    appointment.confirm(actor=DOCTOR, now=NOW)
    [change] = appointment.changes
    assert (change.from_status, change.to_status) == (Status.PENDING, Status.CONFIRMED)


def test_a_patient_cannot_confirm() -> None:
    with pytest.raises(Forbidden):
        booked().confirm(actor=PATIENT, now=NOW)


def test_another_doctor_does_not_even_see_the_appointment() -> None:
    with pytest.raises(NotFound):
        booked().confirm(actor=Actor(uuid.uuid4(), Role.DOCTOR), now=NOW)
    with pytest.raises(NotFound):
        booked().cancel(
            actor=Actor(uuid.uuid4(), Role.PATIENT), reason=None, now=NOW, policy=POLICY
        )


def test_rejection_needs_a_reason() -> None:
    with pytest.raises(BadUserInput):
        booked().reject(actor=DOCTOR, reason="  ", now=NOW)
    appointment = booked()
    appointment.reject(actor=DOCTOR, reason="Not my speciality", now=NOW)
    assert appointment.status is Status.REJECTED
    assert appointment.status_reason == "Not my speciality"


@pytest.mark.parametrize(
    "act",
    [
        lambda a: a.confirm(actor=DOCTOR, now=NOW),
        lambda a: a.reject(actor=DOCTOR, reason="no", now=NOW),
        lambda a: a.cancel(actor=DOCTOR, reason=None, now=NOW, policy=POLICY),
        lambda a: a.complete(actor=DOCTOR, now=START),
        lambda a: a.mark_no_show(actor=DOCTOR, now=START),
        lambda a: a.reschedule(
            actor=DOCTOR,
            start=START + timedelta(hours=2),
            end=START + timedelta(hours=3),
            now=NOW,
            policy=POLICY,
        ),
    ],
)
def test_a_cancelled_appointment_cannot_move_anywhere(act: object) -> None:
    appointment = confirmed()
    appointment.cancel(actor=PATIENT, reason=None, now=NOW, policy=POLICY)
    with pytest.raises(Conflict):
        act(appointment)  # type: ignore[operator]


def test_pending_requests_cannot_be_completed_or_marked_no_show() -> None:
    with pytest.raises(Conflict):
        booked().complete(actor=DOCTOR, now=START)
    with pytest.raises(Conflict):
        booked().mark_no_show(actor=DOCTOR, now=START)


def test_a_visit_is_completed_or_missed_only_once_it_started() -> None:
    appointment = confirmed()
    with pytest.raises(Conflict):
        appointment.complete(actor=DOCTOR, now=START - timedelta(minutes=1))
    appointment.complete(actor=DOCTOR, now=START)
    assert appointment.status is Status.COMPLETED
    missed = confirmed()
    missed.mark_no_show(actor=ADMIN, now=START + timedelta(minutes=10))
    assert missed.status is Status.NO_SHOW


def test_patient_cannot_cancel_inside_cutoff() -> None:
    appointment = confirmed()
    late = START - timedelta(hours=23)
    with pytest.raises(TooLate):
        appointment.cancel(actor=PATIENT, reason=None, now=late, policy=POLICY)
    appointment.cancel(actor=DOCTOR, reason="ill", now=late, policy=POLICY)
    assert appointment.status is Status.CANCELLED


def test_patient_can_cancel_just_before_the_cutoff_and_pending_requests_too() -> None:
    appointment = booked()
    appointment.cancel(actor=PATIENT, reason=None, now=START - timedelta(hours=24), policy=POLICY)
    assert appointment.status is Status.CANCELLED


def test_admins_can_always_cancel() -> None:
    appointment = confirmed()
    appointment.cancel(actor=ADMIN, reason="clinic closed", now=START, policy=POLICY)
    assert appointment.changes[-1].actor_role is Role.ADMIN


def test_patient_reschedule_moves_time_and_waits_for_confirmation_again() -> None:
    appointment = confirmed()
    new_start = START + timedelta(days=1)
    appointment.reschedule(
        actor=PATIENT,
        start=new_start,
        end=new_start + timedelta(minutes=30),
        now=NOW,
        policy=POLICY,
    )
    change = appointment.changes[-1]
    assert (appointment.start, appointment.status, appointment.reschedule_count) == (
        new_start,
        Status.PENDING,
        1,
    )
    assert (change.from_start, change.to_start) == (START, new_start)


def test_a_doctor_reschedule_keeps_the_confirmation() -> None:
    appointment = confirmed()
    new_start = START + timedelta(days=1)
    appointment.reschedule(
        actor=DOCTOR, start=new_start, end=new_start + timedelta(minutes=30), now=NOW, policy=POLICY
    )
    assert appointment.status is Status.CONFIRMED


def test_patient_reschedules_are_capped() -> None:
    appointment = booked()
    for day in range(1, 4):
        start = START + timedelta(days=day)
        appointment.reschedule(
            actor=PATIENT, start=start, end=start + timedelta(minutes=30), now=NOW, policy=POLICY
        )
    start = START + timedelta(days=5)
    with pytest.raises(RescheduleLimitReached):
        appointment.reschedule(
            actor=PATIENT, start=start, end=start + timedelta(minutes=30), now=NOW, policy=POLICY
        )


def test_patient_cannot_reschedule_inside_cutoff() -> None:
    appointment = booked()
    start = START + timedelta(days=2)
    with pytest.raises(TooLate):
        appointment.reschedule(
            actor=PATIENT,
            start=start,
            end=start + timedelta(minutes=30),
            now=START - timedelta(hours=2),
            policy=POLICY,
        )


def test_rescheduling_to_the_same_time_is_bad_input() -> None:
    appointment = booked()
    with pytest.raises(BadUserInput):
        appointment.reschedule(
            actor=PATIENT, start=START, end=START + timedelta(minutes=30), now=NOW, policy=POLICY
        )


def test_ranges_overlap_only_when_they_share_a_moment() -> None:
    a = START
    assert overlaps(a, a + timedelta(minutes=30), a + timedelta(minutes=15), a + timedelta(hours=1))
    assert not overlaps(
        a, a + timedelta(minutes=30), a + timedelta(minutes=30), a + timedelta(hours=1)
    )


def test_reasons_are_trimmed_and_bounded() -> None:
    assert clean_reason("  a \n b ") == "a b"
    assert clean_reason("") is None
    with pytest.raises(BadUserInput):
        clean_reason("x" * 501)
