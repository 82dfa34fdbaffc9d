import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { DateTime } from "luxon";
import {
  AddAvailabilityExceptionDocument, AddSlotDocument, MyDoctorProfileDocument, RemoveAvailabilityExceptionDocument,
  RemoveSlotDocument, SetWeeklyAvailabilityDocument, UpdateBookingPolicyDocument, UpdateSlotDocument,
} from "../../gql/graphql";
import { draftsOf, WeeklyRulesEditor } from "../../availability/WeeklyRulesEditor";
import { toInput } from "../../availability/rules";
import { Alert, Button, Field, Select } from "../../ui/controls";
import { ProblemMessage } from "../../ui/Problem";
import { formatDateTime } from "../../time/zones";

function Exceptions({ items }: { items: { id: string; startDate: string; endDate: string; kind: string; startTime?: string | null; endTime?: string | null; reason?: string | null }[] }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ startDate: "", endDate: "", kind: "UNAVAILABLE", startTime: "", endTime: "", slotMinutes: "30", reason: "" });
  const [adding, add] = useMutation(AddAvailabilityExceptionDocument);
  const [removing, remove] = useMutation(RemoveAvailabilityExceptionDocument);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const changed = form.kind === "CHANGED_HOURS";
  return (
    <section className="card" aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">{t("availability.exceptions")}</h2>
      <ul>
        {items.map((e) => (
          <li key={e.id} className="row" style={{ alignItems: "center" }}>
            <span>{e.startDate}{e.endDate !== e.startDate ? ` – ${e.endDate}` : ""}: {t(`availability.${e.kind}`)}{e.startTime ? ` ${e.startTime.slice(0, 5)}–${e.endTime?.slice(0, 5)}` : ""}{e.reason ? ` (${e.reason})` : ""}</span>
            <Button variant="quiet" isDisabled={removing.fetching} onPress={() => void remove({ id: e.id })}>{t("availability.remove")}</Button>
          </li>
        ))}
      </ul>
      <ProblemMessage error={adding.error ?? removing.error} />
      <form className="filters" onSubmit={async (ev) => {
        ev.preventDefault();
        const result = await add({ input: {
          startDate: form.startDate, endDate: form.endDate || form.startDate, kind: form.kind as "UNAVAILABLE",
          startTime: changed ? `${form.startTime}:00` : null, endTime: changed ? `${form.endTime}:00` : null,
          slotMinutes: changed ? Number(form.slotMinutes) : null, reason: form.reason || null,
        } });
        if (!result.error) setForm((f) => ({ ...f, startDate: "", endDate: "", reason: "" }));
      }}>
        <Field label={t("availability.startDate")} name="ex-start" type="date" isRequired value={form.startDate} onChange={set("startDate")} />
        <Field label={t("availability.endDate")} name="ex-end" type="date" value={form.endDate} onChange={set("endDate")} />
        <Select label={t("availability.kind")} value={form.kind} onChange={set("kind")} choices={[{ id: "UNAVAILABLE", label: t("availability.UNAVAILABLE") }, { id: "CHANGED_HOURS", label: t("availability.CHANGED_HOURS") }]} />
        {changed ? <Field label={t("availability.from")} name="ex-from" type="time" isRequired value={form.startTime} onChange={set("startTime")} /> : null}
        {changed ? <Field label={t("availability.to")} name="ex-to" type="time" isRequired value={form.endTime} onChange={set("endTime")} /> : null}
        <Field label={t("availability.reason")} name="ex-reason" value={form.reason} onChange={set("reason")} />
        <Button type="submit" isDisabled={adding.fetching}>{t("availability.addException")}</Button>
      </form>
    </section>
  );
}

function AdHocSlots({ items, zone }: { items: { id: string; start: string; end: string }[]; zone: string }) {
  const { t, i18n } = useTranslation();
  const [start, setStart] = useState("");
  const [minutes, setMinutes] = useState("30");
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, add] = useMutation(AddSlotDocument);
  const [updating, update] = useMutation(UpdateSlotDocument);
  const [removing, remove] = useMutation(RemoveSlotDocument);
  const range = () => {
    const from = DateTime.fromISO(start, { zone });
    return { start: from.toISO()!, end: from.plus({ minutes: Number(minutes) }).toISO()! };
  };
  return (
    <section className="card" aria-labelledby="adhoc-title">
      <h2 id="adhoc-title">{t("availability.adhoc")}</h2>
      <ul>
        {items.map((s) => (
          <li key={s.id} className="row" style={{ alignItems: "center" }}>
            <span>{formatDateTime(s.start, zone, i18n.language)} – {formatDateTime(s.end, zone, i18n.language)}</span>
            <Button variant="quiet" onPress={() => { setEditing(s.id); setStart(DateTime.fromISO(s.start).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm")); }}>{t("availability.edit")}</Button>
            <Button variant="quiet" isDisabled={removing.fetching} onPress={() => void remove({ id: s.id })}>{t("availability.remove")}</Button>
          </li>
        ))}
      </ul>
      <ProblemMessage error={adding.error ?? updating.error ?? removing.error} />
      <form className="filters" onSubmit={async (ev) => {
        ev.preventDefault();
        const result = editing ? await update({ id: editing, ...range() }) : await add(range());
        if (!result.error) { setStart(""); setEditing(null); }
      }}>
        <Field label={`${t("availability.start")} (${zone})`} name="slot-start" type="datetime-local" isRequired value={start} onChange={setStart} />
        <Field label={t("availability.slot")} name="slot-minutes" type="number" min={5} max={240} value={minutes} onChange={setMinutes} />
        <Button type="submit" isDisabled={adding.fetching || updating.fetching}>{editing ? t("availability.save") : t("availability.addSlot")}</Button>
      </form>
    </section>
  );
}

function Policy({ policy }: { policy: { bufferBeforeMinutes: number; bufferAfterMinutes: number; minimumNoticeMinutes: number; bookingWindowDays: number } }) {
  const { t } = useTranslation();
  const [form, setForm] = useState(() => Object.fromEntries(Object.entries(policy).filter(([k]) => k !== "__typename").map(([k, v]) => [k, String(v)])) as Record<string, string>);
  const [state, save] = useMutation(UpdateBookingPolicyDocument);
  const [saved, setSaved] = useState(false);
  const set = (k: string) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <section className="card" aria-labelledby="policy-title">
      <h2 id="policy-title">{t("availability.policy")}</h2>
      <ProblemMessage error={state.error} />
      {saved ? <Alert tone="success">{t("availability.saved")}</Alert> : null}
      <form className="filters" onSubmit={async (ev) => {
        ev.preventDefault();
        const result = await save({ input: {
          bufferBeforeMinutes: Number(form.bufferBeforeMinutes), bufferAfterMinutes: Number(form.bufferAfterMinutes),
          minimumNoticeMinutes: Number(form.minimumNoticeMinutes), bookingWindowDays: Number(form.bookingWindowDays),
        } });
        setSaved(!result.error);
      }}>
        <Field label={t("availability.bufferBefore")} name="bufferBefore" type="number" min={0} value={form.bufferBeforeMinutes} onChange={set("bufferBeforeMinutes")} />
        <Field label={t("availability.bufferAfter")} name="bufferAfter" type="number" min={0} value={form.bufferAfterMinutes} onChange={set("bufferAfterMinutes")} />
        <Field label={t("availability.notice")} name="notice" type="number" min={0} value={form.minimumNoticeMinutes} onChange={set("minimumNoticeMinutes")} />
        <Field label={t("availability.window")} name="window" type="number" min={1} value={form.bookingWindowDays} onChange={set("bookingWindowDays")} />
        <Button type="submit" isDisabled={state.fetching}>{t("availability.savePolicy")}</Button>
      </form>
    </section>
  );
}

export default function AvailabilityPage() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: MyDoctorProfileDocument });
  const [saving, setWeekly] = useMutation(SetWeeklyAvailabilityDocument);
  const [saved, setSaved] = useState(false);
  const profile = data?.myDoctorProfile;
  if (error && !data) return <ProblemMessage error={error} />;
  if (!profile) return <p role="status">{t("common.loading")}</p>;
  const availability = profile.availability ?? { rules: [], exceptions: [], slots: [] };
  return (
    <>
      <h1>{t("availability.title")}</h1>
      <ProblemMessage error={saving.error} />
      {saved && !saving.error ? <Alert tone="success">{t("availability.saved")}</Alert> : null}
      <WeeklyRulesEditor
        key={availability.rules.map((r) => `${r.id}${r.weekday}${r.start}${r.end}${r.slotMinutes}`).join()}
        initial={draftsOf(availability.rules)}
        zone={profile.timeZone}
        saving={saving.fetching}
        onSave={async (rules) => {
          const result = await setWeekly({ rules: toInput(rules) });
          setSaved(!result.error);
        }}
      />
      <Exceptions items={availability.exceptions} />
      <AdHocSlots items={availability.slots} zone={profile.timeZone} />
      <Policy policy={profile.bookingPolicy} />
    </>
  );
}
