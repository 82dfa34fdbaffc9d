// The web app's journeys in real headless Chromium. Usage:
//   node journeys.mjs <journey> <playwright node_modules> <web node_modules> <base url> <artifacts dir> [json]
// stdout: one JSON report {pages: [{name, serious, overflow375}], offsite, consoleErrors, notes, error?}
import { Run } from "./harness.mjs";
import * as steps from "./steps.mjs";
import * as keyboard from "./keyboard.mjs";
import * as resilience from "./resilience.mjs";
import * as adminSteps from "./admin_steps.mjs";
import * as waitlistSteps from "./waitlist_steps.mjs";
import * as seriesSteps from "./series_steps.mjs";

const journeys = { ...steps, ...keyboard, ...resilience, ...adminSteps, ...waitlistSteps, ...seriesSteps };

const [name, playwrightModules, webModules, base, artifacts, extra] = process.argv.slice(2);
const run = new Run({ playwrightModules, webModules, base, artifacts });
const args = extra ? JSON.parse(extra) : {};
let report;
try {
  await run.start();
  await journeys[name](run, args);
  report = await run.finish();
} catch (error) {
  await run.failed();
  report = await run.finish({ error: String(error && error.stack ? error.stack : error) });
  process.exitCode = 1;
}
process.stdout.write(JSON.stringify(report));
