import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import type { DocumentNode, OperationDefinitionNode } from "graphql";
import i18n from "../../i18n";
import type { WebhookFieldsFragment } from "../../gql/graphql";
import WebhooksPage from "./WebhooksPage";
import { changesOf } from "./webhooks/WebhookForm";

const webhook = (id: string, extra: Partial<WebhookFieldsFragment> = {}): WebhookFieldsFragment & { __typename: string } => ({
  __typename: "Webhook", id, url: `https://erp.example/${id}`, description: "ERP", eventTypes: ["APPOINTMENT_BOOKED", "APPOINTMENT_CANCELLED"],
  enabled: true, consecutiveFailures: 0, disabledAt: null, createdAt: "2026-12-01T09:00:00Z", previousSecretExpiresAt: null, deletedAt: null, ...extra,
});
const ON = webhook("w1");
const OFF = webhook("w2", { enabled: false, consecutiveFailures: 20, disabledAt: "2026-12-02T10:00:00Z" });
const delivery = (id: string, status: string, lastError: string | null) => ({
  __typename: "WebhookDelivery", id, webhookId: "w1", eventType: "APPOINTMENT_BOOKED", status, attempts: 3, lastError, lastStatusCode: null,
  createdAt: "2026-12-02T08:00:00Z", attemptedAt: "2026-12-02T08:05:00Z", sentAt: null,
});

interface Call { name: string; variables: Record<string, unknown> }

function nameOf(query: DocumentNode): string {
  const operation = query.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  return operation?.name?.value ?? "";
}

/** The page over a client that answers each operation by name and records the mutations. */
function withClient(answers: Record<string, unknown>) {
  const mutations: Call[] = [];
  const answer = (operation: { query: DocumentNode; variables: Record<string, unknown> }) =>
    fromValue({ data: answers[nameOf(operation.query)], operation, stale: false, hasNext: false });
  const client = {
    executeQuery: vi.fn(answer),
    executeMutation: vi.fn((operation: { query: DocumentNode; variables: Record<string, unknown> }) => {
      mutations.push({ name: nameOf(operation.query), variables: operation.variables });
      return answer(operation);
    }),
  } as unknown as Client;
  render(<Provider value={client}><MemoryRouter><WebhooksPage /></MemoryRouter></Provider>);
  return mutations;
}

describe("admin webhooks page", () => {
  it("lists the endpoints with their events, whether enabled and their failures", async () => {
    await i18n.changeLanguage("en");
    withClient({ Webhooks: { webhooks: [ON, OFF] } });
    const [first, second] = screen.getAllByTestId("webhook");
    expect(first).toHaveTextContent("https://erp.example/w1");
    expect(first).toHaveTextContent("Appointment booked, Appointment cancelled");
    expect(within(first).getByRole("button", { name: "Disable https://erp.example/w1" })).toBeInTheDocument();
    expect(second).toHaveTextContent("no");
    expect(second).toHaveTextContent("20");
    expect(within(second).getByRole("button", { name: "Enable https://erp.example/w2" })).toBeInTheDocument();
  });

  it("registers an endpoint and shows its secret once, with a copy button", async () => {
    await i18n.changeLanguage("en");
    const user = userEvent.setup();
    const secret = "whsec_c2VjcmV0LXNob3duLW9uY2U=";
    const mutations = withClient({ Webhooks: { webhooks: [] }, RegisterWebhook: { registerWebhook: { __typename: "RegisteredWebhook", secret, webhook: ON } } });
    expect(screen.getByText("No webhook is registered.")).toBeInTheDocument();
    const register = screen.getByRole("button", { name: "Register a webhook" });
    await user.type(screen.getByLabelText(/^Address/), "https://erp.example/w1");
    expect(register).toBeDisabled();
    await user.click(screen.getByRole("checkbox", { name: "Doctor approved" }));
    await user.click(screen.getByRole("checkbox", { name: "Appointment booked" }));
    await user.click(register);
    expect(mutations).toEqual([{ name: "RegisterWebhook", variables: { url: "https://erp.example/w1", eventTypes: ["APPOINTMENT_BOOKED", "DOCTOR_APPROVED"], description: null } }]);
    expect(screen.getByLabelText("Secret")).toHaveValue(secret);
    expect(screen.getByText(/you won't see it again/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Copy secret" }));
    expect(await navigator.clipboard.readText()).toBe(secret);
    expect(screen.getByRole("button", { name: "Copied" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "I have stored it" }));
    expect(screen.queryByLabelText("Secret")).not.toBeInTheDocument();
  });

  it("deletes an endpoint only once the admin confirms", async () => {
    await i18n.changeLanguage("en");
    const user = userEvent.setup();
    const mutations = withClient({ Webhooks: { webhooks: [ON] }, DeleteWebhook: { deleteWebhook: { ...ON, deletedAt: "2026-12-03T06:00:00Z" } } });
    await user.click(screen.getByRole("button", { name: "Delete https://erp.example/w1" }));
    const dialog = screen.getByRole("dialog");
    expect(dialog).toHaveTextContent("its delivery history is kept");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(mutations).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Delete https://erp.example/w1" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete the webhook" }));
    expect(mutations).toEqual([{ name: "DeleteWebhook", variables: { id: "w1" } }]);
  });

  it("disables, rotates with the old secret revoked, and replays a delivery", async () => {
    await i18n.changeLanguage("en");
    const user = userEvent.setup();
    const secret = "whsec_bmV3LXNlY3JldA==";
    const mutations = withClient({
      Webhooks: { webhooks: [ON] },
      UpdateWebhook: { updateWebhook: { ...ON, enabled: false } },
      RotateWebhookSecret: { rotateWebhookSecret: { __typename: "RotatedWebhookSecret", secret, webhook: ON } },
      WebhookDeliveries: { webhookDeliveries: { totalCount: 2, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [delivery("d1", "DEAD", "the endpoint answered HTTP 500"), delivery("d2", "SENT", null)] } },
      ReplayWebhookDelivery: { replayWebhookDelivery: { __typename: "WebhookDelivery", id: "d1", status: "PENDING", attempts: 3, lastError: null, attemptedAt: null } },
    });
    await user.click(screen.getByRole("button", { name: "Disable https://erp.example/w1" }));
    await user.click(screen.getByRole("button", { name: "Rotate secret https://erp.example/w1" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("checkbox", { name: /Stop signing with the old secret/ }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Rotate secret" }));
    expect(screen.getByLabelText("Secret")).toHaveValue(secret);
    await user.click(screen.getByRole("button", { name: "Deliveries https://erp.example/w1" }));
    const [dead, sent] = screen.getAllByTestId("webhook-delivery");
    expect(dead).toHaveTextContent("Given up");
    expect(dead).toHaveTextContent("the endpoint answered HTTP 500");
    expect(sent).toHaveTextContent("Sent");
    await user.click(within(dead).getByRole("button", { name: "Replay d1" }));
    expect(mutations).toEqual([
      { name: "UpdateWebhook", variables: { id: "w1", input: { enabled: false } } },
      { name: "RotateWebhookSecret", variables: { id: "w1", revokePrevious: true } },
      { name: "ReplayWebhookDelivery", variables: { id: "d1" } },
    ]);
  });

  it("shows deleted endpoints when asked, with their deliveries but nothing to change or replay", async () => {
    await i18n.changeLanguage("en");
    const user = userEvent.setup();
    const gone = webhook("w3", { enabled: false, disabledAt: "2026-12-02T10:00:00Z", deletedAt: "2026-12-02T10:00:00Z" });
    const variables: unknown[] = [];
    const client = {
      executeQuery: vi.fn((operation: { query: DocumentNode; variables: { includeDeleted?: boolean } }) => {
        variables.push(operation.variables);
        const data = nameOf(operation.query) === "Webhooks"
          ? { webhooks: operation.variables.includeDeleted ? [gone] : [] }
          : { webhookDeliveries: { totalCount: 1, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [delivery("d1", "DEAD", "the endpoint was deleted")] } };
        return fromValue({ data, operation, stale: false, hasNext: false });
      }),
    } as unknown as Client;
    render(<Provider value={client}><MemoryRouter><WebhooksPage /></MemoryRouter></Provider>);
    expect(screen.getByText("No webhook is registered.")).toBeInTheDocument();
    await user.click(screen.getByRole("checkbox", { name: /Also show deleted webhooks/ }));
    expect(variables).toContainEqual({ includeDeleted: true });
    const [row] = screen.getAllByTestId("webhook");
    expect(row).toHaveTextContent("deleted");
    expect(within(row).queryByRole("button", { name: /^(Edit|Enable|Disable|Rotate secret|Delete) / })).not.toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "Deliveries https://erp.example/w3" }));
    const [dead] = screen.getAllByTestId("webhook-delivery");
    expect(dead).toHaveTextContent("the endpoint was deleted");
    expect(within(dead).queryByRole("button", { name: /Replay/ })).not.toBeInTheDocument();
  });

  it("sends only the fields an edit changed", () => {
    const form = { url: " https://erp.example/w1 ", description: "ERP", eventTypes: ["APPOINTMENT_CANCELLED", "APPOINTMENT_BOOKED"] as const };
    expect(changesOf(ON, { ...form, eventTypes: [...form.eventTypes] })).toEqual({});
    expect(changesOf(ON, { url: "https://new.example/h", description: " ", eventTypes: ["DOCTOR_APPROVED"] })).toEqual({
      url: "https://new.example/h", description: "", eventTypes: ["DOCTOR_APPROVED"],
    });
  });
});
