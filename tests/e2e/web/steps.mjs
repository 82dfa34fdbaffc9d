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
