// One endpoint's deliveries, newest first: status, attempts, last error and time, with Replay.
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ReplayWebhookDeliveryDocument, WebhookDeliveriesDocument, type WebhookDeliveryStatus } from "../../../gql/graphql";
import { Badge, Button } from "../../../ui/controls";
import { LoadMore } from "../../../ui/LoadMore";
import { ProblemMessage } from "../../../ui/Problem";
import { browserZone, formatDateTime } from "../../../time/zones";

const PAGE = 20;
const TONES: Record<WebhookDeliveryStatus, string> = { PENDING: "PENDING", SENT: "CONFIRMED", FAILED: "REJECTED", DEAD: "REJECTED" };

export function WebhookDeliveries({ webhookId, url, replayable }: { webhookId: string; url: string; replayable: boolean }) {
  const { t, i18n } = useTranslation();
  const zone = browserZone();
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, error, fetching }, refetch] = useQuery({ query: WebhookDeliveriesDocument, variables: { webhookId, first: PAGE, after } });
  const [replaying, replay] = useMutation(ReplayWebhookDeliveryDocument);
  const page = data?.webhookDeliveries;
  const when = (iso: string | null | undefined) => (iso ? formatDateTime(iso, zone, i18n.language) : "");
  return (
    <section className="card stack" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{t("webhooks.deliveriesOf", { url })}</h2>
      <div className="actions">
        <Button variant="secondary" isDisabled={fetching} onPress={() => refetch({ requestPolicy: "network-only" })}>{t("webhooks.refresh")}</Button>
      </div>
      <ProblemMessage error={error ?? replaying.error} />
      {page && page.nodes.length === 0 ? <p>{t("webhooks.noDeliveries")}</p> : null}
      <div className="table-wrap" role="region" aria-label={t("webhooks.deliveries")} tabIndex={0}>
        <table className="data cards">
          <thead>
            <tr>
              <th scope="col">{t("admin.when")}</th><th scope="col">{t("webhooks.event")}</th><th scope="col">{t("admin.statusCol")}</th>
              <th scope="col">{t("admin.attempts")}</th><th scope="col">{t("admin.lastError")}</th><th scope="col">{t("webhooks.lastAttempt")}</th>
              <th scope="col"><span className="skip">{t("admin.actionCol")}</span></th>
            </tr>
          </thead>
          <tbody>
            {(page?.nodes ?? []).map((d) => (
              <tr key={d.id} data-testid="webhook-delivery">
                <td data-label={t("admin.when")}>{when(d.createdAt)}<div className="muted mono">{d.id}</div></td>
                <td data-label={t("webhooks.event")}>{t(`webhooks.types.${d.eventType}`)}</td>
                <td data-label={t("admin.statusCol")}><Badge tone={TONES[d.status]}>{t(`webhooks.status.${d.status}`)}</Badge></td>
                <td data-label={t("admin.attempts")}>{d.attempts}</td>
                <td data-label={t("admin.lastError")}>{d.lastError ?? ""}</td>
                <td data-label={t("webhooks.lastAttempt")}>{when(d.sentAt ?? d.attemptedAt)}</td>
                <td>
                  {replayable ? (
                    <Button variant="quiet" isDisabled={replaying.fetching} aria-label={`${t("webhooks.replay")} ${d.id}`}
                      onPress={() => void replay({ id: d.id })}>{t("webhooks.replay")}</Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore page={page} shown={page?.nodes.length ?? 0} fetching={fetching} onMore={setAfter} />
    </section>
  );
}
