import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { Checkbox, Form } from "react-aria-components";
import { MeDocument, UpdateProfileDocument, type ContactChannel } from "../gql/graphql";
import { Alert, Button, Field, Select } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";

function Check({ label, value, onChange }: { label: string; value: boolean; onChange: (v: boolean) => void }) {
  return (
    <Checkbox isSelected={value} onChange={onChange} className="check">
      <span className="box" aria-hidden="true">{value ? "✓" : ""}</span> {label}
    </Checkbox>
  );
}

const CHANNELS: ContactChannel[] = ["EMAIL", "SMS", "IN_APP"];

export default function ProfilePage() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: MeDocument });
  const [form, setForm] = useState({ name: "", phone: "", city: "", language: "en", timeZone: "UTC" });
  // The channels the user accepts (User.notificationChannels); notifications follows them.
  const [channels, setChannels] = useState<ContactChannel[]>(["EMAIL", "IN_APP"]);
  const [saved, setSaved] = useState(false);
  const [profileState, updateProfile] = useMutation(UpdateProfileDocument);
  useEffect(() => {
    if (!data) return;
    const me = data.me;
    setForm({ name: me.name, phone: me.phone ?? "", city: me.city ?? "", language: me.language ?? "en", timeZone: me.timeZone ?? "UTC" });
    if (me.notificationChannels) setChannels(me.notificationChannels);
  }, [data]);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const toggle = (channel: ContactChannel) => (on: boolean) =>
    setChannels((now) => CHANNELS.filter((c) => (c === channel ? on : now.includes(c))));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const a = await updateProfile({ input: { name: form.name, phone: form.phone || null, city: form.city || null, language: form.language, timeZone: form.timeZone, notificationChannels: channels } });
    setSaved(!a.error);
  };
  const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : ["UTC"];
  return (
    <div className="card" style={{ maxWidth: "36rem" }}>
      <h1>{t("profile.title")}</h1>
      <ProblemMessage error={error ?? profileState.error} />
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
          <Check label={t("profile.email")} value={channels.includes("EMAIL")} onChange={toggle("EMAIL")} />
          <Check label={t("profile.sms")} value={channels.includes("SMS")} onChange={toggle("SMS")} />
          <Check label={t("profile.inApp")} value={channels.includes("IN_APP")} onChange={toggle("IN_APP")} />
        </fieldset>
        <Button type="submit" isDisabled={profileState.fetching}>{t("profile.save")}</Button>
      </Form>
    </div>
  );
}
