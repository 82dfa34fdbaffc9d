import { useTranslation } from "react-i18next";
import { Alert } from "./alert";
import { describeProblem, problemOf } from "../errors";

/** An API error in words, or nothing. */
export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const problem = problemOf(error);
  if (!problem) return null;
  return <Alert>{describeProblem(problem, t)}</Alert>;
}
