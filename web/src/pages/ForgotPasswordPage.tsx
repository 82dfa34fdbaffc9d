import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { Form } from "react-aria-components";
import { RequestPasswordResetDocument } from "../gql/graphql";
import { Alert, Button, Field } from "../ui/controls";
import { ProblemMessage } from "../ui/Problem";

export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [done, setDone] = useState(false);
  const [{ fetching, error }, request] = useMutation(RequestPasswordResetDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await request({ input: { email } });
    setDone(!result.error);
  };
  return (
    <div className="card" style={{ maxWidth: "28rem" }}>
      <h1>{t("auth.requestTitle")}</h1>
      <ProblemMessage error={error} />
      {done ? <Alert tone="success">{t("auth.requestDone")}</Alert> : null}
      <Form className="stack" onSubmit={submit}>
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" isRequired value={email} onChange={setEmail} />
        <Button type="submit" isDisabled={fetching}>{t("auth.submitRequest")}</Button>
      </Form>
    </div>
  );
}
