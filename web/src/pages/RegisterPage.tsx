import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { Form } from "react-aria-components";
import { RegisterDocument } from "../gql/graphql";
import { signIn } from "../auth/session";
import { Button, Field } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";
import { browserZone } from "../time/zones";

export default function RegisterPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const [error, setError] = useState<unknown>(null);
  const [{ fetching }, register] = useMutation(RegisterDocument);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await register({
      input: { ...form, role: "PATIENT", language: i18n.language.slice(0, 2), timeZone: browserZone() },
    });
    if (result.error) return setError(result.error);
    try {
      await signIn(form.email, form.password);
      navigate("/", { replace: true });
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="card" style={{ maxWidth: "28rem" }}>
      <h1>{t("auth.registerTitle")}</h1>
      <ProblemMessage error={error} />
      <Form className="stack" onSubmit={submit}>
        <Field label={t("auth.name")} name="name" autoComplete="name" isRequired value={form.name} onChange={set("name")} />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" isRequired value={form.email} onChange={set("email")} />
        <Field label={t("auth.password")} name="password" type="password" autoComplete="new-password" isRequired value={form.password} onChange={set("password")} description={t("auth.passwordHint")} />
        <Button type="submit" isDisabled={fetching}>{t("auth.submitRegister")}</Button>
      </Form>
      <p><Link to="/sign-in">{t("auth.haveAccount")}</Link></p>
    </div>
  );
}
