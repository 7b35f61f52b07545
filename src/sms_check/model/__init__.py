"""The evidence model: one pydantic model per kind of SMS evidence, and the registry of kinds."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from sms_check.model.base import Item, Ref
from sms_check.model.delivery import (
    AvailabilityPlan,
    AvailabilityReport,
    Change,
    ContinuityPlan,
    ContinuityTest,
    Incident,
    KnownError,
    Problem,
    Release,
    SecurityControl,
    ServiceDesign,
    ServiceRequest,
    TransitionPlan,
)
from sms_check.model.evaluation import (
    Attestation,
    Audit,
    AuditProgramme,
    CorrectiveAction,
    Improvement,
    ManagementReview,
    Measurement,
    Nonconformity,
    Waiver,
)
from sms_check.model.operation import (
    Agreement,
    Asset,
    Budget,
    CapacityPlan,
    CatalogueEntry,
    Complaint,
    ConfigurationAudit,
    ConfigurationItem,
    CostReport,
    CustomerReview,
    DemandPlan,
    Dispute,
    SatisfactionSurvey,
    Service,
    ServiceReport,
    ServiceRequirement,
    Sla,
    Supplier,
    SupplierReview,
)
from sms_check.model.planning import (
    Context,
    ContextIssue,
    InterestedParty,
    Objective,
    Person,
    Policy,
    Process,
    ResourcePlan,
    Risk,
    Role,
    Scope,
    SmPlan,
)
from sms_check.model.support import (
    Communication,
    CommunicationPlan,
    CompetenceRecord,
    Document,
    Knowledge,
    Training,
)

# NOTE: the registry is an explicit table: kind name (as written in evidence files) -> model,
# with the clause(s) it mainly serves. Adding a kind means adding a line here.
KINDS: dict[str, type[Item]] = {
    "context": Context,
    "context_issue": ContextIssue,
    "interested_party": InterestedParty,
    "scope": Scope,
    "process": Process,
    "policy": Policy,
    "role": Role,
    "person": Person,
    "risk": Risk,
    "objective": Objective,
    "sm_plan": SmPlan,
    "resource_plan": ResourcePlan,
    "competence_record": CompetenceRecord,
    "training": Training,
    "communication_plan": CommunicationPlan,
    "communication": Communication,
    "document": Document,
    "knowledge": Knowledge,
    "service": Service,
    "service_requirement": ServiceRequirement,
    "catalogue_entry": CatalogueEntry,
    "asset": Asset,
    "configuration_item": ConfigurationItem,
    "configuration_audit": ConfigurationAudit,
    "customer_review": CustomerReview,
    "complaint": Complaint,
    "satisfaction_survey": SatisfactionSurvey,
    "sla": Sla,
    "supplier": Supplier,
    "agreement": Agreement,
    "supplier_review": SupplierReview,
    "dispute": Dispute,
    "budget": Budget,
    "cost_report": CostReport,
    "demand_plan": DemandPlan,
    "capacity_plan": CapacityPlan,
    "service_report": ServiceReport,
    "change": Change,
    "service_design": ServiceDesign,
    "transition_plan": TransitionPlan,
    "release": Release,
    "incident": Incident,
    "service_request": ServiceRequest,
    "problem": Problem,
    "known_error": KnownError,
    "availability_plan": AvailabilityPlan,
    "availability_report": AvailabilityReport,
    "continuity_plan": ContinuityPlan,
    "continuity_test": ContinuityTest,
    "security_control": SecurityControl,
    "measurement": Measurement,
    "audit_programme": AuditProgramme,
    "audit": Audit,
    "management_review": ManagementReview,
    "nonconformity": Nonconformity,
    "corrective_action": CorrectiveAction,
    "improvement": Improvement,
    "attestation": Attestation,
    "waiver": Waiver,
}


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
