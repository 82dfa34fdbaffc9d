"""Validate what we emit against FHIR's structure definitions (fhir.resources' R4B models:
R4B keeps R4's structure for every resource served here)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class


def validate(resource: dict[str, Any]) -> None:
    """Raise if `resource` is not a valid FHIR resource of its `resourceType`."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
