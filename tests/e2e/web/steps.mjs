// One exported function per journey of the issue; each leaves screenshots in the artifacts.

export async function landing(run) {
  const { page } = await run.context("visitor");
  await page.goto(`${run.base}/`);
  await page.getByRole("heading", { name: "Find a doctor", level: 1 }).waitFor();
  await page.locator(".doctor-card").first().waitFor();
  run.notes.title = await page.title();
  run.notes.doctorCards = await page.locator(".doctor-card").count();
  run.notes.firstNext = await page.locator(".doctor-card").first().innerText();
  await run.check(page, "search");
  const href = await page.locator(".doctor-card h2 a").first().getAttribute("href");
  // A deep link opened directly (the router answers the app's page; the app routes).
  await page.goto(`${run.base}${href}`);
  await page.getByRole("heading", { name: "Free slots" }).waitFor();
  run.notes.doctorHeading = await page.locator("h1").innerText();
  await run.check(page, "doctor");
  await page.goto(`${run.base}/reset-password?token=abc`);
  await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
  await run.check(page, "reset-password");
  await page.goto(`${run.base}/sign-in`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await run.check(page, "sign-in");
}


/** A patient registers, finds a doctor, books (double click: one booking); the doctor, in a
 * second context, accepts and the patient's page changes without a reload; the patient
 * reschedules, then cancels. */
export async function patientBooks(run, { email, doctorEmail }) {
  const patient = await run.context("patient", { timezoneId: "America/New_York" });
  const p = patient.page;
  await p.goto(`${run.base}/register`);
  await p.getByRole("heading", { name: "Create a patient account" }).waitFor();
  await run.check(p, "register");
  await p.getByLabel("Full name").fill("Pat Example");
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password", { exact: true }).fill("a long e2e secret");
  await p.getByRole("button", { name: "Create account" }).click();
  await p.getByText("Signed in as Pat Example").waitFor();
  // Search by specialization and city.
  await p.getByLabel("Specialization").selectOption({ label: "General practice" });
  await p.getByLabel("City").fill("Berlin");
  await p.getByRole("button", { name: "Search", exact: true }).click();
  await p.waitForURL(/specialization=general-practice/);
  const card = p.locator(".doctor-card", { hasText: "Dr. Silva" });
  await card.waitFor();
  run.notes.searchCards = await p.locator(".doctor-card").allInnerTexts();
  await run.check(p, "patient-search");
  await card.getByRole("link", { name: "Dr. Silva", exact: true }).click();
  await p.getByRole("heading", { name: "Free slots" }).waitFor();
  // A day a week ahead (Monday to Thursday), well before the change cut-off.
  const later = new Date();
  later.setUTCDate(later.getUTCDate() + 7);
  while (![1, 2, 3, 4].includes(later.getUTCDay())) later.setUTCDate(later.getUTCDate() + 1);
  await p.getByLabel("Day", { exact: true }).fill(later.toISOString().slice(0, 10));
  await p.waitForURL(/day=/);
  await p.locator(".slot").first().waitFor();
  run.notes.slotLabel = await p.locator(".slot").first().innerText();
  run.notes.zoneLine = await p.locator(".slot-picker p.muted").innerText();
  await p.locator(".slot").first().click();
  await p.getByLabel("Reason for the visit (optional)").fill("Persistent cough");
  await run.check(p, "patient-doctor");
  await p.getByRole("button", { name: /^Book / }).dblclick();
  await p.getByText("Booked. The doctor will confirm your request.").waitFor();
  await p.getByRole("link", { name: "My appointments" }).first().click();
  await p.locator('[data-testid="appointment"]').first().waitFor();
  run.notes.bookedCount = await p.locator('[data-testid="appointment"]').count();
  run.notes.bookedStatus = await p.locator('[data-testid="appointment"]').first().getAttribute("data-status");
  run.notes.changeRules = await p.locator('[data-testid="change-rules"]').first().innerText();
  // The doctor accepts in a second browser context.
  const doctor = await run.context("doctor");
  const d = doctor.page;
  await run.signIn(d, doctorEmail);
  await d.getByRole("heading", { name: "My week" }).waitFor();
  const request = d.locator('[data-testid="request"]', { hasText: "Pat Example" });
  await request.waitFor();
  // The booking is a week or two ahead: page the calendar forward to its week (which week
  // depends on today's weekday, so a fixed count would fail on some days).
  const booked = d.locator(".fc-event", { hasText: "Pat Example" }).first();
  for (let week = 0; week < 3 && !(await booked.isVisible()); week += 1) {
    await d.locator(".fc-next-button").click();
    await booked.waitFor({ timeout: 8000 }).catch(() => undefined);
  }
  await booked.waitFor();
  await run.check(d, "doctor-calendar");
  await request.getByRole("button", { name: /Accept/ }).click();
  await request.waitFor({ state: "detached" });
  // The patient's page changes without a reload (subscription → normalized cache).
  await p.locator('[data-testid="appointment"][data-status="CONFIRMED"]').waitFor({ timeout: 20000 });
  run.notes.liveBadge = await p.locator('[data-testid="appointment"] .badge').first().innerText();
  await run.check(p, "patient-appointments");
  // Reschedule to a slot on the next day.
  const before = await p.locator('[data-testid="appointment"] h3').first().innerText();
  await p.getByRole("button", { name: "Reschedule" }).first().click();
  const dialog = p.getByRole("dialog");
  const dayLine = await dialog.locator(".slot-picker p.muted").innerText();
  await dialog.getByRole("button", { name: "Next day" }).click();
  await dialog.locator(".slot-picker p.muted").filter({ hasNotText: dayLine }).waitFor();
  await dialog.locator(".slot").first().waitFor();
  await dialog.locator(".slot").first().click();
  await run.check(p, "patient-reschedule");
  await dialog.getByRole("button", { name: /^Move to / }).click();
  await dialog.waitFor({ state: "detached" });
  await p.waitForFunction((old) => {
    const h = document.querySelector('[data-testid="appointment"] h3');
    return h && h.textContent !== old;
  }, before);
  run.notes.rescheduled = [before, await p.locator('[data-testid="appointment"] h3').first().innerText()];
  run.notes.changeRulesAfter = await p.locator('[data-testid="change-rules"]').first().innerText();
  run.notes.rescheduledStatus = await p.locator('[data-testid="appointment"]').first().getAttribute("data-status");
  // Cancel with a reason.
  await p.getByRole("button", { name: "Cancel" }).first().click();
  const cancel = p.getByRole("dialog");
  await cancel.getByLabel("Reason (optional)").fill("Feeling better");
  await run.check(p, "patient-cancel");
  await cancel.getByRole("button", { name: "Cancel this appointment" }).click();
  await cancel.waitFor({ state: "detached" });
  await p.locator('[data-testid="appointment"][data-status="CANCELLED"]').waitFor();
  run.notes.finalStatus = "CANCELLED";
  await p.getByRole("button", { name: "History" }).first().click();
  await p.locator(".history li").nth(2).waitFor();
  run.notes.history = await p.locator(".history").innerText();
}

function nextSaturday() {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 3);
  while (day.getUTCDay() !== 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/** A doctor adds Saturday hours (after the editor refuses an overlap); a patient sees them. */
export async function doctorEditsAvailability(run, { doctorEmail }) {
  const doctor = await run.context("doctor");
  const d = doctor.page;
  await run.signIn(d, doctorEmail);
  await d.getByRole("link", { name: "Availability" }).click();
  await d.getByRole("heading", { name: "Weekly hours" }).waitFor();
  const rows = d.locator("#weekly-title ~ .table-wrap tbody tr");
  const before = await rows.count();
  await d.getByRole("button", { name: "Add hours" }).click();
  await d.getByRole("button", { name: "Save weekly hours" }).click();
  run.notes.overlap = await d.getByRole("alert").first().innerText();
  const row = rows.nth(before);
  await row.locator("select").selectOption("SATURDAY");
  await row.locator('input[type="time"]').nth(0).fill("09:00");
  await row.locator('input[type="time"]').nth(1).fill("11:00");
  await d.getByRole("button", { name: "Save weekly hours" }).click();
  await d.getByText("Saved: patients see the change now.").waitFor();
  run.notes.rulesAfter = await rows.count();
  await run.check(d, "doctor-availability");
  const visitor = await run.context("visitor");
  const v = visitor.page;
  const saturday = nextSaturday();
  await v.goto(`${run.base}/?city=Berlin`);
  const href = await v.locator(".doctor-card", { hasText: "Dr. Silva" }).getByRole("link", { name: "Dr. Silva", exact: true }).getAttribute("href");
  await v.goto(`${run.base}${href}?day=${saturday}`);
  await v.locator(".slot").first().waitFor();
  run.notes.saturdaySlots = await v.locator(".slot").allInnerTexts();
}

/** The admin's pages; a pending doctor is approved and then appears in search. */
export async function adminApproves(run) {
  const admin = await run.context("admin");
  const a = admin.page;
  await run.signIn(a, "admin@healthbook.local");
  await a.getByRole("heading", { name: "Dashboard" }).waitFor();
  await a.locator(".recharts-surface").first().waitFor();
  await a.waitForFunction(() => !document.body.innerText.includes("…"));
  await run.check(a, "admin-dashboard");
  run.notes.graphiqlHref = await a.getByRole("link", { name: /GraphiQL/ }).getAttribute("href");
  await a.getByRole("link", { name: "Onboarding" }).click();
  const pending = a.locator('[data-testid="pending-doctor"]', { hasText: "Dr. Pending" });
  await pending.waitFor();
  await run.check(a, "admin-onboarding");
  await pending.getByRole("button", { name: /Approve/ }).click();
  await pending.waitFor({ state: "detached" });
  for (const [link, heading, name] of [["Users", "Users", "admin-users"], ["Audit trail", "Audit trail", "admin-audit"], ["Notifications", "Notifications", "admin-notifications"]]) {
    await a.getByRole("link", { name: link, exact: true }).click();
    await a.getByRole("heading", { name: heading, level: 1 }).waitFor();
    await a.locator("tbody tr").first().waitFor();
    await run.check(a, name);
  }
  const visitor = await run.context("visitor");
  const v = visitor.page;
  await v.goto(`${run.base}/?specialization=general-practice&city=Berlin`);
  await v.locator(".doctor-card", { hasText: "Dr. Pending" }).waitFor();
  run.notes.approvedListed = true;
}

/** Ask for a reset link (the test reads it from the local mailbox). */
export async function requestReset(run, { email }) {
  const { page } = await run.context("visitor");
  await page.goto(`${run.base}/sign-in`);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByRole("heading", { name: "Reset your password" }).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await page.getByText("If an account exists for this address").waitFor();
  await run.check(page, "forgot-password");
}

/** Open an emailed link, set the password, sign in with it. */
export async function setPassword(run, { link, email, password, expectHeading, shot }) {
  const { page } = await run.context("visitor");
  await page.goto(link);
  await page.getByLabel("New password").fill(password);
  await run.check(page, shot);
  await page.getByRole("button", { name: "Set password" }).click();
  await page.waitForURL(/\/sign-in\?done=/);
  run.notes.done = await page.getByRole("status").first().innerText();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: expectHeading, level: 1 }).waitFor();
  run.notes.landed = new URL(page.url()).pathname;
  run.notes.email = email;
}

/** The admin invites a doctor (the test reads the link from the mailbox). */
export async function inviteDoctor(run, { email }) {
  const admin = await run.context("admin");
  const a = admin.page;
  await run.signIn(a, "admin@healthbook.local");
  await a.goto(`${run.base}/admin/users`);
  await a.getByLabel("Full name").fill("Dr. Invited");
  await a.getByLabel("Email").fill(email);
  await a.getByRole("button", { name: "Invite a doctor", exact: true }).click();
  await a.getByText(`Invitation sent to ${email}.`).waitFor();
}

/** A doctor edits the practice profile (a bad language tag is refused in words and the form
 * keeps what was typed); a visitor then finds the doctor by the new language and city and
 * reads the new bio. */
export async function doctorEditsProfile(run, { doctorEmail, doctorName, city, bio, insurer }) {
  const doctor = await run.context("doctor");
  const d = doctor.page;
  await run.signIn(d, doctorEmail);
  await d.getByRole("link", { name: "Practice profile" }).click();
  await d.getByRole("heading", { name: "Practice profile", level: 1 }).waitFor();
  const languages = d.getByLabel("Languages");
  await languages.waitFor();
  run.notes.languagesBefore = await languages.inputValue();
  await d.getByLabel("About you").fill(bio);
  await languages.fill(`${run.notes.languagesBefore}, not a tag!`);
  await d.getByLabel("City", { exact: true }).fill(city);
  await d.getByLabel("Accepted insurance").fill(insurer);
  await d.getByRole("button", { name: "Save profile" }).click();
  run.notes.refusal = await d.getByRole("alert").first().innerText();
  run.notes.keptBio = await d.getByLabel("About you").inputValue();
  await languages.fill(`${run.notes.languagesBefore}, fr`);
  await d.getByRole("button", { name: "Save profile" }).click();
  await d.getByText("Saved: patients see your profile now.").waitFor();
  await run.check(d, "doctor-practice-profile");
  const visitor = await run.context("visitor");
  const v = visitor.page;
  await v.goto(`${run.base}/?language=fr&city=${encodeURIComponent(city)}&insurance=${encodeURIComponent(insurer)}`);
  const card = v.locator(".doctor-card", { hasText: doctorName });
  await card.waitFor();
  run.notes.cards = await v.locator(".doctor-card").count();
  await card.getByRole("link", { name: doctorName, exact: true }).click();
  await v.getByRole("heading", { name: "Free slots" }).waitFor();
  run.notes.publicPage = await v.locator("main").innerText();
}

async function graphql(run, query, variables, token) {
  const headers = { "content-type": "application/json", "x-healthbook-csrf": "1" };
  if (token) headers.authorization = `Bearer ${token}`;
  const answer = await fetch(`${run.base}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await answer.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Offline: a search says so in words and keeps what was typed, and works once back online.
 * Session ended elsewhere ("sign out everywhere" on another device): the next page asks to
 * sign in again, and signing in leads back to that page. */
export async function offlineAndEndedSession(run, { email, password }) {
  const patient = await run.context("patient");
  const p = patient.page;
  await run.signIn(p, email, password);
  await p.getByRole("heading", { name: "Find a doctor", level: 1 }).waitFor();
  await patient.context.setOffline(true);
  await p.getByLabel("City").fill("Berlin");
  await p.getByRole("button", { name: "Search", exact: true }).click();
  run.notes.offline = await p.getByRole("alert").first().innerText();
  run.notes.keptCity = await p.getByLabel("City").inputValue();
  await run.check(p, "offline-search");
  await patient.context.setOffline(false);
  await p.getByRole("button", { name: "Search", exact: true }).click();
  await p.locator(".doctor-card").first().waitFor();
  await p.getByRole("alert").waitFor({ state: "detached" });
  run.notes.onlineCards = await p.locator(".doctor-card").count();
  // Another device signs out everywhere: the browser's tokens are revoked at the router.
  const login = await graphql(run, "mutation($i: LoginInput!) { login(input: $i) { accessToken } }", { i: { email, password } });
  await graphql(run, "mutation { logout(input: { allSessions: true }) { __typename } }", {}, login.login.accessToken);
  await p.getByRole("link", { name: "Inbox" }).click();
  await p.waitForURL(/\/sign-in\?next=/);
  run.notes.ended = await p.getByRole("status").first().innerText();
  await run.check(p, "session-ended");
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password", { exact: true }).fill(password);
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.getByRole("heading", { name: "Inbox", level: 1 }).waitFor();
  run.notes.back = new URL(p.url()).pathname;
}

/** Sign-in attempts are throttled by identity (RATE_LIMITED with the wait): after three wrong
 * passwords the page says how long to wait, in words, and keeps the email typed. */
export async function signInThrottled(run, { email }) {
  const { page } = await run.context("visitor");
  await page.goto(`${run.base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  const said = [];
  for (let attempt = 0; attempt < 4; attempt += 1) {
    await page.getByLabel("Password", { exact: true }).fill(`wrong guess ${attempt}`);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/auth/session/login")),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    await page.waitForFunction(() => document.querySelector("main [role=alert]") && !document.querySelector("main button[type=submit]")?.hasAttribute("disabled"));
    said.push(await page.locator("main [role=alert]").first().innerText());
  }
  run.notes.said = said;
  run.notes.keptEmail = await page.getByLabel("Email").inputValue();
  await run.check(page, "sign-in-throttled");
}
