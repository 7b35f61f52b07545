"""Evidence for clause 7: competence, awareness, communication, documents, knowledge."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sms_check.model.base import (
    Controlled,
    Date,
    DocumentRef,
    Interval,
    Item,
    Part,
    PersonRef,
    RoleRef,
    ServiceRef,
    Text,
)


class CompetenceRecord(Item):
    """Evidence that a person is competent for a role (7.2)."""

    person: PersonRef
    role: RoleRef | None = None
    competence: Text
    evidence: str | None = Field(None, description="Certificate, degree, assessment...")
    assessed_on: Date | None = None
    valid_until: Date | None = None
    action_taken: str | None = Field(None, description="Training or mentoring to close a gap.")
    effectiveness_evaluated: bool = False


class Training(Item):
    """A training, induction or awareness session attended by a person (7.2, 7.3)."""

    training_type: Literal["training", "awareness", "induction"] = "training"
    person: PersonRef
    topic: Text
    topics: list[
        Literal["policy", "objectives", "services", "contribution", "nonconformity_impact", "other"]
    ] = Field(default_factory=list, description="Awareness topics covered.")
    completed_on: Date
    effectiveness_evaluated: bool = False


class CommunicationEntry(Part):
    """One line of the communication plan (7.4)."""

    topic: Text
    audience: Text
    when: Text
    method: Text
    responsible: PersonRef | None = None


class CommunicationPlan(Controlled):
    """What is communicated, when, to whom, how and by whom (7.4)."""

    entries: list[CommunicationEntry] = Field(default_factory=list)


class Communication(Item):
    """A communication that took place (5.1, 5.2.2, 7.4)."""

    topic: Text
    sent_on: Date
    audience: Text
    channel: str | None = None
    sender: PersonRef | None = None
    about: list[str] = Field(default_factory=list, description="Ids of items it communicated.")


class Document(Item):
    """An entry of the document register (7.5): the controlled documents of the SMS."""

    doc_type: Literal[
        "scope",
        "policy",
        "objectives",
        "plan",
        "process",
        "procedure",
        "catalogue",
        "agreement",
        "contract",
        "record",
        "report",
        "other",
    ]
    version: Text
    owner: PersonRef | None = None
    approved_by: PersonRef | None = None
    approved_on: Date | None = None
    changed_on: Date | None = None
    next_review: Date | None = None
    last_reviewed: Date | None = None
    review_interval: Interval | None = None
    retention: str | None = Field(None, description="How long it is kept, e.g. '3 years'.")
    status: Literal["draft", "approved", "obsolete", "superseded"] = "draft"
    superseded_by: DocumentRef | None = None
    origin: Literal["internal", "external"] = "internal"
    location: str | None = Field(None, description="Where it lives (path or system).")
    classification: str | None = None


class Knowledge(Item):
    """Knowledge needed to run the SMS and the services (7.6)."""

    topic: Text
    services: list[ServiceRef] = Field(default_factory=list)
    owner: PersonRef | None = None
    location: str | None = None
    updated_on: Date | None = None
    review_interval: Interval | None = None
