"""The evidence model: one pydantic model per kind of SMS evidence, and the registry of kinds."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from sms_check.model.base import Item, Ref

# NOTE: the registry is an explicit table: kind name (as written in evidence files) -> the
# module and class of its model. Adding a kind means adding a line here. Modules are imported
# on first use, so loading a few kinds (say, incidents from an ITSM export) stays cheap.
_REGISTRY: dict[str, tuple[str, str]] = {
    "context": ("planning", "Context"),
    "context_issue": ("planning", "ContextIssue"),
    "interested_party": ("planning", "InterestedParty"),
    "scope": ("planning", "Scope"),
    "process": ("planning", "Process"),
    "policy": ("planning", "Policy"),
    "role": ("planning", "Role"),
    "person": ("planning", "Person"),
    "risk": ("planning", "Risk"),
    "objective": ("planning", "Objective"),
    "sm_plan": ("planning", "SmPlan"),
    "resource_plan": ("planning", "ResourcePlan"),
    "competence_record": ("support", "CompetenceRecord"),
    "training": ("support", "Training"),
    "communication_plan": ("support", "CommunicationPlan"),
    "communication": ("support", "Communication"),
    "document": ("support", "Document"),
    "knowledge": ("support", "Knowledge"),
    "service": ("operation", "Service"),
    "service_requirement": ("operation", "ServiceRequirement"),
    "catalogue_entry": ("operation", "CatalogueEntry"),
    "asset": ("operation", "Asset"),
    "configuration_item": ("operation", "ConfigurationItem"),
    "configuration_audit": ("operation", "ConfigurationAudit"),
    "customer_review": ("operation", "CustomerReview"),
    "complaint": ("operation", "Complaint"),
    "satisfaction_survey": ("operation", "SatisfactionSurvey"),
    "sla": ("operation", "Sla"),
    "supplier": ("operation", "Supplier"),
    "agreement": ("operation", "Agreement"),
    "supplier_review": ("operation", "SupplierReview"),
    "dispute": ("operation", "Dispute"),
    "budget": ("operation", "Budget"),
    "cost_report": ("operation", "CostReport"),
    "demand_plan": ("operation", "DemandPlan"),
    "capacity_plan": ("operation", "CapacityPlan"),
    "service_report": ("operation", "ServiceReport"),
    "change": ("delivery", "Change"),
    "service_design": ("delivery", "ServiceDesign"),
    "transition_plan": ("delivery", "TransitionPlan"),
    "release": ("delivery", "Release"),
    "incident": ("delivery", "Incident"),
    "service_request": ("delivery", "ServiceRequest"),
    "problem": ("delivery", "Problem"),
    "known_error": ("delivery", "KnownError"),
    "availability_plan": ("delivery", "AvailabilityPlan"),
    "availability_report": ("delivery", "AvailabilityReport"),
    "continuity_plan": ("delivery", "ContinuityPlan"),
    "continuity_test": ("delivery", "ContinuityTest"),
    "security_control": ("delivery", "SecurityControl"),
    "measurement": ("evaluation", "Measurement"),
    "audit_programme": ("evaluation", "AuditProgramme"),
    "audit": ("evaluation", "Audit"),
    "management_review": ("evaluation", "ManagementReview"),
    "nonconformity": ("evaluation", "Nonconformity"),
    "corrective_action": ("evaluation", "CorrectiveAction"),
    "improvement": ("evaluation", "Improvement"),
    "attestation": ("evaluation", "Attestation"),
    "waiver": ("evaluation", "Waiver"),
}


class _Kinds(Mapping[str, type[Item]]):
    """``KINDS[kind]`` is the model class; membership and iteration need no import."""

    def __init__(self) -> None:
        self._loaded: dict[str, type[Item]] = {}

    def __getitem__(self, kind: str) -> type[Item]:
        cls = self._loaded.get(kind)  # once per kind: this runs for every item validated
        if cls is None:
            module, name = _REGISTRY[kind]
            cls = getattr(import_module(f"sms_check.model.{module}"), name)
            self._loaded[kind] = cls
        return cls

    def __contains__(self, kind: object) -> bool:
        return kind in _REGISTRY

    def __iter__(self) -> Iterator[str]:
        return iter(_REGISTRY)

    def __len__(self) -> int:
        return len(_REGISTRY)


KINDS: Mapping[str, type[Item]] = _Kinds()


@dataclass(frozen=True)
class RefField:
    """A reference inside a kind: the path to it (``*`` = each list entry) and target kinds."""

    path: tuple[str, ...]
    kinds: tuple[str, ...]


def _unwrap(annotation: Any) -> list[tuple[Any, tuple[Any, ...]]]:
    """Split an annotation into (base type, metadata) alternatives, through Optional/Union."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = get_args(annotation)
        return [(b, tuple(meta) + m) for b, m in _unwrap(base)]
    if origin in (Union, types.UnionType):
        return [alt for arg in get_args(annotation) for alt in _unwrap(arg)]
    return [(annotation, ())]


def _refs_of(model: type[BaseModel], prefix: tuple[str, ...]) -> list[RefField]:
    found: list[RefField] = []
    for name, info in model.model_fields.items():
        for annotation in [info.annotation]:
            for base, meta in _unwrap(annotation):
                meta = meta + tuple(info.metadata)
                path = (*prefix, name)
                if get_origin(base) is list:
                    (inner,) = get_args(base)
                    path = (*path, "*")
                    for ibase, imeta in _unwrap(inner):
                        found += _refs_in(ibase, imeta, path)
                else:
                    found += _refs_in(base, meta, path)
    return found


def _refs_in(base: Any, meta: tuple[Any, ...], path: tuple[str, ...]) -> list[RefField]:
    refs = [RefField(path, m.kinds) for m in meta if isinstance(m, Ref)]
    if isinstance(base, type) and issubclass(base, BaseModel):
        refs += _refs_of(base, path)
    return refs


@cache
def reference_fields(kind: str) -> tuple[RefField, ...]:
    """Every reference field of ``kind``, found from the model's annotations."""
    return tuple(_refs_of(KINDS[kind], ()))


@cache
def field_names(kind: str) -> frozenset[str]:
    """Dotted names of every field of ``kind``, including nested parts (``targets.metric``)."""
    names: set[str] = set()

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            dotted = f"{prefix}{name}"
            names.add(dotted)
            for base, _ in _unwrap(info.annotation):
                if get_origin(base) is list:
                    base = get_args(base)[0]
                    alts = [b for b, _ in _unwrap(base)]
                else:
                    alts = [base]
                for alt in alts:
                    if isinstance(alt, type) and issubclass(alt, BaseModel):
                        walk(alt, dotted + ".")

    walk(KINDS[kind], "")
    return frozenset(names)


__all__ = ["KINDS", "Item", "RefField", "field_names", "reference_fields"]
