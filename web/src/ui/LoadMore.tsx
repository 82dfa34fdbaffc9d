// "Load more" under a cursor-paged list: how many are shown of how many, and a button while
// the connection says there is a next page (the cache adds it to the pages shown so far).
// Once all are shown it says nothing, unless `showTotal` (lists without another count).
import { useTranslation } from "react-i18next";

export interface Paged {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export function LoadMore({ page, shown, fetching, onMore, showTotal = false }: {
  page: Paged | undefined; shown: number; fetching: boolean; onMore: (after: string) => void; showTotal?: boolean;
}) {
  const { t } = useTranslation();
  if (!page) return null;
  const cursor = page.pageInfo.endCursor;
  if (!showTotal && !page.pageInfo.hasNextPage && shown >= page.totalCount) return null;
  return (
    <div className="actions">
      <span role="status">{t("list.shown", { shown, total: page.totalCount })}</span>
      {page.pageInfo.hasNextPage && cursor ? (
        <button type="button" className="btn btn-secondary" disabled={fetching} onClick={() => onMore(cursor)}>
          {t("list.more")}
        </button>
      ) : null}
    </div>
  );
}
