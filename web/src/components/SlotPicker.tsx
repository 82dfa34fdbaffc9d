// Free slots of one day (a calendar day in the doctor's zone), each labelled in the doctor's
// time and, when it differs, the patient's. Keyboard: a radio group (arrow keys), day by day.
import { useTranslation } from "react-i18next";
import { DateTime } from "luxon";
import { Label, Radio, RadioGroup } from "react-aria-components";
import { Button } from "../ui/controls";
import { formatTime, inZone, zoneLabel } from "../time/zones";

export interface SlotView {
  start: string;
  end: string;
}

interface Props {
  day: string; // yyyy-MM-dd in the doctor's zone
  onDayChange: (day: string) => void;
  slots: SlotView[];
  doctorZone: string;
  viewerZone: string;
  selected: string | null;
  onSelect: (start: string) => void;
  loading?: boolean;
}

export function SlotPicker({ day, onDayChange, slots, doctorZone, viewerZone, selected, onSelect, loading }: Props) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const date = DateTime.fromISO(day, { zone: doctorZone }).setLocale(locale);
  const shift = (days: number) => onDayChange(date.plus({ days }).toISODate()!);
  // Only the shown day's slots: while the next day loads, the client may still hold the
  // previous day's answer, and a click must never pick a slot of a day not on screen.
  const shown = slots.filter((s) => inZone(s.start, doctorZone, locale).toISODate() === day);
  const sample = shown[0]?.start ?? date.toUTC().toISO()!;
  // The patient's time is shown when it reads differently from the doctor's at any slot.
  const offsetsDiffer = (iso: string) => inZone(iso, doctorZone, locale).offset !== inZone(iso, viewerZone, locale).offset;
  const differs = shown.length ? shown.some((s) => offsetsDiffer(s.start)) : offsetsDiffer(sample);
  return (
    <section aria-labelledby="slots-title" className="slot-picker">
      <h2 id="slots-title">{t("doctor.slots")}</h2>
      <div className="row">
        <Button variant="secondary" onPress={() => shift(-1)} aria-label={t("doctor.previous")}>‹</Button>
        <label className="field" style={{ flex: "1 1 10rem" }}>
          <span className="label">{t("doctor.day")}</span>
          <input type="date" value={day} onChange={(e) => e.target.value && onDayChange(e.target.value)} />
        </label>
        <Button variant="secondary" onPress={() => shift(1)} aria-label={t("doctor.next")}>›</Button>
      </div>
      <p className="muted" aria-live="polite">
        {date.toLocaleString(DateTime.DATE_HUGE)} · {t("doctor.doctorTime", { zone: `${doctorZone}, ${zoneLabel(sample, doctorZone, locale)}` })}
        {differs ? <> · {t("doctor.yourTime", { zone: `${viewerZone}, ${zoneLabel(sample, viewerZone, locale)}` })}</> : null}
      </p>
      {loading ? <p role="status">{t("common.loading")}</p> : null}
      {!loading && shown.length === 0 ? <p>{t("doctor.noSlots")}</p> : null}
      {shown.length > 0 ? (
        // null, not "": a value no radio has would take every slot out of the Tab order.
        <RadioGroup value={selected} onChange={onSelect} className="slot-group">
          <Label className="skip">{t("doctor.chooseSlot")}</Label>
          <div className="slots">
            {shown.map((slot) => {
              const doctorTime = formatTime(slot.start, doctorZone, locale);
              const viewerTime = formatTime(slot.start, viewerZone, locale);
              const label = differs
                ? `${doctorTime} ${t("doctor.doctorTime", { zone: zoneLabel(slot.start, doctorZone, locale) })}, ${viewerTime} ${t("doctor.yourTime", { zone: zoneLabel(slot.start, viewerZone, locale) })}`
                : doctorTime;
              return (
                <Radio key={slot.start} value={slot.start} className="slot" aria-label={label}>
                  <span>{doctorTime}</span>
                  {differs ? <span className="other">{viewerTime} {zoneLabel(slot.start, viewerZone, locale)}</span> : null}
                </Radio>
              );
            })}
          </div>
        </RadioGroup>
      ) : null}
    </section>
  );
}
