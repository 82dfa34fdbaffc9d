// The rest of a series from one occurrence on: move it to another time of day or weekday
// (checked first: which dates are free), or cancel it.
import { useMemo, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { DateTime } from "luxon";
import {
  CancelAppointmentSeriesDocument, DoctorSlotsDocument, RescheduleAppointmentSeriesDocument,
  type AppointmentFieldsFragment, type RescheduleAppointmentSeriesMutation, type SeriesBookingMode,
} from "../gql/graphql";
import { SlotPicker } from "./SlotPicker";
import { SeriesReport } from "./SeriesReport";
import { Alert, Button, Field } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";
import { browserZone, dayBounds } from "../time/zones";

type Occurrence = AppointmentFieldsFragment & { series: NonNullable<AppointmentFieldsFragment["series"]> };
type Report = RescheduleAppointmentSeriesMutation["rescheduleAppointmentSeries"];

export function RescheduleRest({ appointment, onDone }: { appointment: Occurrence; onDone: () => void }) {
  const { t } = useTranslation();
  const zone = appointment.doctor.timeZone;
  const [day, setDay] = useState(DateTime.fromISO(appointment.start).setZone(zone).toISODate()!);
  const bounds = useMemo(() => dayBounds(day, zone), [day, zone]);
  const [slots] = useQuery({ query: DoctorSlotsDocument, variables: { id: appointment.doctor.id, ...bounds } });
  const [selected, setSelected] = useState<string | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [state, send] = useMutation(RescheduleAppointmentSeriesDocument);
  const choose = (start: string) => {
    setSelected(start);
    setReport(null);
    setKey(crypto.randomUUID());
  };
  const input = (mode: SeriesBookingMode, dryRun: boolean) => ({
    seriesId: appointment.series.id,
    fromAppointmentId: appointment.id,
    start: selected!,
    idempotencyKey: key,
    mode,
    dryRun,
  });
  const check = async () => {
    const result = await send({ input: input("ALL_OR_NOTHING", true) });
    setReport(result.data?.rescheduleAppointmentSeries ?? null);
  };
  const move = async (mode: SeriesBookingMode) => {
    const result = await send({ input: input(mode, false) });
    if (result.data) onDone();
  };
  const free = report?.occurrences.filter((o) => o.bookable).length ?? 0;
  const total = report?.occurrences.length ?? 0;
  const own = DateTime.fromISO(appointment.start).toMillis();
  return (
    <div className="stack">
      <p>{t("series.moveExplain")}</p>
      <SlotPicker day={day} onDayChange={(next) => { setSelected(null); setReport(null); setDay(next); }}
        slots={(slots.data?.availableSlots ?? []).filter((s) => DateTime.fromISO(s.start).toMillis() !== own)}
        doctorZone={zone} viewerZone={browserZone()} selected={selected} onSelect={choose} loading={slots.fetching} />
      <ProblemMessage error={state.error} />
      {report ? (
        <>
          <SeriesReport title={t("series.moveReportTitle")} occurrences={report.occurrences} zone={zone} />
          <p role="status">{t("series.free", { free, count: total })}</p>
        </>
      ) : null}
      <div className="actions">
        {report ? (
          <>
            <Button isDisabled={state.fetching || free < total} onPress={() => move("ALL_OR_NOTHING")}>{t("series.moveAll", { count: total })}</Button>
            <Button variant="secondary" isDisabled={state.fetching || free === 0} onPress={() => move("BOOK_AVAILABLE")}>{t("series.moveFree", { count: free })}</Button>
          </>
        ) : (
          <Button isDisabled={!selected || state.fetching} onPress={check}>{selected ? t("series.check") : t("doctor.chooseSlot")}</Button>
        )}
        <Button variant="secondary" onPress={onDone}>{t("common.cancel")}</Button>
      </div>
    </div>
  );
}

export function CancelRest({ appointment, onDone, onCancelled }: { appointment: Occurrence; onDone: () => void; onCancelled: (count: number) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [state, cancel] = useMutation(CancelAppointmentSeriesDocument);
  return (
    <div className="stack">
      <Alert tone="info">{t("series.cancelExplain")}</Alert>
      <Field label={t("appointments.cancelReason")} name="series-cancel-reason" multiline value={reason} onChange={setReason} />
      <ProblemMessage error={state.error} />
      <div className="actions">
        <Button variant="danger" isDisabled={state.fetching}
          onPress={async () => {
            const result = await cancel({ seriesId: appointment.series.id, fromAppointmentId: appointment.id, reason: reason || null });
            if (result.data) onCancelled(result.data.cancelAppointmentSeries.length);
          }}>
          {t("series.confirmCancelRest")}
        </Button>
        <Button variant="secondary" onPress={onDone}>{t("appointments.keep")}</Button>
      </div>
    </div>
  );
}

export function hasSeries(appointment: AppointmentFieldsFragment): appointment is Occurrence {
  return appointment.series != null;
}
