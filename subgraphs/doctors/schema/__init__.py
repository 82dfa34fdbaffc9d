"""The doctors subgraph's GraphQL schema: types, inputs, queries and mutations."""

from __future__ import annotations

from subgraphs.doctors.schema.entities import DoctorType
from subgraphs.doctors.schema.mutation import Mutation
from subgraphs.doctors.schema.query import Query

__all__ = ["DoctorType", "Mutation", "Query"]
