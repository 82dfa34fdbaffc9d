import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { Form } from "react-aria-components";
import { sessionEnded, signIn } from "../auth/session";
import { homeOf } from "../App";
import { Button, Field } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";

export default function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(email, password);
      const next = params.get("next");
      navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : homeOf(user.role), { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card" style={{ maxWidth: "28rem" }}>
      <h1>{t("auth.signInTitle")}</h1>
      {params.get("done") ? <p role="status" className="alert alert-success">{t(params.get("done") === "invitation" ? "auth.invitationDone" : "auth.resetDone")}</p> : null}
      {sessionEnded() && !error ? <p role="status" className="alert alert-info">{t("auth.sessionEnded")}</p> : null}
      <ProblemMessage error={error} />
      <Form className="stack" onSubmit={submit}>
        <Field label={t("auth.email")} name="email" type="email" autoComplete="username" isRequired value={email} onChange={setEmail} />
        <Field label={t("auth.password")} name="password" type="password" autoComplete="current-password" isRequired value={password} onChange={setPassword} />
        <Button type="submit" isDisabled={busy}>{t("auth.submitSignIn")}</Button>
      </Form>
      <p><Link to="/forgot-password">{t("auth.forgot")}</Link></p>
      <p><Link to="/register">{t("auth.noAccount")}</Link></p>
    </div>
  );
}
