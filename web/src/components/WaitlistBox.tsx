import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { DateTime } from "luxon";
import {
  AcceptWaitlistOfferDocument,
  DeclineWaitlistOfferDocument,
  JoinWaitlistDocument,
  LeaveWaitlistDocument,
  MyWaitlistDocument,
  SpecializationsDocument,
  type MyWaitlistQuery,
} from "../gql/graphql";
import { Alert, Button, Field } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";
import { formatDateTime, formatDay, zoneLabel } from "../time/zones";

export interface Wish {
  firstDay: string;
  lastDay: string;
  earliest: string;
  latest: string;
}

interface JoinProps {
  zone: string;
  /** Waiting for any doctor of a specialization in a city (its name and the city). */
  area?: { specialization: string; city: string };
  error: unknown;
  joining: boolean;
  position: number | null;
  onJoin: (wish: Wish) => Promise<void>;
}

/** Join a doctor's waitlist: the days (and optionally hours) a freed slot may be on. */
export function JoinWaitlistView({ zone, area, error, joining, position, onJoin }: JoinProps) {
  const { t } = useTranslation();
  const today = DateTime.now().setZone(zone).toISODate()!;
  const [wish, setWish] = useState<Wish>({ firstDay: today, lastDay: today, earliest: "", latest: "" });
  const set = (key: keyof Wish) => (value: string) => setWish((w) => ({ ...w, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!joining) await onJoin(wish);
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="waitlist-join-title">
      <h2 id="waitlist-join-title">{area ? t("waitlist.joinAreaTitle", area) : t("waitlist.joinTitle")}</h2>
      <p>{area ? t("waitlist.joinAreaExplain", area) : t("waitlist.joinExplain", { zone })}</p>
      <div className="row">
        <Field label={t("waitlist.firstDay")} name="firstDay" type="date" isRequired value={wish.firstDay} onChange={set("firstDay")} />
        <Field label={t("waitlist.lastDay")} name="lastDay" type="date" isRequired value={wish.lastDay} onChange={set("lastDay")} />
        <Field label={t("waitlist.earliest")} name="earliest" type="time" value={wish.earliest} onChange={set("earliest")} />
        <Field label={t("waitlist.latest")} name="latest" type="time" value={wish.latest} onChange={set("latest")} />
      </div>
      <ProblemMessage error={error} />
      {position !== null ? <Alert tone="success">{t("waitlist.joined", { position })}</Alert> : null}
      <div className="actions">
        <Button type="submit" isDisabled={joining || position !== null}>{t("waitlist.join")}</Button>
      </div>
    </form>
  );
}

type JoinTarget =
  | { doctorId: string; zone: string; area?: undefined }
  | { doctorId?: undefined; zone: string; area: { specialization: string; name: string; city: string } };

/** Join one doctor's waitlist, or (`area`) the waitlist for any doctor of a specialization in a city. */
export function JoinWaitlist({ doctorId, zone, area }: JoinTarget) {
  const [joining, join] = useMutation(JoinWaitlistDocument);
  const [position, setPosition] = useState<number | null>(null);
  return (
    <JoinWaitlistView
      zone={zone}
      area={area ? { specialization: area.name, city: area.city } : undefined}
      error={joining.error}
      joining={joining.fetching}
      position={position}
      onJoin={async (wish) => {
        const result = await join({
          input: {
            ...(area ? { specialization: area.specialization, city: area.city } : { doctorId }),
            firstDay: wish.firstDay,
            lastDay: wish.lastDay,
            earliest: wish.earliest || null,
            latest: wish.latest || null,
          },
        });
        if (result.data) setPosition(result.data.joinWaitlist.position ?? null);
      }}
    />
  );
}

type Entry = MyWaitlistQuery["myWaitlist"][number];

interface ListProps {
  entries: Entry[];
  /** Specialization names by code (an area entry names its specialization). */
  specializations?: Record<string, string>;
  error: unknown;
  busy: boolean;
  booked: boolean;
  onAccept: (offerId: string) => Promise<void>;
  onDecline: (offerId: string) => Promise<void>;
  onLeave: (entryId: string) => Promise<void>;
}

/** The patient's waitlists: place in line, the slot held for them (accept or let go), leave. */
export function MyWaitlistView({ entries, specializations = {}, error, busy, booked, onAccept, onDecline, onLeave }: ListProps) {
  const { t, i18n } = useTranslation();
  const at = (iso: string, zone: string) => `${formatDateTime(iso, zone, i18n.language)} (${zoneLabel(iso, zone, i18n.language)})`;
  return (
    <section className="card stack" aria-labelledby="waitlist-title">
      <h2 id="waitlist-title">{t("waitlist.title")}</h2>
      <ProblemMessage error={error} />
      {booked ? <Alert tone="success">{t("waitlist.booked")}</Alert> : null}
      {entries.length === 0 ? <p>{t("waitlist.none")}</p> : null}
      <ul className="stack">
        {entries.map((entry) => (
          <li key={entry.id} className="stack">
            <p>
              <strong>{entry.doctor ? entry.doctor.name : t("waitlist.anyDoctor", { specialization: specializations[entry.specialization ?? ""] ?? entry.specialization, city: entry.city })}</strong>{" · "}
              {t("waitlist.days", { first: formatDay(entry.firstDay, i18n.language), last: formatDay(entry.lastDay, i18n.language) })}
              {entry.latest || entry.earliest !== "00:00:00"
                ? ` · ${t("waitlist.hours", { earliest: entry.earliest.slice(0, 5), latest: entry.latest ? entry.latest.slice(0, 5) : "24:00" })}`
                : ""}
              {entry.position ? ` · ${t("waitlist.position", { position: entry.position })}` : ""}
            </p>
            {entry.offer ? (
              <div className="stack" role="group" aria-label={t("waitlist.offerTitle")}>
                <Alert tone="success">
                  {entry.doctor
                    ? t("waitlist.offer", { time: at(entry.offer.start, entry.offer.timeZone), until: at(entry.offer.expiresAt, entry.offer.timeZone) })
                    : t("waitlist.offerWith", { doctor: entry.offer.doctor.name, time: at(entry.offer.start, entry.offer.timeZone), until: at(entry.offer.expiresAt, entry.offer.timeZone) })}
                </Alert>
                <div className="actions">
                  <Button isDisabled={busy} onPress={() => onAccept(entry.offer!.id)}>{t("waitlist.accept")}</Button>
                  <Button variant="secondary" isDisabled={busy} onPress={() => onDecline(entry.offer!.id)}>{t("waitlist.decline")}</Button>
                </div>
              </div>
            ) : null}
            <div className="actions">
              <Button variant="quiet" isDisabled={busy} onPress={() => onLeave(entry.id)}>{t("waitlist.leave")}</Button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function MyWaitlist() {
  // The mutations and arriving notifications invalidate `myWaitlist` (api/client.ts).
  const [list] = useQuery({ query: MyWaitlistDocument });
  const [specs] = useQuery({ query: SpecializationsDocument });
  const names = Object.fromEntries((specs.data?.specializations ?? []).map((s) => [s.code, s.name]));
  const [accepting, accept] = useMutation(AcceptWaitlistOfferDocument);
  const [declining, decline] = useMutation(DeclineWaitlistOfferDocument);
  const [leaving, leave] = useMutation(LeaveWaitlistDocument);
  const [booked, setBooked] = useState(false);
  return (
    <MyWaitlistView
      entries={list.data?.myWaitlist ?? []}
      specializations={names}
      error={list.error ?? accepting.error ?? declining.error ?? leaving.error}
      busy={accepting.fetching || declining.fetching || leaving.fetching}
      booked={booked}
      onAccept={async (offerId) => {
        const result = await accept({ offerId });
        if (result.data) setBooked(true);
      }}
      onDecline={async (offerId) => { await decline({ offerId }); }}
      onLeave={async (id) => { await leave({ id }); }}
    />
  );
}
