// The admin dashboard: counts and charts from what the API offers today (users, doctors,
// appointments, notifications by channel and status), and the way to GraphiQL.
import { Link } from "react-router";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AdminDashboardDocument } from "../../gql/graphql";
import { ProblemMessage } from "../../ui/Problem";

const COLORS: Record<string, string> = { SENT: "#0b6e4f", PENDING: "#8a6100", FAILED: "#a4161a", DEAD: "#3d3d3d" };

export default function DashboardPage() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: AdminDashboardDocument });
  const stats = data?.notificationStats ?? [];
  const channels = [...new Set(stats.map((s) => s.channel))];
  const statuses = [...new Set(stats.map((s) => s.status))];
  const rows = channels.map((channel) => ({
    channel,
    ...Object.fromEntries(statuses.map((status) => [status, stats.find((s) => s.channel === channel && s.status === status)?.count ?? 0])),
  }));
  const cards: [string, number | undefined, string][] = [
    [t("admin.users"), data?.users.total, "/admin/users"],
    [t("admin.doctors"), data?.doctors.totalCount, "/"],
    [t("admin.appointments"), data?.appointments.total, "/admin"],
    [t("admin.pending"), data?.pendingDoctors.length, "/admin/doctors"],
  ];
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <ProblemMessage error={error} />
      <ul className="grid" style={{ listStyle: "none", padding: 0 }}>
        {cards.map(([label, value, to]) => (
          <li key={label} className="card">
            <Link to={to}>{label}</Link>
            <div className="stat">{value ?? "…"}</div>
          </li>
        ))}
      </ul>
      <section className="card" aria-labelledby="chart-title">
        <h2 id="chart-title">{t("admin.notifications")}</h2>
        <div role="img" aria-label={rows.map((r) => `${r.channel}: ${statuses.map((s) => `${s} ${(r as Record<string, unknown>)[s]}`).join(", ")}`).join("; ")} style={{ width: "100%", height: 260 }}>
          <ResponsiveContainer>
            <BarChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="channel" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              {statuses.map((s) => <Bar key={s} dataKey={s} stackId="a" fill={COLORS[s] ?? "#555"} />)}
            </BarChart>
          </ResponsiveContainer>
        </div>
        <table className="data">
          <caption className="skip">{t("admin.notifications")}</caption>
          <thead><tr><th scope="col">{t("admin.channel")}</th>{statuses.map((s) => <th key={s} scope="col">{s}</th>)}</tr></thead>
          <tbody>{rows.map((r) => <tr key={r.channel}><th scope="row">{r.channel}</th>{statuses.map((s) => <td key={s}>{String((r as Record<string, unknown>)[s])}</td>)}</tr>)}</tbody>
        </table>
      </section>
      <p><a href="/graphql">{t("admin.graphiql")}</a></p>
    </>
  );
}
