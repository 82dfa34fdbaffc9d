// Register or edit a webhook: its HTTPS address, a description and the events it hears.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox, CheckboxGroup, Label } from "react-aria-components";
import type { WebhookEventType, WebhookFieldsFragment, WebhookUpdateInput } from "../../../gql/graphql";
import { Button, Field } from "../../../ui/controls";

export const EVENT_TYPES: WebhookEventType[] = [
  "APPOINTMENT_BOOKED", "APPOINTMENT_CONFIRMED", "APPOINTMENT_REJECTED", "APPOINTMENT_RESCHEDULED",
  "APPOINTMENT_CANCELLED", "APPOINTMENT_COMPLETED", "APPOINTMENT_NO_SHOW", "DOCTOR_APPROVED",
];

export interface WebhookForm {
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
}

export const EMPTY_FORM: WebhookForm = { url: "", description: "", eventTypes: [] };

export function formOf(webhook: WebhookFieldsFragment): WebhookForm {
  return { url: webhook.url, description: webhook.description, eventTypes: [...webhook.eventTypes] };
}

/** Only what the admin changed (the API keeps omitted fields), event types in the page's order. */
export function changesOf(webhook: WebhookFieldsFragment, form: WebhookForm): WebhookUpdateInput {
  const input: WebhookUpdateInput = {};
  if (form.url.trim() !== webhook.url) input.url = form.url.trim();
  if (form.description.trim() !== webhook.description) input.description = form.description.trim();
  const wanted = EVENT_TYPES.filter((type) => form.eventTypes.includes(type));
  const had = EVENT_TYPES.filter((type) => webhook.eventTypes.includes(type));
  if (wanted.join() !== had.join()) input.eventTypes = wanted;
  return input;
}

export function WebhookFormView({ initial, submitLabel, busy, onSubmit }: {
  initial: WebhookForm; submitLabel: string; busy: boolean; onSubmit: (form: WebhookForm) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState<WebhookForm>(initial);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await onSubmit({ ...form, eventTypes: EVENT_TYPES.filter((type) => form.eventTypes.includes(type)) })) setForm(initial);
  };
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t("webhooks.url")} name="webhook-url" type="url" isRequired value={form.url}
        onChange={(url) => setForm((f) => ({ ...f, url }))} description={t("webhooks.urlHint")} />
      <Field label={t("webhooks.description")} name="webhook-description" value={form.description}
        onChange={(description) => setForm((f) => ({ ...f, description }))} />
      <CheckboxGroup className="field" value={form.eventTypes} isRequired
        onChange={(values) => setForm((f) => ({ ...f, eventTypes: values as WebhookEventType[] }))}>
        <Label>{t("webhooks.eventTypes")}</Label>
        {EVENT_TYPES.map((type) => (
          <Checkbox key={type} value={type} className="check">
            {({ isSelected }) => (<><span className="box" aria-hidden="true">{isSelected ? "✓" : ""}</span> {t(`webhooks.types.${type}`)}</>)}
          </Checkbox>
        ))}
      </CheckboxGroup>
      <Button type="submit" isDisabled={busy || !form.url.trim() || form.eventTypes.length === 0}>{submitLabel}</Button>
    </form>
  );
}
