// Drive GraphiQL in headless Chromium: load the page, run a query, wait for the result, take
// a screenshot. Every request outside 127.0.0.1 is blocked and reported.
// Usage: node browser.mjs <node_modules> <page url> <screenshot.png> <user-data-dir>
// stdout: JSON {result, offsite, consoleErrors, title, explorer, docs}
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, url, screenshot, profile] = process.argv.slice(2);
const require = createRequire(join(modules, "noop.js"));
const { chromium } = require("playwright-core");

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1400, height: 900 },
});
const offsite = [];
const consoleErrors = [];
await context.route("**/*", (route) => {
  const target = new URL(route.request().url());
  if (target.hostname === "127.0.0.1" || target.protocol === "data:") return route.continue();
  offsite.push(route.request().url());
  return route.abort();
});
const page = context.pages()[0] || (await context.newPage());
page.on("console", (message) => {
  if (message.type() === "error") consoleErrors.push(message.text());
});
page.on("pageerror", (error) => consoleErrors.push(String(error)));
try {
  await page.goto(url, { waitUntil: "load", timeout: 30000 });
  await page.waitForSelector(".graphiql-container", { timeout: 30000 });
  // The schema arrives by introspection: the docs button becomes usable.
  await page.waitForSelector('[aria-label="Show Documentation Explorer"]', { timeout: 30000 });
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(
    () => {
      const result = document.querySelector(".result-window");
      return result && result.textContent.includes('"data"');
    },
    null,
    { timeout: 30000 },
  );
  const result = await page.$eval(".result-window", (node) => node.textContent);
  await page.click('[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector(".graphiql-doc-explorer", { timeout: 30000 });
  const docs = await page.$eval(".graphiql-doc-explorer", (node) => node.textContent);
  await page.click('[aria-label="Show GraphiQL Explorer"]');
  await page.waitForSelector(".graphiql-explorer-root", { timeout: 30000 });
  const explorer = await page.$eval(".graphiql-explorer-root", (node) => node.textContent);
  await page.screenshot({ path: screenshot, fullPage: true });
  process.stdout.write(
    JSON.stringify({ result, offsite, consoleErrors, title: await page.title(), docs, explorer }),
  );
} catch (error) {
  await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  process.stdout.write(JSON.stringify({ error: String(error), offsite, consoleErrors }));
  process.exitCode = 1;
} finally {
  await context.close();
}
