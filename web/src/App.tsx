// Routes, one lazily loaded chunk per page (the first patient page ships only what it needs).
import { lazy, Suspense, useMemo, type ReactNode } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { Provider } from "urql";
import { useTranslation } from "react-i18next";
import { makeClient } from "./api/client";
import { useSession, type Role } from "./auth/session";
import { Layout } from "./Layout";

const SearchPage = lazy(() => import("./pages/SearchPage"));
const DoctorPage = lazy(() => import("./pages/DoctorPage"));
const SignInPage = lazy(() => import("./pages/SignInPage"));
const RegisterPage = lazy(() => import("./pages/RegisterPage"));
const ForgotPasswordPage = lazy(() => import("./pages/ForgotPasswordPage"));
const ResetPasswordPage = lazy(() => import("./pages/ResetPasswordPage"));
const AppointmentsPage = lazy(() => import("./pages/AppointmentsPage"));
const InboxPage = lazy(() => import("./pages/InboxPage"));
const ProfilePage = lazy(() => import("./pages/ProfilePage"));
const CalendarPage = lazy(() => import("./pages/doctor/CalendarPage"));
const AvailabilityPage = lazy(() => import("./pages/doctor/AvailabilityPage"));
const PracticeProfilePage = lazy(() => import("./pages/doctor/PracticeProfilePage"));
const DashboardPage = lazy(() => import("./pages/admin/DashboardPage"));
const OnboardingPage = lazy(() => import("./pages/admin/OnboardingPage"));
const UsersPage = lazy(() => import("./pages/admin/UsersPage"));
const AuditPage = lazy(() => import("./pages/admin/AuditPage"));
const NotificationsPage = lazy(() => import("./pages/admin/NotificationsPage"));
const WebhooksPage = lazy(() => import("./pages/admin/WebhooksPage"));

function Loading() {
  const { t } = useTranslation();
  return <p role="status">{t("common.loading")}</p>;
}

function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { user, restoring } = useSession();
  const location = useLocation();
  if (restoring) return <Loading />;
  if (!user) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (user.role !== role) return <Navigate to={homeOf(user.role)} replace />;
  return <>{children}</>;
}

/** Any signed-in user; a reload waits for the session to be restored before deciding. */
function RequireUser({ children }: { children: ReactNode }) {
  const { user, restoring } = useSession();
  const location = useLocation();
  if (restoring) return <Loading />;
  if (!user) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

export function homeOf(role: Role | undefined): string {
  if (role === "DOCTOR") return "/doctor/calendar";
  if (role === "ADMIN") return "/admin";
  return "/";
}

function NotFound() {
  return (
    <>
      <h1>404</h1>
      <p>
        <a href="/">Healthbook</a>
      </p>
    </>
  );
}

export function App() {
  const { user } = useSession();
  // A new client (and cache, and WebSocket) for each user, so nothing leaks between sessions.
  const client = useMemo(() => makeClient(), [user?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Provider value={client}>
      <Layout>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<SearchPage />} />
            <Route path="/doctors/:id" element={<DoctorPage />} />
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/register" element={<RegisterPage />} />
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/reset-password" element={<ResetPasswordPage mode="reset" />} />
            <Route path="/invitation" element={<ResetPasswordPage mode="invitation" />} />
            <Route path="/appointments" element={<RequireRole role="PATIENT"><AppointmentsPage /></RequireRole>} />
            <Route path="/inbox" element={<RequireUser><InboxPage /></RequireUser>} />
            <Route path="/profile" element={<RequireUser><ProfilePage /></RequireUser>} />
            <Route path="/doctor/calendar" element={<RequireRole role="DOCTOR"><CalendarPage /></RequireRole>} />
            <Route path="/doctor/availability" element={<RequireRole role="DOCTOR"><AvailabilityPage /></RequireRole>} />
            <Route path="/doctor/profile" element={<RequireRole role="DOCTOR"><PracticeProfilePage /></RequireRole>} />
            <Route path="/admin" element={<RequireRole role="ADMIN"><DashboardPage /></RequireRole>} />
            <Route path="/admin/doctors" element={<RequireRole role="ADMIN"><OnboardingPage /></RequireRole>} />
            <Route path="/admin/users" element={<RequireRole role="ADMIN"><UsersPage /></RequireRole>} />
            <Route path="/admin/audit" element={<RequireRole role="ADMIN"><AuditPage /></RequireRole>} />
            <Route path="/admin/notifications" element={<RequireRole role="ADMIN"><NotificationsPage /></RequireRole>} />
            <Route path="/admin/webhooks" element={<RequireRole role="ADMIN"><WebhooksPage /></RequireRole>} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </Layout>
    </Provider>
  );
}
