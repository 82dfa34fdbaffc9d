"""Finding Healthbook's secrets in log text: the shapes they take, each hit reported masked.

Shapes, in the forms the code mints them: argon2 hashes (`$argon2id$…`); JWTs (three base64url
parts, the first two JSON, so `eyJ`); 256-bit `secrets.token_urlsafe(32)` values (refresh,
reset and invitation tokens, the calendar-feed and embedded signing secrets: 43 base64url
characters); calendar-feed tokens (36 bytes, 48 base64url characters); Standard Webhooks
secrets (`whsec_` + base64) and signatures (`v1,` + base64 of 32 bytes); router → subgraph
signatures (`v2=` + 64 hex digits); the passwords the tests use; the test users' phone numbers
and any email address (the log formatter masks every one, so one left means it was bypassed).
Random tokens are told from identifiers by their mix: digits, upper and lower case letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

_TOKEN_CHARS: Final = "A-Za-z0-9_-"

# The passwords the suite's fixtures and e2e tests sign in with (identity's conftest, the
# replicas suites, the credentials tests, the seeded demo accounts).
PASSWORDS: Final = (
    "healthbook-demo",
    "correct horse battery",
    "a brand new secret",
    "a long replicas secret",
    "a long waitlist secret",
    "long enough pass 1",
    "first admin secret",
    "a journey of many steps",
    "wrong password here",
)
# The numbers the fixtures give patients, doctors and clinics (E.164).
PHONES: Final = ("+15550001111", "+49301234567", "+4930123456", "+491510000")


@dataclass(frozen=True)
class Shape:
    kind: str
    pattern: re.Pattern[str]
    token_like: bool = False  # needs the digit/upper/lower mix to count

    def find(self, text: str) -> Iterator[re.Match[str]]:
        for match in self.pattern.finditer(text):
            if not self.token_like or _is_mixed(match.group(0)):
                yield match


def _is_mixed(value: str) -> bool:
    return (
        any(c.isdigit() for c in value)
        and any(c.isupper() for c in value)
        and any(c.islower() for c in value)
    )


def _literal(kind: str, values: Iterable[str]) -> Shape:
    return Shape(kind, re.compile("|".join(re.escape(v) for v in values)))


def _run(length: int) -> re.Pattern[str]:
    return re.compile(rf"(?<![{_TOKEN_CHARS}])[{_TOKEN_CHARS}]{{{length}}}(?![{_TOKEN_CHARS}])")


SECRETS: Final = (
    Shape("argon2 hash", re.compile(r"\$argon2(?:id|i|d)\$[A-Za-z0-9+/=,$]*")),
    Shape("JWT", re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")),
    Shape("256-bit token", _run(43), token_like=True),
    Shape("calendar-feed token", _run(48), token_like=True),
    Shape("webhook secret", re.compile(r"whsec_[A-Za-z0-9+/]{16,}={0,2}")),
    Shape("webhook signature", re.compile(r"\bv1,[A-Za-z0-9+/]{43}=")),
    Shape("router signature", re.compile(r"\bv2=[0-9a-f]{64}\b")),
    _literal("test password", PASSWORDS),
    _literal("test phone number", PHONES),
)
EMAIL: Final = Shape(
    "email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
)
EVERYTHING: Final = (*SECRETS, EMAIL)


@dataclass(frozen=True)
class Hit:
    """One secret found: where, what kind, and the line around it with every secret masked."""

    source: str
    line: int
    kind: str
    excerpt: str
    origin: str = ""  # e.g. the test that logged it

    def __str__(self) -> str:
        origin = f" ({self.origin})" if self.origin else ""
        return f"{self.source}:{self.line}: {self.kind}{origin}: {self.excerpt}"


def mask(text: str) -> str:
    """`text` with every secret replaced by its kind, e.g. `<JWT>`."""
    return _masked(text, ())[0]


def _masked(text: str, wanted: Sequence[Shape]) -> tuple[str, list[str]]:
    """`text` masked shape by shape (a hash's digest is not also a token), and the kinds of
    `wanted` that were in it."""
    kinds = []
    for shape in EVERYTHING:
        spans = [match.span() for match in shape.find(text)]
        if spans and shape in wanted:
            kinds.append(shape.kind)
        for start, end in reversed(spans):
            text = f"{text[:start]}<{shape.kind}>{text[end:]}"
    return text, kinds


def scan(
    source: str, number: int, text: str, shapes: Sequence[Shape] = EVERYTHING, origin: str = ""
) -> list[Hit]:
    """One hit per kind of secret of `shapes` in line `number` of `source`."""
    masked, kinds = _masked(text, shapes)
    if not kinds:
        return []
    masked = masked.replace("\n", "\\n")
    return [
        Hit(source, number, kind, _around(masked, masked.find(f"<{kind}>")), origin)
        for kind in kinds
    ]


def _around(text: str, offset: int, width: int = 200) -> str:
    """Up to `width` characters of `text` around `offset` (already masked: cutting is safe)."""
    start = max(0, offset - width // 2)
    cut = text[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")
