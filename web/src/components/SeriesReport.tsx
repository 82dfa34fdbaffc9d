// A series' dry-run (or outcome) report: each date, free or why not, in the doctor's zone.
import { useTranslation } from "react-i18next";
import { formatDateTime, zoneLabel } from "../time/zones";

export interface ReportedOccurrence {
  start: string;
  previousStart?: string | null;
  bookable: boolean;
  refusal?: string | null;
}

export function SeriesReport({ title, occurrences, zone }: { title: string; occurrences: ReportedOccurrence[]; zone: string }) {
  const { t, i18n } = useTranslation();
  const at = (iso: string) => `${formatDateTime(iso, zone, i18n.language)} (${zoneLabel(iso, zone, i18n.language)})`;
  return (
    <section aria-label={title}>
      <h4 style={{ margin: ".4rem 0" }}>{title}</h4>
      <ol className="series-report" data-testid="series-report">
        {occurrences.map((o) => (
          <li key={`${o.previousStart ?? ""}${o.start}`} data-bookable={o.bookable}>
            <span>{o.previousStart ? t("series.move", { from: at(o.previousStart), to: at(o.start) }) : at(o.start)}</span>
            {" — "}
            <strong>{o.bookable ? t("series.isFree") : t(`series.refusal.${o.refusal ?? "OTHER"}`, { defaultValue: t("series.refusal.OTHER") })}</strong>
          </li>
        ))}
      </ol>
    </section>
  );
}
