// Errors a person must understand, with the form keeping what they typed: the router's own
// rate limit (a stack started with a low ROUTER_RATE_LIMIT), and a subgraph down and back
// (the test cuts it with a TCP proxy in front; `control` is the test's switch for it).

const alertIn = (page) => page.locator("main [role=alert]").first();
// urql sends queries as GET /graphql?query=… (within the URL limit), mutations as POST.
const isApiCall = (response) => new URL(response.url()).pathname === "/graphql";

/** A visitor searches again and again: the router's 429 is said in words with the wait from
 * its Retry-After, the city typed stays, and after the wait the same search works. */
export async function rateLimited(run) {
  const { page } = await run.context("visitor");
  await page.goto(`${run.base}/`);
  await page.locator(".doctor-card").first().waitFor();
  await page.getByLabel("City").fill("Berlin");
  const statuses = [];
  for (let attempt = 0; attempt < 40 && !(await alertIn(page).isVisible()); attempt += 1) {
    const [response] = await Promise.all([
      page.waitForResponse(isApiCall),
      page.getByRole("button", { name: "Search", exact: true }).click(),
    ]);
    statuses.push(response.status());
    if (response.status() === 429) await alertIn(page).waitFor();
  }
  run.notes.statuses = statuses;
  run.notes.said = await alertIn(page).innerText();
  run.notes.keptCity = await page.getByLabel("City").inputValue();
  await run.check(page, "rate-limited");
  const seconds = Number((run.notes.said.match(/wait (\d+) seconds/) ?? [])[1] ?? 60);
  run.notes.seconds = seconds;
  await page.waitForTimeout(seconds * 1000 + 300);
  const [again] = await Promise.all([
    page.waitForResponse(isApiCall),
    page.getByRole("button", { name: "Search", exact: true }).click(),
  ]);
  run.notes.afterWait = again.status();
  await alertIn(page).waitFor({ state: "detached" });
  // The alert goes before the results render: wait for them (bounded) rather than count at once.
  const cards = page.locator(".doctor-card");
  await cards.first().waitFor({ timeout: 15_000 }).catch(() => undefined);
  run.notes.cardsAfterWait = await cards.count();
  run.notes.cityAfterWait = await page.getByLabel("City").inputValue();
}

async function switchProxy(control, what) {
  const answer = await fetch(`${control}/${what}`, { method: "POST" });
  if (!answer.ok) throw new Error(`proxy ${what}: ${answer.status}`);
}

/** The appointments subgraph is down: the doctor's page (doctors subgraph) still shows the
 * profile and the free slots; booking says in words that part of Healthbook is not answering
 * and keeps the chosen slot and the reason; the appointments page says so too while the
 * header (identity, notifications) works. Back up, the same Book button books. */
export async function subgraphDown(run, { email, password, doctorName, control }) {
  const patient = await run.context("patient");
  const p = patient.page;
  await run.signIn(p, email, password);
  await p.getByRole("heading", { name: "Find a doctor", level: 1 }).waitFor();
  await p.goto(`${run.base}/?specialization=general-practice&city=Berlin`);
  const href = await p.locator(".doctor-card", { hasText: doctorName }).getByRole("link", { name: doctorName, exact: true }).getAttribute("href");
  await switchProxy(control, "cut");
  // My appointments: its list is the cut subgraph's; the page says so, the menu still works.
  await p.getByRole("link", { name: "My appointments" }).first().click();
  await p.getByRole("heading", { name: "My appointments", level: 1 }).waitFor();
  run.notes.listSaid = await alertIn(p).innerText();
  run.notes.headerWhileDown = await p.locator("header").innerText();
  await run.check(p, "subgraph-down-appointments");
  // The doctor's page is the doctors subgraph's: profile and slots are there.
  await p.goto(`${run.base}${href}`);
  await p.getByRole("heading", { name: "Free slots" }).waitFor();
  await p.locator(".slot").first().waitFor();
  run.notes.slotsWhileDown = await p.locator(".slot").count();
  run.notes.profileWhileDown = await p.locator("main .card").first().innerText();
  await p.locator(".slot").first().click();
  await p.getByLabel("Reason for the visit (optional)").fill("Back pain since Monday");
  const book = p.getByRole("button", { name: /^Book / });
  run.notes.bookLabel = await book.innerText();
  await book.click();
  await alertIn(p).waitFor();
  run.notes.bookSaid = await alertIn(p).innerText();
  run.notes.keptReason = await p.getByLabel("Reason for the visit (optional)").inputValue();
  run.notes.keptBookLabel = await book.innerText();
  await run.check(p, "subgraph-down-booking");
  // Back up: the same button, the same attempt (idempotency key), books once.
  await switchProxy(control, "restore");
  await book.click();
  await p.getByText("Booked. The doctor will confirm your request.").waitFor();
  run.notes.errorAfterRestore = await alertIn(p).isVisible();
  await p.getByRole("link", { name: "My appointments" }).first().click();
  await p.locator('[data-testid="appointment"]').first().waitFor();
  run.notes.booked = await p.locator('[data-testid="appointment"]').count();
  run.notes.bookedReason = await p.locator('[data-testid="appointment"]').first().innerText();
  await run.check(p, "subgraph-back-appointments");
}

/** A page's chunk fails to load (offline at that moment, or a deploy replaced the hashed
 * files): the page says so with a reload button, the header stays; the reload then works. */
export async function chunkFails(run, { doctorName }) {
  const { context, page } = await run.context("visitor");
  await page.goto(`${run.base}/?specialization=general-practice&city=Berlin`);
  const link = page.locator(".doctor-card", { hasText: doctorName }).getByRole("link", { name: doctorName, exact: true });
  await link.waitFor();
  const refused = [];
  await context.route(/\/assets\/DoctorPage-[^/]+\.js$/, (route) => {
    refused.push(new URL(route.request().url()).pathname);
    return route.abort("internetdisconnected");
  });
  await link.click();
  await page.getByTestId("page-error").waitFor();
  run.notes.refused = refused;
  run.notes.said = await alertIn(page).innerText();
  run.notes.heading = await page.locator("h1").innerText();
  run.notes.focus = await page.evaluate(() => document.activeElement?.textContent ?? "");
  run.notes.buttons = await page.getByTestId("page-error").getByRole("button").allInnerTexts();
  run.notes.headerLinks = await page.locator("header nav a").allInnerTexts();
  await run.check(page, "page-chunk-failed");
  await context.unrouteAll();
  await page.getByRole("button", { name: "Reload the page" }).click();
  await page.getByRole("heading", { name: "Free slots" }).waitFor();
  run.notes.afterReload = await page.locator("h1").innerText();
}
