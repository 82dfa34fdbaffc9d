import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import "../i18n";
import { CalendarFeedView } from "./CalendarFeedBox";

const OLD = "https://clinic.example/calendar/old.ics";
const NEW = "https://clinic.example/calendar/new.ics";

describe("CalendarFeedView", () => {
  it("copies the address and rotating shows the new one", async () => {
    const user = userEvent.setup();
    const copy = vi.fn(async () => {});
    let url = OLD;
    const onRotate = vi.fn(async () => { url = NEW; return NEW; });
    const { rerender } = render(<CalendarFeedView url={url} error={null} rotating={false} onRotate={onRotate} copy={copy} />);
    expect(screen.getByRole("heading", { name: "Subscribe in your calendar" })).toBeInTheDocument();
    expect(screen.getByLabelText("Feed address")).toHaveValue(OLD);
    await user.click(screen.getByRole("button", { name: "Copy address" }));
    expect(copy).toHaveBeenCalledWith(OLD);
    expect(screen.getByRole("button", { name: "Copied" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "New address" }));
    expect(onRotate).toHaveBeenCalledTimes(1);
    rerender(<CalendarFeedView url={url} error={null} rotating={false} onRotate={onRotate} copy={copy} />);
    expect(screen.getByLabelText("Feed address")).toHaveValue(NEW);
    expect(screen.getByRole("button", { name: "Copy address" })).toBeInTheDocument();
  });

  it("offers no copy before the address is known", () => {
    render(<CalendarFeedView url={null} error={null} rotating={false} onRotate={async () => null} />);
    expect(screen.queryByLabelText("Feed address")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Copy address" })).toBeDisabled();
  });
});
