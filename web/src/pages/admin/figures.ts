// Turning the `statistics` answer into what the dashboard shows: labels per bucket, rates,
// durations and sums, in the reader's language. No React here, so it is tested on its own.
import { DateTime } from "luxon";
import type { TFunction } from "i18next";

export type BucketKind = "DAY" | "WEEK" | "MONTH";

/** "Dec 2", "Week of Nov 30", "December 2026": a bucket by its first local date. */
export function bucketLabel(start: string, bucket: BucketKind, locale: string, t: TFunction): string {
  const day = DateTime.fromISO(start).setLocale(locale);
  if (bucket === "MONTH") return day.toLocaleString({ month: "long", year: "numeric" });
  const date = day.toLocaleString({ month: "short", day: "numeric" });
  return bucket === "WEEK" ? t("dashboard.weekOf", { date }) : date;
}

export function percent(rate: number | null | undefined, locale: string): string {
  if (rate === null || rate === undefined) return "—";
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(rate);
}

export function hours(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** A duration in the largest unit that keeps it readable: seconds, minutes, hours or days. */
export function duration(seconds: number | null | undefined, locale: string): string {
  if (seconds === null || seconds === undefined) return "—";
  const [value, unit] =
    seconds < 60 ? [seconds, "second"] : seconds < 3600 ? [seconds / 60, "minute"] : seconds < 2 * 86400 ? [seconds / 3600, "hour"] : [seconds / 86400, "day"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long", maximumFractionDigits: 1 }).format(value);
}

export function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

/** "Label: a 1, b 2; Label: …" — the chart in words, for its accessible name. */
export function describe(rows: Record<string, string | number>[], labelKey: string, series: { key: string; name: string }[]): string {
  return rows.map((row) => `${row[labelKey]}: ${series.map((s) => `${s.name} ${row[s.key] ?? 0}`).join(", ")}`).join("; ");
}
