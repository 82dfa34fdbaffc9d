// Shared by the web app's journeys: Debian's Chromium via playwright-core, contexts per role,
// axe-core on every page (serious/critical violations reported), screenshots at desktop and
// 375 px wide, and every request outside 127.0.0.1 blocked and reported.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function load(modules, name) {
  return createRequire(join(modules, "noop.js"))(name);
}

export class Run {
  constructor({ playwrightModules, webModules, base, artifacts }) {
    this.base = base;
    this.artifacts = artifacts;
    this.playwright = load(playwrightModules, "playwright-core");
    this.axeSource = readFileSync(join(webModules, "axe-core", "axe.min.js"), "utf8");
    this.pages = [];
    this.offsite = [];
    this.consoleErrors = [];
    this.notes = {};
  }

  async start() {
    this.browser = await this.playwright.chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }

  async context(role, { timezoneId = "Europe/Berlin", locale = "en-US" } = {}) {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId, locale });
    await context.route("**/*", (route) => {
      const target = new URL(route.request().url());
      if (target.hostname === "127.0.0.1" || target.protocol === "data:" || target.protocol === "blob:") return route.continue();
      this.offsite.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    (this.open ??= []).push([role, page]);
    page.on("console", (m) => {
      if (m.type() === "error") this.consoleErrors.push(`${role}: ${m.text()}`);
    });
    page.on("pageerror", (e) => this.consoleErrors.push(`${role}: ${String(e)}`));
    page.setDefaultTimeout(15000);
    return { context, page };
  }

  /** axe-core on the page as it is, then screenshots at desktop and phone width. */
  async check(page, name) {
    await page.evaluate(this.axeSource);
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    });
    const serious = result.filter((v) => v.impact === "serious" || v.impact === "critical");
    const size = page.viewportSize();
    await page.screenshot({ path: join(this.artifacts, `${name}.png`), fullPage: true });
    await page.setViewportSize({ width: 375, height: 760 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(this.artifacts, `${name}-375.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    // A table that scrolls sideways inside its box hides columns (and a row's actions) off screen.
    const tables375 = await page.evaluate(() =>
      [...document.querySelectorAll(".table-wrap")].filter((w) => w.scrollWidth > w.clientWidth + 1).length);
    await page.setViewportSize(size);
    this.pages.push({ name, url: page.url(), serious, overflow375: overflow, tables375 });
  }

  async signIn(page, email, password = "healthbook-demo") {
    await page.goto(`${this.base}/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  }

  async failed() {
    for (const [role, page] of this.open ?? []) {
      await page.screenshot({ path: join(this.artifacts, `failed-${role}.png`), fullPage: true }).catch(() => {});
      this.notes[`failedText-${role}`] = await page.locator("[role=alert]").allInnerTexts().catch(() => []);
    }
  }

  async finish(extra = {}) {
    await this.browser?.close();
    return { pages: this.pages, offsite: this.offsite, consoleErrors: this.consoleErrors, notes: this.notes, ...extra };
  }
}
