"""Building blocks of the evidence model: the item base, typed references, dates, intervals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from sms_check.intervals import parse_interval

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$"


@dataclass(frozen=True)
class Ref:
    """Marks a field as a reference to the ``id`` of an item of one of ``kinds``."""

    kinds: tuple[str, ...]


def _aware(value: dt.datetime) -> dt.datetime:
    """Naive timestamps are read as UTC so they compare with timezone-aware ones."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _no_datetime(value: Any) -> Any:
    """A date field takes a date, not a timestamp: keep the error message clear."""
    if isinstance(value, str) and len(value) > 10 and value[10:11] in ("T", " "):
        raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
    return value


Date = Annotated[dt.date, BeforeValidator(_no_datetime)]
# NOTE: the model accepts minutes without seconds (2026-03-05T10:22+02:00); JSON Schema's
# "date-time" format demands seconds, so the schema states the accepted form as a pattern.
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|z|[+-]\d{2}(:?\d{2})?)?$"
Timestamp = Annotated[
    dt.datetime,
    AfterValidator(_aware),
    WithJsonSchema({"type": "string", "pattern": TIMESTAMP_PATTERN}),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ItemId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


def _check_interval(value: Any) -> str:
    if isinstance(value, int):
        value = f"{value} days"
    parse_interval(str(value))
    return str(value)


Interval = Annotated[str, BeforeValidator(_check_interval)]


PersonRef = Annotated[str, Ref(("person",))]
RoleRef = Annotated[str, Ref(("role",))]
PartyRef = Annotated[str, Ref(("interested_party",))]
ServiceRef = Annotated[str, Ref(("service",))]
SupplierRef = Annotated[str, Ref(("supplier",))]
DocumentRef = Annotated[str, Ref(("document",))]
PolicyRef = Annotated[str, Ref(("policy",))]
ObjectiveRef = Annotated[str, Ref(("objective",))]
RiskRef = Annotated[str, Ref(("risk",))]
CiRef = Annotated[str, Ref(("configuration_item",))]
AssetRef = Annotated[str, Ref(("asset",))]
ProcessRef = Annotated[str, Ref(("process",))]
ChangeRef = Annotated[str, Ref(("change",))]
ReleaseRef = Annotated[str, Ref(("release",))]
IncidentRef = Annotated[str, Ref(("incident",))]
ProblemRef = Annotated[str, Ref(("problem",))]
AgreementRef = Annotated[str, Ref(("agreement",))]
SlaRef = Annotated[str, Ref(("sla",))]
AuditRef = Annotated[str, Ref(("audit",))]
NonconformityRef = Annotated[str, Ref(("nonconformity",))]
CorrectiveActionRef = Annotated[str, Ref(("corrective_action",))]
PlanRef = Annotated[str, Ref(("continuity_plan",))]
BudgetRef = Annotated[str, Ref(("budget",))]
ProgrammeRef = Annotated[str, Ref(("audit_programme",))]


class Part(BaseModel):
    """A nested structure inside an item (unknown keys are reported, not ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Item(Part):
    """Fields every evidence item has."""

    id: ItemId = Field(description="Identifier, unique across the whole evidence repository.")
    title: str | None = Field(None, description="Short human name.")
    notes: str | None = None
    attachments: list[str] = Field(
        default_factory=list,
        description="Files in the evidence repository that back this item (relative paths).",
    )
    tags: list[str] = Field(default_factory=list)


Status = Literal["draft", "approved", "active", "retired", "superseded"]


class Controlled(Item):
    """Documented information under control (clause 7.5.3): versioned, owned, approved, reviewed."""

    version: str | None = None
    status: Status | None = None
    owner: PersonRef | None = None
    approved_by: PersonRef | None = None
    approved_on: Date | None = None
    changed_on: Date | None = Field(
        None, description="Date of the current version; an approval must not be older."
    )
    review_interval: Interval | None = Field(
        None, description="How often the organization reviews it, e.g. '12 months'."
    )
    last_reviewed: Date | None = None
    document: DocumentRef | None = Field(None, description="Entry in the document register.")


class Action(Part):
    """A dated action on a record (incident work log, request step...)."""

    at: Timestamp
    by: PersonRef | None = None
    note: Text
