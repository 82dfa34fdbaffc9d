"""The instances of an RFC 5545 recurrence rule, as a calendar reads them."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Final

from dateutil.rrule import rrulestr

MAX_INSTANCES: Final = 500  # far above a series' 52: a bound on a rule without an end


def instances(rule: str, first: datetime) -> list[datetime]:
    """The rule's instances from `first` (wall-clock times in its zone, as RFC 5545 reads),
    at most MAX_INSTANCES."""
    return list(itertools.islice(rrulestr(rule, dtstart=first), MAX_INSTANCES))
