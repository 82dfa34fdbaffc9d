"""FHIR errors: an HTTP status and an `OperationOutcome` naming the issue."""

from __future__ import annotations

from typing import Any

__all__ = ["FhirError", "operation_outcome"]

# GraphQL error codes of the subgraphs → (HTTP status, FHIR issue type).
_BY_CODE = {
    "UNAUTHENTICATED": (401, "login"),
    "FORBIDDEN": (403, "forbidden"),
    "NOT_FOUND": (404, "not-found"),
    "BAD_USER_INPUT": (400, "invalid"),
    "RATE_LIMITED": (429, "throttled"),
}


def operation_outcome(code: str, diagnostics: str, severity: str = "error") -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


class FhirError(Exception):
    """Refuse a FHIR request; the handler answers `status` with an OperationOutcome."""

    def __init__(self, status: int, code: str, diagnostics: str) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics

    @classmethod
    def from_graphql(cls, error: dict[str, Any]) -> FhirError:
        extensions = error.get("extensions") or {}
        status, code = _BY_CODE.get(str(extensions.get("code")), (502, "exception"))
        message = str(error.get("message") or "The request failed.")
        return cls(status, code, message)

    def body(self) -> dict[str, Any]:
        return operation_outcome(self.code, self.diagnostics)
