"""German messages (English is used where a translation is missing)."""

from __future__ import annotations

from typing import Final

from subgraphs.notifications.templates.message import Message

_WHERE = "\n\nOrt: $clinic_address\nKontakt: $clinic_phone"
_CALENDAR = "\n\nDer beigefügte Kalendereintrag hält Ihren Kalender aktuell."

CATALOG: Final[dict[tuple[str, str], Message]] = {
    ("appointment_booked", "patient"): Message(
        subject="Termin gebucht: $date um $time",
        text="Guten Tag $recipient_name,\n\nIhr Termin bei $doctor_name am $date um $time ist "
        "gebucht." + _WHERE + _CALENDAR,
        sms="Healthbook: Termin gebucht für $date um $time, $clinic. Kontakt: $clinic_phone",
        title="Termin gebucht",
        in_app="Bei $doctor_name am $date um $time.",
    ),
    ("appointment_confirmed", "patient"): Message(
        subject="Termin bestätigt: $date um $time",
        text="Guten Tag $recipient_name,\n\n$doctor_name hat Ihren Termin am $date um $time "
        "bestätigt." + _WHERE + _CALENDAR,
        sms="Healthbook: Termin bestätigt für $date um $time, $clinic. Kontakt: $clinic_phone",
        title="Termin bestätigt",
        in_app="Bei $doctor_name am $date um $time.",
    ),
    ("appointment_rescheduled", "patient"): Message(
        subject="Termin verschoben auf $date um $time",
        text="Guten Tag $recipient_name,\n\nIhr Termin bei $doctor_name wurde von $previous_date "
        "um $previous_time auf $date um $time verschoben." + _WHERE + _CALENDAR,
        sms="Healthbook: Termin verschoben auf $date um $time, $clinic. Kontakt: $clinic_phone",
        title="Termin verschoben",
        in_app="Bei $doctor_name, jetzt am $date um $time.",
    ),
    ("appointment_cancelled", "patient"): Message(
        subject="Termin abgesagt: $date um $time",
        text="Guten Tag $recipient_name,\n\nIhr Termin bei $doctor_name am $date um $time wurde "
        "abgesagt.\n\n${reason_line}" + "Kontakt: $clinic_phone",
        sms="Healthbook: Termin am $date um $time, $clinic abgesagt. Kontakt: $clinic_phone",
        title="Termin abgesagt",
        in_app="Bei $doctor_name am $date um $time.",
    ),
    ("series_booked", "patient"): Message(
        subject="$count Termine gebucht ab $date",
        text="Guten Tag $recipient_name,\n\nIhre $count Termine bei $doctor_name sind "
        "gebucht:\n\n$dates" + _WHERE + _CALENDAR,
        sms="Healthbook: Serientermine gebucht ab $date um $time, $clinic. Kontakt: $clinic_phone",
        title="Serientermine gebucht",
        in_app="$count Termine bei $doctor_name ab $date um $time.",
    ),
    ("series_rescheduled", "patient"): Message(
        subject="$count Termine verschoben, ab $date um $time",
        text="Guten Tag $recipient_name,\n\nIhre Termine bei $doctor_name sind verschoben:"
        "\n\n$dates" + _WHERE + _CALENDAR,
        sms="Healthbook: Serientermine verschoben, ab $date um $time, $clinic. "
        "Kontakt: $clinic_phone",
        title="Serientermine verschoben",
        in_app="$count Termine bei $doctor_name, jetzt ab $date um $time.",
    ),
    ("series_cancelled", "patient"): Message(
        subject="$count Termine abgesagt ab $date",
        text="Guten Tag $recipient_name,\n\ndiese Termine bei $doctor_name wurden durch "
        "$cancelled_by abgesagt:\n\n$dates\n\n${reason_line}" + "Kontakt: $clinic_phone",
        sms="Healthbook: Serientermine ab $date um $time, $clinic sind abgesagt. "
        "Kontakt: $clinic_phone",
        title="Serientermine abgesagt",
        in_app="$count Termine bei $doctor_name ab $date um $time.",
    ),
    ("appointment_reminder", "patient"): Message(
        subject="Erinnerung: Termin in $lead, $date um $time",
        text="Guten Tag $recipient_name,\n\nwir erinnern Sie an Ihren Termin bei $doctor_name am "
        "$date um $time." + _WHERE,
        sms="Healthbook Erinnerung: Termin am $date um $time, $clinic. Kontakt: $clinic_phone",
        title="Terminerinnerung",
        in_app="Bei $doctor_name am $date um $time (in $lead).",
    ),
    ("waitlist_offer", "patient"): Message(
        subject="Ein Termin ist für Sie frei: $date um $time",
        text="Guten Tag $recipient_name,\n\nbei $doctor_name ist am $date um $time ein Termin "
        "frei geworden, und Sie stehen als Erste(r) auf der Warteliste. Er ist bis $expires für "
        "Sie reserviert: Buchen Sie ihn bis dahin in Healthbook, sonst geht er an die nächste "
        "Person auf der Liste." + _WHERE,
        sms="Healthbook: Ein Termin am $date um $time, $clinic ist kurz für Sie reserviert. "
        "Buchen Sie ihn in der App.",
        title="Ein Termin ist für Sie frei",
        in_app="Bei $doctor_name am $date um $time, für Sie reserviert bis $expires.",
    ),
    ("password_reset", "user"): Message(
        subject="Healthbook-Passwort zurücksetzen",
        text="Guten Tag $recipient_name,\n\njemand möchte das Passwort Ihres Healthbook-Kontos "
        "zurücksetzen. Über diesen Link (gültig bis $expires) wählen Sie ein neues:\n\n$link\n\n"
        "Falls Sie das nicht waren, ignorieren Sie diese E-Mail.",
        sms="",
        title="Passwort zurücksetzen",
        in_app="Ein Zurücksetzen des Passworts wurde angefordert.",
    ),
}
