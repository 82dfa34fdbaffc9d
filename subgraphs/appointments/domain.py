"""The appointment aggregate: its states, who may move it where and when, and its history.

Pure rules, no I/O: the service loads an :class:`Appointment`, calls one method, saves the
result and turns the recorded :class:`Change` into a history row and an outbox event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from subgraphs.appointments.errors import OutsideAvailability, RescheduleLimitReached, TooLate
from subgraphs.shared import booking_rules
from subgraphs.shared.auth import Role
from subgraphs.shared.errors import BadUserInput, Conflict, Forbidden, NotFound

REASON_MAX: Final = 500


class Status(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"
    NO_SHOW = "NO_SHOW"


ACTIVE: Final = frozenset({Status.PENDING, Status.CONFIRMED})
"""Statuses that hold a time: no two of them may overlap for a doctor or for a patient."""


class Action(StrEnum):
    BOOKED = "BOOKED"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    RESCHEDULED = "RESCHEDULED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"
    MARKED_NO_SHOW = "MARKED_NO_SHOW"


@dataclass(frozen=True)
class Policy:
    """The deployment's booking rules (see `settings.py`)."""

    cutoff: timedelta = timedelta(hours=24)
    max_reschedules: int = 3
    require_confirmation: bool = True
    min_notice: timedelta = timedelta(minutes=booking_rules.MINIMUM_NOTICE_MINUTES)
    booking_window: timedelta = timedelta(days=booking_rules.BOOKING_WINDOW_DAYS)
    offer_hold: timedelta = timedelta(minutes=15)
    """How long a freed slot offered from the waitlist is held for the patient offered it."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the signed-in user and their role."""

    user_id: uuid.UUID
    role: Role


SYSTEM: Final = Actor(user_id=uuid.UUID(int=0), role=Role.ADMIN)
"""The actor of changes no person made (a suspended or deactivated doctor's future visits
are cancelled on the admins' behalf): `cancelledBy` says ADMIN, the history a nil user id."""

DOCTOR_WITHDRAWN: Final = (
    "Your doctor no longer takes appointments on Healthbook; please book with another doctor."
)
"""The reason stated on appointments cancelled because their doctor was suspended."""


@dataclass(frozen=True)
class Change:
    """One step of an appointment's history: who, when, from → to, and why."""

    action: Action
    at: datetime
    actor_id: uuid.UUID
    actor_role: Role
    from_status: Status | None
    to_status: Status
    from_start: datetime | None
    from_end: datetime | None
    to_start: datetime
    to_end: datetime
    reason: str | None = None


def clean_reason(text: str | None, *, required: bool = False) -> str | None:
    """A trimmed reason of at most REASON_MAX characters (None when empty and optional)."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        if required:
            raise BadUserInput("A reason is required.", field="reason")
        return None
    if len(cleaned) > REASON_MAX:
        raise BadUserInput(f"A reason is at most {REASON_MAX} characters.", field="reason")
    return cleaned


def check_bookable_time(start: datetime, *, now: datetime, policy: Policy) -> None:
    """A start in the future, after the minimum notice and inside the booking window."""
    if start.tzinfo is None:
        raise BadUserInput("Times need a UTC offset (ISO 8601).", field="start")
    if start <= now:
        raise TooLate("The requested time is in the past.", field="start")
    if start < now + policy.min_notice:
        minutes = int(policy.min_notice.total_seconds() // 60)
        raise TooLate(f"Bookings need at least {minutes} minutes' notice.", field="start")
    if start > now + policy.booking_window:
        raise OutsideAvailability(
            f"Bookings open at most {policy.booking_window.days} days ahead.", field="start"
        )


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether half-open ranges [a_start, a_end) and [b_start, b_end) share a moment."""
    return a_start < b_end and b_start < a_end


def can_read(actor: Actor | None, *, patient_id: uuid.UUID, doctor_user_id: uuid.UUID) -> bool:
    """Patients see their own appointments, doctors theirs, admins all; reasons likewise."""
    if actor is None:
        return False
    return (
        actor.role is Role.ADMIN
        or (actor.role is Role.PATIENT and actor.user_id == patient_id)
        or (actor.role is Role.DOCTOR and actor.user_id == doctor_user_id)
    )


@dataclass
class Appointment:
    """A booked visit and its rules; every method records a :class:`Change`."""

    id: uuid.UUID
    doctor_id: uuid.UUID
    doctor_user_id: uuid.UUID
    patient_id: uuid.UUID
    start: datetime
    end: datetime
    status: Status
    time_zone: str
    reason: str | None = None
    status_reason: str | None = None
    reschedule_count: int = 0
    changes: list[Change] = field(default_factory=list)

    @classmethod
    def book(
        cls,
        *,
        actor: Actor,
        doctor_id: uuid.UUID,
        doctor_user_id: uuid.UUID,
        start: datetime,
        end: datetime,
        time_zone: str,
        reason: str | None,
        now: datetime,
        policy: Policy,
        appointment_id: uuid.UUID | None = None,
    ) -> Appointment:
        """A new appointment for the patient `actor`: PENDING or CONFIRMED per the policy."""
        if actor.role is not Role.PATIENT:
            raise Forbidden("Only patients book appointments.")
        check_bookable_time(start, now=now, policy=policy)
        if end <= start:
            raise OutsideAvailability("The doctor offers no slot at that time.", field="start")
        status = Status.PENDING if policy.require_confirmation else Status.CONFIRMED
        booked = cls(
            id=appointment_id or uuid.uuid4(),
            doctor_id=doctor_id,
            doctor_user_id=doctor_user_id,
            patient_id=actor.user_id,
            start=start,
            end=end,
            status=status,
            time_zone=time_zone,
            reason=clean_reason(reason),
        )
        booked._record(Action.BOOKED, actor, now, None, None, None, None)
        return booked

    # Who is asking ---------------------------------------------------------------------

    def visible_to(self, actor: Actor) -> bool:
        return can_read(actor, patient_id=self.patient_id, doctor_user_id=self.doctor_user_id)

    def _require_visible(self, actor: Actor) -> None:
        if not self.visible_to(actor):
            raise NotFound("No such appointment.", field="id")

    def _require_doctor_or_admin(self, actor: Actor) -> None:
        self._require_visible(actor)
        if actor.role is Role.PATIENT:
            raise Forbidden("Only the doctor or an admin can do this.")

    def _require_status(self, action: Action, *allowed: Status) -> None:
        if self.status not in allowed:
            raise Conflict(
                f"A {self.status.value} appointment cannot be {action.value.lower()}.",
                status=self.status.value,
            )

    # Transitions -----------------------------------------------------------------------

    def confirm(self, *, actor: Actor, now: datetime) -> None:
        self._require_doctor_or_admin(actor)
        self._require_status(Action.CONFIRMED, Status.PENDING)
        if now >= self.start:
            raise TooLate("The appointment has already started.")
        self._transition(Action.CONFIRMED, actor, now, Status.CONFIRMED, None)

    def reject(self, *, actor: Actor, reason: str | None, now: datetime) -> None:
        self._require_doctor_or_admin(actor)
        why = clean_reason(reason, required=True)
        self._require_status(Action.REJECTED, Status.PENDING)
        self._transition(Action.REJECTED, actor, now, Status.REJECTED, why)

    def cancel(self, *, actor: Actor, reason: str | None, now: datetime, policy: Policy) -> None:
        """Patients until the cut-off; the doctor and admins at any time."""
        self._require_visible(actor)
        why = clean_reason(reason)
        self._require_status(Action.CANCELLED, *ACTIVE)
        if actor.role is Role.PATIENT:
            self._check_cutoff("cancelled", now=now, policy=policy)
        self._transition(Action.CANCELLED, actor, now, Status.CANCELLED, why)

    def reschedule(
        self,
        *,
        actor: Actor,
        start: datetime,
        end: datetime,
        now: datetime,
        policy: Policy,
        reason: str | None = None,
    ) -> None:
        """Move to a new time; a patient's move needs the doctor's confirmation again."""
        self._require_visible(actor)
        why = clean_reason(reason)
        self._require_status(Action.RESCHEDULED, *ACTIVE)
        check_bookable_time(start, now=now, policy=policy)
        if end <= start:
            raise OutsideAvailability("The doctor offers no slot at that time.", field="start")
        if start == self.start and end == self.end:
            raise BadUserInput("The appointment is already at that time.", field="start")
        status = self.status
        if actor.role is Role.PATIENT:
            self._check_cutoff("rescheduled", now=now, policy=policy)
            if self.reschedule_count >= policy.max_reschedules:
                raise RescheduleLimitReached(
                    f"An appointment can be rescheduled at most {policy.max_reschedules} times.",
                    limit=policy.max_reschedules,
                )
            if policy.require_confirmation:
                status = Status.PENDING
        previous = (self.status, self.start, self.end)
        self.start, self.end, self.status = start, end, status
        self.reschedule_count += 1
        self._record(Action.RESCHEDULED, actor, now, *previous, why)

    def complete(self, *, actor: Actor, now: datetime) -> None:
        self._require_doctor_or_admin(actor)
        self._require_status(Action.COMPLETED, Status.CONFIRMED)
        self._require_started(now)
        self._transition(Action.COMPLETED, actor, now, Status.COMPLETED, None)

    def mark_no_show(self, *, actor: Actor, now: datetime) -> None:
        self._require_doctor_or_admin(actor)
        self._require_status(Action.MARKED_NO_SHOW, Status.CONFIRMED)
        self._require_started(now)
        self._transition(Action.MARKED_NO_SHOW, actor, now, Status.NO_SHOW, None)

    # Helpers ---------------------------------------------------------------------------

    def _check_cutoff(self, what: str, *, now: datetime, policy: Policy) -> None:
        if now > self.start - policy.cutoff:
            hours = int(policy.cutoff.total_seconds() // 3600)
            raise TooLate(
                f"Appointments can be {what} online until {hours} hours before they start.",
                cutoff_hours=hours,
            )

    def _require_started(self, now: datetime) -> None:
        if now < self.start:
            raise Conflict("The appointment has not started yet.", status=self.status.value)

    def _transition(
        self, action: Action, actor: Actor, now: datetime, to: Status, reason: str | None
    ) -> None:
        previous = self.status
        self.status = to
        if reason is not None:
            self.status_reason = reason
        self._record(action, actor, now, previous, self.start, self.end, reason)

    def _record(
        self,
        action: Action,
        actor: Actor,
        now: datetime,
        from_status: Status | None,
        from_start: datetime | None,
        from_end: datetime | None,
        reason: str | None,
    ) -> None:
        self.changes.append(
            Change(
                action=action,
                at=now,
                actor_id=actor.user_id,
                actor_role=actor.role,
                from_status=from_status,
                to_status=self.status,
                from_start=from_start,
                from_end=from_end,
                to_start=self.start,
                to_end=self.end,
                reason=reason,
            )
        )
