import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import "../i18n";
import { JoinWaitlistView, MyWaitlistView } from "./WaitlistBox";

const ENTRY = {
  id: "e1",
  specialization: null,
  city: null,
  firstDay: "2030-03-04",
  lastDay: "2030-03-10",
  earliest: "09:00:00",
  latest: "12:00:00",
  timeZone: "Europe/Lisbon",
  position: 2,
  doctor: { id: "d1", name: "Dr. Ana Silva" },
  offer: null,
};
const OFFER = {
  id: "o1",
  start: "2030-03-06T09:00:00+00:00",
  end: "2030-03-06T09:30:00+00:00",
  timeZone: "Europe/Lisbon",
  expiresAt: "2030-03-04T08:15:00+00:00",
  state: "OFFERED" as const,
  doctor: { id: "d2", name: "Dr. Rui Costa" },
};
const AREA_ENTRY = { ...ENTRY, id: "e2", doctor: null, specialization: "cardiology", city: "Lisbon" };

describe("JoinWaitlistView", () => {
  it("sends the days and hours and then shows the place in line", async () => {
    const user = userEvent.setup();
    const onJoin = vi.fn(async () => {});
    const { rerender } = render(<JoinWaitlistView zone="Europe/Lisbon" error={null} joining={false} position={null} onJoin={onJoin} />);
    const last = screen.getByLabelText("Last day");
    await user.clear(last);
    await user.type(last, "2099-01-31");
    await user.type(screen.getByLabelText("Not before"), "09:00");
    await user.click(screen.getByRole("button", { name: "Join the waitlist" }));
    expect(onJoin).toHaveBeenCalledTimes(1);
    expect(onJoin.mock.calls[0]).toEqual([expect.objectContaining({ lastDay: "2099-01-31", earliest: "09:00", latest: "" })]);
    rerender(<JoinWaitlistView zone="Europe/Lisbon" error={null} joining={false} position={3} onJoin={onJoin} />);
    expect(screen.getByText("You are on the waitlist, number 3 in line.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Join the waitlist" })).toBeDisabled();
  });
});

describe("JoinWaitlistView for an area", () => {
  it("says which specialization and city it waits for", () => {
    render(<JoinWaitlistView zone="Europe/Lisbon" area={{ specialization: "Cardiology", city: "Lisbon" }} error={null} joining={false} position={null} onJoin={vi.fn()} />);
    expect(screen.getByRole("heading", { name: "Any Cardiology doctor in Lisbon: join the waitlist" })).toBeInTheDocument();
  });
});

describe("MyWaitlistView", () => {
  it("shows the place in line and lets the patient leave", async () => {
    const user = userEvent.setup();
    const onLeave = vi.fn(async () => {});
    render(<MyWaitlistView entries={[ENTRY]} error={null} busy={false} booked={false} onAccept={vi.fn()} onDecline={vi.fn()} onLeave={onLeave} />);
    expect(screen.getByText(/Dr. Ana Silva/)).toBeInTheDocument();
    expect(screen.getByText(/09:00–12:00 · number 2 in line/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Book this slot" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Leave this waitlist" }));
    expect(onLeave).toHaveBeenCalledWith("e1");
  });

  it("offers the held slot to book or let go", async () => {
    const user = userEvent.setup();
    const onAccept = vi.fn(async () => {});
    const onDecline = vi.fn(async () => {});
    render(<MyWaitlistView entries={[{ ...ENTRY, offer: OFFER }]} error={null} busy={false} booked={false} onAccept={onAccept} onDecline={onDecline} onLeave={vi.fn()} />);
    expect(screen.getByRole("group", { name: "A slot is held for you" })).toBeInTheDocument();
    expect(screen.getByText(/A slot is free for you: .*held for you until/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Book this slot" }));
    expect(onAccept).toHaveBeenCalledWith("o1");
    await user.click(screen.getByRole("button", { name: "Let it go" }));
    expect(onDecline).toHaveBeenCalledWith("o1");
  });

  it("names an area entry and the doctor whose slot is held for it", () => {
    render(
      <MyWaitlistView
        entries={[{ ...AREA_ENTRY, offer: OFFER }]}
        specializations={{ cardiology: "Cardiology" }}
        error={null}
        busy={false}
        booked={false}
        onAccept={vi.fn()}
        onDecline={vi.fn()}
        onLeave={vi.fn()}
      />,
    );
    expect(screen.getByText("Any Cardiology doctor in Lisbon")).toBeInTheDocument();
    expect(screen.getByText(/A slot with Dr. Rui Costa is free for you: .*held for you until/)).toBeInTheDocument();
  });

  it("says so when the patient waits for nobody", () => {
    render(<MyWaitlistView entries={[]} error={null} busy={false} booked={false} onAccept={vi.fn()} onDecline={vi.fn()} onLeave={vi.fn()} />);
    expect(screen.getByText("You are not on any waitlist.")).toBeInTheDocument();
  });
});
