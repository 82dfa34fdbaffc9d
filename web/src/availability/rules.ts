// The weekly-hours editor's rules, kept apart from the page so they are tested alone.
export const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface RuleDraft {
  key: string;
  weekday: Weekday;
  start: string; // HH:mm
  end: string;
  slotMinutes: number;
}

export type RuleProblem = { kind: "endBeforeStart"; key: string } | { kind: "overlap"; key: string; weekday: Weekday };

function minutes(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return h * 60 + (m || 0);
}

/** What is wrong with the drafts: an end not after its start, or hours overlapping on a day. */
export function checkRules(rules: RuleDraft[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const rule of rules) {
    if (minutes(rule.end) <= minutes(rule.start)) problems.push({ kind: "endBeforeStart", key: rule.key });
  }
  for (const day of WEEKDAYS) {
    const sorted = rules.filter((r) => r.weekday === day && minutes(r.end) > minutes(r.start)).sort((a, b) => minutes(a.start) - minutes(b.start));
    for (let i = 1; i < sorted.length; i++) {
      if (minutes(sorted[i].start) < minutes(sorted[i - 1].end)) problems.push({ kind: "overlap", key: sorted[i].key, weekday: day });
    }
  }
  return problems;
}

/** The API's input: times as HH:mm:ss, sorted by day and start. */
export function toInput(rules: RuleDraft[]) {
  return [...rules]
    .sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || minutes(a.start) - minutes(b.start))
    .map((r) => ({ weekday: r.weekday, start: `${r.start}:00`.slice(0, 8), end: `${r.end}:00`.slice(0, 8), slotMinutes: r.slotMinutes }));
}
