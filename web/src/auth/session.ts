// The signed-in session. The access token lives in this module's memory only; the refresh
// token is an HttpOnly cookie the router sets and reads on /auth/session/* (no script sees it).
import { useSyncExternalStore } from "react";

export type Role = "PATIENT" | "DOCTOR" | "ADMIN";
export interface SessionUser {
  id: string;
  name: string;
  role: Role;
  email?: string | null;
  language?: string | null;
  timeZone?: string | null;
}
interface Session {
  accessToken: string;
  expiresAt: number;
  user: SessionUser;
}
export interface ApiError {
  message: string;
  code: string;
  retryAfter?: number;
}
export class SessionError extends Error {
  constructor(readonly errors: ApiError[]) {
    super(errors[0]?.message ?? "Request failed");
  }
  get code(): string {
    return this.errors[0]?.code ?? "INTERNAL";
  }
}

let current: Session | null = null;
let restoring = true;
let ended = false;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();
const REFRESH_AHEAD_MS = 30_000;

function emit(): void {
  for (const listener of listeners) listener();
}

export function accessToken(): string | null {
  return current?.accessToken ?? null;
}

export function currentUser(): SessionUser | null {
  return current?.user ?? null;
}

async function call(path: string, body: unknown, auth = false): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-healthbook-csrf": "1",
  };
  if (auth && current) headers.authorization = `Bearer ${current.accessToken}`;
  return fetch(`/auth/session/${path}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body ?? {}),
    credentials: "same-origin",
  });
}

async function errorsOf(response: Response): Promise<ApiError[]> {
  const retry = Number(response.headers.get("retry-after") ?? "") || undefined;
  try {
    const body = (await response.json()) as {
      errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number } }[];
    };
    return (body.errors ?? []).map((e) => ({
      message: e.message,
      code: e.extensions?.code ?? (response.status === 429 ? "RATE_LIMITED" : "INTERNAL"),
      retryAfter: retry ?? e.extensions?.retryAfterSeconds,
    }));
  } catch {
    return [{ message: response.statusText, code: response.status === 429 ? "RATE_LIMITED" : "SERVICE_UNAVAILABLE" }];
  }
}

function adopt(body: { accessToken: string; accessTokenExpiresAt: string; user: SessionUser }): SessionUser {
  current = {
    accessToken: body.accessToken,
    expiresAt: Date.parse(body.accessTokenExpiresAt),
    user: body.user,
  };
  schedule();
  emit();
  return body.user;
}

function schedule(): void {
  clearTimeout(timer);
  if (!current) return;
  const wait = Math.max(5_000, current.expiresAt - Date.now() - REFRESH_AHEAD_MS);
  timer = setTimeout(() => {
    void refresh().catch(() => undefined);
  }, wait);
}

/** True once a signed-in session was ended elsewhere (expired, revoked) until the next sign-in. */
export function sessionEnded(): boolean {
  return ended;
}

export async function signIn(email: string, password: string): Promise<SessionUser> {
  let response: Response;
  try {
    response = await call("login", { email, password });
  } catch {
    throw new SessionError([{ message: "network", code: "NETWORK" }]);
  }
  if (!response.ok) throw new SessionError(await errorsOf(response));
  ended = false;
  return adopt(await response.json());
}

let inflight: Promise<SessionUser | null> | null = null;

/** New tokens from the cookie (silent refresh, and restoring a session after a reload). */
export function refresh(): Promise<SessionUser | null> {
  inflight ??= (async () => {
    try {
      const response = await call("refresh", {});
      if (!response.ok) {
        if (response.status === 401) {
          ended = ended || current !== null;
          current = null;
          clearTimeout(timer);
          emit();
        }
        return null;
      }
      const body = await response.json();
      if (body.session === null) {
        current = null;
        emit();
        return null;
      }
      return adopt(body);
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

export async function signOut(): Promise<void> {
  try {
    await call("logout", {}, true);
  } finally {
    current = null;
    clearTimeout(timer);
    emit();
  }
}

export async function restore(): Promise<void> {
  try {
    await refresh();
  } catch {
    // offline or router down: stay signed out
  } finally {
    restoring = false;
    emit();
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): { user: SessionUser | null; restoring: boolean } {
  const user = useSyncExternalStore(subscribe, currentUser);
  const busy = useSyncExternalStore(subscribe, () => restoring);
  return { user, restoring: busy };
}

/** For tests. */
export function setSessionForTest(user: SessionUser | null): void {
  current = user ? { accessToken: "test", expiresAt: Date.now() + 3_600_000, user } : null;
  restoring = false;
  emit();
}
