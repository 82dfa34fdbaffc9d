import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ApproveDoctorDocument, PendingDoctorsDocument, RejectDoctorDocument } from "../../gql/graphql";
import { Button, Field } from "../../ui/controls";
import { ProblemMessage } from "../../ui/Problem";

function Reject({ id, name }: { id: string; name: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [open, setOpen] = useState(false);
  const [state, reject] = useMutation(RejectDoctorDocument);
  if (!open) return <Button variant="danger" onPress={() => setOpen(true)}>{t("admin.reject")}<span className="skip"> {name}</span></Button>;
  return (
    <form className="row" onSubmit={(e) => { e.preventDefault(); void reject({ id, reason }); }}>
      <Field label={t("admin.rejectReason")} name={`reason-${id}`} isRequired value={reason} onChange={setReason} />
      <Button type="submit" variant="danger" isDisabled={!reason || state.fetching}>{t("admin.reject")}</Button>
      <ProblemMessage error={state.error} />
    </form>
  );
}

export default function OnboardingPage() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: PendingDoctorsDocument });
  const [approving, approve] = useMutation(ApproveDoctorDocument);
  const doctors = data?.pendingDoctors ?? [];
  return (
    <>
      <h1>{t("admin.pending")}</h1>
      <ProblemMessage error={error ?? approving.error} />
      {data && !doctors.length ? <p>{t("admin.queueEmpty")}</p> : null}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {doctors.map((d) => (
          <li key={d.id} className="card" data-testid="pending-doctor">
            <h2 style={{ marginTop: 0 }}>{d.name}</h2>
            <p className="muted">{d.specializations.map((s) => s.name).join(", ")} · {d.city}</p>
            <div className="actions">
              <Button onPress={() => void approve({ id: d.id })} isDisabled={approving.fetching}>{t("admin.approve")}<span className="skip"> {d.name}</span></Button>
              <Reject id={d.id} name={d.name} />
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
