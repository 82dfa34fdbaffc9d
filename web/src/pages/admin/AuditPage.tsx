// The audit trail of every component (auditTrail): filters by patient, actor, action, subject,
// time range and outcome; cursor pages ("Load more"); export of the filtered trail as NDJSON or
// CSV (exportAuditTrail, batch after batch until complete) downloaded as a file.
import { useState, type FormEvent } from "react";
import { useClient, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { DateTime } from "luxon";
import { AuditTrailDocument, ExportAuditTrailDocument, type AuditExportFormat, type AuditTrailFilter } from "../../gql/graphql";
import { Alert, Button, Field, Select } from "../../ui/controls";
import { ProblemMessage } from "../../ui/Problem";
import { LoadMore } from "../../ui/LoadMore";
import { browserZone, formatDateTime } from "../../time/zones";

const PAGE = 50;
const TEXT_FIELDS = ["patientId", "actorId", "action", "subjectType", "subjectId"] as const;
type Form = Record<(typeof TEXT_FIELDS)[number] | "since" | "until" | "outcome", string>;
const EMPTY: Form = { patientId: "", actorId: "", action: "", subjectType: "", subjectId: "", since: "", until: "", outcome: "all" };

/** The API's filter from the form: empty fields left out, local times in the browser's zone. */
export function filterOf(form: Form, zone: string): AuditTrailFilter {
  const filter: AuditTrailFilter = {};
  for (const key of TEXT_FIELDS) if (form[key].trim()) filter[key] = form[key].trim();
  if (form.outcome !== "all") filter.outcome = form.outcome;
  const instant = (local: string) => DateTime.fromISO(local, { zone }).toUTC().toISO();
  if (form.since) filter.since = instant(form.since);
  if (form.until) filter.until = instant(form.until);
  return filter;
}

/** Export batches joined into one document (a CSV batch repeats the header line: kept once). */
export function joinBatches(format: AuditExportFormat, bodies: string[]): string {
  if (format !== "CSV") return bodies.join("");
  return bodies.map((body, i) => (i === 0 ? body : body.slice(body.indexOf("\n") + 1))).join("");
}

function download(name: string, type: string, body: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function useExport(filter: AuditTrailFilter) {
  const client = useClient();
  const [state, setState] = useState<{ busy: boolean; count?: number; error?: Parameters<typeof ProblemMessage>[0]["error"] }>({ busy: false });
  const run = async (format: AuditExportFormat) => {
    setState({ busy: true });
    const bodies: string[] = [];
    let afterSeq = 0;
    let count = 0;
    let contentType = "";
    for (;;) {
      const result = await client.query(ExportAuditTrailDocument, { filter, format, afterSeq }, { requestPolicy: "network-only" }).toPromise();
      const batch = result.data?.exportAuditTrail;
      if (result.error || !batch) {
        setState({ busy: false, error: result.error });
        return;
      }
      bodies.push(batch.body);
      count += batch.count;
      contentType = batch.contentType;
      afterSeq = batch.lastSeq;
      if (batch.complete) break;
    }
    const stamp = DateTime.now().toFormat("yyyyLLdd-HHmmss");
    download(`audit-trail-${stamp}.${format === "CSV" ? "csv" : "ndjson"}`, contentType, joinBatches(format, bodies));
    setState({ busy: false, count });
  };
  return [state, run] as const;
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const zone = browserZone();
  const [form, setForm] = useState<Form>(EMPTY);
  const [filter, setFilter] = useState<AuditTrailFilter>({});
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, error, fetching }] = useQuery({ query: AuditTrailDocument, variables: { filter, first: PAGE, after } });
  const [exporting, exportAs] = useExport(filter);
  const set = (key: keyof Form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const apply = (next: Form) => {
    setAfter(null);
    setFilter(filterOf(next, zone));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(form);
  };
  const entries = data?.auditTrail.nodes ?? [];
  return (
    <>
      <h1>{t("admin.audit")}</h1>
      <form className="filters card" role="search" aria-label={t("admin.audit")} onSubmit={submit}>
        <Field label={t("audit.patient")} name="patientId" value={form.patientId} onChange={set("patientId")} />
        <Field label={t("audit.actor")} name="actorId" value={form.actorId} onChange={set("actorId")} />
        <Field label={t("audit.action")} name="action" value={form.action} onChange={set("action")} description="AppointmentBooked, Query.auditTrail…" />
        <Field label={t("audit.subjectType")} name="subjectType" value={form.subjectType} onChange={set("subjectType")} description="Appointment, User…" />
        <Field label={t("audit.subjectId")} name="subjectId" value={form.subjectId} onChange={set("subjectId")} />
        <Field label={t("audit.since")} name="since" type="datetime-local" value={form.since} onChange={set("since")} />
        <Field label={t("audit.until")} name="until" type="datetime-local" value={form.until} onChange={set("until")} />
        <Select label={t("admin.outcome")} value={form.outcome} onChange={set("outcome")} choices={[{ id: "all", label: t("admin.all") }, { id: "ALLOWED", label: t("audit.ALLOWED") }, { id: "REFUSED", label: t("audit.REFUSED") }]} />
        <Button type="submit">{t("audit.apply")}</Button>
        <Button variant="secondary" onPress={() => { setForm(EMPTY); apply(EMPTY); }}>{t("audit.reset")}</Button>
      </form>
      <div className="actions">
        <Button variant="secondary" isDisabled={exporting.busy} onPress={() => void exportAs("NDJSON")}>{t("audit.exportNdjson")}</Button>
        <Button variant="secondary" isDisabled={exporting.busy} onPress={() => void exportAs("CSV")}>{t("audit.exportCsv")}</Button>
      </div>
      {exporting.count !== undefined ? <Alert tone="success">{t("audit.exported", { count: exporting.count })}</Alert> : null}
      <ProblemMessage error={error ?? exporting.error} />
      <div className="table-wrap card" role="region" aria-label={t("admin.audit")} tabIndex={0}>
        <table className="data cards">
          <caption className="skip">{t("admin.audit")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin.when")}</th>
              <th scope="col">{t("audit.action")}</th>
              <th scope="col">{t("admin.outcome")}</th>
              <th scope="col">{t("audit.actor")}</th>
              <th scope="col">{t("audit.subject")}</th>
              <th scope="col">{t("audit.patient")}</th>
              <th scope="col">{t("admin.client")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-entry">
                <td data-label={t("admin.when")}>{formatDateTime(e.occurredAt, zone, i18n.language)}</td>
                <td data-label={t("audit.action")}>{e.action}<div className="muted">{e.component}</div></td>
                <td data-label={t("admin.outcome")}>{e.outcome}{e.reason ? ` (${e.reason})` : ""}</td>
                <td data-label={t("audit.actor")}>{e.actorRole}<div className="muted mono">{e.actorId ?? ""}</div></td>
                <td data-label={t("audit.subject")}>{e.subjectType ?? ""}<div className="muted mono">{e.subjectId ?? ""}</div></td>
                <td className="mono" data-label={t("audit.patient")}>{e.patientId ?? ""}</td>
                <td data-label={t("admin.client")}>{e.clientAddress ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore page={data?.auditTrail} shown={entries.length} fetching={fetching} onMore={setAfter} showTotal />
    </>
  );
}
