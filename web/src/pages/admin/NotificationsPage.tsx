import { useState } from "react";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { NotificationsDocument, type NotificationChannel, type NotificationStatus } from "../../gql/graphql";
import { Badge, Select } from "../../ui/controls";
import { LoadMore } from "../../ui/LoadMore";
import { ProblemMessage } from "../../ui/Problem";
import { browserZone, formatDateTime } from "../../time/zones";

export default function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState("all");
  const [channel, setChannel] = useState("all");
  const [after, setAfter] = useState<string | null>(null);
  const filter = { status: status === "all" ? null : (status as NotificationStatus), channel: channel === "all" ? null : (channel as NotificationChannel) };
  const [{ data, error, fetching }] = useQuery({ query: NotificationsDocument, variables: { filter, first: 20, after } });
  return (
    <>
      <h1>{t("nav.notifications")}</h1>
      <div className="filters card">
        <Select label={t("admin.statusCol")} value={status} onChange={(v) => { setStatus(v); setAfter(null); }} choices={["all", "PENDING", "SENT", "FAILED", "DEAD"].map((s) => ({ id: s, label: s === "all" ? t("admin.all") : s }))} />
        <Select label={t("admin.channel")} value={channel} onChange={(v) => { setChannel(v); setAfter(null); }} choices={["all", "EMAIL", "SMS", "IN_APP"].map((s) => ({ id: s, label: s === "all" ? t("admin.all") : s }))} />
      </div>
      <p role="status">{(data?.notificationStats ?? []).map((s) => `${s.channel} ${s.status}: ${s.count}`).join(" · ")}</p>
      <ProblemMessage error={error} />
      <div className="table-wrap card">
        <table className="data cards">
          <thead><tr><th scope="col">{t("admin.when")}</th><th scope="col">{t("admin.channel")}</th><th scope="col">{t("admin.template")}</th><th scope="col">{t("admin.recipient")}</th><th scope="col">{t("admin.statusCol")}</th><th scope="col">{t("admin.attempts")}</th><th scope="col">{t("admin.lastError")}</th></tr></thead>
          <tbody>
            {(data?.notifications.nodes ?? []).map((n) => (
              <tr key={n.id}>
                <td data-label={t("admin.when")}>{formatDateTime(n.createdAt, browserZone(), i18n.language)}</td>
                <td data-label={t("admin.channel")}>{n.channel}</td>
                <td data-label={t("admin.template")}>{n.template}</td>
                <td data-label={t("admin.recipient")}>{n.recipient}</td>
                <td data-label={t("admin.statusCol")}><Badge tone={n.status === "FAILED" || n.status === "DEAD" ? "REJECTED" : n.status === "SENT" ? "CONFIRMED" : "PENDING"}>{n.status}</Badge></td>
                <td data-label={t("admin.attempts")}>{n.attempts}</td>
                <td data-label={t("admin.lastError")}>{n.lastError ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore page={data?.notifications} shown={data?.notifications.nodes.length ?? 0} fetching={fetching} onMore={setAfter} showTotal />
    </>
  );
}
