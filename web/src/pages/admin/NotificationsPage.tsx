import { useState } from "react";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { NotificationsDocument, type NotificationChannel, type NotificationStatus } from "../../gql/graphql";
import { Badge, Button, Select } from "../../ui/controls";
import { ProblemMessage } from "../../ui/Problem";
import { browserZone, formatDateTime } from "../../time/zones";

export default function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState("all");
  const [channel, setChannel] = useState("all");
  const [page, setPage] = useState(1);
  const filter = { status: status === "all" ? null : (status as NotificationStatus), channel: channel === "all" ? null : (channel as NotificationChannel) };
  const [{ data, error }] = useQuery({ query: NotificationsDocument, variables: { filter, page } });
  return (
    <>
      <h1>{t("nav.notifications")}</h1>
      <div className="filters card">
        <Select label={t("admin.statusCol")} value={status} onChange={(v) => { setStatus(v); setPage(1); }} choices={["all", "PENDING", "SENT", "FAILED", "DEAD"].map((s) => ({ id: s, label: s === "all" ? t("admin.all") : s }))} />
        <Select label={t("admin.channel")} value={channel} onChange={(v) => { setChannel(v); setPage(1); }} choices={["all", "EMAIL", "SMS", "IN_APP"].map((s) => ({ id: s, label: s === "all" ? t("admin.all") : s }))} />
      </div>
      <p role="status">{(data?.notificationStats ?? []).map((s) => `${s.channel} ${s.status}: ${s.count}`).join(" · ")}</p>
      <ProblemMessage error={error} />
      <div className="table-wrap card">
        <table className="data">
          <thead><tr><th scope="col">{t("admin.when")}</th><th scope="col">{t("admin.channel")}</th><th scope="col">{t("admin.template")}</th><th scope="col">{t("admin.recipient")}</th><th scope="col">{t("admin.statusCol")}</th><th scope="col">{t("admin.attempts")}</th><th scope="col">{t("admin.lastError")}</th></tr></thead>
          <tbody>
            {(data?.notifications.items ?? []).map((n) => (
              <tr key={n.id}>
                <td>{formatDateTime(n.createdAt, browserZone(), i18n.language)}</td>
                <td>{n.channel}</td>
                <td>{n.template}</td>
                <td>{n.recipient}</td>
                <td><Badge tone={n.status === "FAILED" || n.status === "DEAD" ? "REJECTED" : n.status === "SENT" ? "CONFIRMED" : "PENDING"}>{n.status}</Badge></td>
                <td>{n.attempts}</td>
                <td>{n.lastError ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <Button variant="secondary" isDisabled={page === 1} onPress={() => setPage(page - 1)}>{t("admin.previous")}</Button>
        <span>{t("admin.page", { page })} · {data?.notifications.total ?? 0}</span>
        <Button variant="secondary" isDisabled={!data?.notifications.hasNextPage} onPress={() => setPage(page + 1)}>{t("admin.next")}</Button>
      </div>
    </>
  );
}
