"""Evidence for clauses 8.1 to 8.4: services, catalogue, CIs, agreements, suppliers, budget."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sms_check.model.base import (
    AgreementRef,
    BudgetRef,
    CiRef,
    Controlled,
    Date,
    Interval,
    Item,
    Part,
    PartyRef,
    PersonRef,
    ServiceRef,
    SlaRef,
    SupplierRef,
    Text,
)


class Service(Item):
    """A service delivered to customers (8.2)."""

    name: Text
    description: str | None = None
    owner: PersonRef | None = None
    status: Literal["pipeline", "live", "retiring", "retired"] = "live"
    customers: list[PartyRef] = Field(default_factory=list)
    users: list[str] = Field(default_factory=list)
    criticality: Literal["low", "medium", "high"] | None = None
    depends_on: list[ServiceRef] = Field(default_factory=list)
    components: list[CiRef] = Field(default_factory=list)
    operated_by: Literal["organization", "other_party"] = "organization"
    provider: SupplierRef | None = None


class ServiceRequirement(Item):
    """A documented requirement of a service (8.2.2, 7.5.4 f)."""

    service: ServiceRef
    requirement: Text
    requirement_type: Literal[
        "functional",
        "service_level",
        "availability",
        "capacity",
        "continuity",
        "security",
        "legal",
        "other",
    ] = "other"
    source: PartyRef | None = None
    agreed_on: Date | None = None


class CatalogueEntry(Item):
    """An entry of the service catalogue (8.2.4)."""

    service: ServiceRef
    description: Text
    intended_outcomes: list[str] = Field(default_factory=list)
    dependencies: list[ServiceRef] = Field(default_factory=list)
    how_to_request: str | None = None
    service_hours: str | None = None
    published_on: Date | None = None
    last_reviewed: Date | None = None


class Asset(Item):
    """An asset used to deliver services (8.2.5)."""

    asset_type: Text
    owner: PersonRef | None = None
    services: list[ServiceRef] = Field(default_factory=list)
    location: str | None = None
    obligations: list[str] = Field(default_factory=list, description="Licences, legal terms...")
    status: Literal["planned", "in_use", "retired", "disposed"] = "in_use"
    last_verified: Date | None = None


class CiRelationship(Part):
    """A typed link from one configuration item to another."""

    relation: Literal["depends_on", "runs_on", "connects_to", "part_of", "uses", "backs_up"]
    target: CiRef


class ConfigurationItem(Item):
    """A configuration item in the CMDB (8.2.6)."""

    ci_type: Text
    description: str | None = None
    status: Literal["planned", "active", "maintenance", "retired"] = "active"
    owner: PersonRef | None = None
    version: str | None = None
    services: list[ServiceRef] = Field(default_factory=list)
    relationships: list[CiRelationship] = Field(default_factory=list)
    last_changed_by: str | None = Field(None, description="Id of the change that last altered it.")
    last_verified: Date | None = None
    asset: str | None = None


class ConfigurationAudit(Item):
    """A verification of the accuracy of configuration information (8.2.6)."""

    performed_on: Date
    performed_by: PersonRef | None = None
    scope: str | None = None
    items_checked: int = 0
    discrepancies: int = 0
    actions: list[str] = Field(default_factory=list)


class CustomerReview(Item):
    """A review of service performance with a customer (8.3.2)."""

    customer: PartyRef
    services: list[ServiceRef] = Field(default_factory=list)
    held_on: Date
    trends_reviewed: bool = False
    outcomes: list[str] = Field(default_factory=list)
    changes_to_requirements: list[str] = Field(default_factory=list)


class Complaint(Item):
    """A service complaint (8.3.2)."""

    customer: PartyRef | None = None
    service: ServiceRef | None = None
    received_on: Date
    description: Text
    status: Literal["open", "investigating", "closed"] = "open"
    closed_on: Date | None = None
    resolution: str | None = None
    escalated: bool = False


class SatisfactionSurvey(Item):
    """A measurement of customer satisfaction (8.3.2)."""

    conducted_on: Date
    services: list[ServiceRef] = Field(default_factory=list)
    responses: int = 0
    score: float | None = None
    scale: str | None = None
    analysis: str | None = None
    actions: list[str] = Field(default_factory=list)


class SlaTarget(Part):
    """One agreed service level target."""

    metric: Text
    target: Text
    measured_by: str | None = None


class Sla(Controlled):
    """A service level agreement with a customer (8.3.3, 7.5.4 h)."""

    customer: PartyRef
    services: list[ServiceRef]
    targets: list[SlaTarget] = Field(default_factory=list)
    workload_limits: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)
    reporting_interval: Interval | None = None
    agreed_on: Date | None = None
    agreed_by: str | None = Field(None, description="Who signed for the customer.")
    valid_until: Date | None = None


class Supplier(Item):
    """A supplier: external, internal, or a customer acting as a supplier (8.3.4)."""

    name: Text
    supplier_type: Literal["external", "internal", "customer_as_supplier"]
    services: list[ServiceRef] = Field(default_factory=list, description="Services it supports.")
    supplies: str | None = Field(None, description="What it provides.")
    manager: PersonRef | None = Field(None, description="Who manages the relationship.")
    criticality: Literal["low", "medium", "high"] | None = None
    selection_criteria_met: bool | None = None
    evaluated_on: Date | None = None
    operates_processes: bool = False


class Agreement(Controlled):
    """A contract with an external supplier or an agreement with an internal one (8.3.4)."""

    supplier: SupplierRef
    agreement_type: Literal["contract", "ola", "underpinning", "customer_as_supplier"]
    services: list[ServiceRef] = Field(default_factory=list)
    scope_of_supply: str | None = None
    targets: list[str] = Field(default_factory=list)
    responsibilities: list[str] = Field(default_factory=list)
    sla: SlaRef | None = Field(None, description="The SLA it underpins.")
    signed_on: Date | None = None
    starts_on: Date | None = None
    ends_on: Date | None = None
    security_requirements: bool = False


class SupplierReview(Item):
    """A review of a supplier's performance or of its agreement (8.3.4)."""

    supplier: SupplierRef
    agreement: AgreementRef | None = None
    held_on: Date
    review_type: Literal["performance", "contract", "both"] = "performance"
    targets_met: bool | None = None
    findings: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)


class Dispute(Item):
    """A contractual dispute with a supplier (8.3.4)."""

    supplier: SupplierRef
    raised_on: Date
    description: Text
    status: Literal["open", "closed"] = "open"
    closed_on: Date | None = None


class Budget(Item):
    """A budget for services (8.4.1)."""

    period: Text
    services: list[ServiceRef] = Field(default_factory=list)
    amount: float
    currency: Text = "EUR"
    approved_by: PersonRef | None = None
    approved_on: Date | None = None
    accounting_policy: str | None = None


class CostReport(Item):
    """Actual costs against a budget (8.4.1)."""

    budget: BudgetRef
    period_end: Date
    actual: float
    variance_explained: bool = False
    reported_on: Date | None = None


class DemandPlan(Item):
    """Demand forecast and consumption for services (8.4.2)."""

    services: list[ServiceRef] = Field(default_factory=list)
    period: Text
    forecast: str | None = None
    actual_consumption: str | None = None
    last_reviewed: Date | None = None
    review_interval: Interval | None = None


class CapacityPlan(Controlled):
    """Capacity requirements and plan (8.4.3): human, technical, information, financial."""

    services: list[ServiceRef] = Field(default_factory=list)
    human: str | None = None
    technical: str | None = None
    information: str | None = None
    financial: str | None = None
    performance_monitored: bool = False
    actions: list[str] = Field(default_factory=list)


class ServiceReport(Item):
    """A service report (8.3.3, 9.4): performance against SLA targets and trends."""

    sla: SlaRef | None = None
    services: list[ServiceRef] = Field(default_factory=list)
    period_start: Date
    period_end: Date
    issued_on: Date | None = None
    audience: list[PartyRef] = Field(default_factory=list)
    targets_met: bool | None = None
    workload: str | None = None
    trends: str | None = None
    decisions: list[str] = Field(default_factory=list)
