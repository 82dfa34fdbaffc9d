"""Identity's GraphQL types and thin resolvers."""

from __future__ import annotations

import uuid
from typing import Self

import strawberry
from sqlmodel import col, select

from subgraphs.identity import service
from subgraphs.identity.models import User
from subgraphs.shared.auth import Role
from subgraphs.shared.graphql import Context

Info = strawberry.Info[Context, None]


@strawberry.federation.type(name="User", keys=["id"], description="A person who can sign in.")
class UserType:
    id: strawberry.ID
    name: str
    role: Role

    @classmethod
    def from_model(cls, user: User) -> Self:
        return cls(id=strawberry.ID(str(user.id)), name=user.name, role=user.role)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Self | None:
        async with info.context.resources.database.session() as session:
            user = (
                await session.exec(select(User).where(col(User.id) == uuid.UUID(str(id))))
            ).first()
        return cls.from_model(user) if user else None


@strawberry.input(description="What a patient gives to open an account.")
class RegisterInput:
    email: str
    password: str
    name: str


@strawberry.type
class RegisterPayload:
    user: UserType


@strawberry.type
class Query:
    @strawberry.field(description="Whether the identity service answers.")
    def identity_ready(self) -> bool:
        return True


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Open a patient account.")
    async def register(self, info: Info, input: RegisterInput) -> RegisterPayload:
        user = await service.register(
            db=info.context.resources.database,
            email=input.email,
            password=input.password,
            name=input.name,
        )
        return RegisterPayload(user=UserType.from_model(user))
