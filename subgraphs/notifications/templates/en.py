"""English messages."""

from __future__ import annotations

from typing import Final

from subgraphs.notifications.templates.message import Message

_WHERE = "\n\nWhere: $clinic_address\nContact: $clinic_phone"
_CALENDAR = "\n\nThe attached calendar entry keeps your calendar up to date."

CATALOG: Final[dict[tuple[str, str], Message]] = {
    ("appointment_booked", "patient"): Message(
        subject="Appointment booked: $date at $time",
        text="Hello $recipient_name,\n\nyour appointment with $doctor_name on $date at $time "
        "is booked." + _WHERE + _CALENDAR,
        sms="Healthbook: appointment booked for $date at $time, $clinic. Contact: $clinic_phone",
        title="Appointment booked",
        in_app="With $doctor_name on $date at $time.",
    ),
    ("appointment_booked", "doctor"): Message(
        subject="New booking: $patient_name, $date at $time",
        text="Hello $recipient_name,\n\n$patient_name booked an appointment with you on $date "
        "at $time." + _CALENDAR,
        sms="Healthbook: new booking for $date at $time, $clinic.",
        title="New booking",
        in_app="$patient_name on $date at $time.",
    ),
    ("appointment_confirmed", "patient"): Message(
        subject="Appointment confirmed: $date at $time",
        text="Hello $recipient_name,\n\n$doctor_name confirmed your appointment on $date at "
        "$time." + _WHERE + _CALENDAR,
        sms="Healthbook: appointment confirmed for $date at $time, $clinic. Contact: $clinic_phone",
        title="Appointment confirmed",
        in_app="With $doctor_name on $date at $time.",
    ),
    ("appointment_confirmed", "doctor"): Message(
        subject="You confirmed $patient_name, $date at $time",
        text="Hello $recipient_name,\n\nthe appointment with $patient_name on $date at $time is "
        "confirmed." + _CALENDAR,
        sms="Healthbook: appointment confirmed for $date at $time, $clinic.",
        title="Appointment confirmed",
        in_app="$patient_name on $date at $time.",
    ),
    ("appointment_rejected", "patient"): Message(
        subject="Appointment request declined: $date at $time",
        text="Hello $recipient_name,\n\n$doctor_name could not accept your appointment on $date "
        "at $time. Please choose another time.\n\nContact: $clinic_phone",
        sms="Healthbook: your appointment request for $date at $time, $clinic was declined. "
        "Contact: $clinic_phone",
        title="Appointment declined",
        in_app="With $doctor_name on $date at $time.",
    ),
    ("appointment_rejected", "doctor"): Message(
        subject="You declined $patient_name, $date at $time",
        text="Hello $recipient_name,\n\nthe appointment request of $patient_name on $date at "
        "$time is declined." + _CALENDAR,
        sms="Healthbook: appointment request for $date at $time declined.",
        title="Appointment declined",
        in_app="$patient_name on $date at $time.",
    ),
    ("appointment_rescheduled", "patient"): Message(
        subject="Appointment moved to $date at $time",
        text="Hello $recipient_name,\n\nyour appointment with $doctor_name moved from "
        "$previous_date at $previous_time to $date at $time." + _WHERE + _CALENDAR,
        sms="Healthbook: appointment moved to $date at $time, $clinic. Contact: $clinic_phone",
        title="Appointment moved",
        in_app="With $doctor_name, now on $date at $time.",
    ),
    ("appointment_rescheduled", "doctor"): Message(
        subject="Moved: $patient_name to $date at $time",
        text="Hello $recipient_name,\n\nthe appointment with $patient_name moved from "
        "$previous_date at $previous_time to $date at $time." + _CALENDAR,
        sms="Healthbook: an appointment moved to $date at $time, $clinic.",
        title="Appointment moved",
        in_app="$patient_name, now on $date at $time.",
    ),
    ("appointment_cancelled", "patient"): Message(
        subject="Appointment cancelled: $date at $time",
        text="Hello $recipient_name,\n\nyour appointment with $doctor_name on $date at $time is "
        "cancelled by $cancelled_by.\n\n${reason_line}" + "Contact: $clinic_phone",
        sms="Healthbook: appointment on $date at $time, $clinic is cancelled. "
        "Contact: $clinic_phone",
        title="Appointment cancelled",
        in_app="With $doctor_name on $date at $time.",
    ),
    ("appointment_cancelled", "doctor"): Message(
        subject="Cancelled: $patient_name, $date at $time",
        text="Hello $recipient_name,\n\nthe appointment with $patient_name on $date at $time is "
        "cancelled by $cancelled_by.\n\n${reason_line}" + "Your calendar entry is removed.",
        sms="Healthbook: appointment on $date at $time, $clinic is cancelled.",
        title="Appointment cancelled",
        in_app="$patient_name on $date at $time.",
    ),
    ("series_booked", "patient"): Message(
        subject="$count appointments booked from $date",
        text="Hello $recipient_name,\n\nyour $count appointments with $doctor_name are "
        "booked:\n\n$dates" + _WHERE + _CALENDAR,
        sms="Healthbook: recurring appointments booked from $date at $time, $clinic. "
        "Contact: $clinic_phone",
        title="Recurring appointments booked",
        in_app="$count appointments with $doctor_name, from $date at $time.",
    ),
    ("series_booked", "doctor"): Message(
        subject="New recurring booking: $patient_name, $count appointments from $date",
        text="Hello $recipient_name,\n\n$patient_name booked $count appointments with you:"
        "\n\n$dates" + _CALENDAR,
        sms="Healthbook: new recurring booking from $date at $time, $clinic.",
        title="New recurring booking",
        in_app="$patient_name, $count appointments from $date at $time.",
    ),
    ("series_rescheduled", "patient"): Message(
        subject="$count appointments moved, from $date at $time",
        text="Hello $recipient_name,\n\nyour appointments with $doctor_name moved:\n\n"
        "$dates" + _WHERE + _CALENDAR,
        sms="Healthbook: recurring appointments moved, from $date at $time, $clinic. "
        "Contact: $clinic_phone",
        title="Recurring appointments moved",
        in_app="$count appointments with $doctor_name, now from $date at $time.",
    ),
    ("series_rescheduled", "doctor"): Message(
        subject="Moved: $patient_name, $count appointments from $date at $time",
        text="Hello $recipient_name,\n\nthe appointments with $patient_name moved:\n\n"
        "$dates" + _CALENDAR,
        sms="Healthbook: recurring appointments moved, from $date at $time, $clinic.",
        title="Recurring appointments moved",
        in_app="$patient_name, $count appointments now from $date at $time.",
    ),
    ("series_cancelled", "patient"): Message(
        subject="$count appointments cancelled from $date",
        text="Hello $recipient_name,\n\nthese appointments with $doctor_name are cancelled by "
        "$cancelled_by:\n\n$dates\n\n${reason_line}" + "Contact: $clinic_phone",
        sms="Healthbook: recurring appointments from $date at $time, $clinic are cancelled. "
        "Contact: $clinic_phone",
        title="Recurring appointments cancelled",
        in_app="$count appointments with $doctor_name, from $date at $time.",
    ),
    ("series_cancelled", "doctor"): Message(
        subject="Cancelled: $patient_name, $count appointments from $date",
        text="Hello $recipient_name,\n\nthese appointments with $patient_name are cancelled by "
        "$cancelled_by:\n\n$dates\n\n${reason_line}" + "Your calendar entries are removed.",
        sms="Healthbook: recurring appointments from $date at $time, $clinic are cancelled.",
        title="Recurring appointments cancelled",
        in_app="$patient_name, $count appointments from $date at $time.",
    ),
    ("appointment_reminder", "patient"): Message(
        subject="Reminder: appointment in $lead, $date at $time",
        text="Hello $recipient_name,\n\na reminder of your appointment with $doctor_name on "
        "$date at $time." + _WHERE,
        sms="Healthbook reminder: appointment on $date at $time, $clinic. Contact: $clinic_phone",
        title="Appointment reminder",
        in_app="With $doctor_name on $date at $time (in $lead).",
    ),
    ("appointment_reminder", "doctor"): Message(
        subject="Reminder: $patient_name in $lead, $date at $time",
        text="Hello $recipient_name,\n\na reminder of your appointment with $patient_name on "
        "$date at $time.",
        sms="Healthbook reminder: appointment on $date at $time, $clinic.",
        title="Appointment reminder",
        in_app="$patient_name on $date at $time (in $lead).",
    ),
    ("doctor_approved", "user"): Message(
        subject="Your doctor profile is approved",
        text="Hello $recipient_name,\n\nyour doctor profile is approved: patients can now find "
        "you and book appointments in your published availability.",
        sms="Healthbook: your doctor profile is approved.",
        title="Profile approved",
        in_app="Patients can now find you and book appointments.",
    ),
    ("doctor_rejected", "user"): Message(
        subject="Your doctor profile was not approved",
        text="Hello $recipient_name,\n\nyour doctor profile was not approved.\n\n${reason_line}"
        "Please contact the clinic administration for details.",
        sms="Healthbook: your doctor profile was not approved. Please check your email.",
        title="Profile not approved",
        in_app="Your doctor profile was not approved. $reason",
    ),
    ("waitlist_offer", "patient"): Message(
        subject="A slot is free for you: $date at $time",
        text="Hello $recipient_name,\n\na slot with $doctor_name on $date at $time came free, "
        "and you are first on the waitlist. It is held for you until $expires: book it in "
        "Healthbook before then, or it goes to the next patient in line." + _WHERE,
        sms="Healthbook: a slot on $date at $time, $clinic is free for you for a short while. "
        "Open the app to book it.",
        title="A slot is free for you",
        in_app="With $doctor_name on $date at $time, held for you until $expires.",
    ),
    ("password_reset", "user"): Message(
        subject="Reset your Healthbook password",
        text="Hello $recipient_name,\n\nsomeone asked to reset the password of your Healthbook "
        "account. To choose a new password, open this link (valid until $expires):\n\n$link\n\n"
        "If this was not you, ignore this email: your password stays as it is.",
        sms="",
        title="Password reset",
        in_app="A password reset was requested.",
    ),
    ("doctor_invited", "user"): Message(
        subject="You are invited to Healthbook",
        text="Hello $recipient_name,\n\nan administrator created a Healthbook doctor account for "
        "you. To choose your password and sign in, open this link (valid until $expires):\n\n"
        "$link",
        sms="",
        title="Invitation",
        in_app="You are invited to Healthbook.",
    ),
}
