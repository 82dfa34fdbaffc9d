"""The doctors subgraph's composition root."""

from __future__ import annotations

from subgraphs.doctors.schema import DoctorType, Mutation, Query
from subgraphs.doctors.schema.statistics import StatisticsDoctors
from subgraphs.doctors.schema.utilization import DoctorUtilizationType
from subgraphs.shared.app import SubgraphSpec, schema_factory

SPEC = SubgraphSpec(
    name="doctors",
    schema=schema_factory(
        query=Query, mutation=Mutation, types=[DoctorType, StatisticsDoctors, DoctorUtilizationType]
    ),
)
