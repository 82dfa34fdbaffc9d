"""The notifications subgraph's own configuration: SMTP, the SMS provider, reminders, scheduler."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from subgraphs.shared.settings import ConfigError, Env, Variable

_USERS: Final = ("notifications", "worker", "scheduler")

VARIABLES: Final[tuple[Variable, ...]] = (
    Variable("SMTP_HOST", "SMTP server that sends email", "127.0.0.1", True, _USERS),
    Variable(
        "SMTP_PORT",
        "SMTP server port (the embedded mode's local server listens here)",
        "1025",
        components=_USERS,
    ),
    Variable("SMTP_SECURITY", "none, starttls or tls", "none", components=_USERS),
    Variable("SMTP_USERNAME", "SMTP login; empty means no authentication", components=_USERS),
    Variable("SMTP_PASSWORD", "SMTP password", components=_USERS),
    Variable(
        "SMTP_FROM",
        "sender address of every email",
        "Healthbook <no-reply@healthbook.local>",
        components=_USERS,
    ),
    Variable("SMTP_TIMEOUT_SECONDS", "SMTP connect and command timeout", "15", components=_USERS),
    Variable(
        "SMS_PROVIDER",
        "sink (a local file) or twilio (Twilio's Messages REST API)",
        "sink",
        components=_USERS,
    ),
    Variable(
        "SMS_API_URL",
        "base URL of the SMS provider's REST API",
        "https://api.twilio.com",
        components=_USERS,
    ),
    Variable("SMS_ACCOUNT_SID", "SMS provider account id (Twilio: AC…)", components=_USERS),
    Variable("SMS_AUTH_TOKEN", "SMS provider secret", components=_USERS),
    Variable("SMS_FROM", "sender number of every SMS (E.164)", "+15005550006", components=_USERS),
    Variable(
        "SMS_SINK_FILE",
        "where the sink provider appends SMS as JSON lines; default <data dir>/sms-sink.jsonl",
        components=_USERS,
    ),
    Variable(
        "REMINDER_LEAD_MINUTES",
        "default reminder lead times, comma separated",
        "1440,120",
        components=_USERS,
    ),
    Variable(
        "PUBLIC_APP_URL",
        "the web address users open; password reset and invitation links start with it",
        "http://127.0.0.1:4000",
        components=_USERS,
    ),
    Variable(
        "NOTIFICATION_CONTACT_WAIT_SECONDS",
        "how long a message planned before its recipient's contact details arrived waits for "
        "them; then only the in-app message goes out and a DEAD email records the failure",
        "900",
        components=_USERS,
    ),
    Variable(
        "NOTIFICATION_LEASE_SECONDS",
        "how long one delivery attempt holds its notification; if its worker dies holding it, "
        "the dispatcher enqueues it again once this has passed (keep it above the slowest send)",
        "120",
        components=("notifications", "worker"),
    ),
    Variable(
        "SCHEDULER_INTERVAL_SECONDS",
        "how often the dispatcher looks for due reminders",
        "5",
        components=("scheduler",),
    ),
    Variable(
        "NOTIFICATION_REQUEUE_SECONDS",
        "a pending notification not picked up after this long is enqueued again",
        "300",
        components=("scheduler",),
    ),
    Variable(
        "WEBHOOKS_ALLOW_LOCAL_HTTP",
        "true: admins may also register http://127.0.0.1 webhook endpoints (tests, "
        "development); otherwise HTTPS only",
        "false",
        components=_USERS,
    ),
    Variable(
        "WEBHOOK_DISABLE_AFTER_FAILURES",
        "a webhook endpoint is disabled after this many failed delivery attempts in a row",
        "20",
        components=_USERS,
    ),
    Variable(
        "WEBHOOK_TIMEOUT_SECONDS",
        "how long one webhook delivery attempt waits for the endpoint's answer",
        "10",
        components=_USERS,
    ),
    Variable(
        "WEBHOOK_SECRET_ROLLOVER_HOURS",
        "after an admin rotates a webhook secret, deliveries are signed with the old and the "
        "new one for this many hours, so the receiver can switch without losing any (0: at once)",
        "24",
        components=_USERS,
    ),
)

SECURITY_MODES: Final = ("none", "starttls", "tls")
_DECLARED: Final = {item.name: item for item in VARIABLES}


@dataclass(frozen=True)
class _Env(Env):
    """`Env` over this module's declarations (defaults and help texts)."""

    def text(self, name: str) -> str:
        raw = self.values.get(name)
        if raw:
            return raw
        return _DECLARED[name].default or ""

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise ConfigError(f"{name} is required: {_DECLARED[name].help}")
        return value


SMS_PROVIDERS: Final = ("sink", "twilio")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    username: str
    password: str
    sender: str
    timeout_seconds: float


@dataclass(frozen=True)
class SmsSettings:
    provider: str
    api_url: str
    account_sid: str
    auth_token: str
    sender: str
    sink_file: str


@dataclass(frozen=True)
class NotificationSettings:
    """Everything the notifications code reads from the environment, read once."""

    smtp: SmtpSettings
    sms: SmsSettings
    reminder_lead_minutes: tuple[int, ...]
    public_url: str
    scheduler_interval_seconds: float
    requeue_seconds: int
    contact_wait_seconds: int = 900
    lease_seconds: int = 120
    webhooks_allow_local_http: bool = False
    webhook_disable_after_failures: int = 20
    webhook_timeout_seconds: float = 10.0
    webhook_secret_rollover_hours: int = 24

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> NotificationSettings:
        env = _Env(dict(os.environ) if environ is None else dict(environ))
        smtp = SmtpSettings(
            host=env.required("SMTP_HOST"),
            port=env.integer("SMTP_PORT", minimum=1, maximum=65535),
            security=env.choice("SMTP_SECURITY", SECURITY_MODES),
            username=env.text("SMTP_USERNAME"),
            password=env.text("SMTP_PASSWORD"),
            sender=env.required("SMTP_FROM"),
            timeout_seconds=env.number("SMTP_TIMEOUT_SECONDS", minimum=0.1),
        )
        provider = env.choice("SMS_PROVIDER", SMS_PROVIDERS)
        sms = SmsSettings(
            provider=provider,
            api_url=env.required("SMS_API_URL").rstrip("/"),
            account_sid=env.required("SMS_ACCOUNT_SID") if provider == "twilio" else "",
            auth_token=env.required("SMS_AUTH_TOKEN") if provider == "twilio" else "",
            sender=env.required("SMS_FROM"),
            sink_file=env.text("SMS_SINK_FILE"),
        )
        return cls(
            smtp=smtp,
            sms=sms,
            reminder_lead_minutes=parse_lead_minutes(env.text("REMINDER_LEAD_MINUTES")),
            public_url=_http_url(env.text("PUBLIC_APP_URL")),
            scheduler_interval_seconds=env.number("SCHEDULER_INTERVAL_SECONDS", minimum=0.01),
            requeue_seconds=env.integer("NOTIFICATION_REQUEUE_SECONDS", minimum=1),
            contact_wait_seconds=env.integer("NOTIFICATION_CONTACT_WAIT_SECONDS", minimum=1),
            lease_seconds=env.integer("NOTIFICATION_LEASE_SECONDS", minimum=1, maximum=86400),
            webhooks_allow_local_http=_flag(env.text("WEBHOOKS_ALLOW_LOCAL_HTTP")),
            webhook_disable_after_failures=env.integer(
                "WEBHOOK_DISABLE_AFTER_FAILURES", minimum=1, maximum=10_000
            ),
            webhook_timeout_seconds=env.number("WEBHOOK_TIMEOUT_SECONDS", minimum=0.1),
            webhook_secret_rollover_hours=env.integer(
                "WEBHOOK_SECRET_ROLLOVER_HOURS", minimum=0, maximum=24 * 30
            ),
        )

    @property
    def lease(self) -> timedelta:
        """How long a delivery attempt's claim lasts (NOTIFICATION_LEASE_SECONDS)."""
        return timedelta(seconds=self.lease_seconds)

    @property
    def webhook_secret_rollover(self) -> timedelta:
        """How long a rotated webhook secret still signs (WEBHOOK_SECRET_ROLLOVER_HOURS)."""
        return timedelta(hours=self.webhook_secret_rollover_hours)


def _flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ConfigError(f"WEBHOOKS_ALLOW_LOCAL_HTTP must be true or false, got {raw!r}")
    return value in ("true", "1", "yes")


def _http_url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ConfigError(f"PUBLIC_APP_URL must be an http(s) URL, got {raw!r}")
    return raw.rstrip("/")


def parse_lead_minutes(raw: str) -> tuple[int, ...]:
    """`"1440,120"` → (1440, 120); REMINDER_LEAD_MINUTES is named on bad input."""
    try:
        values = tuple(sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True))
    except ValueError:
        raise ConfigError(f"REMINDER_LEAD_MINUTES must be whole minutes, got {raw!r}") from None
    if any(not 1 <= value <= 60 * 24 * 14 for value in values):
        raise ConfigError("REMINDER_LEAD_MINUTES must each be between 1 and 20160 minutes")
    return values
