"""Evidence for clauses 9 and 10, and smscheck's own attestations and waivers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sms_check.model.base import (
    AuditRef,
    CorrectiveActionRef,
    Date,
    Item,
    NonconformityRef,
    ObjectiveRef,
    Part,
    PersonRef,
    ProgrammeRef,
    ServiceRef,
    Text,
)


class Measurement(Item):
    """A monitoring or measurement result and its evaluation (9.1)."""

    metric: Text
    objective: ObjectiveRef | None = None
    services: list[ServiceRef] = Field(default_factory=list)
    period_end: Date
    value: float | str
    target: str | None = None
    met: bool | None = None
    analysed: bool = False
    evaluation: str | None = None


class AuditProgramme(Item):
    """The internal audit programme (9.2)."""

    period: Text
    clauses_covered: list[str] = Field(default_factory=list)
    criteria: str | None = None
    methods: str | None = None
    approved_by: PersonRef | None = None
    approved_on: Date | None = None


class Audit(Item):
    """An internal audit (9.2)."""

    programme: ProgrammeRef | None = None
    status: Literal["planned", "conducted", "reported", "cancelled"] | None = None
    criteria: str | None = None
    scope: list[str] = Field(default_factory=list, description="Clauses or processes audited.")
    planned_on: Date | None = None
    conducted_on: Date | None = None
    lead_auditor: PersonRef | None = None
    independent: bool | None = Field(None, description="Auditors did not audit their own work.")
    reported_on: Date | None = None
    reported_to: PersonRef | None = None
    result: str | None = None
    nonconformities: list[NonconformityRef] = Field(default_factory=list)


class ReviewAction(Part):
    """An action decided by a management review."""

    action: Text
    owner: PersonRef | None = None
    due: Date | None = None
    done: bool = False


ReviewInput = Literal[
    "previous_actions",
    "context_changes",
    "customer_satisfaction",
    "complaints",
    "objectives",
    "service_performance",
    "nonconformities",
    "monitoring_results",
    "audit_results",
    "supplier_performance",
    "risks",
    "improvement_opportunities",
    "resources",
]


class ManagementReview(Item):
    """A management review: the inputs considered and the decisions taken (9.3)."""

    held_on: Date
    chaired_by: PersonRef | None = None
    attendees: list[PersonRef] = Field(default_factory=list)
    inputs: list[ReviewInput] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)
    improvement_decisions: list[str] = Field(default_factory=list)
    change_decisions: list[str] = Field(default_factory=list)
    resource_decisions: list[str] = Field(default_factory=list)
    actions: list[ReviewAction] = Field(default_factory=list)


class Nonconformity(Item):
    """A nonconformity with its correction and root cause (10.1)."""

    source: Literal["audit", "incident", "complaint", "review", "monitoring", "other"]
    audit: AuditRef | None = None
    description: Text
    clause: str | None = None
    raised_on: Date
    grade: Literal["major", "minor"] | None = None
    correction: str | None = None
    root_cause: str | None = None
    status: Literal["open", "in_progress", "closed"] = "open"
    closed_on: Date | None = None
    effectiveness_reviewed: bool = False


class CorrectiveAction(Item):
    """An action to remove the cause of a nonconformity (10.1)."""

    nonconformity: NonconformityRef
    description: Text
    owner: PersonRef | None = None
    due: Date | None = None
    completed_on: Date | None = None
    status: Literal["planned", "in_progress", "done"] = "planned"
    effective: bool | None = None


class Improvement(Item):
    """An opportunity for improvement and how it was managed (10.2)."""

    description: Text
    source: str | None = None
    raised_on: Date
    owner: PersonRef | None = None
    priority: Literal["low", "medium", "high"] | None = None
    target: str | None = Field(None, description="The improvement objective, measurable.")
    status: Literal["proposed", "approved", "in_progress", "done", "rejected"] = "proposed"
    approved_by: PersonRef | None = None
    completed_on: Date | None = None
    evaluated: bool = False


class Attestation(Item):
    """A named person's statement that a manual requirement is met, with evidence and expiry."""

    requirement: Text
    attested_by: PersonRef
    attested_on: Date
    expires_on: Date
    evidence: Text = Field(description="What the attestation rests on: documents, records...")
    statement: str | None = None


class Waiver(Item):
    """An accepted gap: shown as waived until it expires, never hidden."""

    requirement: Text
    justification: Text
    owner: PersonRef
    approved_by: PersonRef
    approved_on: Date | None = None
    expires_on: Date
    corrective_action: CorrectiveActionRef | None = None
    items: list[str] = Field(default_factory=list, description="Limit to these evidence items.")
