"""Reads of patient data made by field resolvers and entity lookups, recorded once per request.

A resolver that returns patient data (an appointment's reason or history looked up through
`_entities`, a patient's profile resolved for `Appointment.patient`) asks the request's
:func:`recorder` to `load` a :class:`Read`; the loads of one tick are written together in one
small transaction before the data goes out. The loader's cache keeps one entry per read within
the process's request, and the entry id derived from the request id
(:func:`capture.once_per_request`) keeps one across the router's calls of the same request.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from strawberry.dataloader import DataLoader

from subgraphs.shared.database import Database

from . import caller as callers
from . import capture
from .entry import Outcome, entry

_LOADER: Final = "audit.reads"


@dataclass(frozen=True)
class Read:
    """One read of one patient's data (refused: `reason` is the error code answered)."""

    action: str
    subject_type: str
    subject_id: str | None
    patient_id: uuid.UUID | None
    refused: str | None = None


def recorder(loaders: dict[str, Any], *, db: Database, component: str) -> DataLoader[Read, None]:
    """The request's recorder of reads (kept in the request's `loaders`)."""
    if _LOADER not in loaders:

        async def record(batch: Sequence[Read]) -> list[None]:
            who = callers.current()
            await capture.record_once(
                db,
                (
                    entry(
                        who,
                        component=component,
                        action=read.action,
                        outcome=Outcome.REFUSED if read.refused else Outcome.ALLOWED,
                        subject_type=read.subject_type,
                        subject_id=read.subject_id,
                        patient_id=read.patient_id,
                        reason=read.refused,
                    )
                    for read in batch
                    if read.patient_id is None or read.patient_id != who.user_id
                ),
            )
            return [None] * len(batch)

        loaders[_LOADER] = DataLoader(load_fn=record)
    found: DataLoader[Read, None] = loaders[_LOADER]
    return found
