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

import functools
import re
from collections.abc import Iterator, Sequence
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
    """A kind of secret: its pattern, the substrings one of which it must contain (a cheap
    test first: most lines hold none), and for random tokens the exact lengths they have."""

    kind: str
    pattern: re.Pattern[str]
    hints: tuple[str, ...] = ()
    lengths: tuple[int, ...] = ()  # a run of exactly one of them, digit, upper and lower mixed

    def find(self, text: str) -> Iterator[re.Match[str]]:
        if self.hints and not any(hint in text for hint in self.hints):
            return
        if self.lengths and _run_lengths(text).isdisjoint(self.lengths):
            return  # the regular expression is ten times slower than this test
        for match in self.pattern.finditer(text):
            if not self.lengths or _is_token(match.group(0), self.lengths):
                yield match


# Every byte but a token character's becomes a space: `split` then gives a line's runs.
_TOKEN_BYTES: Final = frozenset(
    ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
)
_SEPARATE: Final = bytes(code if code in _TOKEN_BYTES else 32 for code in range(256))


@functools.lru_cache(maxsize=1)  # both token shapes ask about the same line
def _run_lengths(text: str) -> frozenset[int]:
    return frozenset(map(len, text.encode(errors="replace").translate(_SEPARATE).split()))


def _is_token(value: str, lengths: tuple[int, ...]) -> bool:
    return (
        len(value) in lengths
        and any(c.isdigit() for c in value)
        and any(c.isupper() for c in value)
        and any(c.islower() for c in value)
    )


def _literal(kind: str, values: tuple[str, ...]) -> Shape:
    return Shape(kind, re.compile("|".join(re.escape(v) for v in values)), hints=values)


# A whole run of token characters (its length checked after): the look-behind makes a failed
# start inside a shorter run cheap.
_RUN: Final = re.compile(f"(?<![{_TOKEN_CHARS}])[{_TOKEN_CHARS}]{{43,}}")

# The most specific first: a signature or a hash's digest may also look like a bare token.
SECRETS: Final = (
    Shape("argon2 hash", re.compile(r"\$argon2(?:id|i|d)\$[A-Za-z0-9+/=,$]*"), ("$argon2",)),
    Shape("JWT", re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), ("eyJ",)),
    Shape("webhook secret", re.compile(r"whsec_[A-Za-z0-9+/]{16,}={0,2}"), ("whsec_",)),
    Shape("webhook signature", re.compile(r"v1,[A-Za-z0-9+/]{43}="), ("v1,",)),
    Shape("router signature", re.compile(r"v2=[0-9a-f]{64}"), ("v2=",)),
    Shape("256-bit token", _RUN, lengths=(43,)),
    Shape("calendar-feed token", _RUN, lengths=(48,)),
    _literal("test password", PASSWORDS),
    _literal("test phone number", PHONES),
)
EMAIL: Final = Shape(
    "email",
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    ("@",),
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
