// Recurring visits in the browser: a patient makes a booking repeat on the doctor's page,
// reads the dry run's report and books; under My appointments each visit shows its series;
// the patient moves the rest of the series to the next day, then cancels the rest.

async function graphql(run, query, variables) {
  const headers = { "content-type": "application/json", "x-healthbook-csrf": "1" };
  const answer = await fetch(`${run.base}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await answer.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A Tuesday 8 to 14 days ahead (yyyy-MM-dd): its series stays inside the booking window. */
function aTuesdayAhead() {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 8);
  while (day.getUTCDay() !== 2) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

const visits = (p) => p.locator('[data-testid="appointment"]');

export async function patientBooksASeries(run, { email }) {
  const patient = await run.context("patient");
  const p = patient.page;
  await p.goto(`${run.base}/register`);
  await p.getByRole("heading", { name: "Create a patient account" }).waitFor();
  await p.getByLabel("Full name").fill("Ria Repeat");
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password", { exact: true }).fill("a long e2e secret");
  await p.getByRole("button", { name: "Create account" }).click();
  await p.getByText("Signed in as Ria Repeat").waitFor();
  const found = await graphql(run, 'query { doctors(filter: {text: "Jensen"}, page: {first: 1}) { nodes { id } } }');
  await p.goto(`${run.base}/doctors/${found.doctors.nodes[0].id}?day=${aTuesdayAhead()}`);
  await p.locator(".slot").first().waitFor();
  await p.locator(".slot").first().click();
  // The repeat switch by keyboard: Tab reaches it, Space turns it on.
  const repeat = p.getByRole("checkbox", { name: "Repeat this booking" });
  await repeat.focus();
  await p.keyboard.press("Space");
  await p.getByLabel("Number of visits (2 to 52)").fill("3");
  run.notes.singleBookHidden = !(await p.getByRole("button", { name: /^Book Tue/ }).isVisible());
  await p.getByRole("button", { name: "Check the dates" }).click();
  const report = p.locator('[data-testid="series-report"] li');
  await report.nth(2).waitFor();
  run.notes.report = await report.allInnerTexts();
  run.notes.free = await p.getByText(/dates? (is|are) free\./).innerText();
  await run.check(p, "patient-series-report");
  const all = p.getByRole("button", { name: "Book all 3 dates" });
  if (await all.isEnabled()) await all.click();
  else await p.getByRole("button", { name: /^Book the \d free date/ }).click();
  run.notes.booked = await p.getByText(/^Booked \d visits?\./).innerText();

  await p.getByRole("link", { name: "My appointments" }).first().click();
  await p.locator('[data-testid="series"]').first().waitFor();
  run.notes.seriesLines = await p.locator('[data-testid="series"]').allInnerTexts();
  await run.check(p, "patient-series-appointments");

  // Move the rest from the second visit on: one day later.
  const second = visits(p).nth(1);
  const before = await visits(p).locator("h3").allInnerTexts();
  await second.getByRole("button", { name: "Reschedule the rest" }).click();
  const dialog = p.getByRole("dialog");
  const dayLine = await dialog.locator(".slot-picker p.muted").innerText();
  await dialog.getByRole("button", { name: "Next day" }).click();
  await dialog.locator(".slot-picker p.muted").filter({ hasNotText: dayLine }).waitFor();
  await dialog.locator(".slot").first().waitFor();
  await dialog.locator(".slot").first().click();
  await dialog.getByRole("button", { name: "Check the dates" }).click();
  await dialog.locator('[data-testid="series-report"] li').first().waitFor();
  run.notes.moveReport = await dialog.locator('[data-testid="series-report"] li').allInnerTexts();
  await run.check(p, "patient-series-reschedule");
  await dialog.getByRole("button", { name: /^Move (all \d|the \d possible) visits?$/ }).first().click();
  await dialog.waitFor({ state: "detached" });
  await p.waitForFunction((old) => {
    const shown = [...document.querySelectorAll('[data-testid="appointment"] h3')].map((h) => h.textContent);
    return shown.length && shown.join("|") !== old;
  }, before.join("|"));
  run.notes.before = before;
  run.notes.after = await visits(p).locator("h3").allInnerTexts();

  // Cancel the rest from the first visit on.
  await visits(p).first().getByRole("button", { name: "Cancel the rest" }).click();
  const cancel = p.getByRole("dialog");
  await cancel.getByLabel("Reason (optional)").fill("Feeling better");
  await run.check(p, "patient-series-cancel");
  await cancel.getByRole("button", { name: "Cancel this and the later visits" }).click();
  await cancel.waitFor({ state: "detached" });
  await p.waitForFunction(() => document.querySelectorAll('[data-testid="appointment"][data-status="PENDING"]').length === 0);
  run.notes.statuses = await visits(p).evaluateAll((items) => items.map((i) => i.getAttribute("data-status")));
}
