import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import "../i18n";
import { draftsOf, WeeklyRulesEditor } from "./WeeklyRulesEditor";
import { checkRules, toInput } from "./rules";

const seeded = [
  { weekday: "MONDAY", start: "09:00:00", end: "12:30:00", slotMinutes: 30 },
  { weekday: "MONDAY", start: "14:00:00", end: "17:30:00", slotMinutes: 30 },
];

describe("WeeklyRulesEditor", () => {
  it("refuses overlapping hours, in words, and keeps what was typed", async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    render(<WeeklyRulesEditor initial={draftsOf(seeded)} zone="Europe/Berlin" onSave={onSave} />);
    expect(screen.getByText("Times are in Europe/Berlin.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add hours" })); // Monday 09:00–12:00
    await user.click(screen.getByRole("button", { name: "Save weekly hours" }));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByRole("alert")).toHaveTextContent("Hours on Monday overlap.");
    expect(screen.getAllByRole("row")).toHaveLength(4); // header + 3 rules, nothing lost
    const third = screen.getAllByRole("row")[3];
    fireEvent.change(within(third).getByRole("combobox"), { target: { value: "SATURDAY" } });
    await user.click(screen.getByRole("button", { name: "Save weekly hours" }));
    expect(onSave).toHaveBeenCalledTimes(1);
    expect(toInput(onSave.mock.calls[0][0])).toEqual([
      { weekday: "MONDAY", start: "09:00:00", end: "12:30:00", slotMinutes: 30 },
      { weekday: "MONDAY", start: "14:00:00", end: "17:30:00", slotMinutes: 30 },
      { weekday: "SATURDAY", start: "09:00:00", end: "12:00:00", slotMinutes: 30 },
    ]);
  });

  it("removes a row", async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    render(<WeeklyRulesEditor initial={draftsOf(seeded)} zone="UTC" onSave={onSave} />);
    await user.click(screen.getByRole("button", { name: "Remove Monday 2" }));
    await user.click(screen.getByRole("button", { name: "Save weekly hours" }));
    expect(onSave.mock.calls[0][0]).toHaveLength(1);
  });
});

describe("checkRules", () => {
  it("finds an end before its start and touching hours are fine", () => {
    const rules = [
      { key: "a", weekday: "TUESDAY" as const, start: "09:00", end: "12:00", slotMinutes: 30 },
      { key: "b", weekday: "TUESDAY" as const, start: "12:00", end: "13:00", slotMinutes: 30 },
      { key: "c", weekday: "FRIDAY" as const, start: "15:00", end: "14:00", slotMinutes: 30 },
    ];
    expect(checkRules(rules)).toEqual([{ kind: "endBeforeStart", key: "c" }]);
  });
});
