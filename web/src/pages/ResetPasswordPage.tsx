// /reset-password?token=… and /invitation?token=… (the links our emails send): set a password.
import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { Form } from "react-aria-components";
import { ResetPasswordDocument } from "../gql/graphql";
import { Alert, Button, Field } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";

export default function ResetPasswordPage({ mode }: { mode: "reset" | "invitation" }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [{ fetching, error }, reset] = useMutation(ResetPasswordDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await reset({ input: { token, newPassword: password } });
    if (!result.error) navigate(`/sign-in?done=${mode}`, { replace: true });
  };
  return (
    <div className="card" style={{ maxWidth: "28rem" }}>
      <h1>{t(mode === "reset" ? "auth.resetTitle" : "auth.invitationTitle")}</h1>
      {mode === "invitation" ? <p>{t("auth.invitationIntro")}</p> : null}
      {!token ? <Alert>{t("auth.missingToken")}</Alert> : null}
      <ProblemMessage error={error} />
      <Form className="stack" onSubmit={submit}>
        <Field label={t("auth.newPassword")} name="password" type="password" autoComplete="new-password" isRequired value={password} onChange={setPassword} description={t("auth.passwordHint")} />
        <Button type="submit" isDisabled={fetching || !token}>{t("auth.submitReset")}</Button>
      </Form>
    </div>
  );
}
