// The admin dashboard on `statistics`: a range of local dates, a bucket and a time zone; users,
// doctors, appointments, the most booked doctors' utilization and notifications. Every chart has
// its figures in a table beside it and a short description as its accessible name. Recharts is
// only imported by this lazy page, so the patient pages never load it.
import { useState, type FormEvent, type ReactNode } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { DateTime } from "luxon";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AdminStatisticsDocument, type AdminStatisticsQuery, type StatisticsBucket } from "../../gql/graphql";
import { Button, Select } from "../../ui/controls";
import { NativeField } from "../../ui/native";
import { ProblemMessage } from "../../ui/Problem";
import { browserZone } from "../../time/zones";
import { bucketLabel, describe, duration, hours, percent, sum } from "./figures";

type Stats = AdminStatisticsQuery["statistics"];
type Row = Record<string, string | number>;
interface Series { key: string; name: string; color: string }

const STATUS_COLORS = { pending: "#8a6100", confirmed: "#1d5fa8", completed: "#0b6e4f", cancelled: "#6b6b6b", rejected: "#a4161a", noShow: "#6a3d9a" };
const DELIVERY_COLORS: Record<string, string> = { SENT: "#0b6e4f", PENDING: "#8a6100", FAILED: "#a4161a", DEAD: "#3d3d3d" };
const ROLE_COLORS = { patients: "#1d5fa8", doctors: "#0b6e4f", admins: "#8a6100" };

interface Query { from: string; to: string; bucket: StatisticsBucket; timeZone: string }

function initialQuery(): Query {
  const timeZone = browserZone();
  const today = DateTime.now().setZone(timeZone).startOf("day");
  return { from: today.minus({ days: 14 }).toISODate() ?? "", to: today.plus({ days: 15 }).toISODate() ?? "", bucket: "WEEK", timeZone };
}

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return all.includes(current) ? all : [current, ...all];
}

/** A chart (described in words for assistive technology) with the same figures as a table. */
function Chart({ id, title, rows, labelKey, labelName, series, stacked = true, wide = false, extra }: {
  id: string; title: string; rows: Row[]; labelKey: string; labelName: string; series: Series[]; stacked?: boolean; wide?: boolean; extra?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section className={`card chart-card${wide ? " wide" : ""}`} aria-labelledby={id} data-testid={id}>
      <h3 id={id}>{title}</h3>
      <div className="chart" role="img" aria-label={rows.length ? t("dashboard.summary", { label: title, values: describe(rows, labelKey, series) }) : title}>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey={labelKey} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {series.map((s) => <Bar key={s.key} dataKey={s.key} name={s.name} stackId={stacked ? "a" : undefined} fill={s.color} isAnimationActive={false} />)}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Table caption={title} columns={[labelName, ...series.map((s) => s.name)]} rows={rows.map((r) => [String(r[labelKey]), ...series.map((s) => String(r[s.key] ?? 0))])} />
      {extra}
    </section>
  );
}

function Table({ caption, columns, rows, testId }: { caption: string; columns: string[]; rows: string[][]; testId?: string }) {
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="data cards" data-testid={testId}>
        <caption className="skip">{caption}</caption>
        <thead><tr>{columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
        <tbody>{rows.map((r, i) => <tr key={`${r[0]}-${i}`}><th scope="row">{r[0]}</th>{r.slice(1).map((cell, j) => <td key={j} data-label={columns[j + 1]}>{cell}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

function Figures({ items }: { items: [string, string, string?][] }) {
  return (
    <ul className="grid figures" style={{ listStyle: "none", padding: 0 }}>
      {items.map(([label, value, to]) => (
        <li key={label} className="card" data-testid="figure">
          {to ? <Link to={to}>{label}</Link> : <span>{label}</span>}
          <div className="stat">{value}</div>
        </li>
      ))}
    </ul>
  );
}

function Users({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation();
  const { users, bucket } = stats;
  const rows = users.buckets.map((b) => ({
    period: bucketLabel(b.start, bucket, i18n.language, t), patients: b.patientRegistrations, doctors: b.doctorRegistrations, admins: b.adminRegistrations, active: b.activeUsers,
  }));
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">{t("dashboard.usersTitle")}</h2>
      <div className="chart-grid">
        <Chart
          id="chart-registrations" title={t("dashboard.registrationsChart", { bucket: t(`dashboard.${bucket}`) })} rows={rows} labelKey="period" labelName={t("dashboard.period")}
          series={[
            { key: "patients", name: t("dashboard.patients"), color: ROLE_COLORS.patients },
            { key: "doctors", name: t("dashboard.doctorsCol"), color: ROLE_COLORS.doctors },
            { key: "admins", name: t("dashboard.admins"), color: ROLE_COLORS.admins },
          ]}
        />
        <section className="card" aria-labelledby="by-role">
          <h3 id="by-role">{t("dashboard.byRole")}</h3>
          <Table testId="users-by-role" caption={t("dashboard.byRole")} columns={[t("admin.role"), t("admin.active"), t("dashboard.deactivated")]}
            rows={users.byRole.map((r) => [r.role, String(r.active), String(r.deactivated)])} />
          <h3>{t("dashboard.activeUsers")}</h3>
          <Table caption={t("dashboard.activeUsers")} columns={[t("dashboard.period"), t("dashboard.activeUsers")]} rows={rows.map((r) => [r.period, String(r.active)])} />
        </section>
      </div>
    </section>
  );
}

function Doctors({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation();
  const { doctors, bucket } = stats;
  const groups = (items: { value: string; doctors: number }[]) => items.map((g) => ({ value: g.value, doctors: g.doctors }));
  const perBucket = doctors.buckets.map((b) => [bucketLabel(b.start, bucket, i18n.language, t), String(b.registrations), String(b.approvals)]);
  return (
    <section aria-labelledby="doctors-title">
      <h2 id="doctors-title">{t("dashboard.doctorsTitle")}</h2>
      <div className="chart-grid">
        <section className="card" aria-labelledby="by-status">
          <h3 id="by-status">{t("dashboard.byStatus")}</h3>
          <Table testId="doctors-by-status" caption={t("dashboard.byStatus")} columns={[t("admin.statusCol"), t("dashboard.count")]} rows={doctors.byStatus.map((s) => [s.status, String(s.doctors)])} />
          <dl className="facts">
            <dt>{t("dashboard.approvals")}</dt><dd>{doctors.approvals}</dd>
            <dt>{t("dashboard.approvalMedian")}</dt><dd>{duration(doctors.approvalMedianSeconds, i18n.language)}</dd>
            <dt>{t("dashboard.approvalP90")}</dt><dd>{duration(doctors.approvalP90Seconds, i18n.language)}</dd>
          </dl>
        </section>
        <Chart id="chart-specializations" title={t("dashboard.bySpecialization")} rows={groups(doctors.bySpecialization)} labelKey="value" labelName={t("dashboard.value")}
          series={[{ key: "doctors", name: t("dashboard.count"), color: ROLE_COLORS.doctors }]} />
        <section className="card" aria-labelledby="by-city">
          <h3 id="by-city">{t("dashboard.byCity")}</h3>
          <Table testId="doctors-by-city" caption={t("dashboard.byCity")} columns={[t("search.city"), t("dashboard.count")]} rows={doctors.byCity.map((g) => [g.value, String(g.doctors)])} />
          <h3>{t("dashboard.doctorBuckets", { bucket: t(`dashboard.${bucket}`) })}</h3>
          <Table caption={t("dashboard.doctorBuckets", { bucket: t(`dashboard.${bucket}`) })} columns={[t("dashboard.period"), t("dashboard.registrations"), t("dashboard.approvals")]} rows={perBucket} />
        </section>
      </div>
    </section>
  );
}

function Appointments({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation();
  const { appointments, bucket, utilization } = stats;
  const statuses = [
    ["pending", "PENDING"], ["confirmed", "CONFIRMED"], ["completed", "COMPLETED"], ["cancelled", "CANCELLED"], ["rejected", "REJECTED"], ["noShow", "NO_SHOW"],
  ] as const;
  const rows = appointments.buckets.map((b) => ({
    period: bucketLabel(b.start, bucket, i18n.language, t), ...Object.fromEntries(statuses.map(([key]) => [key, b.counts[key]])), total: b.counts.total,
  }));
  return (
    <section aria-labelledby="appointments-title">
      <h2 id="appointments-title">{t("dashboard.appointmentsTitle")}</h2>
      <div className="chart-grid">
        <Chart
          id="chart-appointments" wide title={t("dashboard.appointmentsChart", { bucket: t(`dashboard.${bucket}`) })} rows={rows} labelKey="period" labelName={t("dashboard.period")}
          series={statuses.map(([key, label]) => ({ key, name: t(`dashboard.${label}`), color: STATUS_COLORS[key] }))}
        />
        <section className="card" aria-labelledby="top-doctors">
          <h3 id="top-doctors">{t("dashboard.topDoctors")}</h3>
          <Table testId="top-doctors" caption={t("dashboard.topDoctors")}
            columns={[t("dashboard.doctor"), t("dashboard.appointmentsInRange"), t("dashboard.bookedHours"), t("dashboard.offeredHours"), t("dashboard.utilization")]}
            rows={utilization.map((u) => [u.doctor.name, String(u.appointments), hours(u.bookedHours, i18n.language), hours(u.offeredHours, i18n.language), percent(u.utilization, i18n.language)])} />
        </section>
      </div>
    </section>
  );
}

function Notifications({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation();
  const { totals, latency, buckets } = stats.notifications;
  const channels = [...new Set(totals.map((c) => c.channel))];
  const statuses = [...new Set(totals.map((c) => c.status))];
  const perBucket = buckets.map((b) => ({
    period: bucketLabel(b.start, stats.bucket, i18n.language, t),
    ...Object.fromEntries(statuses.map((status) => [status, sum(b.counts.filter((c) => c.status === status), (c) => c.count)])),
  }));
  const rows = channels.map((channel) => ({
    channel, ...Object.fromEntries(statuses.map((status) => [status, totals.find((c) => c.channel === channel && c.status === status)?.count ?? 0])),
  }));
  return (
    <section aria-labelledby="notifications-title">
      <h2 id="notifications-title">{t("dashboard.notificationsTitle")}</h2>
      <div className="chart-grid">
        <Chart id="chart-notifications" title={t("dashboard.notificationsChart")} rows={rows} labelKey="channel" labelName={t("admin.channel")}
          series={statuses.map((s) => ({ key: s, name: s, color: DELIVERY_COLORS[s] ?? "#555" }))} />
        <Chart id="chart-notification-buckets" title={t("dashboard.notificationBuckets", { bucket: t(`dashboard.${stats.bucket}`) })} rows={perBucket} labelKey="period" labelName={t("dashboard.period")}
          series={statuses.map((s) => ({ key: s, name: s, color: DELIVERY_COLORS[s] ?? "#555" }))} />
        <section className="card" aria-labelledby="latency">
          <h3 id="latency">{t("dashboard.latency")}</h3>
          <Table testId="latency" caption={t("dashboard.latency")} columns={[t("admin.channel"), t("dashboard.sentCol"), t("dashboard.median"), t("dashboard.p90")]}
            rows={latency.map((l) => [l.channel, String(l.sent), duration(l.medianSeconds, i18n.language), duration(l.p90Seconds, i18n.language)])} />
          <p><Link to="/admin/notifications">{t("nav.notifications")}</Link></p>
        </section>
      </div>
    </section>
  );
}

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState<Query>(initialQuery);
  const [query, setQuery] = useState<Query>(form);
  const [{ data, error, fetching }] = useQuery({
    query: AdminStatisticsDocument,
    variables: { range: { from: query.from, to: query.to }, bucket: query.bucket, timeZone: query.timeZone, top: 10 },
  });
  const stats = data?.statistics;
  const set = (key: keyof Query) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(form);
  };
  const lang = i18n.language;
  const delivered = (status: string) => String(sum(stats?.notifications.totals.filter((c) => c.status === status) ?? [], (c) => c.count));
  const figures: [string, string, string?][] = stats
    ? [
        [t("dashboard.usersNow"), String(sum(stats.users.byRole, (r) => r.active + r.deactivated)), "/admin/users"],
        [t("dashboard.registrations"), String(stats.users.registrations)],
        [t("dashboard.activeUsers"), String(stats.users.activeUsers)],
        [t("dashboard.pendingDoctors"), String(stats.doctors.byStatus.find((s) => s.status === "PENDING")?.doctors ?? 0), "/admin/doctors"],
        [t("dashboard.appointmentsInRange"), String(stats.appointments.totals.total)],
        [t("dashboard.cancellationRate"), percent(stats.appointments.cancellationRate, lang)],
        [t("dashboard.noShowRate"), percent(stats.appointments.noShowRate, lang)],
        [t("dashboard.leadTime"), duration(stats.appointments.leadTime.medianSeconds, lang)],
        [t("dashboard.leadTimeP90"), duration(stats.appointments.leadTime.p90Seconds, lang)],
        [t("dashboard.notificationsSent"), delivered("SENT"), "/admin/notifications"],
        [t("dashboard.notificationsFailed"), delivered("FAILED"), "/admin/notifications"],
        [t("dashboard.notificationsDead"), delivered("DEAD"), "/admin/notifications"],
      ]
    : [];
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <form className="filters card" aria-label={t("dashboard.range")} onSubmit={submit}>
        <NativeField label={t("dashboard.from")} name="from" type="date" value={form.from} onChange={set("from")} />
        <NativeField label={t("dashboard.to")} name="to" type="date" value={form.to} onChange={set("to")} />
        <Select label={t("dashboard.bucket")} value={form.bucket} onChange={set("bucket")} choices={(["DAY", "WEEK", "MONTH"] as const).map((b) => ({ id: b, label: t(`dashboard.${b}`) }))} />
        <label className="field">
          <span className="label">{t("dashboard.timeZone")}</span>
          <select className="native" name="timeZone" value={form.timeZone} onChange={(e) => set("timeZone")(e.target.value)}>
            {zones(form.timeZone).map((z) => <option key={z} value={z}>{z}</option>)}
          </select>
        </label>
        <Button type="submit" isDisabled={fetching}>{t("dashboard.show")}</Button>
      </form>
      <ProblemMessage error={error} />
      {fetching && !stats ? <p role="status">{t("common.loading")}</p> : null}
      {stats ? (
        <div data-testid="dashboard" data-key={stats.key}>
          <Figures items={figures} />
          <Users stats={stats} />
          <Appointments stats={stats} />
          <Doctors stats={stats} />
          <Notifications stats={stats} />
        </div>
      ) : null}
      <p><a href="/graphql">{t("admin.graphiql")}</a></p>
    </>
  );
}
