import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { SearchDoctorsDocument, SpecializationsDocument, type DoctorFilter } from "../gql/graphql";
import { NativeField as Field } from "../ui/native";
import { ProblemMessage } from "../ui/Problem";
import { LoadMore } from "../ui/LoadMore";
import { browserZone, formatDateTime, zoneLabel } from "../time/zones";
import { useSession } from "../auth/session";
import { JoinWaitlist } from "../components/WaitlistBox";

const FIELDS = ["specialization", "city", "language", "insurance", "availableOn", "within"] as const;

function filterOf(params: URLSearchParams): DoctorFilter {
  const filter: DoctorFilter = {};
  const get = (k: string) => params.get(k) || null;
  if (get("specialization")) filter.specialization = get("specialization");
  if (get("city")) filter.city = get("city");
  if (get("language")) filter.language = get("language");
  if (get("insurance")) filter.insurance = get("insurance");
  if (get("availableOn")) filter.availableOn = get("availableOn");
  if (get("within")) filter.availableWithinDays = Number(get("within"));
  return filter;
}

export default function SearchPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<Record<string, string>>(() =>
    Object.fromEntries(FIELDS.map((k) => [k, params.get(k) ?? ""])),
  );
  const [specs] = useQuery({ query: SpecializationsDocument });
  // The cursor belongs to one search: another search (or going back) starts at its first page.
  const [more, setMore] = useState<{ search: string; after: string }>();
  const after = more?.search === params.toString() ? more.after : null;
  const setAfter = (cursor: string) => setMore({ search: params.toString(), after: cursor });
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: SearchDoctorsDocument,
    variables: { filter: filterOf(params), first: 20, after },
  });
  const zone = browserZone();
  const set = (key: string) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(Object.fromEntries(Object.entries(form).filter(([, v]) => v)));
    // The same search again (after an error, say offline) asks the API again.
    if (next.toString() === params.toString()) reexecute({ requestPolicy: "network-only" });
    else setParams(next);
  };
  const doctors = data?.doctors.nodes ?? [];
  // A patient who searched a specialization in a city may wait for any doctor of it there.
  const searched = filterOf(params);
  const specialization = (specs.data?.specializations ?? []).find((s) => s.code === searched.specialization);
  const area =
    user?.role === "PATIENT" && specialization && searched.city && doctors.length
      ? { specialization: specialization.code, name: specialization.name, city: doctors[0]?.city ?? searched.city }
      : null;
  return (
    <>
      <h1>{t("search.title")}</h1>
      <form className="filters card" onSubmit={submit} role="search" aria-label={t("search.title")}>
        <label className="field">
          <span className="label">{t("search.specialization")}</span>
          <select className="native" name="specialization" value={form.specialization} onChange={(e) => set("specialization")(e.target.value)}>
            <option value="">{t("search.any")}</option>
            {(specs.data?.specializations ?? []).map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}
          </select>
        </label>
        <Field label={t("search.city")} name="city" value={form.city} onChange={set("city")} />
        <Field label={t("search.language")} name="language" value={form.language} onChange={set("language")} description="en, de, pt…" />
        <Field label={t("search.insurance")} name="insurance" value={form.insurance} onChange={set("insurance")} />
        <Field label={t("search.freeOn")} name="availableOn" type="date" value={form.availableOn} onChange={set("availableOn")} />
        <Field label={t("search.within")} name="within" type="number" min={1} max={90} value={form.within} onChange={set("within")} />
        <button type="submit" className="btn btn-primary">{t("search.submit")}</button>
      </form>
      <ProblemMessage error={error} />
      <p role="status" aria-live="polite">
        {fetching && !data ? t("common.loading") : data ? t("search.results", { count: data.doctors.totalCount }) : ""}
      </p>
      {data && doctors.length === 0 ? <p>{t("search.none")}</p> : null}
      <ul className="grid" aria-label={t("search.title")} style={{ listStyle: "none", padding: 0 }}>
        {doctors.map((d) => (
          <li key={d.id} className="card doctor-card">
            <h2 style={{ marginTop: 0 }}>
              <Link to={`/doctors/${d.id}`}>{d.name}</Link>
            </h2>
            <p className="muted">{d.specializations.map((s) => s.name).join(", ")} · {d.city}</p>
            <p>
              {t("search.next")}:{" "}
              {d.nextAvailable ? (
                <strong>
                  {formatDateTime(d.nextAvailable.start, zone, i18n.language)} ({zoneLabel(d.nextAvailable.start, zone, i18n.language)})
                </strong>
              ) : (
                <span>{t("search.noSlot")}</span>
              )}
            </p>
            <p className="muted">{d.languages.join(", ").toUpperCase()}</p>
            <Link to={`/doctors/${d.id}`}>{t("search.view")}<span className="skip"> — {d.name}</span></Link>
          </li>
        ))}
      </ul>
      {doctors.length ? <LoadMore page={data?.doctors} shown={doctors.length} fetching={fetching} onMore={setAfter} /> : null}
      {area ? <JoinWaitlist key={`${area.specialization}:${area.city}`} area={area} zone={zone} /> : null}
    </>
  );
}
