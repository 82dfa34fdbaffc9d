// Admins' webhooks: the endpoints (address, events, enabled, failures) with edit, enable or
// disable, rotate the secret and delete (each confirmed where it cannot be undone), a form to
// register one (its secret shown once), and the chosen endpoint's deliveries with Replay.
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { Checkbox } from "react-aria-components";
import {
  DeleteWebhookDocument, RegisterWebhookDocument, RotateWebhookSecretDocument, UpdateWebhookDocument, WebhooksDocument,
  type WebhookFieldsFragment,
} from "../../gql/graphql";
import { ModalDialog } from "../../components/Dialog";
import { Badge, Button } from "../../ui/controls";
import { ProblemMessage } from "../../ui/Problem";
import { browserZone, formatDateTime } from "../../time/zones";
import { changesOf, EMPTY_FORM, formOf, WebhookFormView, type WebhookForm } from "./webhooks/WebhookForm";
import { SecretNotice } from "./webhooks/SecretNotice";
import { WebhookDeliveries } from "./webhooks/WebhookDeliveries";

type Dialog = { kind: "edit" | "rotate" | "delete"; webhook: WebhookFieldsFragment } | null;
interface Revealed { url: string; secret: string; previousUntil?: string | null }

function Register({ onRegistered }: { onRegistered: (revealed: Revealed) => void }) {
  const { t } = useTranslation();
  const [state, register] = useMutation(RegisterWebhookDocument);
  const submit = async (form: WebhookForm) => {
    const result = await register({ url: form.url.trim(), eventTypes: form.eventTypes, description: form.description.trim() || null });
    const done = result.data?.registerWebhook;
    if (done) onRegistered({ url: done.webhook.url, secret: done.secret });
    return Boolean(done);
  };
  return (
    <section className="card stack" aria-labelledby="register-title">
      <h2 id="register-title">{t("webhooks.register")}</h2>
      <ProblemMessage error={state.error} />
      <WebhookFormView initial={EMPTY_FORM} submitLabel={t("webhooks.register")} busy={state.fetching} onSubmit={submit} />
    </section>
  );
}

function Edit({ webhook, onDone }: { webhook: WebhookFieldsFragment; onDone: () => void }) {
  const { t } = useTranslation();
  const [state, update] = useMutation(UpdateWebhookDocument);
  const submit = async (form: WebhookForm) => {
    const input = changesOf(webhook, form);
    const ok = Object.keys(input).length === 0 || !(await update({ id: webhook.id, input })).error;
    if (ok) onDone();
    return ok;
  };
  return (
    <>
      <ProblemMessage error={state.error} />
      <WebhookFormView initial={formOf(webhook)} submitLabel={t("webhooks.save")} busy={state.fetching} onSubmit={submit} />
    </>
  );
}

function Rotate({ webhook, onRotated, onCancel }: { webhook: WebhookFieldsFragment; onRotated: (revealed: Revealed) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [revoke, setRevoke] = useState(false);
  const [state, rotate] = useMutation(RotateWebhookSecretDocument);
  const run = async () => {
    const done = (await rotate({ id: webhook.id, revokePrevious: revoke })).data?.rotateWebhookSecret;
    if (done) onRotated({ url: done.webhook.url, secret: done.secret, previousUntil: done.webhook.previousSecretExpiresAt });
  };
  return (
    <div className="stack">
      <p>{t("webhooks.rotateExplain")}</p>
      <Checkbox isSelected={revoke} onChange={setRevoke} className="check">
        <span className="box" aria-hidden="true">{revoke ? "✓" : ""}</span> {t("webhooks.revokePrevious")}
      </Checkbox>
      <ProblemMessage error={state.error} />
      <div className="actions">
        <Button isDisabled={state.fetching} onPress={() => void run()}>{t("webhooks.rotate")}</Button>
        <Button variant="secondary" onPress={onCancel}>{t("common.cancel")}</Button>
      </div>
    </div>
  );
}

function Delete({ webhook, onDone }: { webhook: WebhookFieldsFragment; onDone: (deleted: boolean) => void }) {
  const { t } = useTranslation();
  const [state, remove] = useMutation(DeleteWebhookDocument);
  return (
    <div className="stack">
      <p>{t("webhooks.deleteExplain", { url: webhook.url })}</p>
      <ProblemMessage error={state.error} />
      <div className="actions">
        <Button variant="danger" isDisabled={state.fetching}
          onPress={async () => { if (!(await remove({ id: webhook.id })).error) onDone(true); }}>
          {t("webhooks.deleteConfirm")}
        </Button>
        <Button variant="secondary" onPress={() => onDone(false)}>{t("common.cancel")}</Button>
      </div>
    </div>
  );
}

export default function WebhooksPage() {
  const { t, i18n } = useTranslation();
  const zone = browserZone();
  const [showDeleted, setShowDeleted] = useState(false);
  const [{ data, error, fetching }] = useQuery({ query: WebhooksDocument, variables: { includeDeleted: showDeleted } });
  const [toggling, update] = useMutation(UpdateWebhookDocument);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const webhooks = data?.webhooks ?? [];
  const selected = webhooks.find((w) => w.id === shown);
  const titles = { edit: t("webhooks.edit"), rotate: t("webhooks.rotate"), delete: t("webhooks.delete") };
  return (
    <>
      <h1>{t("nav.webhooks")}</h1>
      <p>{t("webhooks.explain")}</p>
      {revealed ? <SecretNotice {...revealed} onDone={() => setRevealed(null)} /> : null}
      <ProblemMessage error={error ?? toggling.error} />
      {fetching && !data ? <p role="status">{t("common.loading")}</p> : null}
      {data && webhooks.length === 0 ? <p>{t("webhooks.none")}</p> : null}
      <Checkbox isSelected={showDeleted} onChange={setShowDeleted} className="check">
        <span className="box" aria-hidden="true">{showDeleted ? "✓" : ""}</span> {t("webhooks.showDeleted")}
      </Checkbox>
      <div className="table-wrap card" role="region" aria-label={t("nav.webhooks")} tabIndex={0}>
        <table className="data cards">
          <thead>
            <tr>
              <th scope="col">{t("webhooks.url")}</th><th scope="col">{t("webhooks.eventTypes")}</th>
              <th scope="col">{t("webhooks.enabled")}</th><th scope="col">{t("webhooks.failures")}</th>
              <th scope="col"><span className="skip">{t("admin.actionCol")}</span></th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((w) => {
              const toggle = w.enabled ? t("webhooks.disable") : t("webhooks.enable");
              return (
              <tr key={w.id} data-testid="webhook">
                <td data-label={t("webhooks.url")}><span className="mono">{w.url}</span>{w.description ? <div className="muted">{w.description}</div> : null}</td>
                <td data-label={t("webhooks.eventTypes")}>{w.eventTypes.map((type) => t(`webhooks.types.${type}`)).join(", ")}</td>
                <td data-label={t("webhooks.enabled")}>
                  <Badge tone={w.enabled ? "CONFIRMED" : "REJECTED"}>{w.enabled ? t("admin.yes") : t("admin.no")}</Badge>
                  {w.deletedAt ? <div className="muted">{t("webhooks.deletedOn", { when: formatDateTime(w.deletedAt, zone, i18n.language) })}</div>
                    : w.disabledAt ? <div className="muted">{t("webhooks.disabledSince", { when: formatDateTime(w.disabledAt, zone, i18n.language) })}</div> : null}
                </td>
                <td data-label={t("webhooks.failures")}>{w.consecutiveFailures}</td>
                <td>
                  <div className="actions">
                    <Button variant="quiet" aria-expanded={shown === w.id} aria-label={`${t("webhooks.deliveries")} ${w.url}`}
                      onPress={() => setShown(shown === w.id ? null : w.id)}>{t("webhooks.deliveries")}</Button>
                    {w.deletedAt ? null : (
                      <>
                        <Button variant="quiet" aria-label={`${t("webhooks.edit")} ${w.url}`} onPress={() => setDialog({ kind: "edit", webhook: w })}>{t("webhooks.edit")}</Button>
                        <Button variant="quiet" isDisabled={toggling.fetching} aria-label={`${toggle} ${w.url}`}
                          onPress={() => void update({ id: w.id, input: { enabled: !w.enabled } })}>{toggle}</Button>
                        <Button variant="quiet" aria-label={`${t("webhooks.rotate")} ${w.url}`} onPress={() => setDialog({ kind: "rotate", webhook: w })}>{t("webhooks.rotate")}</Button>
                        <Button variant="quiet" aria-label={`${t("webhooks.delete")} ${w.url}`} onPress={() => setDialog({ kind: "delete", webhook: w })}>{t("webhooks.delete")}</Button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {selected ? <WebhookDeliveries webhookId={selected.id} url={selected.url} replayable={!selected.deletedAt} /> : null}
      <Register onRegistered={setRevealed} />
      <ModalDialog title={dialog ? titles[dialog.kind] : ""} isOpen={dialog !== null} onClose={() => setDialog(null)}>
        {dialog?.kind === "edit" ? <Edit webhook={dialog.webhook} onDone={() => setDialog(null)} /> : null}
        {dialog?.kind === "rotate" ? (
          <Rotate webhook={dialog.webhook} onCancel={() => setDialog(null)} onRotated={(r) => { setRevealed(r); setDialog(null); }} />
        ) : null}
        {dialog?.kind === "delete" ? (
          <Delete webhook={dialog.webhook} onDone={(deleted) => { if (deleted && shown === dialog.webhook.id) setShown(null); setDialog(null); }} />
        ) : null}
      </ModalDialog>
    </>
  );
}
