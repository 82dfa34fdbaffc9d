import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button } from "../ui/controls";
import { checkRules, WEEKDAYS, type RuleDraft, type Weekday } from "./rules";

let counter = 0;
const nextKey = () => `rule-${++counter}`;

export function draftsOf(rules: { weekday: string; start: string; end: string; slotMinutes: number }[]): RuleDraft[] {
  return rules.map((r) => ({ key: nextKey(), weekday: r.weekday as Weekday, start: r.start.slice(0, 5), end: r.end.slice(0, 5), slotMinutes: r.slotMinutes }));
}

interface Props {
  initial: RuleDraft[];
  zone: string;
  saving?: boolean;
  onSave: (rules: RuleDraft[]) => void;
}

/** Weekly hours as rows (weekday, from, to, slot length); refuses to save overlaps. */
export function WeeklyRulesEditor({ initial, zone, saving, onSave }: Props) {
  const { t } = useTranslation();
  const [rules, setRules] = useState<RuleDraft[]>(initial);
  const [tried, setTried] = useState(false);
  const problems = checkRules(rules);
  const update = (key: string, patch: Partial<RuleDraft>) => setRules((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const problemFor = (key: string) => problems.find((p) => p.key === key);
  return (
    <section aria-labelledby="weekly-title" className="card">
      <h2 id="weekly-title">{t("availability.weekly")}</h2>
      <p className="muted">{t("availability.zone", { zone })}</p>
      <div className="table-wrap">
        <table className="data cards">
          <thead>
            <tr>
              <th scope="col">{t("availability.weekday")}</th>
              <th scope="col">{t("availability.from")}</th>
              <th scope="col">{t("availability.to")}</th>
              <th scope="col">{t("availability.slot")}</th>
              <th scope="col"><span className="skip">{t("availability.remove")}</span></th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule, i) => {
              const problem = problemFor(rule.key);
              const label = `${t(`weekday.${rule.weekday}`)} ${i + 1}`;
              return (
                <tr key={rule.key} aria-invalid={problem ? true : undefined}>
                  <td data-label={t("availability.weekday")}>
                    <select className="native" aria-label={`${t("availability.weekday")} ${i + 1}`} value={rule.weekday} onChange={(e) => update(rule.key, { weekday: e.target.value as Weekday })}>
                      {WEEKDAYS.map((d) => <option key={d} value={d}>{t(`weekday.${d}`)}</option>)}
                    </select>
                  </td>
                  <td data-label={t("availability.from")}><input className="native" type="time" aria-label={`${t("availability.from")} ${label}`} value={rule.start} onChange={(e) => update(rule.key, { start: e.target.value })} /></td>
                  <td data-label={t("availability.to")}><input className="native" type="time" aria-label={`${t("availability.to")} ${label}`} value={rule.end} onChange={(e) => update(rule.key, { end: e.target.value })} /></td>
                  <td data-label={t("availability.slot")}><input className="native" type="number" min={5} max={240} step={5} aria-label={`${t("availability.slot")} ${label}`} value={rule.slotMinutes} onChange={(e) => update(rule.key, { slotMinutes: Number(e.target.value) })} /></td>
                  <td><Button variant="quiet" aria-label={`${t("availability.remove")} ${label}`} onPress={() => setRules((rs) => rs.filter((r) => r.key !== rule.key))}>{t("availability.remove")}</Button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {tried && problems.length ? (
        <Alert>
          {problems.map((p) => (p.kind === "overlap" ? t("availability.overlap", { day: t(`weekday.${p.weekday}`) }) : t("availability.endBeforeStart"))).filter((v, i, a) => a.indexOf(v) === i).join(" ")}
        </Alert>
      ) : null}
      <div className="actions" style={{ marginTop: ".75rem" }}>
        <Button variant="secondary" onPress={() => setRules((rs) => [...rs, { key: nextKey(), weekday: "MONDAY", start: "09:00", end: "12:00", slotMinutes: 30 }])}>{t("availability.addRule")}</Button>
        <Button isDisabled={saving} onPress={() => { setTried(true); if (!problems.length) onSave(rules); }}>{t("availability.saveRules")}</Button>
      </div>
    </section>
  );
}
