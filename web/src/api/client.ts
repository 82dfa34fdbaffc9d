// The GraphQL client: urql with Graphcache (normalized by id) over HTTP, subscriptions over
// graphql-ws on the same origin. One client per signed-in user, so caches never mix.
import { Client, fetchExchange, subscriptionExchange } from "urql";
import { cacheExchange, type Cache } from "@urql/exchange-graphcache";
import { relayPagination } from "@urql/exchange-graphcache/extras";
import { createClient as createWsClient } from "graphql-ws";
import { accessToken, refresh } from "../auth/session";

const EMBEDDED = [
  "Slot", "AppointmentPage", "DoctorConnection", "PageInfo", "BookingPolicy", "Availability",
  "UserPage", "AuditEventPage", "NotificationPage", "NotificationCount", "AuthPayload",
  "RegisterPayload", "AppointmentUpdate", "AppointmentChange", "DoctorStatusChange",
  "NotificationPreferences", "UpdateProfilePayload", "SetUserRolePayload",
  "DeactivateUserPayload", "ReactivateUserPayload", "InviteDoctorPayload",
  "ResetPasswordPayload", "RequestPasswordResetPayload", "MarkNotificationsReadPayload",
  "LogoutPayload", "ChangePasswordPayload",
  "AppointmentSeriesBooking", "AppointmentSeriesRescheduling", "SeriesOccurrence",
  // Cursor connections: their edges and page info belong to the list that holds them.
  "AppointmentEdge", "AppointmentPageInfo", "DoctorEdge", "UserEdge", "IdentityPageInfo",
  "AuditTrailPage", "AuditTrailEntryEdge", "NotificationEdge", "NotificationPageInfo",
  "AuditTrailExport", "WebhookDeliveryConnection", "WebhookDeliveryEdge", "WebhookDeliveryPageInfo",
  "RegisteredWebhook", "RotatedWebhookSecret",
  // The dashboard's figures belong to their Statistics window.
  "UserStatistics", "UsersByRole", "UserBucket", "DoctorStatistics", "DoctorStatusCount",
  "DoctorGroupCount", "DoctorBucket", "AppointmentStatistics", "AppointmentCounts",
  "AppointmentBucket", "BookingLeadTime", "DoctorWorkload", "NotificationStatistics",
  "NotificationBucket", "DeliveryLatency",
];

/** Lists read page by page with first/after: "Load more" asks for the next page and the
 * cache answers with every page so far (a new filter starts again from the first). */
const PAGINATED = ["users", "auditTrail", "notifications", "myNotifications", "myAppointments", "doctors", "appointments", "webhookDeliveries"];

/** After a mutation, every cached variant of these Query fields, whatever their arguments,
 * is asked for again (`cache.invalidate("Query", field)` alone clears only the variant
 * without arguments, so a list read with a filter or a page size kept its stale answer). */
const invalidate =
  (...fields: string[]) =>
  (_result: unknown, _args: unknown, cache: Cache) => {
    for (const field of cache.inspectFields("Query")) {
      if (fields.includes(field.fieldName)) cache.invalidate("Query", field.fieldName, field.arguments ?? undefined);
    }
  };

/** fetch, but a 401 for a token the router no longer takes (expired, revoked) is retried once
 * with a refreshed token; when the session cannot be refreshed it ends (the app asks to sign in). */
async function fetchWithRefresh(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (response.status !== 401 || !accessToken()) return response;
  const user = await refresh().catch(() => null);
  const token = accessToken();
  if (!user || !token) return response;
  const headers = new Headers(init?.headers);
  headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

export function makeClient(): Client {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = createWsClient({
    url: `${scheme}//${location.host}/graphql`,
    lazy: true,
    retryAttempts: 20,
    connectionParams: async () => {
      if (!accessToken()) await refresh();
      const token = accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  const bookingFields = ["myAppointments", "doctorCalendar", "doctors", "doctor", "availableSlots"];
  return new Client({
    url: "/graphql",
    fetch: fetchWithRefresh,
    requestPolicy: "cache-and-network",
    fetchOptions: () => {
      const token = accessToken();
      const headers: Record<string, string> = { "x-healthbook-csrf": "1" };
      if (token) headers.authorization = `Bearer ${token}`;
      return { headers };
    },
    exchanges: [
      cacheExchange({
        keys: Object.fromEntries([
          ...EMBEDDED.map((name) => [name, () => null]),
          ["Specialization", (s: { code?: string }) => s.code ?? null],
          ["Statistics", (s: { key?: string }) => s.key ?? null],
          ["DoctorUtilization", (s: { key?: string }) => s.key ?? null],
        ]),
        resolvers: {
          Query: Object.fromEntries(PAGINATED.map((field) => [field, relayPagination()])),
        },
        updates: {
          Mutation: {
            bookAppointment: invalidate(...bookingFields),
            rescheduleAppointment: invalidate(...bookingFields),
            cancelAppointment: invalidate(...bookingFields),
            bookAppointmentSeries: invalidate(...bookingFields),
            rescheduleAppointmentSeries: invalidate(...bookingFields),
            cancelAppointmentSeries: invalidate(...bookingFields),
            setWeeklyAvailability: invalidate("myDoctorProfile", "doctor", "doctors", "availableSlots"),
            addAvailabilityException: invalidate("myDoctorProfile", "doctor", "doctors"),
            removeAvailabilityException: invalidate("myDoctorProfile", "doctor", "doctors"),
            addSlot: invalidate("myDoctorProfile", "doctor", "doctors"),
            updateSlot: invalidate("myDoctorProfile", "doctor", "doctors"),
            removeSlot: invalidate("myDoctorProfile", "doctor", "doctors"),
            updateDoctorProfile: invalidate("doctor", "doctors"),
            updateBookingPolicy: invalidate("myDoctorProfile", "doctor", "doctors"),
            confirmAppointment: invalidate("pendingAppointmentRequests"),
            rejectAppointment: invalidate("pendingAppointmentRequests", "doctorCalendar"),
            approveDoctor: invalidate("pendingDoctors", "doctors"),
            rejectDoctor: invalidate("pendingDoctors"),
            inviteDoctor: invalidate("users"),
            markNotificationsRead: invalidate("unreadNotificationCount", "myNotifications"),
            rotateCalendarFeed: invalidate("calendarFeedUrl"),
            registerWebhook: invalidate("webhooks"),
            deleteWebhook: invalidate("webhooks", "webhookDeliveries"),
            updateWebhook: invalidate("webhookDeliveries"),
            joinWaitlist: invalidate("myWaitlist"),
            leaveWaitlist: invalidate("myWaitlist"),
            // Every variant of the lists (myAppointments is read with arguments).
            acceptWaitlistOffer: invalidate("myWaitlist", ...bookingFields),
            declineWaitlistOffer: invalidate("myWaitlist"),
          },
          Subscription: {
            // An offer from the waitlist arrives as a notification: show it in the list at once.
            notificationReceived: invalidate("unreadNotificationCount", "myNotifications", "myWaitlist"),
            appointmentUpdates: invalidate("pendingAppointmentRequests", "doctorCalendar"),
          },
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
