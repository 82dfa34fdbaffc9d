import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { DeactivateUserDocument, InviteDoctorDocument, ReactivateUserDocument, SetUserRoleDocument, UsersDocument, type Role } from "../../gql/graphql";
import { Alert, Button, Field, Select } from "../../ui/controls";
import { ProblemMessage } from "../../ui/Problem";
import { LoadMore } from "../../ui/LoadMore";
import { browserZone } from "../../time/zones";

const PAGE = 20;

function Invite() {
  const { t } = useTranslation();
  const [form, setForm] = useState({ name: "", email: "" });
  const [state, invite] = useMutation(InviteDoctorDocument);
  const [sent, setSent] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await invite({ input: { ...form, timeZone: browserZone() } });
    if (!result.error) { setSent(form.email); setForm({ name: "", email: "" }); }
  };
  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t("admin.invite")}</h2>
      <ProblemMessage error={state.error} />
      {sent ? <Alert tone="success">{t("admin.invited", { email: sent })}</Alert> : null}
      <form className="filters" onSubmit={submit}>
        <Field label={t("auth.name")} name="invite-name" isRequired value={form.name} onChange={(v) => setForm((f) => ({ ...f, name: v }))} />
        <Field label={t("auth.email")} name="invite-email" type="email" isRequired value={form.email} onChange={(v) => setForm((f) => ({ ...f, email: v }))} />
        <Button type="submit" isDisabled={state.fetching}>{t("admin.invite")}</Button>
      </form>
    </section>
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const [role, setRole] = useState("all");
  const [active, setActive] = useState("all");
  const [after, setAfter] = useState<string | null>(null);
  const [applied, setApplied] = useState({ search: "", role: "all", active: "all" });
  const filter = {
    search: applied.search || null,
    role: applied.role === "all" ? null : (applied.role as Role),
    active: applied.active === "all" ? null : applied.active === "yes",
  };
  const [{ data, error, fetching }] = useQuery({ query: UsersDocument, variables: { filter, first: PAGE, after } });
  const [roleState, setUserRole] = useMutation(SetUserRoleDocument);
  const [deactivation, deactivate] = useMutation(DeactivateUserDocument);
  const [reactivation, reactivate] = useMutation(ReactivateUserDocument);
  const roles = [{ id: "all", label: t("admin.all") }, { id: "PATIENT", label: "PATIENT" }, { id: "DOCTOR", label: "DOCTOR" }, { id: "ADMIN", label: "ADMIN" }];
  return (
    <>
      <h1>{t("admin.users")}</h1>
      <form className="filters card" role="search" onSubmit={(e) => { e.preventDefault(); setAfter(null); setApplied({ search, role, active }); }}>
        <Field label={t("admin.search")} name="search" value={search} onChange={setSearch} />
        <Select label={t("admin.role")} value={role} onChange={setRole} choices={roles} />
        <Select label={t("admin.active")} value={active} onChange={setActive} choices={[{ id: "all", label: t("admin.all") }, { id: "yes", label: t("admin.yes") }, { id: "no", label: t("admin.no") }]} />
        <Button type="submit">{t("admin.search")}</Button>
      </form>
      <ProblemMessage error={error ?? roleState.error ?? deactivation.error ?? reactivation.error} />
      <div className="table-wrap card">
        <table className="data cards">
          <thead><tr><th scope="col">{t("auth.name")}</th><th scope="col">{t("auth.email")}</th><th scope="col">{t("admin.role")}</th><th scope="col">{t("admin.active")}</th><th scope="col"><span className="skip">{t("admin.actionCol")}</span></th></tr></thead>
          <tbody>
            {(data?.users.nodes ?? []).map((u) => (
              <tr key={u.id}>
                <td data-label={t("auth.name")}>{u.name}</td>
                <td data-label={t("auth.email")}>{u.email}</td>
                <td data-label={t("admin.role")}>
                  <select className="native" aria-label={`${t("admin.role")} ${u.name}`} value={u.role} onChange={(e) => void setUserRole({ input: { userId: u.id, role: e.target.value as Role } })}>
                    {roles.slice(1).map((r) => <option key={r.id}>{r.id}</option>)}
                  </select>
                </td>
                <td data-label={t("admin.active")}>{u.active ? t("admin.yes") : t("admin.no")}</td>
                <td>
                  {u.active ? (
                    <Button variant="quiet" onPress={() => void deactivate({ input: { userId: u.id } })}>{t("admin.deactivate")}<span className="skip"> {u.name}</span></Button>
                  ) : (
                    <Button variant="quiet" onPress={() => void reactivate({ input: { userId: u.id } })}>{t("admin.reactivate")}<span className="skip"> {u.name}</span></Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore page={data?.users} shown={data?.users.nodes.length ?? 0} fetching={fetching} onMore={setAfter} showTotal />
      <Invite />
    </>
  );
}
