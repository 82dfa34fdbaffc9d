import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import "../i18n";
import { SlotPicker } from "./SlotPicker";
import { dayBounds } from "../time/zones";

const berlinSpringForward = [
  // 2026-03-29: Berlin goes from CET (UTC+1) to CEST (UTC+2) at 02:00 local.
  { start: "2026-03-29T00:30:00Z", end: "2026-03-29T01:00:00Z" }, // 01:30 CET
  { start: "2026-03-29T07:00:00Z", end: "2026-03-29T07:30:00Z" }, // 09:00 CEST
];

function renderPicker(props: Partial<Parameters<typeof SlotPicker>[0]> = {}) {
  const onSelect = vi.fn();
  const onDayChange = vi.fn();
  render(
    <SlotPicker
      day="2026-03-29"
      onDayChange={onDayChange}
      slots={berlinSpringForward}
      doctorZone="Europe/Berlin"
      viewerZone="America/New_York"
      selected={null}
      onSelect={onSelect}
      {...props}
    />,
  );
  return { onSelect, onDayChange };
}

describe("SlotPicker", () => {
  it("labels each slot in the doctor's zone and the patient's, across the DST change", () => {
    renderPicker();
    const radios = screen.getAllByRole("radio");
    expect(radios).toHaveLength(2);
    // Before the switch: 01:30 in Berlin (GMT+1) is 20:30 the evening before in New York (EDT).
    expect(radios[0]).toHaveAccessibleName(/1:30 AM Doctor's time \(GMT\+1\), 8:30 PM Your time \(EDT\)/);
    // After it: 09:00 in Berlin is GMT+2, 03:00 in New York.
    expect(radios[1]).toHaveAccessibleName(/9:00 AM Doctor's time \(GMT\+2\), 3:00 AM Your time \(EDT\)/);
    expect(screen.getByText(/Doctor's time \(Europe\/Berlin/)).toBeInTheDocument();
    expect(screen.getByText(/Your time \(America\/New_York/)).toBeInTheDocument();
  });

  it("shows one time when the patient's clock reads like the doctor's", () => {
    renderPicker({ viewerZone: "Europe/Paris", slots: [berlinSpringForward[1]] });
    const radio = screen.getByRole("radio");
    expect(radio).toHaveAccessibleName("9:00 AM");
    expect(screen.queryByText(/Your time/)).not.toBeInTheDocument();
  });

  it("is chosen with the keyboard and moves day by day", async () => {
    const user = userEvent.setup();
    const { onSelect, onDayChange } = renderPicker();
    screen.getByRole("button", { name: "Next day" }).focus();
    await user.keyboard("{Enter}");
    expect(onDayChange).toHaveBeenCalledWith("2026-03-30");
    screen.getByRole("button", { name: "Previous day" }).focus();
    await user.keyboard(" ");
    expect(onDayChange).toHaveBeenCalledWith("2026-03-28");
    // Tab from the day's controls enters the slots (none chosen yet: the first one).
    screen.getByRole("button", { name: "Next day" }).focus();
    await user.tab();
    expect(document.activeElement).toBe(screen.getAllByRole("radio")[0]);
    onSelect.mockClear();
    await user.keyboard("{ArrowDown}");
    expect(onSelect).toHaveBeenCalledWith("2026-03-29T07:00:00Z");
    await user.keyboard("{ArrowUp}");
    expect(onSelect).toHaveBeenCalledWith("2026-03-29T00:30:00Z");
  });

  it("says so when the day has no free slot", () => {
    renderPicker({ slots: [] });
    expect(screen.getByText("No free slot on this day.")).toBeInTheDocument();
    expect(within(document.body).queryByRole("radio")).toBeNull();
  });
});

describe("dayBounds", () => {
  it("gives the doctor's calendar day in UTC, 23 hours long on the spring-forward day", () => {
    expect(dayBounds("2026-03-29", "Europe/Berlin")).toEqual({
      from: "2026-03-28T23:00:00.000Z",
      to: "2026-03-29T22:00:00.000Z",
    });
    expect(dayBounds("2026-10-25", "Europe/Berlin")).toEqual({
      from: "2026-10-24T22:00:00.000Z",
      to: "2026-10-25T23:00:00.000Z",
    });
  });
  it("never offers a slot of another day than the one shown (a stale answer while loading)", () => {
    renderPicker({ day: "2026-03-30", loading: true });
    expect(screen.queryAllByRole("radio")).toHaveLength(0);
    expect(screen.getByRole("status")).toBeInTheDocument();
  });
});
