// An appointment as an iCalendar file (RFC 5545), made in the browser.
function stamp(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function escape(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
}

export function icsFor(a: { id: string; start: string; end: string; doctor: { name: string; clinicAddress: string } }): string {
  return [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Healthbook//web//EN", "BEGIN:VEVENT",
    `UID:${a.id}@healthbook`, `DTSTAMP:${stamp(new Date().toISOString())}`,
    `DTSTART:${stamp(a.start)}`, `DTEND:${stamp(a.end)}`,
    `SUMMARY:${escape(`Appointment with ${a.doctor.name}`)}`, `LOCATION:${escape(a.doctor.clinicAddress)}`,
    "END:VEVENT", "END:VCALENDAR", "",
  ].join("\r\n");
}
