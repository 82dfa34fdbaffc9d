import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue, never } from "wonka";
import i18n from "../../i18n";
import DashboardPage from "./DashboardPage";
import { bucketLabel, duration, percent } from "./figures";

const counts = (total: number, extra: Partial<Record<string, number>> = {}) => ({
  __typename: "AppointmentCounts", total, pending: 0, confirmed: 0, rejected: 0, cancelled: 0, completed: 0, noShow: 0, ...extra,
});

const statistics = {
  __typename: "Statistics", key: "k1", from: "2026-11-30", to: "2026-12-14", bucket: "WEEK", timeZone: "Europe/Berlin",
  users: {
    byRole: [{ role: "PATIENT", active: 7, deactivated: 1 }, { role: "DOCTOR", active: 4, deactivated: 0 }, { role: "ADMIN", active: 1, deactivated: 0 }],
    registrations: 3, activeUsers: 2,
    buckets: [
      { start: "2026-11-30", registrations: 2, patientRegistrations: 2, doctorRegistrations: 0, adminRegistrations: 0, activeUsers: 2 },
      { start: "2026-12-07", registrations: 1, patientRegistrations: 0, doctorRegistrations: 1, adminRegistrations: 0, activeUsers: 0 },
    ],
  },
  doctors: {
    byStatus: [{ status: "APPROVED", doctors: 3 }, { status: "PENDING", doctors: 2 }],
    approvals: 1, approvalMedianSeconds: 5400, approvalP90Seconds: 3 * 86400,
    bySpecialization: [{ value: "general-practice", doctors: 2 }], byCity: [{ value: "Berlin", doctors: 2 }],
    buckets: [{ start: "2026-11-30", registrations: 1, approvals: 1 }],
  },
  appointments: {
    totals: counts(4, { pending: 1, confirmed: 2, cancelled: 1 }),
    buckets: [{ start: "2026-11-30", counts: counts(4, { pending: 1, confirmed: 2, cancelled: 1 }) }],
    cancellationRate: 0.25, noShowRate: null, leadTime: { medianSeconds: 2 * 86400 + 43200, p90Seconds: 9 * 86400 },
  },
  utilization: [{ key: "u1", doctor: { id: "d1", name: "Dr. Silva", city: "Berlin" }, appointments: 2, bookedHours: 1, offeredHours: 40, utilization: 0.025 }],
  notifications: {
    totals: [{ channel: "EMAIL", status: "SENT", count: 5 }, { channel: "EMAIL", status: "DEAD", count: 1 }, { channel: "SMS", status: "SENT", count: 0 }, { channel: "SMS", status: "DEAD", count: 0 }],
    buckets: [
      { start: "2026-11-30", counts: [{ channel: "EMAIL", status: "SENT", count: 4 }, { channel: "SMS", status: "SENT", count: 0 }, { channel: "EMAIL", status: "DEAD", count: 1 }] },
      { start: "2026-12-07", counts: [{ channel: "EMAIL", status: "SENT", count: 1 }] },
    ],
    latency: [{ channel: "EMAIL", sent: 5, medianSeconds: 30, p90Seconds: 90 }],
  },
};

function withClient(answer: unknown, variables: unknown[] = []) {
  const client = {
    executeQuery: vi.fn((operation: { variables: unknown }) => {
      variables.push(operation.variables);
      return answer ? fromValue({ data: answer, operation, stale: false, hasNext: false }) : never;
    }),
  } as unknown as Client;
  return render(<Provider value={client}><MemoryRouter><DashboardPage /></MemoryRouter></Provider>);
}

describe("admin dashboard", () => {
  it("shows the statistics' figures, each chart with its table", async () => {
    await i18n.changeLanguage("en");
    withClient({ statistics });
    const figure = (label: string) => screen.getAllByTestId("figure").find((f) => f.textContent?.startsWith(label))?.textContent;
    expect(figure("Users now")).toBe("Users now13");
    expect(figure("Doctors waiting for approval")).toBe("Doctors waiting for approval2");
    expect(figure("Appointments")).toBe("Appointments4");
    expect(figure("Cancellation rate")).toBe("Cancellation rate25%");
    expect(figure("No-show rate")).toBe("No-show rate—");
    expect(figure("Booking lead time (median)")).toBe("Booking lead time (median)2.5 days");
    expect(figure("Notifications sent")).toBe("Notifications sent5");
    expect(figure("Given up (dead)")).toBe("Given up (dead)1");
    const appointments = screen.getByTestId("chart-appointments");
    expect(within(appointments).getByRole("img").getAttribute("aria-label")).toContain("Week of Nov 30: Pending 1, Confirmed 2, Completed 0, Cancelled 1");
    expect(within(appointments).getByRole("table")).toHaveTextContent("Week of Nov 30120100");
    expect(within(screen.getByTestId("top-doctors")).getByRole("row", { name: /Dr. Silva/ })).toHaveTextContent("Dr. Silva21402.5%");
    expect(screen.getByTestId("doctors-by-status")).toHaveTextContent("PENDING2");
    expect(screen.getByTestId("latency")).toHaveTextContent("EMAIL530 seconds");
    const perWeek = within(screen.getByTestId("chart-notification-buckets")).getAllByRole("row").map((r) => r.textContent);
    expect(perWeek).toEqual(["PeriodSENTDEAD", "Week of Nov 3041", "Week of Dec 710"]);
  });

  it("asks for the chosen range, bucket and zone", async () => {
    await i18n.changeLanguage("en");
    const asked: unknown[] = [];
    withClient(null, asked);
    expect(asked[0]).toMatchObject({ bucket: "WEEK", top: 10, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    const { range } = asked[0] as { range: { from: string; to: string } };
    expect(range.from < range.to).toBe(true);
    expect(screen.getByRole("status")).toHaveTextContent("Loading");
  });
});

describe("dashboard figures", () => {
  it("labels buckets and formats rates and durations in the reader's language", () => {
    const t = i18n.getFixedT("en");
    expect(bucketLabel("2026-11-30", "WEEK", "en", t)).toBe("Week of Nov 30");
    expect(bucketLabel("2026-12-01", "MONTH", "en", t)).toBe("December 2026");
    expect(bucketLabel("2026-12-01", "MONTH", "de", i18n.getFixedT("de"))).toBe("Dezember 2026");
    expect(percent(0.125, "en")).toBe("12.5%");
    expect(duration(90, "en")).toBe("1.5 minutes");
    expect(duration(5400, "en")).toBe("1.5 hours");
    expect(duration(null, "en")).toBe("—");
  });
});
