import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { Checkbox, Form } from "react-aria-components";
import { MeDocument, UpdateNotificationPreferencesDocument, UpdateProfileDocument } from "../gql/graphql";
import { Alert, Button, Field, Select } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";

function Check({ label, value, onChange }: { label: string; value: boolean; onChange: (v: boolean) => void }) {
  return (
    <Checkbox isSelected={value} onChange={onChange} className="check">
      <span className="box" aria-hidden="true">{value ? "✓" : ""}</span> {label}
    </Checkbox>
  );
}

export default function ProfilePage() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: MeDocument });
  const [form, setForm] = useState({ name: "", phone: "", city: "", language: "en", timeZone: "UTC" });
  const [prefs, setPrefs] = useState({ emailEnabled: true, smsEnabled: false, inAppEnabled: true });
  const [saved, setSaved] = useState(false);
  const [profileState, updateProfile] = useMutation(UpdateProfileDocument);
  const [prefsState, updatePrefs] = useMutation(UpdateNotificationPreferencesDocument);
  useEffect(() => {
    if (!data) return;
    const me = data.me;
    setForm({ name: me.name, phone: me.phone ?? "", city: me.city ?? "", language: me.language ?? "en", timeZone: me.timeZone ?? "UTC" });
    const p = data.notificationPreferences;
    setPrefs({ emailEnabled: p.emailEnabled, smsEnabled: p.smsEnabled, inAppEnabled: p.inAppEnabled });
  }, [data]);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const a = await updateProfile({ input: { name: form.name, phone: form.phone || null, city: form.city || null, language: form.language, timeZone: form.timeZone } });
    const b = await updatePrefs({ input: prefs });
    setSaved(!a.error && !b.error);
  };
  const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : ["UTC"];
  return (
    <div className="card" style={{ maxWidth: "36rem" }}>
      <h1>{t("profile.title")}</h1>
      <ProblemMessage error={error ?? profileState.error ?? prefsState.error} />
      {saved ? <Alert tone="success">{t("profile.saved")}</Alert> : null}
      <p className="muted">{data?.me.email}</p>
      <Form className="stack" onSubmit={submit}>
        <Field label={t("auth.name")} name="name" isRequired value={form.name} onChange={set("name")} />
        <Field label={t("profile.phone")} name="phone" type="tel" value={form.phone} onChange={set("phone")} />
        <Field label={t("profile.city")} name="city" value={form.city} onChange={set("city")} />
        <Select label={t("app.language")} value={form.language} onChange={set("language")} choices={[{ id: "en", label: "English" }, { id: "de", label: "Deutsch" }]} />
        <label className="field">
          <span className="label">{t("auth.timeZone")}</span>
          <select className="native" value={form.timeZone} onChange={(e) => set("timeZone")(e.target.value)}>
            {["UTC", ...zones.filter((z) => z !== "UTC")].map((z) => <option key={z}>{z}</option>)}
          </select>
        </label>
        <fieldset className="card">
          <legend>{t("profile.prefs")}</legend>
          <Check label={t("profile.email")} value={prefs.emailEnabled} onChange={(v) => setPrefs((p) => ({ ...p, emailEnabled: v }))} />
          <Check label={t("profile.sms")} value={prefs.smsEnabled} onChange={(v) => setPrefs((p) => ({ ...p, smsEnabled: v }))} />
          <Check label={t("profile.inApp")} value={prefs.inAppEnabled} onChange={(v) => setPrefs((p) => ({ ...p, inAppEnabled: v }))} />
        </fieldset>
        <Button type="submit" isDisabled={profileState.fetching || prefsState.fetching}>{t("profile.save")}</Button>
      </Form>
    </div>
  );
}
