import { useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { DateTime } from "luxon";
import { Tab, TabList, TabPanel, Tabs } from "react-aria-components";
import {
  AppointmentDetailDocument, CancelAppointmentDocument, DoctorSlotsDocument, MyAppointmentsDocument,
  RescheduleAppointmentDocument, type AppointmentFieldsFragment, type AppointmentWhen,
} from "../gql/graphql";
import { useLiveAppointments } from "../live";
import { ModalDialog } from "../components/Dialog";
import { useSession } from "../auth/session";
import { CalendarFeedBox } from "../components/CalendarFeedBox";
import { MyWaitlist } from "../components/WaitlistBox";
import { SlotPicker } from "../components/SlotPicker";
import { Badge, Button, Field } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";
import { LoadMore } from "../ui/LoadMore";
import { browserZone, dayBounds, formatDateTime, zoneLabel } from "../time/zones";
import { icsFor } from "../time/ics";
import { describeRule } from "../time/rrule";
import { CancelRest, RescheduleRest, hasSeries } from "../components/SeriesChanges";

function IcsLink({ appointment }: { appointment: AppointmentFieldsFragment }) {
  const { t } = useTranslation();
  const href = useMemo(() => URL.createObjectURL(new Blob([icsFor(appointment)], { type: "text/calendar" })), [appointment]);
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  return <a href={href} download={`appointment-${appointment.id}.ics`}>{t("appointments.addToCalendar")}</a>;
}

function History({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [{ data }] = useQuery({ query: AppointmentDetailDocument, variables: { id } });
  const zone = browserZone();
  return (
    <ol className="history">
      {(data?.appointment.history ?? []).map((h, i) => (
        <li key={i}>
          {formatDateTime(h.at, zone, i18n.language)}: {t(`action.${h.action}`)}
          {h.action === "RESCHEDULED" && h.fromStart ? ` (${formatDateTime(h.fromStart, zone, i18n.language)} → ${formatDateTime(h.toStart, zone, i18n.language)})` : ""}
          {h.reason ? ` — ${h.reason}` : ""}
        </li>
      ))}
    </ol>
  );
}

function Reschedule({ appointment, onDone }: { appointment: AppointmentFieldsFragment; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const zone = appointment.doctor.timeZone;
  const [day, setDay] = useState(DateTime.fromISO(appointment.start).setZone(zone).toISODate()!);
  const bounds = useMemo(() => dayBounds(day, zone), [day, zone]);
  const [slots] = useQuery({ query: DoctorSlotsDocument, variables: { id: appointment.doctor.id, ...bounds } });
  const [selected, setSelected] = useState<string | null>(null);
  const [state, reschedule] = useMutation(RescheduleAppointmentDocument);
  return (
    <div className="stack">
      <SlotPicker day={day} onDayChange={(next) => { setSelected(null); setDay(next); }} slots={(slots.data?.availableSlots ?? []).filter((s) => !sameInstant(s.start, appointment.start))} doctorZone={zone} viewerZone={browserZone()}
        selected={selected} onSelect={setSelected} loading={slots.fetching} />
      <ProblemMessage error={state.error} />
      <div className="actions">
        <Button isDisabled={!selected || state.fetching}
          onPress={async () => {
            if (!selected) return;
            const result = await reschedule({ input: { id: appointment.id, start: selected } });
            if (!result.error) onDone();
          }}>
          {selected ? t("appointments.confirmReschedule", { time: `${formatDateTime(selected, zone, i18n.language)} (${zoneLabel(selected, zone, i18n.language)})` }) : t("doctor.chooseSlot")}
        </Button>
        <Button variant="secondary" onPress={onDone}>{t("common.cancel")}</Button>
      </div>
    </div>
  );
}

function Cancel({ appointment, onDone, onCancelled }: { appointment: AppointmentFieldsFragment; onDone: () => void; onCancelled: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [state, cancel] = useMutation(CancelAppointmentDocument);
  return (
    <div className="stack">
      <Field label={t("appointments.cancelReason")} name="cancel-reason" multiline value={reason} onChange={setReason} />
      <ProblemMessage error={state.error} />
      <div className="actions">
        <Button variant="danger" isDisabled={state.fetching}
          onPress={async () => {
            const result = await cancel({ input: { id: appointment.id, reason: reason || null } });
            if (!result.error) onCancelled();
          }}>
          {t("appointments.confirmCancel")}
        </Button>
        <Button variant="secondary" onPress={onDone}>{t("appointments.keep")}</Button>
      </div>
    </div>
  );
}

function AppointmentItem({ appointment, live }: { appointment: AppointmentFieldsFragment; live: boolean }) {
  const { t, i18n } = useTranslation();
  const [dialog, setDialog] = useState<"cancel" | "reschedule" | "cancelRest" | "rescheduleRest" | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  // Cancelled, the appointment has no Cancel button to give focus back to: its heading takes it.
  const heading = useRef<HTMLHeadingElement>(null);
  const focusHeading = useRef(false);
  useEffect(() => {
    if (!focusHeading.current || dialog) return;
    focusHeading.current = false;
    // After the dialog's own focus restore (which finds its trigger gone).
    window.setTimeout(() => heading.current?.focus());
  }, [dialog]);
  const zone = browserZone();
  const open = appointment.status === "PENDING" || appointment.status === "CONFIRMED";
  // The cut-off and the reschedules left, shown before any click.
  const beforeDeadline = new Date(appointment.patientChangeDeadline).getTime() > Date.now();
  const changeable = open && beforeDeadline;
  const canReschedule = changeable && appointment.reschedulesRemaining > 0;
  const when = formatDateTime(appointment.start, zone, i18n.language);
  return (
    <li className="card" data-testid="appointment" data-status={appointment.status}>
      <div className="appointment">
        <div>
          <h3 style={{ margin: 0 }} ref={heading} tabIndex={-1}>{when}</h3>
          <p style={{ margin: ".2rem 0" }}>{t("appointments.with", { name: appointment.doctor.name })} · {appointment.doctor.clinicAddress}</p>
          {appointment.reason ? <p className="muted" style={{ margin: 0 }}>{appointment.reason}</p> : null}
          {appointment.statusReason ? <p className="muted" style={{ margin: 0 }}>{appointment.statusReason}</p> : null}
          {appointment.series ? <p className="muted" data-testid="series" style={{ margin: 0 }}>{t("series.partOf", { rule: describeRule(appointment.series.rule, t) })}</p> : null}
        </div>
        <div>
          <Badge tone={appointment.status}>{t(`status.${appointment.status}`)}</Badge>
          {live ? <span className="muted" role="status"> {t("appointments.liveUpdated")}</span> : null}
        </div>
      </div>
      {open ? (
        <p className="muted" data-testid="change-rules" style={{ margin: ".3rem 0" }}>
          {beforeDeadline ? t("appointments.cutoff", { time: formatDateTime(appointment.patientChangeDeadline, zone, i18n.language) }) : t("errors.TOO_LATE")}{" "}
          {beforeDeadline ? t("appointments.remaining", { count: appointment.reschedulesRemaining }) : null}
        </p>
      ) : null}
      <div className="actions" style={{ marginTop: ".5rem" }}>
        {canReschedule ? <Button variant="secondary" onPress={() => setDialog("reschedule")}>{t("appointments.reschedule")}</Button> : null}
        {changeable ? <Button variant="danger" onPress={() => setDialog("cancel")}>{t("appointments.cancel")}</Button> : null}
        {canReschedule && appointment.series ? <Button variant="secondary" onPress={() => setDialog("rescheduleRest")}>{t("series.rescheduleRest")}</Button> : null}
        {changeable && appointment.series ? <Button variant="danger" onPress={() => setDialog("cancelRest")}>{t("series.cancelRest")}</Button> : null}
        <Button variant="quiet" onPress={() => setShowHistory((v) => !v)} aria-expanded={showHistory}>{t("appointments.history")}</Button>
        {open ? <IcsLink appointment={appointment} /> : null}
      </div>
      {showHistory ? <History id={appointment.id} /> : null}
      <ModalDialog title={t("appointments.reschedule")} isOpen={dialog === "reschedule"} onClose={() => setDialog(null)}>
        <Reschedule appointment={appointment} onDone={() => setDialog(null)} />
      </ModalDialog>
      <ModalDialog title={t("appointments.cancel")} isOpen={dialog === "cancel"} onClose={() => setDialog(null)}>
        <p>{when} — {appointment.doctor.name}</p>
        <Cancel appointment={appointment} onDone={() => setDialog(null)} onCancelled={() => { focusHeading.current = true; setDialog(null); }} />
      </ModalDialog>
      {hasSeries(appointment) ? (
        <>
          <ModalDialog title={t("series.rescheduleRest")} isOpen={dialog === "rescheduleRest"} onClose={() => setDialog(null)}>
            <RescheduleRest appointment={appointment} onDone={() => setDialog(null)} />
          </ModalDialog>
          <ModalDialog title={t("series.cancelRest")} isOpen={dialog === "cancelRest"} onClose={() => setDialog(null)}>
            <p>{t("series.fromThisOn", { time: when })} — {appointment.doctor.name}</p>
            <CancelRest appointment={appointment} onDone={() => setDialog(null)} onCancelled={() => { focusHeading.current = true; setDialog(null); }} />
          </ModalDialog>
        </>
      ) : null}
    </li>
  );
}

function AppointmentList({ when, liveIds }: { when: AppointmentWhen; liveIds: Set<string> }) {
  const { t } = useTranslation();
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, error, fetching }] = useQuery({ query: MyAppointmentsDocument, variables: { when, first: 20, after } });
  if (error && !data) return <ProblemMessage error={error} />;
  if (fetching && !data) return <p role="status">{t("common.loading")}</p>;
  const items = data?.myAppointments.nodes ?? [];
  if (!items.length) return <p>{t("appointments.none")}</p>;
  return (
    <>
      <ul style={{ listStyle: "none", padding: 0 }}>
        {items.map((a) => <AppointmentItem key={a.id} appointment={a} live={liveIds.has(a.id)} />)}
      </ul>
      <LoadMore page={data?.myAppointments} shown={items.length} fetching={fetching} onMore={setAfter} />
    </>
  );
}

export default function AppointmentsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const update = useLiveAppointments();
  const [liveIds, setLiveIds] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (update) setLiveIds((ids) => new Set(ids).add(update.appointment.id));
  }, [update]);
  return (
    <>
      <h1>{t("appointments.title")}</h1>
      <Tabs>
        <TabList aria-label={t("appointments.title")} className="tabs">
          <Tab id="upcoming" className="tab">{t("appointments.upcoming")}</Tab>
          <Tab id="past" className="tab">{t("appointments.past")}</Tab>
        </TabList>
        <TabPanel id="upcoming"><AppointmentList when="UPCOMING" liveIds={liveIds} /></TabPanel>
        <TabPanel id="past"><AppointmentList when="PAST" liveIds={liveIds} /></TabPanel>
      </Tabs>
      {user?.role === "PATIENT" ? <MyWaitlist /> : null}
      <CalendarFeedBox />
    </>
  );
}

// The appointment's own time is no place to move it to (the server says so too).
function sameInstant(a: string, b: string): boolean {
  return DateTime.fromISO(a).toMillis() === DateTime.fromISO(b).toMillis();
}
