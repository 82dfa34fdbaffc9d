"""Which domain events endpoints can hear, under which names, and the minimal body of each.

Bodies follow the Standard Webhooks shape `{type, timestamp, data}`; `data` holds ids,
times and the status only: never a reason, a name, an address or any other free text.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from subgraphs.shared.events import EventEnvelope

# Our event type → the public webhook type.
EVENT_TYPES: Final = {
    "AppointmentBooked": "appointment.booked",
    "AppointmentConfirmed": "appointment.confirmed",
    "AppointmentRejected": "appointment.rejected",
    "AppointmentRescheduled": "appointment.rescheduled",
    "AppointmentCancelled": "appointment.cancelled",
    "AppointmentCompleted": "appointment.completed",
    "AppointmentMarkedNoShow": "appointment.no_show",
    "DoctorApproved": "doctor.approved",
}
_APPOINTMENT_FIELDS: Final = {
    "appointment_id": "appointmentId",
    "doctor_id": "doctorId",
    "patient_id": "patientId",
    "start": "start",
    "end": "end",
    "status": "status",
    "previous_start": "previousStart",
    "previous_end": "previousEnd",
    "cancelled_by": "cancelledBy",
}
_DOCTOR_FIELDS: Final = {"doctor_id": "doctorId"}


def body(envelope: EventEnvelope) -> str:
    """The JSON text sent for `envelope` (the exact bytes that are signed)."""
    fields = _DOCTOR_FIELDS if envelope.type.startswith("Doctor") else _APPOINTMENT_FIELDS
    data: dict[str, Any] = {
        public: envelope.payload[ours]
        for ours, public in fields.items()
        if envelope.payload.get(ours) is not None
    }
    message = {"type": EVENT_TYPES[envelope.type], "timestamp": envelope.occurred_at, "data": data}
    return orjson.dumps(message).decode()
