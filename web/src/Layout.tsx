import { useRef, type ReactNode } from "react";
import { NavLink, useLocation, useNavigate } from "react-router";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { signOut, useSession } from "./auth/session";
import { UnreadCountDocument } from "./gql/graphql";
import { LANGUAGES, setLanguage } from "./i18n";
import { useLiveNotifications } from "./live";
import { PageErrorBoundary } from "./components/PageErrorBoundary";
import { useRouteFocus } from "./components/routeFocus";

function UnreadBadge() {
  const { t } = useTranslation();
  const [{ data }] = useQuery({ query: UnreadCountDocument });
  useLiveNotifications();
  const count = data?.unreadNotificationCount ?? 0;
  if (!count) return null;
  return (
    <span className="badge badge-count" aria-label={t("inbox.unread", { count })}>
      {count}
    </span>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  useRouteFocus(main, pathname);
  const links: [string, string][] = [];
  if (!user || user.role === "PATIENT") links.push(["/", t("nav.search")]);
  if (user?.role === "PATIENT") links.push(["/appointments", t("nav.appointments")]);
  if (user?.role === "DOCTOR") links.push(["/doctor/calendar", t("nav.calendar")], ["/doctor/availability", t("nav.availability")], ["/doctor/profile", t("nav.practice")]);
  if (user?.role === "ADMIN")
    links.push(
      ["/admin", t("nav.dashboard")], ["/admin/doctors", t("nav.doctors")], ["/admin/users", t("nav.users")],
      ["/admin/audit", t("nav.audit")], ["/admin/notifications", t("nav.notifications")], ["/admin/webhooks", t("nav.webhooks")],
    );
  return (
    <>
      <a className="skip" href="#content">{t("app.skip")}</a>
      <header className="top">
        <div className="bar">
          <NavLink to="/" className="brand">{t("app.name")}</NavLink>
          <nav className="main" aria-label={t("app.menu")}>
            <ul>
              {links.map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to} end>{label}</NavLink>
                </li>
              ))}
              {user ? (
                <li>
                  <NavLink to="/inbox">{t("nav.inbox")}<UnreadBadge /></NavLink>
                </li>
              ) : null}
              {user ? <li><NavLink to="/profile">{t("nav.profile")}</NavLink></li> : null}
            </ul>
          </nav>
          <div className="session">
            <label>
              <span className="skip">{t("app.language")}</span>
              <select className="lang" aria-label={t("app.language")} value={i18n.language} onChange={(e) => setLanguage(e.target.value)}>
                {LANGUAGES.map((l) => <option key={l} value={l}>{l.toUpperCase()}</option>)}
              </select>
            </label>
            {user ? (
              <>
                <span className="muted-inverse">{t("nav.signedInAs", { name: user.name })}</span>
                <button type="button" className="btn btn-quiet" onClick={() => void signOut().then(() => navigate("/sign-in"))}>
                  {t("nav.signOut")}
                </button>
              </>
            ) : (
              <>
                <NavLink to="/sign-in">{t("nav.signIn")}</NavLink>
                <NavLink to="/register">{t("nav.register")}</NavLink>
              </>
            )}
          </div>
        </div>
      </header>
      <main id="content" tabIndex={-1} ref={main}>
        <PageErrorBoundary resetKey={pathname}>{children}</PageErrorBoundary>
      </main>
    </>
  );
}
