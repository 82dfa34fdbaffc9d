"""Private, revocable iCalendar feeds of one's own appointments (issue 18)."""
