// The doctor's own practice profile (what patients see and search by): every field the
// doctors subgraph's `updateDoctorProfile` takes. On an error the form keeps what was typed.
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { Checkbox } from "react-aria-components";
import { MyPracticeProfileDocument, UpdateDoctorProfileDocument } from "../../gql/graphql";
import { Alert, Button, Field } from "../../ui/controls";
import { ProblemMessage } from "../../ui/Problem";

interface Form {
  name: string; city: string; clinicAddress: string; clinicPhone: string; bio: string;
  languages: string; acceptedInsurance: string; consultationMinutes: string; fee: string;
  currency: string; timeZone: string; acceptingNewPatients: boolean; specializations: string[];
}

const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

function Check({ label, value, onChange }: { label: string; value: boolean; onChange: (v: boolean) => void }) {
  return (
    <Checkbox isSelected={value} onChange={onChange} className="check">
      <span className="box" aria-hidden="true">{value ? "✓" : ""}</span> {label}
    </Checkbox>
  );
}

export default function PracticeProfilePage() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: MyPracticeProfileDocument });
  const [state, save] = useMutation(UpdateDoctorProfileDocument);
  const [form, setForm] = useState<Form | null>(null);
  const [saved, setSaved] = useState(false);
  const profile = data?.myDoctorProfile;
  useEffect(() => {
    if (!profile || form) return;
    setForm({
      name: profile.name, city: profile.city, clinicAddress: profile.clinicAddress, clinicPhone: profile.clinicPhone ?? "",
      bio: profile.bio, languages: profile.languages.join(", "), acceptedInsurance: profile.acceptedInsurance.join(", "),
      consultationMinutes: String(profile.consultationMinutes), fee: String(profile.fee), currency: profile.currency,
      timeZone: profile.timeZone, acceptingNewPatients: profile.acceptingNewPatients,
      specializations: profile.specializations.map((s) => s.code),
    });
  }, [profile, form]);
  if (error && !data) return <ProblemMessage error={error} />;
  if (!profile || !form) return <p role="status">{t("common.loading")}</p>;
  const set = (key: keyof Form) => (value: string) => setForm((f) => (f ? { ...f, [key]: value } : f));
  const toggle = (code: string, on: boolean) =>
    setForm((f) => (f ? { ...f, specializations: on ? [...f.specializations, code] : f.specializations.filter((c) => c !== code) } : f));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const result = await save({ input: {
      name: form.name, city: form.city, clinicAddress: form.clinicAddress, clinicPhone: form.clinicPhone,
      bio: form.bio, languages: list(form.languages), acceptedInsurance: list(form.acceptedInsurance),
      consultationMinutes: Number(form.consultationMinutes), fee: form.fee, currency: form.currency.toUpperCase(),
      timeZone: form.timeZone, acceptingNewPatients: form.acceptingNewPatients, specializations: form.specializations,
    } });
    setSaved(!result.error);
  };
  const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : [form.timeZone];
  return (
    <div className="card" style={{ maxWidth: "44rem" }}>
      <h1>{t("practice.title")}</h1>
      <p className="muted">
        {t("practice.intro")} <Link to={`/doctors/${profile.id}`}>{t("practice.public")}</Link>
      </p>
      <ProblemMessage error={state.error} />
      {saved && !state.error ? <Alert tone="success">{t("practice.saved")}</Alert> : null}
      <form className="stack" onSubmit={submit}>
        <Field label={t("auth.name")} name="name" isRequired value={form.name} onChange={set("name")} />
        <Field label={t("practice.bio")} name="bio" multiline value={form.bio} onChange={set("bio")} />
        <fieldset className="card">
          <legend>{t("practice.specializations")}</legend>
          {(data?.specializations ?? []).map((s) => (
            <Check key={s.code} label={s.name} value={form.specializations.includes(s.code)} onChange={(on) => toggle(s.code, on)} />
          ))}
        </fieldset>
        <Field label={t("practice.languages")} name="languages" description={t("practice.languagesHint")} value={form.languages} onChange={set("languages")} />
        <Field label={t("practice.insurance")} name="insurance" description={t("practice.listHint")} value={form.acceptedInsurance} onChange={set("acceptedInsurance")} />
        <Field label={t("profile.city")} name="city" isRequired value={form.city} onChange={set("city")} />
        <Field label={t("practice.address")} name="clinicAddress" value={form.clinicAddress} onChange={set("clinicAddress")} />
        <Field label={t("practice.phone")} name="clinicPhone" type="tel" value={form.clinicPhone} onChange={set("clinicPhone")} />
        <Field label={t("practice.minutes")} name="consultationMinutes" type="number" min={5} max={480} value={form.consultationMinutes} onChange={set("consultationMinutes")} />
        <div className="row">
          <Field label={t("practice.fee")} name="fee" type="number" min={0} step="0.01" value={form.fee} onChange={set("fee")} />
          <Field label={t("practice.currency")} name="currency" value={form.currency} onChange={set("currency")} />
        </div>
        <label className="field">
          <span className="label">{t("auth.timeZone")}</span>
          <select className="native" value={form.timeZone} onChange={(e) => set("timeZone")(e.target.value)}>
            {[form.timeZone, ...zones.filter((z) => z !== form.timeZone)].map((z) => <option key={z}>{z}</option>)}
          </select>
        </label>
        <Check label={t("practice.accepting")} value={form.acceptingNewPatients} onChange={(v) => setForm((f) => (f ? { ...f, acceptingNewPatients: v } : f))} />
        <Button type="submit" isDisabled={state.fetching}>{t("practice.save")}</Button>
      </form>
    </div>
  );
}
