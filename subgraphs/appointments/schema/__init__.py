"""The appointments subgraph's GraphQL schema: root types and the entity types it defines."""

from __future__ import annotations

from subgraphs.appointments.schema.entities import DoctorRef, UserRef
from subgraphs.appointments.schema.mutation import Mutation
from subgraphs.appointments.schema.query import Query
from subgraphs.appointments.schema.statistics import StatisticsType
from subgraphs.appointments.schema.subscription import Subscription
from subgraphs.appointments.schema.types import AppointmentType

TYPES = (AppointmentType, DoctorRef, StatisticsType, UserRef)

__all__ = ["TYPES", "Mutation", "Query", "Subscription"]
