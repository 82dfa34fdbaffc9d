// The admin's dashboard and audit trail: figures read from the page next to the same
// `statistics` asked of the API, a patient's booking found in the filtered trail, and its export.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

async function graphql(run, query, variables, token) {
  const headers = { "content-type": "application/json", "x-healthbook-csrf": "1" };
  if (token) headers.authorization = `Bearer ${token}`;
  const answer = await fetch(`${run.base}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await answer.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function signInByApi(run, email, password) {
  const data = await graphql(run, "mutation($i: LoginInput!) { login(input: $i) { accessToken user { id } } }", { i: { email, password } });
  return { token: data.login.accessToken, id: data.login.user.id };
}

/** A new patient books Dr. Silva's first free slot a few days ahead, as a client does. */
async function patientBooksByApi(run, email) {
  const password = "a long e2e secret";
  await graphql(run, "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }", { i: { email, password, name: "Audra Trail" } });
  const patient = await signInByApi(run, email, password);
  const found = await graphql(run, '{ doctors(filter: { city: "Berlin" }, first: 50) { nodes { id name } } }', {}, patient.token);
  const doctor = found.doctors.nodes.find((d) => d.name === "Dr. Silva");
  const from = new Date(Date.now() + 3 * 86400_000);
  const to = new Date(Date.now() + 10 * 86400_000);
  const slots = await graphql(run, "query($d: ID!, $f: DateTime!, $t: DateTime!) { availableSlots(doctorId: $d, from: $f, to: $t) { start } }",
    { d: doctor.id, f: from.toISOString(), t: to.toISOString() }, patient.token);
  const booked = await graphql(run, "mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }",
    { i: { doctorId: doctor.id, start: slots.availableSlots[0].start, reason: "Audit trail e2e", idempotencyKey: crypto.randomUUID() } }, patient.token);
  return { patientId: patient.id, appointmentId: booked.bookAppointment.id };
}

const STATISTICS = `query($range: StatisticsRange!, $bucket: StatisticsBucket!, $timeZone: String!) {
  statistics(range: $range, bucket: $bucket, timeZone: $timeZone) {
    users { byRole { role active deactivated } registrations }
    doctors { byStatus { status doctors } }
    appointments { totals { total pending } }
    utilization(top: 10) { doctor { name } appointments }
    notifications { totals { status count } }
  }
}`;

const TRAIL = `query($f: AuditTrailFilter) { auditTrail(filter: $f, first: 100) { totalCount nodes { action subjectType subjectId patientId } } }`;

export async function adminDashboardAndAudit(run, { patientEmail }) {
  const booking = await patientBooksByApi(run, patientEmail);
  run.notes.booking = booking;
  const { page: a } = await run.context("admin");
  await run.signIn(a, "admin@healthbook.local");
  await a.getByRole("heading", { name: "Dashboard" }).waitFor();
  await a.getByTestId("dashboard").waitFor();
  await a.locator(".recharts-surface").first().waitFor();
  // The same window as the page, asked of the API by the admin.
  const range = { from: await a.getByLabel("From").inputValue(), to: await a.getByLabel("Until (not included)").inputValue() };
  const timeZone = await a.locator('select[name="timeZone"]').inputValue();
  run.notes.window = { range, timeZone };
  const admin = await signInByApi(run, "admin@healthbook.local", "healthbook-demo");
  run.notes.api = (await graphql(run, STATISTICS, { range, bucket: "WEEK", timeZone }, admin.token)).statistics;
  run.notes.figures = Object.fromEntries(
    await a.getByTestId("figure").evaluateAll((items) => items.map((li) => [li.firstElementChild.textContent, li.querySelector(".stat").textContent])),
  );
  const rows = (testId) => a.getByTestId(testId).locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  run.notes.byRole = await rows("users-by-role");
  run.notes.byStatus = await rows("doctors-by-status");
  run.notes.topDoctors = await rows("top-doctors");
  await run.check(a, "admin-dashboard-figures");
  // The README's picture: the dashboard's first screen (figures, users, appointments).
  await a.setViewportSize({ width: 1280, height: 1400 });
  await a.screenshot({ path: join(run.artifacts, "admin-dashboard-overview.png") });
  await a.setViewportSize({ width: 1280, height: 860 });
  run.notes.shots = ["admin-dashboard-overview.png"];

  // The audit trail, filtered by the patient: the entries of their booking.
  await a.getByRole("link", { name: "Audit trail", exact: true }).click();
  await a.getByRole("heading", { name: "Audit trail", level: 1 }).waitFor();
  await a.getByTestId("audit-entry").first().waitFor();
  await a.getByLabel("Patient (id)").fill(booking.patientId);
  await a.getByRole("button", { name: "Filter", exact: true }).click();
  await a.waitForFunction(
    (id) => {
      const cells = [...document.querySelectorAll('[data-testid="audit-entry"] td:nth-child(6)')];
      return cells.length > 0 && cells.every((c) => c.textContent === id);
    },
    booking.patientId,
  );
  run.notes.trailRows = await a.getByTestId("audit-entry").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText)));
  // The trail is written from each subgraph's outbox, so the page's own search (an
  // AuditTrailSearched entry about this patient) reaches it a moment later: wait (bounded)
  // until the API's trail holds it, so the export below is sure to include it.
  const trailOf = async () => (await graphql(run, TRAIL, { f: { patientId: booking.patientId } }, admin.token)).auditTrail;
  run.notes.trailApi = await trailOf();
  for (let tries = 0; tries < 60 && !run.notes.trailApi.nodes.some((e) => e.action === "AuditTrailSearched"); tries += 1) {
    await new Promise((done) => setTimeout(done, 250));
    run.notes.trailApi = await trailOf();
  }
  await run.check(a, "admin-audit-patient");

  // Export what is shown, as NDJSON: one line per entry, every one the patient's.
  const [download] = await Promise.all([a.waitForEvent("download"), a.getByRole("button", { name: "Export NDJSON" }).click()]);
  run.notes.exportName = download.suggestedFilename();
  run.notes.exported = (await readFile(await download.path(), "utf8")).trim().split("\n").map((line) => JSON.parse(line));
  run.notes.exportSaid = await a.getByText(/entries exported\./).innerText();
  // And as CSV: a header line, then one line per entry.
  const [csv] = await Promise.all([a.waitForEvent("download"), a.getByRole("button", { name: "Export CSV" }).click()]);
  run.notes.csvName = csv.suggestedFilename();
  run.notes.csvLines = (await readFile(await csv.path(), "utf8")).trim().split("\n");
}
