import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { CalendarFeedUrlDocument, RotateCalendarFeedDocument } from "../gql/graphql";
import { Button } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";

interface FeedProps {
  url: string | null;
  error: unknown;
  rotating: boolean;
  onRotate: () => Promise<string | null>;
  copy?: (text: string) => Promise<void>;
}

/** The private feed address, a copy button and a rotate button (the old address stops working). */
export function CalendarFeedView({ url, error, rotating, onRotate, copy }: FeedProps) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const write = copy ?? ((text: string) => navigator.clipboard.writeText(text));
  return (
    <section className="card stack" aria-labelledby="feed-title">
      <h2 id="feed-title">{t("feed.title")}</h2>
      <p>{t("feed.explain")}</p>
      <ProblemMessage error={error} />
      {url ? <input className="native" readOnly aria-label={t("feed.address")} value={url} onFocus={(e) => e.currentTarget.select()} /> : null}
      <div className="actions">
        <Button isDisabled={!url} onPress={async () => { if (url) { await write(url); setCopied(true); } }}>
          {copied ? t("feed.copied") : t("feed.copy")}
        </Button>
        <Button variant="secondary" isDisabled={rotating}
          onPress={async () => { if (await onRotate()) setCopied(false); }}>
          {t("feed.rotate")}
        </Button>
      </div>
      <p>{t("feed.rotateExplain")}</p>
    </section>
  );
}

export function CalendarFeedBox() {
  const [feed] = useQuery({ query: CalendarFeedUrlDocument });
  const [rotation, rotate] = useMutation(RotateCalendarFeedDocument);
  const [rotated, setRotated] = useState<string | null>(null);
  return (
    <CalendarFeedView
      url={rotated ?? feed.data?.calendarFeedUrl ?? null}
      error={feed.error ?? rotation.error}
      rotating={rotation.fetching}
      onRotate={async () => {
        const result = await rotate({});
        const next = result.data?.rotateCalendarFeed ?? null;
        if (next) setRotated(next);
        return next;
      }}
    />
  );
}
