"""Evidence for clauses 8.5 to 8.7: changes, designs, releases, incidents, requests, problems,
availability, continuity and information security."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sms_check.model.base import (
    Action,
    ChangeRef,
    CiRef,
    Controlled,
    Date,
    IncidentRef,
    Item,
    PersonRef,
    PlanRef,
    ProblemRef,
    ReleaseRef,
    RiskRef,
    ServiceRef,
    SupplierRef,
    Text,
    Timestamp,
)


class Change(Item):
    """A request for change and its life cycle (8.5.1)."""

    change_type: Literal["normal", "standard", "emergency"]
    description: Text
    services: list[ServiceRef] = Field(default_factory=list)
    cis: list[CiRef] = Field(default_factory=list)
    major_impact: bool = Field(False, description="Meets the criteria to go through 8.5.2.")
    removal_or_transfer: bool = False
    requested_on: Timestamp
    requested_by: str | None = None
    risk: Literal["low", "medium", "high"] | None = None
    priority: Literal["P1", "P2", "P3", "P4"] | None = None
    impact_assessment: str | None = None
    decision: Literal["pending", "approved", "rejected"] = "pending"
    approved_by: PersonRef | None = None
    approved_on: Timestamp | None = None
    planned_start: Timestamp | None = None
    implemented_on: Timestamp | None = None
    tested: bool | None = None
    backout_plan: str | None = None
    remediation_plan: str | None = Field(None, description="What to do if backout fails.")
    outcome: Literal["successful", "failed", "partial", "backed_out", "cancelled"] | None = None
    status: Literal[
        "requested", "assessed", "approved", "scheduled", "implemented", "closed", "rejected"
    ] = "requested"
    pir_done: bool = False
    pir_on: Date | None = None
    release: ReleaseRef | None = None
    closed_on: Date | None = None


class ServiceDesign(Item):
    """The design of a new or changed service (8.5.2.2)."""

    change: ChangeRef
    services: list[ServiceRef] = Field(default_factory=list)
    designed_on: Date
    authorities_responsibilities: str | None = None
    activities: str | None = None
    resources: str | None = None
    service_levels: str | None = None
    dependencies: list[str] = Field(default_factory=list)
    approved_by: PersonRef | None = None
    approved_on: Date | None = None


class TransitionPlan(Item):
    """Planning, testing and acceptance of a service transition (8.5.2.1, 8.5.2.3)."""

    change: ChangeRef
    services: list[ServiceRef] = Field(default_factory=list)
    planned_on: Date
    activities: list[str] = Field(default_factory=list)
    acceptance_criteria: list[str] = Field(default_factory=list)
    tested: bool = False
    accepted_on: Date | None = None
    completed_on: Date | None = None
    outcome_reported: bool = False


class Release(Item):
    """A release deployed into the live environment (8.5.3)."""

    release_type: Literal["major", "minor", "emergency", "standard"]
    changes: list[ChangeRef] = Field(default_factory=list)
    cis: list[CiRef] = Field(default_factory=list)
    planned_on: Date | None = None
    tested: bool = False
    acceptance_criteria_met: bool | None = None
    approved_by: PersonRef | None = None
    approved_on: Date | None = None
    deployed_on: Timestamp | None = None
    outcome: Literal["successful", "failed", "rolled_back"] | None = None
    rollback_plan: str | None = None
    reviewed: bool = False


class Incident(Item):
    """An incident (8.6.1); ``security: true`` makes it an information security incident."""

    description: Text
    services: list[ServiceRef] = Field(default_factory=list)
    cis: list[CiRef] = Field(default_factory=list)
    category: str | None = None
    impact: Literal["low", "medium", "high"]
    urgency: Literal["low", "medium", "high"]
    priority: Literal["P1", "P2", "P3", "P4"]
    major: bool = False
    security: bool = False
    status: Literal["new", "in_progress", "on_hold", "resolved", "closed"]
    reported_at: Timestamp
    resolved_at: Timestamp | None = None
    closed_at: Timestamp | None = None
    assigned_to: PersonRef | None = None
    resolution: str | None = None
    actions: list[Action] = Field(default_factory=list)
    problem: ProblemRef | None = None
    sla_met: bool | None = None
    customer_informed: bool | None = None
    review_done: bool = False
    reviewed_on: Date | None = None


class ServiceRequest(Item):
    """A service request (8.6.2)."""

    service: ServiceRef
    description: Text
    requested_at: Timestamp
    requested_by: str | None = None
    category: str | None = None
    status: Literal["new", "in_progress", "fulfilled", "closed", "rejected"]
    approved_by: PersonRef | None = None
    fulfilled_at: Timestamp | None = None
    actions: list[Action] = Field(default_factory=list)


class Problem(Item):
    """A problem and its resolution (8.6.3)."""

    description: Text
    services: list[ServiceRef] = Field(default_factory=list)
    incidents: list[IncidentRef] = Field(default_factory=list)
    detected_on: Date
    priority: Literal["P1", "P2", "P3", "P4"] | None = None
    status: Literal["open", "investigating", "known_error", "resolved", "closed"]
    root_cause: str | None = None
    workaround: str | None = None
    change: ChangeRef | None = None
    resolved_on: Date | None = None
    effectiveness_reviewed: bool = False


class KnownError(Item):
    """A known error: a problem with a root cause or workaround (8.6.3)."""

    problem: ProblemRef
    description: Text
    workaround: str | None = None
    recorded_on: Date
    status: Literal["active", "resolved"] = "active"


class AvailabilityPlan(Controlled):
    """Availability requirements and targets, with the risk assessment behind them (8.7.1)."""

    services: list[ServiceRef] = Field(default_factory=list)
    requirements: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    risks_assessed_on: Date | None = None


class AvailabilityReport(Item):
    """Measured availability against target for a period (8.7.1)."""

    service: ServiceRef
    period_start: Date
    period_end: Date
    target_percent: float
    actual_percent: float
    met: bool
    actions: list[str] = Field(default_factory=list)


class ContinuityPlan(Controlled):
    """A service continuity plan (8.7.2, 7.5.4 d)."""

    services: list[ServiceRef] = Field(default_factory=list)
    requirements: list[str] = Field(default_factory=list)
    risks_assessed_on: Date | None = None
    invocation_criteria: str | None = None
    procedures: list[str] = Field(default_factory=list)
    recovery_objectives: str | None = None
    contacts: list[PersonRef] = Field(default_factory=list)
    return_to_normal: str | None = None


class ContinuityTest(Item):
    """A test or invocation of a continuity plan and its review (8.7.2)."""

    plan: PlanRef
    tested_on: Date
    test_type: Literal["tabletop", "simulation", "full", "invocation"] = "tabletop"
    result: Literal["passed", "partial", "failed"]
    reviewed: bool = False
    actions: list[str] = Field(default_factory=list)


class SecurityControl(Item):
    """An information security control and the risks it treats (8.7.3.2)."""

    description: Text
    risks: list[RiskRef] = Field(default_factory=list)
    owner: PersonRef | None = None
    applies_to: Literal["organization", "external_party", "both"] = "organization"
    supplier: SupplierRef | None = None
    status: Literal["planned", "implemented", "retired"] = "implemented"
    last_reviewed: Date | None = None
    effective: bool | None = None
