"""What this FHIR endpoint offers: SMART-style scopes per role and the CapabilityStatement."""

from __future__ import annotations

from typing import Any

from router.fhir.outcome import FhirError
from subgraphs.shared.auth import Principal, Role

__all__ = ["SEARCH_PARAMS", "capability_statement", "require_scope", "scopes_for"]

# Resource type → the search parameters it supports (besides _count, _offset, _format).
SEARCH_PARAMS: dict[str, dict[str, str]] = {
    "Practitioner": {
        "name": "string",
        "address-city": "string",
        "communication": "token",
        "_id": "token",
    },
    "PractitionerRole": {
        "specialty": "token",
        "practitioner": "reference",
        "address-city": "string",
    },
    "Schedule": {"actor": "reference", "_id": "token"},
    "Slot": {"schedule": "reference", "start": "date", "status": "token"},
    "Appointment": {
        "patient": "reference",
        "practitioner": "reference",
        "date": "date",
        "status": "token",
    },
}
_PUBLIC = ("Practitioner", "PractitionerRole", "Schedule", "Slot")
_CONTEXTS = ("public", "patient", "user", "system")
_SMART = "http://terminology.hl7.org/CodeSystem/restful-security-service"


def scopes_for(principal: Principal | None) -> frozenset[str]:
    """SMART v1 scopes our roles amount to: patients read in their own compartment, doctors
    as users (their own calendar), admins system-wide; anyone reads the public directory."""
    public = {f"public/{kind}.read" for kind in _PUBLIC}
    if principal is None:
        return frozenset(public)
    context = {Role.PATIENT: "patient", Role.DOCTOR: "user", Role.ADMIN: "system"}[principal.role]
    return frozenset(public | {f"{context}/{kind}.read" for kind in SEARCH_PARAMS})


def require_scope(principal: Principal | None, kind: str) -> None:
    """Refuse a read the caller's scopes do not cover (401 anonymous, 403 signed in)."""
    granted = scopes_for(principal)
    if any(f"{context}/{kind}.read" in granted for context in _CONTEXTS):
        return
    if principal is None:
        raise FhirError(401, "login", f"Reading {kind} needs a bearer token.")
    raise FhirError(403, "forbidden", f"Your role may not read {kind}.")


def capability_statement(base_url: str, published: str) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": published,
        "publisher": "Healthbook",
        "kind": "instance",
        "software": {"name": "Healthbook FHIR facade"},
        "implementation": {"description": "Healthbook appointments", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "service": [{"coding": [{"system": _SMART, "code": "SMART-on-FHIR"}]}],
                    "description": (
                        "Bearer JWT issued by Healthbook's identity service. Scopes follow the "
                        "caller's role: patient/*.read (own compartment) for patients, "
                        "user/*.read for doctors, system/*.read for admins; the practitioner "
                        "directory and free slots are public."
                    ),
                },
                "resource": [
                    {
                        "type": kind,
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {"name": name, "type": kind_of} for name, kind_of in params.items()
                        ],
                    }
                    for kind, params in SEARCH_PARAMS.items()
                ],
            }
        ],
    }
