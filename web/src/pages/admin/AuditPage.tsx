import { useState } from "react";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { AuditEventsDocument, type AuditAction } from "../../gql/graphql";
import { Button, Select } from "../../ui/controls";
import { ProblemMessage } from "../../ui/Problem";
import { browserZone, formatDateTime } from "../../time/zones";

const ACTIONS = ["REGISTER", "LOGIN", "REFRESH", "LOGOUT", "PASSWORD_CHANGE", "PASSWORD_RESET_REQUEST", "PASSWORD_RESET", "ROLE_CHANGE", "DEACTIVATION", "REACTIVATION", "INVITATION", "ADMIN_CREATION"];
const PAGE = 50;

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const [action, setAction] = useState("all");
  const [outcome, setOutcome] = useState("all");
  const [offset, setOffset] = useState(0);
  const filter = { action: action === "all" ? null : (action as AuditAction), outcome: outcome === "all" ? null : (outcome as "SUCCESS") };
  const [{ data, error }] = useQuery({ query: AuditEventsDocument, variables: { filter, offset, limit: PAGE } });
  return (
    <>
      <h1>{t("admin.audit")}</h1>
      <div className="filters card">
        <Select label={t("admin.actionCol")} value={action} onChange={(v) => { setAction(v); setOffset(0); }} choices={[{ id: "all", label: t("admin.all") }, ...ACTIONS.map((a) => ({ id: a, label: a }))]} />
        <Select label={t("admin.outcome")} value={outcome} onChange={(v) => { setOutcome(v); setOffset(0); }} choices={[{ id: "all", label: t("admin.all") }, { id: "SUCCESS", label: "SUCCESS" }, { id: "FAILURE", label: "FAILURE" }, { id: "THROTTLED", label: "THROTTLED" }]} />
      </div>
      <ProblemMessage error={error} />
      <div className="table-wrap card">
        <table className="data">
          <thead><tr><th scope="col">{t("admin.when")}</th><th scope="col">{t("admin.actionCol")}</th><th scope="col">{t("admin.outcome")}</th><th scope="col">{t("auth.email")}</th><th scope="col">{t("admin.client")}</th></tr></thead>
          <tbody>
            {(data?.auditEvents.items ?? []).map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.occurredAt, browserZone(), i18n.language)}</td>
                <td>{e.action}</td>
                <td>{e.outcome}{e.reason ? ` (${e.reason})` : ""}</td>
                <td>{e.email ?? ""}</td>
                <td>{e.clientAddress ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <Button variant="secondary" isDisabled={offset === 0} onPress={() => setOffset(Math.max(0, offset - PAGE))}>{t("admin.previous")}</Button>
        <span>{t("admin.page", { page: offset / PAGE + 1 })} · {data?.auditEvents.total ?? 0}</span>
        <Button variant="secondary" isDisabled={!data || offset + PAGE >= data.auditEvents.total} onPress={() => setOffset(offset + PAGE)}>{t("admin.next")}</Button>
      </div>
    </>
  );
}
