"""User management by admins: listing, roles, deactivation, invitations, the audit trail."""

from __future__ import annotations

from typing import Any

from subgraphs.identity import service
from subgraphs.shared import handoff
from tests.integration.identity.conftest import PASSWORD, Api

USERS = """query($f: UserFilter, $o: Int, $l: Int) { users(filter: $f, offset: $o, limit: $l) {
  total offset limit items { id name role email active } } }"""
USER = "query($id: ID!) { user(id: $id) { id name email role active } }"
SET_ROLE = """mutation($id: ID!, $r: Role!) { setUserRole(input: {userId: $id, role: $r}) {
  user { id role } } }"""
DEACTIVATE = """mutation($id: ID!) { deactivateUser(input: {userId: $id, reason: "left"}) {
  user { id active } } }"""
REACTIVATE = (
    """mutation($id: ID!) { reactivateUser(input: {userId: $id}) { user { id active } } }"""
)
INVITE = """mutation($i: InviteDoctorInput!) { inviteDoctor(input: $i) {
  invitationExpiresAt user { id role name email } } }"""
RESET = """mutation($t: String!, $p: String!) { resetPassword(input: {token: $t, newPassword: $p}) {
  user { id } } }"""
REFRESH = """mutation($t: String!) { refreshToken(input: {refreshToken: $t}) {
  accessToken user { role } } }"""
AUDIT = """query($f: AuditEventFilter, $l: Int) { auditEvents(filter: $f, limit: $l) {
  total items { action outcome actorId subjectId email clientAddress reason occurredAt } } }"""
ME = "{ me { id role } }"


async def admin_token(api: Api) -> str:
    await service.create_admin(
        db=api.ident.db, email="root@example.org", password=PASSWORD, name="Root",
        hasher=api.ident.hasher,
    )  # fmt: skip
    token: str = (await api.login("root@example.org"))["accessToken"]
    return token


async def test_admin_operations_refuse_anonymous_and_non_admin_callers(api: Api) -> None:
    user = await api.register("ann@example.org")
    patient = (await api.login("ann@example.org"))["accessToken"]
    operations: list[tuple[str, dict[str, Any]]] = [
        (USERS, {}),
        (USER, {"id": user["id"]}),
        (SET_ROLE, {"id": user["id"], "r": "ADMIN"}),
        (DEACTIVATE, {"id": user["id"]}),
        (REACTIVATE, {"id": user["id"]}),
        (INVITE, {"i": {"email": "d@example.org", "name": "D"}}),
        (AUDIT, {}),
    ]
    for query, variables in operations:
        assert (await api.error(query, variables))["extensions"]["code"] == "UNAUTHENTICATED"
        refused = await api.error(query, variables, token=patient)
        assert refused["extensions"]["code"] == "FORBIDDEN"


async def test_admins_list_search_filter_and_page_users(api: Api) -> None:
    token = await admin_token(api)
    for name in ("Cleo", "Abe", "Bea"):
        await api.register(f"{name.lower()}@example.org", name=name)
    await api.register("dr.dan@example.org", name="Dan", role="DOCTOR")
    page = (await api.ok(USERS, {"o": 0, "l": 2}, token=token))["users"]
    assert page["total"] == 5
    assert [u["name"] for u in page["items"]] == ["Abe", "Bea"]
    rest = (await api.ok(USERS, {"o": 2, "l": 10}, token=token))["users"]["items"]
    assert [u["name"] for u in rest] == ["Cleo", "Dan", "Root"]
    doctors = await api.ok(USERS, {"f": {"role": "DOCTOR"}}, token=token)
    assert [u["email"] for u in doctors["users"]["items"]] == ["dr.dan@example.org"]
    found = await api.ok(USERS, {"f": {"search": "BE"}}, token=token)
    assert [u["name"] for u in found["users"]["items"]] == ["Abe", "Bea"]
    by_email = await api.ok(USERS, {"f": {"search": "cleo@"}}, token=token)
    assert by_email["users"]["total"] == 1
    too_big = await api.error(USERS, {"l": 1000}, token=token)
    assert too_big["extensions"]["code"] == "BAD_USER_INPUT"


async def test_admins_view_a_user_and_unknown_ids_are_not_found(api: Api) -> None:
    token = await admin_token(api)
    user = await api.register("ann@example.org")
    viewed = (await api.ok(USER, {"id": user["id"]}, token=token))["user"]
    assert viewed["email"] == "ann@example.org"
    missing = await api.error(USER, {"id": "00000000-0000-4000-8000-000000000000"}, token=token)
    assert missing["extensions"]["code"] == "NOT_FOUND"


async def test_a_role_change_takes_effect_at_once(api: Api) -> None:
    token = await admin_token(api)
    user = await api.register("ann@example.org")
    session = await api.login("ann@example.org")
    changed = await api.ok(SET_ROLE, {"id": user["id"], "r": "DOCTOR"}, token=token)
    assert changed["setUserRole"]["user"]["role"] == "DOCTOR"
    stale = await api.error(ME, token=session["accessToken"])
    assert stale["extensions"]["code"] == "UNAUTHENTICATED"
    fresh = (await api.ok(REFRESH, {"t": session["refreshToken"]}))["refreshToken"]
    assert fresh["user"]["role"] == "DOCTOR"
    assert (await api.ok(ME, token=fresh["accessToken"]))["me"]["role"] == "DOCTOR"
    (event,) = await api.outbox("UserRoleChanged")
    assert event.payload == {"user_id": user["id"], "role": "DOCTOR", "previous_role": "PATIENT"}


async def test_admins_cannot_demote_or_deactivate_themselves(api: Api) -> None:
    token = await admin_token(api)
    me = (await api.ok(ME, token=token))["me"]
    for query, variables in ((SET_ROLE, {"id": me["id"], "r": "PATIENT"}), (DEACTIVATE, me)):
        error = await api.error(query, {"id": me["id"], **variables}, token=token)
        assert error["extensions"]["code"] == "FORBIDDEN"


async def test_deactivation_ends_sessions_at_once_and_reactivation_allows_sign_in(
    api: Api,
) -> None:
    token = await admin_token(api)
    user = await api.register("ann@example.org")
    session = await api.login("ann@example.org")
    deactivated = await api.ok(DEACTIVATE, {"id": user["id"]}, token=token)
    assert deactivated["deactivateUser"]["user"]["active"] is False
    assert (await api.error(ME, token=session["accessToken"]))["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    assert (await api.gql(REFRESH, {"t": session["refreshToken"]}))["errors"]
    login = await api.gql(
        "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
        {"i": {"email": "ann@example.org", "password": PASSWORD}},
    )
    assert login["errors"][0]["message"] == "The email address or password is incorrect."
    reactivated = await api.ok(REACTIVATE, {"id": user["id"]}, token=token)
    assert reactivated["reactivateUser"]["user"]["active"] is True
    assert (await api.gql(ME, token=session["accessToken"]))["errors"]  # old tokens stay dead
    again = await api.login("ann@example.org")
    assert (await api.ok(ME, token=again["accessToken"]))["me"]["id"] == user["id"]
    kinds = [row.event_type for row in await api.outbox()]
    assert "UserDeactivated" in kinds
    assert "UserReactivated" in kinds


async def test_an_invited_doctor_sets_a_password_with_the_one_time_link(api: Api) -> None:
    token = await admin_token(api)
    invited = await api.ok(
        INVITE,
        {"i": {"email": "Dr.Ida@Example.org", "name": "Ida Berg", "timeZone": "Europe/Oslo"}},
        token=token,
    )
    user = invited["inviteDoctor"]["user"]
    assert user["role"] == "DOCTOR"
    assert user["email"] == "dr.ida@example.org"
    # Announced by DoctorInvited alone, so doctors cannot see it first as a self-registration.
    registered = [
        r for r in await api.outbox("UserRegistered") if r.payload["user_id"] == user["id"]
    ]
    assert registered == []
    (event,) = await api.outbox("DoctorInvited")
    assert event.payload["user_id"] == user["id"]
    assert event.payload["email"] == "dr.ida@example.org"
    assert event.payload["time_zone"] == "Europe/Oslo"
    secret = await handoff.reveal(api.ident.cache, event.payload["delivery_id"])
    assert secret is not None
    assert secret not in str(event.payload)
    before = await api.gql(
        "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
        {"i": {"email": "dr.ida@example.org", "password": "anything at all"}},
    )
    assert before["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await api.ok(RESET, {"t": secret, "p": "my own doctor secret"})
    tokens = await api.login("dr.ida@example.org", "my own doctor secret")
    assert tokens["user"]["role"] == "DOCTOR"
    again = await api.error(RESET, {"t": secret, "p": "my own doctor secret 2"})
    assert again["extensions"]["code"] == "INVALID_TOKEN"


async def test_the_audit_trail_records_who_what_when_where_and_outcome(api: Api) -> None:
    token = await admin_token(api)
    user = await api.register("ann@example.org")
    await api.gql(
        "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
        {"i": {"email": "ann@example.org", "password": "wrong password"}},
        address="192.0.2.9",
    )
    await api.login("ann@example.org", address="192.0.2.9")
    trail = await api.ok(AUDIT, {"f": {"userId": user["id"], "action": "LOGIN"}}, token=token)
    items = trail["auditEvents"]["items"]
    assert [(i["outcome"], i["reason"]) for i in items] == [
        ("SUCCESS", None),
        ("FAILURE", "bad_password"),
    ]
    assert {i["clientAddress"] for i in items} == {"192.0.2.9"}
    assert all(i["occurredAt"].endswith("+00:00") for i in items)
    failures = await api.ok(AUDIT, {"f": {"outcome": "FAILURE"}}, token=token)
    assert failures["auditEvents"]["total"] == 1
    everything = await api.ok(AUDIT, {"l": 100}, token=token)
    actions = {i["action"] for i in everything["auditEvents"]["items"]}
    assert {"ADMIN_CREATION", "REGISTER", "LOGIN"} <= actions
    published = await api.outbox("AuthenticationAudited")
    assert len(published) == everything["auditEvents"]["total"]
