"""The check vocabulary of requirement packs: a discriminated union is the registry."""

from __future__ import annotations

from typing import Annotated, Any, get_args

from pydantic import Field

from sms_check.checks import logic as _logic
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

# The composite checks name CheckSpec only for type checkers; pydantic resolves it from their
# module when it first builds a validator (cold path), so importing builds nothing.
_logic.CheckSpec = CheckSpec  # type: ignore[attr-defined]

CHECK_TYPES: dict[str, type[Any]] = {
    get_args(cls.model_fields["type"].annotation)[0]: cls
    for cls in get_args(get_args(CheckSpec)[0])
}

__all__ = ["CHECK_TYPES", "CheckSpec", "Condition", "EvalContext", "Outcome"]
