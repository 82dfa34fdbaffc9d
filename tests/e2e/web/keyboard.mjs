// The keyboard-only journey: no mouse click anywhere, only Tab, Shift+Tab, Enter, Space, the
// arrow keys, Escape and typing. Every focus stop is recorded: it must show a focus ring and be
// on screen; route changes must put focus on the page's heading; dialogs must take focus, keep
// it inside (trap) and give it back.

/** What has focus now, and whether a person can see it. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: "body", name: "", visible: false, inView: false, inDialog: false };
    const ring = (node) => {
      const style = getComputedStyle(node);
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
      return outline || (style.boxShadow && style.boxShadow !== "none");
    };
    // React Aria's radios and checkboxes focus a visually hidden input; the label shows the ring.
    const holder = el.closest("[data-focus-visible]");
    const shown = holder ?? el;
    const box = shown.getBoundingClientRect();
    // A label's own words, without the control it may wrap (a select's options).
    const labelText = (label) => {
      const copy = label.cloneNode(true);
      copy.querySelectorAll("select, input, textarea").forEach((c) => c.remove());
      return copy.textContent;
    };
    const labelled = el.getAttribute("aria-label") || (el.labels && el.labels[0] ? labelText(el.labels[0]) : "");
    const name = (labelled || el.innerText || el.getAttribute("title") || "").trim().replace(/\s+/g, " ");
    // Where the element is in the document, to know when a Tab sweep has come round.
    const path = [];
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      path.push(`${node.tagName}:${Array.prototype.indexOf.call(node.parentElement?.children ?? [], node)}`);
    }
    return {
      path: path.join("/"),
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute("type") || "",
      name: name.slice(0, 120),
      visible: [el, holder].filter(Boolean).some(ring),
      inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
      inDialog: Boolean(el.closest("[role=dialog]")),
      checked: el.getAttribute("aria-checked") ?? (el.checked === undefined ? null : String(el.checked)),
    };
  });
}

class Keyboard {
  constructor(run, page) {
    this.run = run;
    this.page = page;
    this.stops = 0;
    this.unseen = []; // focus stops without a visible ring or off screen
  }

  async press(key) {
    await this.page.keyboard.press(key);
    const now = await focused(this.page);
    if (key === "Tab" || key === "Shift+Tab") {
      this.stops += 1;
      if (now.tag !== "body" && (!now.visible || !now.inView)) this.unseen.push(now);
    }
    return now;
  }

  /** Tab (or Shift+Tab) until `match(focus)`; fails after `max` stops. */
  async tabTo(match, { back = false, max = 40, what = String(match) } = {}) {
    const seen = [];
    for (let i = 0; i < max; i += 1) {
      const now = await this.press(back ? "Shift+Tab" : "Tab");
      if (match(now)) return now;
      seen.push(`${now.tag}${now.type ? `[${now.type}]` : ""} "${now.name}"`);
    }
    throw new Error(`keyboard: no focus stop for ${what} within ${max} ${back ? "Shift+Tab" : "Tab"} presses: ${seen.join(", ")}`);
  }

  named(tag, name) {
    return this.tabTo((f) => f.tag === tag && (typeof name === "string" ? f.name === name : name.test(f.name)), { what: `${tag} "${name}"` });
  }

  /** Focus is on the page's main heading (after a route change). */
  async headingFocused(text) {
    await this.page.waitForFunction(
      (t) => document.activeElement?.tagName === "H1" && document.activeElement.textContent.trim() === t,
      text,
      { timeout: 15000 },
    ).catch(async () => {
      throw new Error(`keyboard: focus is not on the heading "${text}" but on ${JSON.stringify(await focused(this.page))}`);
    });
    return focused(this.page);
  }
}

function daysAhead(isoDay) {
  const today = new Date();
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((Date.parse(`${isoDay}T00:00:00Z`) - todayUtc) / 86400000);
}

/** A patient signs in, searches, opens a doctor, picks a slot, books and cancels by keyboard. */
export async function keyboardOnly(run, { email, password, doctorName }) {
  const { page } = await run.context("patient");
  const keys = new Keyboard(run, page);
  const notes = (run.notes.keyboard = {});
  await page.goto(`${run.base}/sign-in`);
  await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
  // The first Tab reaches the skip link, which shows itself and jumps over the header.
  const skip = await keys.press("Tab");
  notes.firstStop = skip.name;
  notes.skipVisible = skip.visible && skip.inView;
  const afterSkip = await keys.press("Enter");
  notes.afterSkip = afterSkip.id;
  const emailField = await keys.press("Tab");
  notes.firstInMain = emailField.name;
  await page.keyboard.type(email);
  await keys.named("input", "Password");
  await page.keyboard.type(password);
  await keys.named("button", "Sign in");
  await run.check(page, "keyboard-sign-in");
  await keys.press("Enter");
  await page.waitForURL((url) => url.pathname === "/");
  notes.searchHeading = (await keys.headingFocused("Find a doctor")).name;

  // Search: the specialization by arrow keys in the select, the city typed, Enter submits.
  await keys.named("select", "Specialization");
  for (let i = 0; i < 30; i += 1) {
    const label = await page.getByLabel("Specialization").evaluate((s) => s.selectedOptions[0]?.textContent ?? "");
    if (label === "General practice") break;
    await keys.press("ArrowDown");
  }
  notes.specialization = await page.getByLabel("Specialization").evaluate((s) => s.selectedOptions[0]?.textContent ?? "");
  await keys.named("input", "City");
  await page.keyboard.type("Berlin");
  await keys.press("Enter");
  await page.waitForURL(/specialization=general-practice/);
  await page.locator(".doctor-card", { hasText: doctorName }).waitFor();
  await keys.named("a", doctorName);
  await run.check(page, "keyboard-search");
  await keys.press("Enter");
  await page.waitForURL(/\/doctors\//);
  notes.doctorHeading = (await keys.headingFocused(doctorName)).name;

  // The day a week ahead or more (Monday to Thursday), by "Next day" pressed with Space.
  await keys.named("button", "Next day");
  for (let i = 0; i < 21; i += 1) {
    const day = await page.getByLabel("Day", { exact: true }).inputValue();
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (daysAhead(day) >= 7 && [1, 2, 3, 4].includes(weekday)) break;
    await keys.press("Space");
    await page.getByLabel("Day", { exact: true }).evaluate((input, old) => new Promise((resolve) => {
      const check = () => (input.value !== old ? resolve() : setTimeout(check, 20));
      check();
    }), day);
  }
  notes.day = await page.getByLabel("Day", { exact: true }).inputValue();
  await page.locator(".slot").nth(1).waitFor();
  // Into the slots (a radio group): Tab enters it, the arrow keys move and choose.
  const firstSlot = await keys.tabTo((f) => f.type === "radio", { what: "a slot" });
  notes.firstSlot = firstSlot.name;
  const secondSlot = await keys.press("ArrowRight");
  notes.secondSlot = secondSlot.name;
  notes.secondSlotChecked = secondSlot.checked;
  const back = await keys.press("ArrowLeft");
  notes.backToFirst = back.name === firstSlot.name && back.checked === "true";
  await keys.press("ArrowRight");
  await keys.press("Space");
  notes.selectedSlot = (await focused(page)).name;
  await run.check(page, "keyboard-slot");
  await keys.named("textarea", "Reason for the visit (optional)");
  await page.keyboard.type("Checked by keyboard");
  const bookButton = await keys.named("button", /^Book /);
  notes.bookButton = bookButton.name;
  await keys.press("Enter");
  await page.getByText("Booked. The doctor will confirm your request.").waitFor();
  // Focus is not dropped on the page: it is on the confirmation, whose link is the next stop.
  notes.afterBooking = await focused(page);
  await keys.named("a", "My appointments");
  await keys.press("Enter");
  await page.waitForURL(/\/appointments$/);
  notes.appointmentsHeading = (await keys.headingFocused("My appointments")).name;

  // Tabs by arrow keys.
  const upcoming = await keys.named("div", "Upcoming");
  notes.tabs = [upcoming.name, (await keys.press("ArrowRight")).name, (await keys.press("ArrowLeft")).name];
  await page.locator('[data-testid="appointment"]').first().waitFor();
  // The cancel dialog takes focus, keeps it (Tab and Shift+Tab go round inside), Escape gives it back.
  const trigger = await keys.named("button", "Cancel");
  await keys.press("Enter");
  await page.getByRole("dialog").waitFor();
  const inside = await focused(page);
  notes.dialogFocus = inside.inDialog;
  const round = [];
  for (let i = 0; i < 6; i += 1) round.push(await keys.press("Tab"));
  for (let i = 0; i < 6; i += 1) round.push(await keys.press("Shift+Tab"));
  notes.trapped = round.every((f) => f.inDialog);
  notes.dialogStops = [...new Set(round.map((f) => f.name))];
  await run.check(page, "keyboard-cancel-dialog");
  await keys.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "detached" });
  const returned = await focused(page);
  notes.focusReturned = returned.tag === trigger.tag && returned.name === trigger.name && returned.visible;
  // Again with Space; this time cancel with a reason.
  await keys.press("Space");
  await page.getByRole("dialog").waitFor();
  await keys.named("textarea", "Reason (optional)");
  await page.keyboard.type("Booked by mistake");
  await keys.named("button", "Cancel this appointment");
  await keys.press("Enter");
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await page.locator('[data-testid="appointment"][data-status="CANCELLED"]').waitFor();
  // The Cancel button is gone with the cancellation: focus lands on the appointment, not nowhere.
  notes.afterCancel = await focused(page);
  await run.check(page, "keyboard-cancelled");
  notes.stops = keys.stops;
  notes.unseen = keys.unseen;
}

/** Tab through the whole page (until focus comes round again), every stop recorded. */
async function sweep(keys, max = 150) {
  const seen = new Set();
  let first = null;
  const before = keys.unseen.length;
  for (let i = 0; i < max; i += 1) {
    const now = await keys.press("Tab");
    if (now.tag === "body") continue;
    const key = now.path;
    if (key === first) break; // came round once
    first ??= key;
    seen.add(key); // a date input's parts (month, day, year, picker) are one control
  }
  return { stops: seen.size, unseen: keys.unseen.slice(before) };
}

/** Every control of the patient's, the doctor's and the admin's pages shows its focus ring when tabbed to. */
export async function focusSweep(run, { patientEmail, password, doctorEmail }) {
  const sweeps = (run.notes.sweeps = {});
  const visitor = await run.context("visitor");
  const v = visitor.page;
  const vk = new Keyboard(run, v);
  for (const [path, heading] of [["/", "Find a doctor"], ["/sign-in", "Sign in"]]) {
    await v.goto(`${run.base}${path}`);
    await v.getByRole("heading", { name: heading, level: 1 }).waitFor();
    await v.waitForLoadState("networkidle");
    sweeps[path] = await sweep(vk);
  }
  const patient = await run.context("patient");
  const p = patient.page;
  const pk = new Keyboard(run, p);
  await run.signIn(p, patientEmail, password);
  for (const [path, heading] of [["/appointments", "My appointments"], ["/inbox", "Inbox"], ["/profile", "Profile"]]) {
    await p.goto(`${run.base}${path}`);
    await p.getByRole("heading", { name: heading, level: 1 }).waitFor();
    await p.waitForLoadState("networkidle");
    sweeps[path] = await sweep(pk);
  }
  // The profile's channel switches save into User.notificationChannels and read back so.
  const inApp = p.getByRole("checkbox", { name: "In the app" });
  await inApp.press("Space");
  await p.getByRole("button", { name: "Save", exact: true }).click();
  await p.getByText("Saved.").waitFor();
  await p.reload();
  await p.getByRole("heading", { name: "Profile", level: 1 }).waitFor();
  await p.waitForLoadState("networkidle");
  run.notes.channelsAfterSave = {
    email: await p.getByRole("checkbox", { name: "Email" }).isChecked(),
    inApp: await inApp.isChecked(),
  };
  await run.check(p, "profile-channels");
  const doctor = await run.context("doctor");
  const d = doctor.page;
  const dk = new Keyboard(run, d);
  await run.signIn(d, doctorEmail);
  for (const [path, heading] of [["/doctor/calendar", "My week"], ["/doctor/availability", "Availability"], ["/doctor/profile", "Practice profile"]]) {
    await d.goto(`${run.base}${path}`);
    await d.getByRole("heading", { name: heading, level: 1 }).waitFor();
    await d.waitForLoadState("networkidle");
    sweeps[path] = await sweep(dk);
  }
  const admin = await run.context("admin");
  const a = admin.page;
  const ak = new Keyboard(run, a);
  await run.signIn(a, "admin@healthbook.local");
  for (const [path, heading] of [
    ["/admin", "Dashboard"], ["/admin/doctors", "Waiting for approval"], ["/admin/users", "Users"],
    ["/admin/audit", "Audit trail"], ["/admin/notifications", "Notifications"], ["/admin/webhooks", "Webhooks"],
  ]) {
    await a.goto(`${run.base}${path}`);
    await a.getByRole("heading", { name: heading, level: 1 }).waitFor();
    await a.waitForLoadState("networkidle");
    sweeps[path] = await sweep(ak);
  }
}
