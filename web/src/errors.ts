// API errors in words a person understands: by `extensions.code`, never the raw message.
import type { CombinedError } from "urql";
import type { TFunction } from "i18next";
import { SessionError } from "./auth/session";

export interface Problem {
  code: string;
  message?: string;
  retryAfter?: number;
  service?: string;
}

const KNOWN = new Set([
  "SLOT_TAKEN", "TOO_LATE", "OUTSIDE_AVAILABILITY", "FORBIDDEN", "RATE_LIMITED", "UNAUTHENTICATED",
  "SERVICE_UNAVAILABLE", "SUBREQUEST_HTTP_ERROR", "SUBREQUEST_TIMEOUT", "NOT_FOUND", "CONFLICT",
  "RESCHEDULE_LIMIT_REACHED", "DOCTOR_NOT_BOOKABLE", "BAD_USER_INPUT", "INVALID_CREDENTIALS",
  "EMAIL_TAKEN", "WEAK_PASSWORD", "INVALID_TOKEN", "NETWORK", "OVERLAP", "ACCOUNT_DISABLED",
  "ALREADY_ON_WAITLIST", "OFFER_EXPIRED", "OFFER_CLOSED",
]);

export function problemOf(error: CombinedError | SessionError | unknown): Problem | null {
  if (!error) return null;
  if (error instanceof SessionError) {
    const first = error.errors[0];
    return { code: first?.code ?? "INTERNAL", retryAfter: first?.retryAfter, message: first?.message };
  }
  const combined = error as CombinedError;
  const response = (combined as { response?: Response }).response;
  // The router's own limit answers 429 with the wait in `Retry-After` (and a GraphQL body).
  const retryHeader = Number(response?.headers?.get?.("retry-after")) || undefined;
  if (combined.graphQLErrors?.length) {
    const first = combined.graphQLErrors[0];
    const ext = (first.extensions ?? {}) as { code?: string; serviceName?: string; retryAfter?: number; retryAfterSeconds?: number };
    return {
      code: ext.code ?? "INTERNAL",
      service: ext.serviceName,
      retryAfter: ext.retryAfter ?? ext.retryAfterSeconds ?? retryHeader,
      message: first.message,
    };
  }
  if (combined.networkError) {
    if (response?.status === 429) {
      return { code: "RATE_LIMITED", retryAfter: retryHeader };
    }
    if (response && response.status >= 500) return { code: "SERVICE_UNAVAILABLE" };
    return { code: "NETWORK" };
  }
  return { code: "INTERNAL" };
}

export function describeProblem(problem: Problem, t: TFunction): string {
  const key = KNOWN.has(problem.code) ? problem.code : "INTERNAL";
  if (key === "BAD_USER_INPUT" && problem.message) {
    // Input refusals are written for people ("The password is too short.").
    return t("errors.BAD_USER_INPUT_DETAIL", { detail: problem.message });
  }
  return t(`errors.${key}`, { seconds: problem.retryAfter ?? 60, service: problem.service ?? "" });
}
