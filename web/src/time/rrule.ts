// A series' RFC 5545 rule in words ("Every 2 weeks", "Monthly, on the 2nd Tuesday"):
// only the parts bookAppointmentSeries writes (FREQ, INTERVAL, BYDAY, COUNT, UNTIL).
import type { TFunction } from "i18next";

const WEEKDAYS: Record<string, string> = {
  MO: "MONDAY", TU: "TUESDAY", WE: "WEDNESDAY", TH: "THURSDAY", FR: "FRIDAY", SA: "SATURDAY", SU: "SUNDAY",
};

export function ruleParts(rule: string): Record<string, string> {
  return Object.fromEntries(rule.split(";").map((part) => part.split("=", 2) as [string, string]));
}

export function describeRule(rule: string, t: TFunction): string {
  const parts = ruleParts(rule);
  const interval = Number(parts.INTERVAL ?? "1");
  const byDay = parts.BYDAY ?? "";
  const day = WEEKDAYS[byDay.slice(-2)];
  const weekday = day ? t(`weekday.${day}`) : "";
  if (parts.FREQ === "MONTHLY") {
    const ordinal = Number(byDay.slice(0, -2));
    const which = ordinal === -1 ? t("series.last") : t("series.nth", { count: ordinal, ordinal: true });
    return t("series.monthly", { count: interval, day: `${which} ${weekday}` });
  }
  return t("series.weekly", { count: interval, day: weekday });
}
