"""`/calendar/<token>.ics`: private iCalendar feeds, answered from the appointments data."""

from router.calendar.routes import calendar_routes

__all__ = ["calendar_routes"]
