import { useRef, useState, type ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Link, MemoryRouter, Route, Routes, useLocation } from "react-router";
import { useRouteFocus } from "./routeFocus";

function Shell({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  useRouteFocus(main, pathname);
  return (
    <>
      <nav><Link to="/">Home</Link> <Link to="/later">Later</Link> <Link to="/?q=1">Same page</Link></nav>
      <main ref={main} tabIndex={-1} data-testid="main">{children}</main>
    </>
  );
}

let reveal: (() => void) | null = null;

function LoadsLater() {
  const [ready, setReady] = useState(false);
  reveal = () => setReady(true);
  return ready ? <h1>Later page</h1> : <p>Loading…</p>;
}

function app(start = "/") {
  return render(
    <MemoryRouter initialEntries={[start]}>
      <Shell>
        <Routes>
          <Route path="/" element={<><h1>Home page</h1><button type="button">A control</button></>} />
          <Route path="/later" element={<LoadsLater />} />
        </Routes>
      </Shell>
    </MemoryRouter>,
  );
}

describe("focus on route change", () => {
  it("leaves the first page load alone (the skip link stays the first stop)", () => {
    app();
    expect(document.activeElement).toBe(document.body);
  });

  it("waits on <main> while the page loads, then moves to its heading", async () => {
    app();
    await userEvent.click(screen.getByRole("link", { name: "Later" }));
    expect(document.activeElement).toBe(screen.getByTestId("main"));
    await act(async () => reveal?.());
    expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Later page" }));
  });

  it("goes to the heading at once when the page is there, but not when only the query changes", async () => {
    app("/later");
    await userEvent.click(screen.getByRole("link", { name: "Home" }));
    const heading = screen.getByRole("heading", { name: "Home page" });
    expect(document.activeElement).toBe(heading);
    expect(heading).toHaveAttribute("tabindex", "-1");
    screen.getByRole("button", { name: "A control" }).focus();
    await userEvent.click(screen.getByRole("link", { name: "Same page" }));
    expect(document.activeElement).toBe(screen.getByRole("link", { name: "Same page" }));
  });

  it("does not pull focus back when the person moved on before the heading came", async () => {
    app();
    await userEvent.click(screen.getByRole("link", { name: "Later" }));
    screen.getByRole("link", { name: "Home" }).focus();
    await act(async () => reveal?.());
    expect(document.activeElement).toBe(screen.getByRole("link", { name: "Home" }));
  });
});
