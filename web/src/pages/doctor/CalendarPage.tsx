// The doctor's week (FullCalendar, in the doctor's zone): pending requests stand out; each
// appointment opens its actions. The list of pending requests offers the same by keyboard.
import { useMemo, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import FullCalendar from "@fullcalendar/react";
import timeGridPlugin from "@fullcalendar/timegrid";
import luxonPlugin from "@fullcalendar/luxon3";
import type { DatesSetArg, EventClickArg } from "@fullcalendar/core";
import {
  CompleteAppointmentDocument, ConfirmAppointmentDocument, DoctorCalendarDocument, MarkNoShowDocument,
  MyDoctorProfileDocument, PendingRequestsDocument, RejectAppointmentDocument, type AppointmentFieldsFragment,
} from "../../gql/graphql";
import { useLiveAppointments } from "../../live";
import { Badge, Button, Field } from "../../ui/controls";
import { CalendarFeedBox } from "../../components/CalendarFeedBox";
import { ProblemMessage } from "../../ui/Problem";
import { formatDateTime } from "../../time/zones";
import { DateTime } from "luxon";

function Actions({ appointment, zone }: { appointment: AppointmentFieldsFragment; zone: string }) {
  const { t, i18n } = useTranslation();
  const [reason, setReason] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const [confirm, doConfirm] = useMutation(ConfirmAppointmentDocument);
  const [reject, doReject] = useMutation(RejectAppointmentDocument);
  const [complete, doComplete] = useMutation(CompleteAppointmentDocument);
  const [noShow, doNoShow] = useMutation(MarkNoShowDocument);
  const error = confirm.error ?? reject.error ?? complete.error ?? noShow.error;
  const ended = new Date(appointment.start).getTime() <= Date.now();
  return (
    <div className="card" data-testid="request" data-status={appointment.status}>
      <div className="appointment">
        <div>
          <strong>{formatDateTime(appointment.start, zone, i18n.language)}</strong> · {appointment.patient.name}
          {appointment.reason ? <p className="muted" style={{ margin: ".2rem 0" }}>{appointment.reason}</p> : null}
        </div>
        <Badge tone={appointment.status}>{t(`status.${appointment.status}`)}</Badge>
      </div>
      <ProblemMessage error={error} />
      <div className="actions" style={{ marginTop: ".5rem" }}>
        {appointment.status === "PENDING" ? (
          <>
            <Button onPress={() => void doConfirm({ id: appointment.id })} isDisabled={confirm.fetching}>{t("calendar.accept")}<span className="skip"> {appointment.patient.name}</span></Button>
            <Button variant="danger" onPress={() => setRejecting((v) => !v)}>{t("calendar.reject")}<span className="skip"> {appointment.patient.name}</span></Button>
          </>
        ) : null}
        {appointment.status === "CONFIRMED" && ended ? (
          <>
            <Button onPress={() => void doComplete({ id: appointment.id })} isDisabled={complete.fetching}>{t("calendar.complete")}</Button>
            <Button variant="secondary" onPress={() => void doNoShow({ id: appointment.id })} isDisabled={noShow.fetching}>{t("calendar.noShow")}</Button>
          </>
        ) : null}
      </div>
      {rejecting ? (
        <form className="stack" style={{ marginTop: ".5rem" }} onSubmit={(e) => { e.preventDefault(); void doReject({ input: { id: appointment.id, reason } }); }}>
          <Field label={t("calendar.rejectReason")} name="reject-reason" isRequired value={reason} onChange={setReason} />
          <Button type="submit" variant="danger" isDisabled={reject.fetching || !reason}>{t("calendar.reject")}</Button>
        </form>
      ) : null}
    </div>
  );
}

export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const [profile] = useQuery({ query: MyDoctorProfileDocument });
  const zone = profile.data?.myDoctorProfile.timeZone ?? "UTC";
  const [range, setRange] = useState(() => {
    const start = DateTime.now().setZone(zone).startOf("week");
    return { from: start.toUTC().toISO()!, to: start.plus({ days: 7 }).toUTC().toISO()! };
  });
  const [calendar] = useQuery({ query: DoctorCalendarDocument, variables: range });
  const [pending] = useQuery({ query: PendingRequestsDocument });
  const [selected, setSelected] = useState<string | null>(null);
  useLiveAppointments();
  const appointments = useMemo(() => calendar.data?.doctorCalendar ?? [], [calendar.data]);
  const events = useMemo(
    () => appointments.filter((a) => a.status !== "CANCELLED" && a.status !== "REJECTED").map((a) => ({
      id: a.id, title: `${a.patient.name} · ${t(`status.${a.status}`)}`, start: a.start, end: a.end,
      classNames: a.status === "PENDING" ? ["pending-event"] : [],
    })),
    [appointments, t],
  );
  // Answered requests leave the list at once (the server's list follows on the next fetch).
  const waiting = (pending.data?.pendingAppointmentRequests.nodes ?? []).filter((a) => a.status === "PENDING");
  const chosen = appointments.find((a) => a.id === selected) ?? pending.data?.pendingAppointmentRequests.nodes.find((a) => a.id === selected);
  return (
    <>
      <h1>{t("calendar.title")}</h1>
      <ProblemMessage error={calendar.error ?? pending.error} />
      <section aria-labelledby="pending-title">
        <h2 id="pending-title">{t("calendar.pending")} ({waiting.length})</h2>
        {pending.data && !waiting.length ? <p>{t("calendar.none")}</p> : null}
        {waiting.map((a) => <Actions key={a.id} appointment={a} zone={zone} />)}
      </section>
      {chosen && chosen.status !== "PENDING" ? (
        <section aria-label={t("calendar.selected")}><Actions appointment={chosen} zone={zone} /></section>
      ) : null}
      <div className="card calendar">
        {profile.data ? (
          <FullCalendar
            plugins={[timeGridPlugin, luxonPlugin]}
            initialView={window.innerWidth < 640 ? "timeGridDay" : "timeGridWeek"}
            timeZone={zone}
            locale={i18n.language}
            firstDay={1}
            nowIndicator
            allDaySlot={false}
            slotMinTime="07:00:00"
            slotMaxTime="20:00:00"
            height="auto"
            buttonIcons={false}
            buttonText={{ prev: "‹", next: "›" }}
            headerToolbar={{ left: "prev,next today", center: "title", right: "timeGridWeek,timeGridDay" }}
            events={events}
            eventClick={(arg: EventClickArg) => setSelected(arg.event.id)}
            datesSet={(arg: DatesSetArg) => {
              const next = { from: arg.start.toISOString(), to: arg.end.toISOString() };
              if (next.from !== range.from || next.to !== range.to) setRange(next);
            }}
          />
        ) : null}
      </div>
      <CalendarFeedBox />
    </>
  );
}
