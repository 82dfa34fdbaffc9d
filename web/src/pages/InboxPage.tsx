import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { MarkNotificationsReadDocument, MyNotificationsDocument } from "../gql/graphql";
import { Button } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";
import { LoadMore } from "../ui/LoadMore";
import { browserZone, formatDateTime } from "../time/zones";

export default function InboxPage() {
  const { t, i18n } = useTranslation();
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, error, fetching }] = useQuery({ query: MyNotificationsDocument, variables: { first: 20, after, unreadOnly: false } });
  const [marking, mark] = useMutation(MarkNotificationsReadDocument);
  const items = data?.myNotifications.nodes ?? [];
  const unread = items.filter((n) => !n.read).length;
  return (
    <>
      <h1>{t("inbox.title")}</h1>
      <ProblemMessage error={error ?? marking.error} />
      <div className="row">
        <p role="status">{t("inbox.unread", { count: unread })}</p>
        {unread ? <Button variant="secondary" onPress={() => void mark({ ids: null, all: true })}>{t("inbox.markAll")}</Button> : null}
      </div>
      {data && !items.length ? <p>{t("inbox.none")}</p> : null}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {items.map((n) => (
          <li key={n.id} className="card" style={{ fontWeight: n.read ? 400 : 700 }}>
            <p style={{ margin: 0 }}>{n.title}</p>
            <p style={{ margin: ".2rem 0", fontWeight: 400 }}>{n.body}</p>
            <p className="muted" style={{ margin: 0, fontWeight: 400 }}>{formatDateTime(n.createdAt, browserZone(), i18n.language)}</p>
          </li>
        ))}
      </ul>
      {items.length ? <LoadMore page={data?.myNotifications} shown={items.length} fetching={fetching} onMore={setAfter} /> : null}
    </>
  );
}
