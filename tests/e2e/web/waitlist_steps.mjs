// The waitlist in the browser: a patient joins a doctor's waitlist on the doctor's page,
// another patient's cancellation frees a slot, the offer shows under My appointments and
// the patient books it there.

async function graphql(run, query, variables, token) {
  const headers = { "content-type": "application/json", "x-healthbook-csrf": "1" };
  if (token) headers.authorization = `Bearer ${token}`;
  const answer = await fetch(`${run.base}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await answer.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function isoDay(daysAhead) {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + daysAhead);
  return day.toISOString().slice(0, 10);
}

/** Another patient books a slot of the doctor two or more days ahead and cancels it. */
async function freeASlot(run, doctorId) {
  const email = `booker-${Date.now()}@example.org`;
  const password = "a booker's long secret";
  await graphql(run, "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }", {
    i: { email, password, name: "Bo Booker", timeZone: "Europe/Berlin" },
  });
  const login = await graphql(run, "mutation($i: LoginInput!) { login(input: $i) { accessToken } }", { i: { email, password } });
  const token = login.login.accessToken;
  const now = Date.now();
  const slots = await graphql(run, "query($id: ID!, $from: DateTime!, $to: DateTime!) { availableSlots(doctorId: $id, from: $from, to: $to) { start } }", {
    id: doctorId, from: new Date(now + 2 * 86400000).toISOString(), to: new Date(now + 15 * 86400000).toISOString(),
  }, token);
  const start = slots.availableSlots[0].start;
  const booked = await graphql(run, "mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }", {
    i: { doctorId, start, idempotencyKey: `waitlist-e2e-${now}` },
  }, token);
  await graphql(run, "mutation($id: ID!) { cancelAppointment(input: {id: $id}) { status } }", { id: booked.bookAppointment.id }, token);
  return start;
}

export async function patientTakesAFreedSlot(run, { email }) {
  const patient = await run.context("patient");
  const p = patient.page;
  await p.goto(`${run.base}/register`);
  await p.getByRole("heading", { name: "Create a patient account" }).waitFor();
  await p.getByLabel("Full name").fill("Wen Waiter");
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password", { exact: true }).fill("a long e2e secret");
  await p.getByRole("button", { name: "Create account" }).click();
  await p.getByText("Signed in as Wen Waiter").waitFor();
  const found = await graphql(run, 'query { doctors(filter: {text: "Silva"}, page: {first: 1}) { nodes { id } } }');
  const doctorId = found.doctors.nodes[0].id;
  await p.goto(`${run.base}/doctors/${doctorId}`);
  const join = p.getByRole("form", { name: "No time that suits you? Join the waitlist" });
  await join.waitFor();
  await join.getByLabel("First day").fill(isoDay(1));
  await join.getByLabel("Last day").fill(isoDay(20));
  await join.getByRole("button", { name: "Join the waitlist" }).click();
  run.notes.joined = await join.getByRole("status").innerText();
  await run.check(p, "patient-waitlist-join");

  run.notes.freed = await freeASlot(run, doctorId);
  await p.getByRole("link", { name: "My appointments" }).first().click();
  const offer = p.getByRole("group", { name: "A slot is held for you" });
  // The offer comes through the event bus; the list follows notifications, a reload is a fallback.
  for (let attempt = 0; attempt < 20 && !(await offer.isVisible()); attempt += 1) {
    await offer.waitFor({ timeout: 1500 }).catch(() => undefined);
    if (!(await offer.isVisible())) await p.reload();
  }
  await offer.waitFor();
  run.notes.offer = await offer.innerText();
  await run.check(p, "patient-waitlist-offer");
  await offer.getByRole("button", { name: "Book this slot" }).click();
  await p.getByText("Booked. You find it under your upcoming appointments.").waitFor();
  await p.getByText("You are not on any waitlist.").waitFor();
  await p.locator('[data-testid="appointment"]').first().waitFor();
  run.notes.appointments = await p.locator('[data-testid="appointment"]').count();
}

/** A patient searches cardiologists in Berlin and waits for any of them, then sees that wait. */
export async function patientWaitsForAnyDoctorOfASpecialization(run, { email }) {
  const patient = await run.context("area-patient");
  const p = patient.page;
  await p.goto(`${run.base}/register`);
  await p.getByRole("heading", { name: "Create a patient account" }).waitFor();
  await p.getByLabel("Full name").fill("Ari Area");
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password", { exact: true }).fill("a long e2e secret");
  await p.getByRole("button", { name: "Create account" }).click();
  await p.getByText("Signed in as Ari Area").waitFor();
  await p.goto(`${run.base}/?specialization=cardiology&city=Berlin`);
  const join = p.getByRole("form", { name: "Any Cardiology doctor in Berlin: join the waitlist" });
  await join.waitFor();
  await join.getByLabel("First day").fill(isoDay(1));
  await join.getByLabel("Last day").fill(isoDay(20));
  await join.getByRole("button", { name: "Join the waitlist" }).click();
  run.notes.joined = await join.getByRole("status").innerText();
  await run.check(p, "patient-waitlist-area-join");
  await p.getByRole("link", { name: "My appointments" }).first().click();
  const waits = p.getByRole("region", { name: "Your waitlists" });
  await waits.getByText("Any Cardiology doctor in Berlin").waitFor();
  run.notes.listed = await waits.getByRole("listitem").first().innerText();
  await run.check(p, "patient-waitlist-area-listed");
}
