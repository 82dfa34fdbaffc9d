// A signing secret, shown once (at registration or rotation) with a copy button.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button } from "../../../ui/controls";
import { browserZone, formatDateTime } from "../../../time/zones";

export function SecretNotice({ url, secret, previousUntil, onDone, copy }: {
  url: string; secret: string; previousUntil?: string | null; onDone: () => void; copy?: (text: string) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [copied, setCopied] = useState(false);
  const write = copy ?? ((text: string) => navigator.clipboard.writeText(text));
  return (
    <section className="card stack" aria-labelledby="secret-title">
      <h2 id="secret-title">{t("webhooks.secretTitle")}</h2>
      <p>{t("webhooks.secretFor", { url })}</p>
      <Alert tone="info">{t("webhooks.secretOnce")}</Alert>
      <input className="native mono" readOnly aria-label={t("webhooks.secret")} value={secret} onFocus={(e) => e.currentTarget.select()} />
      {previousUntil ? <p>{t("webhooks.rollover", { until: formatDateTime(previousUntil, browserZone(), i18n.language) })}</p> : null}
      <div className="actions">
        <Button onPress={async () => { await write(secret); setCopied(true); }}>{copied ? t("webhooks.copied") : t("webhooks.copy")}</Button>
        <Button variant="secondary" onPress={onDone}>{t("webhooks.secretDone")}</Button>
      </div>
    </section>
  );
}
