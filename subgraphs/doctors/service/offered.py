"""Offered hours per doctor over the dashboard's window (`DoctorUtilization.offeredHours`).

Offered time is not stored as rows to be summed: it follows from each doctor's weekly
rules, exceptions and ad-hoc slots in the doctor's time zone. It is computed by the same
slot expansion that answers `availableSlots` (DST-correct: a 09:00-17:00 rule offers 8
hours on the day the clocks change too), for the few doctors asked about at once (the
dashboard's top doctors), from their schedule rows loaded in four indexed queries.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from subgraphs.doctors.domain.slots import offered_time
from subgraphs.doctors.service.store import doctors_by_ids, schedules_for
from subgraphs.shared.database import Database
from subgraphs.shared.statistics import Window


async def offered_seconds(
    *, db: Database, window: Window, doctor_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Each doctor's offered seconds in `window` (0 for no availability or no such doctor)."""
    async with db.session() as session:
        doctors = await doctors_by_ids(session, list(dict.fromkeys(doctor_ids)))
        schedules = await schedules_for(session, doctors.values(), since=window.start)
    offered = {
        doctor_id: int(offered_time(schedule, window.start, window.end).total_seconds())
        for doctor_id, schedule in schedules.items()
    }
    return {doctor_id: offered.get(doctor_id, 0) for doctor_id in doctor_ids}
