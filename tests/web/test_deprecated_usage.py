"""The web app, our own reference client, uses nothing the API deprecates: no deprecated field,
argument, input field or enum value in web/src/**/*.graphql (the operations GraphQL Code
Generator types). A deprecation the app still needs goes into STILL_USED, named, with why."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    ArgumentNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLSchema,
    ObjectFieldNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_schema,
    get_named_type,
    parse,
    visit,
)

REPO = Path(__file__).resolve().parents[2]
WEB_OPERATIONS = sorted((REPO / "web" / "src").rglob("*.graphql"))
SUPERGRAPH = REPO / "schema" / "supergraph.graphql"

STILL_USED: dict[str, str] = {}
"""`Type.field(argument)` → why the web app still needs it."""


class _Deprecations(Visitor):
    def __init__(self, info: TypeInfo) -> None:
        super().__init__()
        self.info = info
        self.found: list[str] = []

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent, field = self.info.get_parent_type(), self.info.get_field_def()
        if parent is not None and field is not None and field.deprecation_reason is not None:
            self.found.append(f"{parent}.{node.name.value}")

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        argument, field = self.info.get_argument(), self.info.get_field_def()
        if argument is not None and argument.deprecation_reason is not None:
            parent = self.info.get_parent_type()
            name = next((n for n, f in getattr(parent, "fields", {}).items() if f is field), "?")
            self.found.append(f"{parent}.{name}({node.name.value})")

    def enter_object_field(self, node: ObjectFieldNode, *_: object) -> None:
        parent = get_named_type(self.info.get_parent_input_type())
        if isinstance(parent, GraphQLInputObjectType):
            field = parent.fields.get(node.name.value)
            if field is not None and field.deprecation_reason is not None:
                self.found.append(f"{parent}.{node.name.value}")

    def enter_enum_value(self, node: EnumValueNode, *_: object) -> None:
        enum = get_named_type(self.info.get_input_type())
        if isinstance(enum, GraphQLEnumType):
            value = enum.values.get(node.value)
            if value is not None and value.deprecation_reason is not None:
                self.found.append(f"{enum}.{node.value}")


def deprecated_uses(schema: GraphQLSchema, document: DocumentNode) -> list[str]:
    info = TypeInfo(schema)
    visitor = _Deprecations(info)
    visit(document, TypeInfoVisitor(info, visitor))
    return visitor.found


def _schema() -> GraphQLSchema:
    return build_schema(SUPERGRAPH.read_text())


def test_the_web_app_uses_no_deprecated_field_or_argument() -> None:
    assert WEB_OPERATIONS, "no operations found under web/src"
    schema = _schema()
    used = {
        f"{path.relative_to(REPO)}: {use}"
        for path in WEB_OPERATIONS
        for use in deprecated_uses(schema, parse(path.read_text()))
        if use not in STILL_USED
    }
    assert sorted(used) == []


def test_the_check_sees_each_kind_of_deprecated_use() -> None:
    schema = _schema()
    document = parse(
        """
        query {
          users(offset: 0, limit: 5) { total items { id } }
          myNotifications(page: 1) { hasNextPage }
          auditEvents(first: 1) { totalCount }
        }
        """
    )
    assert deprecated_uses(schema, document) == [
        "Query.users(offset)",
        "Query.users(limit)",
        "UserPage.total",
        "UserPage.items",
        "Query.myNotifications(page)",
        "NotificationPage.hasNextPage",
        "Query.auditEvents",
    ]
