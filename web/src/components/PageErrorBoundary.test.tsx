import { lazy, Suspense } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import i18n from "../i18n";
import { isChunkLoadError, PageErrorBoundary } from "./PageErrorBoundary";

let broken = true;

function Fragile() {
  if (broken) throw new Error("Cannot read properties of undefined (reading 'name')");
  return <h1>Recovered page</h1>;
}

describe("a page that fails", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    // React reports errors caught by a boundary on the console; keep the test output readable.
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  it("says so when it throws while rendering, and 'Try again' renders it anew", async () => {
    broken = true;
    render(<PageErrorBoundary><Fragile /></PageErrorBoundary>);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("This page cannot be shown right now");
    expect(screen.getByRole("alert")).toHaveTextContent("Something went wrong showing this page. Try again, or reload the page.");
    expect(screen.queryByText(/Cannot read properties/)).toBeNull(); // no raw message for people
    expect(screen.getByRole("link", { name: "Go to the start page" })).toHaveAttribute("href", "/");
    broken = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByRole("heading", { name: "Recovered page" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says a page's chunk could not be loaded and offers a reload, not a blank page", async () => {
    const Missing = lazy(() => Promise.reject(new TypeError("Failed to fetch dynamically imported module: http://127.0.0.1/assets/DoctorPage-1a2b3c.js")));
    const reload = vi.fn();
    render(
      <PageErrorBoundary onReload={reload}>
        <Suspense fallback={<p>Loading…</p>}><Missing /></Suspense>
      </PageErrorBoundary>,
    );
    expect(await screen.findByRole("alert")).toHaveTextContent("This page could not be loaded. Check your connection, then reload the page.");
    // A failed import() stays failed until the page reloads: no "Try again" that cannot work.
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Reload the page" }));
    expect(reload).toHaveBeenCalledOnce();
  });

  it("leaves the error behind when the route changes", () => {
    broken = true;
    const { rerender } = render(<PageErrorBoundary resetKey="/doctors/1"><Fragile /></PageErrorBoundary>);
    expect(screen.getByRole("alert")).toBeInTheDocument();
    broken = false;
    rerender(<PageErrorBoundary resetKey="/doctors/1"><Fragile /></PageErrorBoundary>);
    expect(screen.getByRole("alert")).toBeInTheDocument(); // same page: still the message
    rerender(<PageErrorBoundary resetKey="/appointments"><Fragile /></PageErrorBoundary>);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("heading", { name: "Recovered page" })).toBeInTheDocument();
  });

  it("speaks German", async () => {
    await i18n.changeLanguage("de");
    broken = true;
    render(<PageErrorBoundary><Fragile /></PageErrorBoundary>);
    expect(screen.getByRole("alert")).toHaveTextContent(/etwas schiefgegangen/);
    expect(screen.getByRole("button", { name: "Seite neu laden" })).toBeInTheDocument();
    await i18n.changeLanguage("en");
  });

  it("tells chunk failures of each browser from other errors", () => {
    expect(isChunkLoadError(new TypeError("Failed to fetch dynamically imported module: /assets/x.js"))).toBe(true);
    expect(isChunkLoadError(new TypeError("error loading dynamically imported module: /assets/x.js"))).toBe(true);
    expect(isChunkLoadError(new TypeError("Importing a module script failed."))).toBe(true);
    expect(isChunkLoadError(new TypeError("Failed to fetch"))).toBe(false);
    expect(isChunkLoadError("a string")).toBe(false);
  });
});
