"""Evidence for clauses 4 to 6: context, scope, policies, roles, risks, objectives, the SMS plan."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sms_check.model.base import (
    Controlled,
    Date,
    Interval,
    Item,
    ObjectiveRef,
    Part,
    PartyRef,
    PersonRef,
    PolicyRef,
    ProcessRef,
    RiskRef,
    RoleRef,
    ServiceRef,
    SupplierRef,
    Text,
)


class Context(Controlled):
    """The organization's review of its context (4.1), including the climate-change decision."""

    purpose: str | None = None
    intended_outcomes: list[str] = Field(default_factory=list)
    climate_change_relevant: bool | None = Field(
        None, description="Amendment 1:2024: is climate change a relevant issue?"
    )
    climate_change_rationale: str | None = None


class ContextIssue(Item):
    """An internal or external issue relevant to the SMS (4.1)."""

    issue_type: Literal["internal", "external"]
    description: Text
    effect: str | None = Field(None, description="How it helps or hinders the SMS.")
    climate_related: bool = False
    identified_on: Date | None = None
    last_reviewed: Date | None = None
    risks: list[RiskRef] = Field(default_factory=list)


class InterestedParty(Item):
    """An interested party and its relevant requirements (4.2)."""

    party_type: Literal[
        "customer", "user", "supplier", "regulator", "employee", "owner", "partner", "other"
    ]
    name: Text
    requirements: list[str] = Field(default_factory=list)
    no_requirements_reason: str | None = None
    services: list[ServiceRef] = Field(default_factory=list)
    climate_requirements: list[str] = Field(default_factory=list)
    last_reviewed: Date | None = None


class Scope(Controlled):
    """The scope of the SMS (4.3): organization and services covered."""

    organization: Text
    statement: Text
    services: list[ServiceRef] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)
    rationale: str | None = Field(None, description="How issues and party requirements shaped it.")
    parties_considered: list[PartyRef] = Field(default_factory=list)


class Process(Controlled):
    """A process of the SMS (4.4, 7.5.4 e) and who operates it (8.2.3)."""

    name: Text
    clauses: list[str] = Field(
        default_factory=list, description="Clauses it implements, e.g. 8.6.1"
    )
    description: str | None = None
    operated_by: Literal["organization", "other_party"] = "organization"
    party: SupplierRef | None = Field(None, description="The other party operating it.")
    governance: str | None = Field(
        None, description="How the organization keeps accountability for an outsourced process."
    )
    inputs: list[str] = Field(default_factory=list)
    outputs: list[str] = Field(default_factory=list)
    interfaces: list[ProcessRef] = Field(default_factory=list)
    kpis: list[str] = Field(default_factory=list)


class Policy(Controlled):
    """A policy: service management (5.2), change management (8.5.1.1), information security."""

    policy_type: Literal[
        "service_management", "change_management", "information_security", "continuity", "other"
    ]
    statement: str | None = None
    commits_to_requirements: bool = False
    commits_to_improvement: bool = False
    objectives_framework: bool = Field(False, description="Gives a framework for objectives.")
    scope_items: list[str] = Field(default_factory=list, description="What the policy covers.")
    communicated_on: Date | None = None
    available_to_parties: bool = False


class Role(Item):
    """A role with its responsibilities and authorities (5.3)."""

    name: Text
    responsibilities: list[str] = Field(default_factory=list)
    authorities: list[str] = Field(default_factory=list)
    top_management: bool = False
    assigned_to: list[PersonRef] = Field(default_factory=list)
    competence_required: list[str] = Field(default_factory=list)
    communicated_on: Date | None = None


class Person(Item):
    """A person working under the organization's control."""

    name: Text
    roles: list[RoleRef] = Field(default_factory=list)
    department: str | None = None
    email: str | None = None
    active: bool = True
    joined_on: Date | None = None


class Risk(Item):
    """A risk or opportunity (6.1, 8.7.1, 8.7.2, 8.7.3)."""

    risk_type: Literal["risk", "opportunity"] = "risk"
    category: Literal[
        "organization",
        "service_requirements",
        "other_party",
        "availability",
        "continuity",
        "information_security",
        "capacity",
    ]
    description: Text
    services: list[ServiceRef] = Field(default_factory=list)
    customer_impact: str | None = None
    likelihood: Literal["low", "medium", "high"] | None = None
    impact: Literal["low", "medium", "high"] | None = None
    level: Literal["low", "medium", "high", "critical"] | None = None
    treatment: Literal["accept", "mitigate", "transfer", "avoid", "exploit"] | None = None
    actions: list[str] = Field(default_factory=list)
    accepted_by: PersonRef | None = None
    owner: PersonRef | None = None
    status: Literal["open", "treated", "accepted", "closed"] = "open"
    assessed_on: Date | None = None
    review_interval: Interval | None = None
    last_reviewed: Date | None = None
    effectiveness_evaluated: bool = False


class ObjectiveResult(Part):
    """One measurement of an objective."""

    measured_on: Date
    value: float | str
    met: bool


class Objective(Item):
    """A service management objective with its measure and target (6.2)."""

    statement: Text
    policy: PolicyRef | None = None
    measure: str | None = None
    target: str | None = None
    owner: PersonRef | None = None
    due: Date | None = None
    resources: str | None = None
    actions: list[str] = Field(default_factory=list)
    evaluation_method: str | None = None
    measurement_interval: Interval | None = None
    last_reviewed: Date | None = None
    results: list[ObjectiveResult] = Field(default_factory=list)
    communicated: bool = False
    status: Literal["planned", "active", "achieved", "missed", "retired"] = "active"


class SmPlan(Controlled):
    """The service management plan (6.3, 7.5.4 c), with the organization's declared intervals."""

    services: list[ServiceRef] = Field(default_factory=list)
    objectives: list[ObjectiveRef] = Field(default_factory=list)
    service_requirements_summary: str | None = None
    known_limitations: list[str] = Field(default_factory=list)
    obligations: list[str] = Field(
        default_factory=list, description="Policies, standards, legal, regulatory, contractual."
    )
    authorities_responsibilities: str | None = None
    resources: str | None = Field(None, description="Human, technical, information, financial.")
    other_parties: list[SupplierRef] = Field(default_factory=list)
    technology: str | None = None
    effectiveness_measures: str | None = None
    risk_approach: str | None = None
    risk_acceptance_criteria: str | None = None
    intervals: dict[str, Interval] = Field(
        default_factory=dict,
        description="The organization's own intervals for periodic activities, by activity.",
    )


class ResourcePlan(Item):
    """Resources determined and provided for the SMS and the services (7.1, 5.1)."""

    resource_type: Literal["human", "technical", "information", "financial"]
    description: Text
    services: list[ServiceRef] = Field(default_factory=list)
    approved_by: PersonRef | None = None
    approved_on: Date | None = None
    last_reviewed: Date | None = None
