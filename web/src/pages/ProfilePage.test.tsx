import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import i18n from "../i18n";
import ProfilePage from "./ProfilePage";

const me = {
  id: "u1", name: "Kim Keys", email: "kim@example.org", role: "PATIENT", phone: "+49 30 1234567",
  city: "Berlin", language: "en", timeZone: "Europe/Berlin", notificationChannels: ["EMAIL", "IN_APP"],
};

function withClient(sent: unknown[]) {
  const client = {
    executeQuery: vi.fn((operation) => fromValue({ data: { me }, operation, stale: false, hasNext: false })),
    executeMutation: vi.fn((operation: { variables: { input: Record<string, unknown> } }) => {
      sent.push(operation.variables.input);
      const user = { ...me, ...operation.variables.input };
      return fromValue({ data: { updateProfile: { user } }, operation, stale: false, hasNext: false });
    }),
  } as unknown as Client;
  return render(<Provider value={client}><ProfilePage /></Provider>);
}

describe("profile page", () => {
  it("shows the user's notification channels and saves the switches through updateProfile", async () => {
    await i18n.changeLanguage("en");
    const user = userEvent.setup();
    const sent: Record<string, unknown>[] = [];
    withClient(sent);
    expect(screen.getByRole("checkbox", { name: "Email" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "SMS" })).not.toBeChecked();
    expect(screen.getByRole("checkbox", { name: "In the app" })).toBeChecked();
    await user.click(screen.getByRole("checkbox", { name: "SMS" }));
    await user.click(screen.getByRole("checkbox", { name: "In the app" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(sent).toHaveLength(1); // one mutation: no separate notification-preferences write
    expect(sent[0]).toMatchObject({ name: "Kim Keys", phone: "+49 30 1234567", notificationChannels: ["EMAIL", "SMS"] });
  });
});
