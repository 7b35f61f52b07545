"""The check vocabulary of requirement packs: a discriminated union is the registry."""

from __future__ import annotations

from typing import Annotated, Any, get_args

from pydantic import Field

from sms_check.checks.approval import Approval
from sms_check.checks.base import Condition, EvalContext, Outcome
from sms_check.checks.logic import AllOf, AnyOf, Not
from sms_check.checks.presence import Exists, FieldCondition, FieldsPresent, ForEach
from sms_check.checks.references import CrossReference
from sms_check.checks.timing import Freshness, Periodic

CheckSpec = Annotated[
    Exists
    | FieldsPresent
    | FieldCondition
    | ForEach
    | Approval
    | Freshness
    | Periodic
    | CrossReference
    | AllOf
    | AnyOf
    | Not,
    Field(discriminator="type"),
]

AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()

CHECK_TYPES: dict[str, type[Any]] = {
    get_args(cls.model_fields["type"].annotation)[0]: cls
    for cls in get_args(get_args(CheckSpec)[0])
}

__all__ = ["CHECK_TYPES", "CheckSpec", "Condition", "EvalContext", "Outcome"]
