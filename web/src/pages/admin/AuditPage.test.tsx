import { describe, expect, it } from "vitest";
import { filterOf, joinBatches } from "./AuditPage";

const empty = { patientId: "", actorId: "", action: "", subjectType: "", subjectId: "", since: "", until: "", outcome: "all" };

describe("audit trail filters and export", () => {
  it("sends only the filled filters, local times as UTC instants", () => {
    expect(filterOf(empty, "Europe/Berlin")).toEqual({});
    const filter = filterOf({ ...empty, patientId: " p-1 ", action: "AppointmentBooked", outcome: "REFUSED", since: "2026-12-02T10:00", until: "2026-07-01T00:00" }, "Europe/Berlin");
    expect(filter).toEqual({ patientId: "p-1", action: "AppointmentBooked", outcome: "REFUSED", since: "2026-12-02T09:00:00.000Z", until: "2026-06-30T22:00:00.000Z" });
  });

  it("joins export batches into one file, the CSV header once", () => {
    expect(joinBatches("NDJSON", ['{"seq":1}\n', '{"seq":2}\n'])).toBe('{"seq":1}\n{"seq":2}\n');
    expect(joinBatches("CSV", ["seq,action\n1,a\n", "seq,action\n2,b\n"])).toBe("seq,action\n1,a\n2,b\n");
  });
});
