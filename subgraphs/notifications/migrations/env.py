from subgraphs.notifications.models import TABLES
from subgraphs.shared import inbox, outbox  # noqa: F401  (their tables belong to every store)
from subgraphs.shared.migrations import run_env

run_env(TABLES)
