"""The appointments subgraph's refusals, each with a stable GraphQL error code."""

from __future__ import annotations

from subgraphs.shared.errors import DomainError


class SlotTaken(DomainError):
    code = "SLOT_TAKEN"


class OutsideAvailability(DomainError):
    code = "OUTSIDE_AVAILABILITY"


class TooLate(DomainError):
    code = "TOO_LATE"


class DoctorNotBookable(DomainError):
    code = "DOCTOR_NOT_BOOKABLE"


class RescheduleLimitReached(DomainError):
    code = "RESCHEDULE_LIMIT_REACHED"


class AlreadyWaiting(DomainError):
    code = "ALREADY_ON_WAITLIST"


class OfferExpired(DomainError):
    code = "OFFER_EXPIRED"


class OfferClosed(DomainError):
    code = "OFFER_CLOSED"
