import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { DateTime } from "luxon";
import { BookAppointmentDocument, DoctorPageDocument, DoctorSlotsDocument } from "../gql/graphql";
import { useSession } from "../auth/session";
import { SlotPicker } from "../components/SlotPicker";
import { JoinWaitlist } from "../components/WaitlistBox";
import { SeriesBooking } from "../components/SeriesBooking";
import { Alert, Button, Field } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";
import { browserZone, dayBounds, formatDateTime, zoneLabel } from "../time/zones";

function newKey(): string {
  return crypto.randomUUID();
}

export default function DoctorPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [{ data, error, fetching }] = useQuery({ query: DoctorPageDocument, variables: { id } });
  const doctor = data?.doctor;
  const zone = doctor?.timeZone ?? "UTC";
  const viewer = user?.timeZone || browserZone();
  const initialDay = doctor?.nextAvailable
    ? DateTime.fromISO(doctor.nextAvailable.start).setZone(zone).toISODate()!
    : DateTime.now().setZone(zone).toISODate()!;
  const day = params.get("day") ?? initialDay;
  const bounds = useMemo(() => dayBounds(day, zone), [day, zone]);
  const [slots] = useQuery({ query: DoctorSlotsDocument, variables: { id, ...bounds }, pause: !doctor });
  const [selected, setSelected] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  // One idempotency key per booking attempt: a double click or a retry sends the same key.
  const [attemptKey, setAttemptKey] = useState(newKey);
  const [booking, book] = useMutation(BookAppointmentDocument);
  const [booked, setBooked] = useState<string | null>(null);
  const [repeat, setRepeat] = useState(false);
  // The Book button is disabled once booked: focus goes to the confirmation (and its link),
  // not back to the top of the document.
  const bookedNote = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (booked) bookedNote.current?.focus();
  }, [booked]);

  if (error && !data) return <ProblemMessage error={error} />;
  if (fetching && !data) return <p role="status">{t("common.loading")}</p>;
  if (!doctor) return <Alert>{t("doctor.notFound")}</Alert>;

  const choose = (start: string) => {
    setSelected(start);
    setAttemptKey(newKey());
  };
  const changeDay = (next: string) => {
    setSelected(null);
    setParams({ day: next }, { replace: true });
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!selected || booking.fetching || repeat) return;
    const result = await book({
      input: { doctorId: doctor.id, start: selected, reason: reason || null, idempotencyKey: attemptKey },
    });
    if (result.data) {
      setBooked(result.data.bookAppointment.id);
      setSelected(null);
      setReason("");
      setAttemptKey(newKey());
    } else {
      const code = result.error?.graphQLErrors[0]?.extensions?.code;
      if (code === "SLOT_TAKEN" || code === "OUTSIDE_AVAILABILITY") setAttemptKey(newKey());
    }
  };
  return (
    <article>
      <h1>{doctor.name}</h1>
      <section className="card">
        <p><strong>{doctor.specializations.map((s) => s.name).join(", ")}</strong></p>
        <p>{doctor.bio}</p>
        <dl className="facts">
          <dt>{t("doctor.address")}</dt><dd>{doctor.clinicAddress}, {doctor.city}{doctor.clinicPhone ? ` · ${doctor.clinicPhone}` : ""}</dd>
          <dt>{t("doctor.languages")}</dt><dd>{doctor.languages.join(", ").toUpperCase()}</dd>
          <dt>{t("doctor.insurance")}</dt><dd>{doctor.acceptedInsurance.join(", ")}</dd>
          <dt>{t("doctor.fee")}</dt><dd>{new Intl.NumberFormat(i18n.language, { style: "currency", currency: doctor.currency }).format(Number(doctor.fee))} · {t("doctor.minutes", { count: doctor.consultationMinutes })}</dd>
        </dl>
        <p className="muted">{t("doctor.notice", { hours: Math.round(doctor.bookingPolicy.minimumNoticeMinutes / 60) })}</p>
      </section>
      <form className="card" onSubmit={submit} aria-label={t("doctor.chooseSlot")}>
        <SlotPicker
          day={day}
          onDayChange={changeDay}
          slots={slots.data?.availableSlots ?? []}
          doctorZone={zone}
          viewerZone={viewer}
          selected={selected}
          onSelect={choose}
          loading={slots.fetching}
        />
        <ProblemMessage error={slots.error} />
        {booked ? (
          <div ref={bookedNote} tabIndex={-1}>
            <Alert tone="success">
              {t("doctor.booked")} <Link to="/appointments">{t("nav.appointments")}</Link>
            </Alert>
          </div>
        ) : null}
        <ProblemMessage error={booking.error} />
        {user?.role === "PATIENT" ? (
          <div className="stack">
            <Field label={t("doctor.reason")} name="reason" multiline value={reason} onChange={setReason} />
            <SeriesBooking doctorId={doctor.id} start={selected} reason={reason} zone={zone} onRepeatChange={setRepeat}
              onBooked={() => setSelected(null)} />
            {repeat ? null : (
              <Button type="submit" isDisabled={!selected || booking.fetching}>
                {booking.fetching
                  ? t("doctor.booking")
                  : selected
                    ? t("doctor.book", { time: `${formatDateTime(selected, zone, i18n.language)} (${zoneLabel(selected, zone, i18n.language)})` })
                    : t("doctor.chooseSlot")}
              </Button>
            )}
          </div>
        ) : !user ? (
          <Button onPress={() => navigate(`/sign-in?next=${encodeURIComponent(`/doctors/${id}?day=${day}`)}`)}>{t("doctor.signInToBook")}</Button>
        ) : null}
      </form>
      {user?.role === "PATIENT" ? <JoinWaitlist doctorId={doctor.id} zone={zone} /> : null}
    </article>
  );
}
