// Make a booking repeat: weekly, every N weeks or monthly on the same weekday, N times or
// until a day. "Check the dates" asks for a dry run; the report says which dates are free;
// the patient then books all or none, or only the free ones.
import { useEffect, useRef, useState } from "react";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { Checkbox, Radio, RadioGroup, Label } from "react-aria-components";
import {
  BookAppointmentSeriesDocument, type BookAppointmentSeriesMutation, type SeriesBookingMode, type SeriesFrequency,
} from "../gql/graphql";
import { Alert, Button, Field, Select } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";
import { SeriesReport, type ReportedOccurrence } from "./SeriesReport";

interface Props {
  doctorId: string;
  start: string | null;
  reason: string;
  zone: string;
  onRepeatChange: (repeat: boolean) => void;
  onBooked: () => void;
}

type Ending = "count" | "until";
type Outcome = BookAppointmentSeriesMutation["bookAppointmentSeries"];

export function SeriesBooking({ doctorId, start, reason, zone, onRepeatChange, onBooked }: Props) {
  const { t } = useTranslation();
  const [repeat, setRepeat] = useState(false);
  const [frequency, setFrequency] = useState<SeriesFrequency>("WEEKLY");
  const [interval, setInterval] = useState("1");
  const [ending, setEnding] = useState<Ending>("count");
  const [count, setCount] = useState("4");
  const [until, setUntil] = useState("");
  const [report, setReport] = useState<Outcome | null>(null);
  const [booked, setBooked] = useState<Outcome | null>(null);
  // One key per series request: what was checked is what is booked; a retry sends it again.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [state, send] = useMutation(BookAppointmentSeriesDocument);
  const bookedNote = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (booked) bookedNote.current?.focus();
  }, [booked]);
  // Any change of the request asks for a new check (and a new key).
  useEffect(() => {
    setReport(null);
    setKey(crypto.randomUUID());
  }, [start, reason, frequency, interval, ending, count, until]);

  const toggle = (on: boolean) => {
    setRepeat(on);
    onRepeatChange(on);
  };
  const input = (mode: SeriesBookingMode, dryRun: boolean) => ({
    doctorId,
    start: start!,
    reason: reason || null,
    rule: {
      frequency,
      interval: Number(interval) || 1,
      count: ending === "count" ? Number(count) || null : null,
      until: ending === "until" ? until || null : null,
    },
    idempotencyKey: key,
    mode,
    dryRun,
  });
  const check = async () => {
    if (!start) return;
    const result = await send({ input: input("ALL_OR_NOTHING", true) });
    setReport(result.data?.bookAppointmentSeries ?? null);
  };
  const book = async (mode: SeriesBookingMode) => {
    const result = await send({ input: input(mode, false) });
    if (result.data) {
      setBooked(result.data.bookAppointmentSeries);
      setReport(null);
      setKey(crypto.randomUUID());
      onBooked();
    }
  };
  const free = report?.occurrences.filter((o) => o.bookable).length ?? 0;
  const total = report?.occurrences.length ?? 0;
  const occurrences: ReportedOccurrence[] = report?.occurrences ?? [];
  const bookedCount = booked?.occurrences.filter((o) => o.appointment).length ?? 0;
  return (
    <section className="stack" aria-labelledby="series-title">
      <h3 id="series-title" className="skip">{t("series.title")}</h3>
      <Checkbox isSelected={repeat} onChange={toggle} className="check">
        <span className="box" aria-hidden="true">{repeat ? "✓" : ""}</span> {t("series.repeat")}
      </Checkbox>
      {booked ? (
        <div ref={bookedNote} tabIndex={-1}>
          <Alert tone="success">{t("series.booked", { count: bookedCount })}</Alert>
        </div>
      ) : null}
      {repeat ? (
        <>
          <div className="row">
            <Select
              label={t("series.frequency")}
              value={frequency}
              onChange={(v) => setFrequency(v as SeriesFrequency)}
              choices={[
                { id: "WEEKLY", label: t("series.byWeek") },
                { id: "MONTHLY", label: t("series.byMonth") },
              ]}
            />
            <Field
              label={frequency === "WEEKLY" ? t("series.everyWeeks") : t("series.everyMonths")}
              name="interval" type="number" min={1} max={12} value={interval} onChange={setInterval}
            />
          </div>
          <RadioGroup value={ending} onChange={(v) => setEnding(v as Ending)} className="stack">
            <Label className="label">{t("series.ends")}</Label>
            <div className="row">
              <Radio value="count" className="check">
                {({ isSelected }) => <><span className="box round" aria-hidden="true">{isSelected ? "●" : ""}</span> {t("series.afterCount")}</>}
              </Radio>
              <Radio value="until" className="check">
                {({ isSelected }) => <><span className="box round" aria-hidden="true">{isSelected ? "●" : ""}</span> {t("series.onDay")}</>}
              </Radio>
            </div>
          </RadioGroup>
          {ending === "count" ? (
            <Field label={t("series.count")} name="count" type="number" min={2} max={52} value={count} onChange={setCount} />
          ) : (
            <Field label={t("series.until")} name="until" type="date" value={until} onChange={setUntil} description={t("series.untilHint", { zone })} />
          )}
          <ProblemMessage error={state.error} />
          <div className="actions">
            <Button variant="secondary" isDisabled={!start || state.fetching} onPress={check}>
              {start ? t("series.check") : t("doctor.chooseSlot")}
            </Button>
          </div>
          {report ? (
            <>
              <SeriesReport title={t("series.reportTitle")} occurrences={occurrences} zone={zone} />
              <p role="status">{t("series.free", { free, count: total })}</p>
              <div className="actions">
                <Button isDisabled={state.fetching || free < total} onPress={() => book("ALL_OR_NOTHING")}>
                  {t("series.bookAll", { count: total })}
                </Button>
                <Button variant="secondary" isDisabled={state.fetching || free === 0} onPress={() => book("BOOK_AVAILABLE")}>
                  {t("series.bookFree", { count: free })}
                </Button>
              </div>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
