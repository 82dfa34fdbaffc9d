// Time-zone aware formatting with Luxon: every time is shown in a named zone.
import { DateTime } from "luxon";

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function inZone(iso: string, zone: string, locale: string): DateTime {
  return DateTime.fromISO(iso, { setZone: false }).setZone(zone).setLocale(locale);
}

export function formatTime(iso: string, zone: string, locale: string): string {
  return inZone(iso, zone, locale).toLocaleString(DateTime.TIME_SIMPLE);
}

export function formatDateTime(iso: string, zone: string, locale: string): string {
  return inZone(iso, zone, locale).toLocaleString({
    weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit",
  });
}

/** A calendar day (yyyy-MM-dd, no zone: a day as the doctor's calendar names it), e.g. "Fri, Dec 4". */
export function formatDay(day: string, locale: string): string {
  return DateTime.fromISO(day).setLocale(locale).toLocaleString({ weekday: "short", day: "numeric", month: "short" });
}

/** A zone's short name at that instant, e.g. CET/CEST or GMT+1. */
export function zoneLabel(iso: string, zone: string, locale: string): string {
  return inZone(iso, zone, locale).toFormat("ZZZZ");
}

/** [start, end) in UTC ISO of the calendar day `day` (yyyy-MM-dd) in `zone` (23 or 25 h on DST days). */
export function dayBounds(day: string, zone: string): { from: string; to: string } {
  const start = DateTime.fromISO(day, { zone }).startOf("day");
  const end = start.plus({ days: 1 });
  return { from: start.toUTC().toISO()!, to: end.toUTC().toISO()! };
}
