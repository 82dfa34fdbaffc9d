"""Identity's rules: what a valid email, name and password are."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from subgraphs.shared.errors import BadUserInput

PASSWORD_MIN = 8
PASSWORD_MAX = 128


def normalize_email(raw: str) -> str:
    """The canonical form of an email address (lower-cased), or BAD_USER_INPUT."""
    try:
        checked = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise BadUserInput(f"Invalid email address: {error}", field="email") from None
    return checked.normalized.lower()


def check_password(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise BadUserInput(
            f"Passwords must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long.",
            field="password",
        )


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= 200:
        raise BadUserInput("A name must be 1 to 200 characters long.", field="name")
    return cleaned
