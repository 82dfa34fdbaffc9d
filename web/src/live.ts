// Live updates: subscriptions whose results Graphcache folds into the normalized cache, so
// every page that shows an appointment or the unread count changes without a reload.
import { useSubscription } from "urql";
import { AppointmentUpdatesDocument, NotificationReceivedDocument } from "./gql/graphql";

export function useLiveAppointments() {
  const [result] = useSubscription({ query: AppointmentUpdatesDocument });
  return result.data?.appointmentUpdates ?? null;
}

export function useLiveNotifications() {
  useSubscription({ query: NotificationReceivedDocument });
}
