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

/** The delivery rows of the endpoint shown, refreshed (bounded) until `done` holds for them. */
async function deliveriesUntil(a, done) {
  const rows = () => a.getByTestId("webhook-delivery").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText)));
  let seen = await rows();
  for (let tries = 0; tries < 120 && !done(seen); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    await a.getByRole("button", { name: "Refresh" }).click();
    seen = await rows();
  }
  return seen;
}

async function handOver(receiver, secret) {
  const answer = await fetch(receiver.secretUrl, { method: "PUT", body: secret });
  if (answer.status !== 204) throw new Error(`the receiver refused the secret: ${answer.status}`);
}

/** The admin registers a local receiver on the Webhooks page (its secret shown once), a
 * booking reaches it, the admin disables and enables it, rotates the secret, replays the
 * first delivery, and deletes the endpoint. */
export async function adminManagesWebhooks(run, { receiverUrl, secretUrl, patientEmails }) {
  const receiver = { url: receiverUrl, secretUrl };
  const { page: a } = await run.context("admin");
  await run.signIn(a, "admin@healthbook.local");
  await a.getByRole("link", { name: "Webhooks", exact: true }).click();
  await a.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
  await a.getByLabel(/^Address/).fill(receiver.url);
  await a.getByLabel("Description").fill("Clinic ERP");
  await a.getByRole("checkbox", { name: "Appointment booked" }).press("Space");
  await a.getByRole("button", { name: "Register a webhook" }).click();
  const secret = a.getByLabel("Secret", { exact: true });
  await secret.waitFor();
  run.notes.firstSecret = await secret.inputValue();
  run.notes.secretWarning = await a.getByText(/you won't see it again/).innerText();
  await handOver(receiver, run.notes.firstSecret);
  await run.check(a, "admin-webhooks-registered");
  await a.getByRole("button", { name: "I have stored it" }).click();
  await secret.waitFor({ state: "detached" });

  run.notes.bookings = [await patientBooksByApi(run, patientEmails[0])];
  await a.getByRole("button", { name: `Deliveries ${receiver.url}` }).click();
  const sent = (rows) => rows.filter((row) => row[2].includes("Sent"));
  run.notes.firstRows = await deliveriesUntil(a, (rows) => sent(rows).length === 1);

  await a.getByRole("button", { name: `Disable ${receiver.url}` }).click();
  await a.getByRole("button", { name: `Enable ${receiver.url}` }).waitFor();
  run.notes.disabledRow = await a.getByTestId("webhook").first().evaluate((tr) => [...tr.children].map((c) => c.innerText));
  await a.getByRole("button", { name: `Enable ${receiver.url}` }).click();
  await a.getByRole("button", { name: `Disable ${receiver.url}` }).waitFor();

  await a.getByRole("button", { name: `Rotate secret ${receiver.url}` }).click();
  const dialog = a.getByRole("dialog");
  run.notes.rotateExplain = await dialog.innerText();
  await dialog.getByRole("button", { name: "Rotate secret" }).click();
  await dialog.waitFor({ state: "detached" });
  run.notes.secondSecret = await secret.inputValue();
  run.notes.rollover = await a.getByText(/The previous secret also signs until/).innerText();
  await handOver(receiver, run.notes.secondSecret);
  await a.getByRole("button", { name: "I have stored it" }).click();
  run.notes.bookings.push(await patientBooksByApi(run, patientEmails[1]));
  run.notes.secondRows = await deliveriesUntil(a, (rows) => sent(rows).length === 2);

  // Replay the first (oldest) delivery: PENDING again, then SENT with the same webhook-id.
  const oldest = a.getByTestId("webhook-delivery").last();
  run.notes.replayedId = (await oldest.locator(".mono").innerText()).trim();
  await oldest.getByRole("button", { name: `Replay ${run.notes.replayedId}` }).click();
  run.notes.replayedRows = await deliveriesUntil(a, (rows) => rows.length === 2 && rows.every((row) => row[2].includes("Sent")) && rows.at(-1)[3] === "2");
  await run.check(a, "admin-webhooks-deliveries");

  await a.getByRole("button", { name: `Delete ${receiver.url}` }).click();
  run.notes.deleteExplain = await a.getByRole("dialog").innerText();
  await a.getByRole("dialog").getByRole("button", { name: "Delete the webhook" }).click();
  await a.getByText("No webhook is registered.").waitFor();
  // Its history stays: shown again when asked for, with nothing left to change.
  await a.getByRole("checkbox", { name: /Also show deleted webhooks/ }).press("Space");
  await a.getByTestId("webhook").getByText(/^deleted /).waitFor();
  run.notes.deletedButtons = await a.getByTestId("webhook").getByRole("button").allInnerTexts();
  await run.check(a, "admin-webhooks-deleted");
}
