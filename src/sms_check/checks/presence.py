"""Check types about items and their fields: exists, fields_present, field_condition, for_each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from pydantic import Field

from sms_check.checks.base import (
    Condition,
    EvalContext,
    Outcome,
    Strict,
    Where,
    describe,
    field_reader,
    is_empty,
    per_item,
    select,
)
from sms_check.evidence import EvidenceItem
from sms_check.results import Finding


class Exists(Strict):
    """At least ``min`` (default 1) items of ``kind`` matching ``where`` exist; at most ``max``.

    Example::

        - type: exists
          kind: policy
          where: {policy_type: service_management, status: approved}
          min: 1
    """

    type: Literal["exists"]
    kind: str
    where: Where | None = None
    min: int = Field(1, ge=0)
    max: int | None = None

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Count the matching items."""
        items = select(ctx, self.kind, self.where)
        what = describe(self.kind, self.where)
        if len(items) < self.min:
            need = "one" if self.min == 1 else f"{self.min}"
            return Outcome(
                [
                    ctx.finding(
                        f"missing evidence: found {len(items)} {what}, at least {need} needed",
                        ctx.expected_file(self.kind),
                        f"missing:{self.kind}",
                        expected_at=f"an item with 'kind: {self.kind}' under evidence/",
                    )
                ],
                1,
                1,
                missing=True,
            )
        if self.max is not None and len(items) > self.max:
            return Outcome(
                [
                    ctx.finding(
                        f"found {len(items)} {what}, at most {self.max} expected",
                        items[self.max].location,
                        f"too-many:{self.kind}",
                    )
                ],
                1,
                1,
            )
        return Outcome(evaluated=1)

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        return [(self.kind, list(self.where or {}))]


class FieldsPresent(Strict):
    """Every item of ``kind`` matching ``where`` has each of ``fields`` filled in (completeness).

    Fails with one finding per item and missing field; no items at all also fails
    unless ``allow_none: true``.

    Example::

        - type: fields_present
          kind: sla
          fields: [customer, services, targets, reporting_interval, agreed_on]
    """

    type: Literal["fields_present"]
    kind: str
    where: Where | None = None
    fields: list[str] = Field(min_length=1)
    allow_none: bool = False

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Look for empty fields."""
        readers = [(f, field_reader(f)) for f in self.fields]

        def judge(item: EvidenceItem) -> list[Finding]:
            model = item.model
            return [
                ctx.finding(
                    f"{item.kind} '{item.id}': '{name}' is empty or missing",
                    item.field_location(name),
                    f"empty:{name}",
                    item.id,
                )
                for name, read in readers
                if is_empty(read(model))
            ]

        out = per_item(ctx, self, self.kind, self.where, judge)
        if not out.evaluated:
            return _none_found(ctx, self.kind, self.where, self.allow_none)
        return out

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        return [(self.kind, list(self.where or {}) + self.fields)]


class FieldCondition(Strict):
    """Every item of ``kind`` matching ``where`` satisfies one field condition.

    Operators: equals, not_equals, one_of, not_one_of, present, matches (regex),
    gt/ge/lt/le (numbers or dates; ``$as_of`` is the assessment date), gt_field/ge_field/
    lt_field/le_field (compare with another field of the same item), min_items, contains,
    contains_all.

    Example::

        - type: field_condition
          kind: context
          condition: {field: climate_change_relevant, one_of: [true, false]}
    """

    type: Literal["field_condition"]
    kind: str
    where: Where | None = None
    condition: Condition
    allow_none: bool = False

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Test the condition on each item."""
        return _require(ctx, self, self.kind, self.where, [self.condition], self.allow_none)

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        return [(self.kind, list(self.where or {}) + self.condition.fields())]


class ForEach(Strict):
    """Conditional rule: for every item of ``kind`` matching ``where``, all of ``require`` hold.

    With no matching item the rule holds (nothing to violate) unless ``require_some: true``.

    Example::

        - type: for_each
          kind: change
          where: {change_type: normal, status: [implemented, closed]}
          require:
            - {field: approved_on, present: true}
            - {field: implemented_on, ge_field: approved_on}
    """

    type: Literal["for_each"]
    kind: str
    where: Where | None = None
    require: list[Condition] = Field(min_length=1)
    require_some: bool = False

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Test every condition on each matching item."""
        return _require(ctx, self, self.kind, self.where, self.require, not self.require_some)

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        return [(self.kind, list(self.where or {}) + [f for c in self.require for f in c.fields()])]


def _none_found(ctx: EvalContext, kind: str, where: Where | None, allow: bool) -> Outcome:
    if allow:
        return Outcome()
    return Outcome(
        [
            ctx.finding(
                f"missing evidence: no {describe(kind, where)} found",
                ctx.expected_file(kind),
                f"missing:{kind}",
                expected_at=f"an item with 'kind: {kind}' under evidence/",
            )
        ],
        1,
        1,
        missing=True,
    )


def _require(
    ctx: EvalContext,
    check: Strict,
    kind: str,
    where: Where | None,
    conditions: list[Condition],
    allow: bool,
) -> Outcome:
    as_of = ctx.as_of
    testers: list[tuple[Condition, Callable[[Any, dt.date], str | None]]] = []

    def judge(item: EvidenceItem) -> list[Finding]:
        if not testers:  # compiled on first use: cached partial outcomes need none
            testers.extend((condition, condition.tester) for condition in conditions)
        found = []
        model = item.model
        for condition, test in testers:
            why = test(model, as_of)
            if why is None:
                continue
            top = condition.field.split(".")[0]
            found.append(
                ctx.finding(
                    f"{item.kind} '{item.id}': {why}",
                    item.field_location(top),
                    f"condition:{condition.field}:{condition.operator}",
                    item.id,
                )
            )
        return found

    out = per_item(ctx, check, kind, where, judge)
    if not out.evaluated:
        return _none_found(ctx, kind, where, allow)
    return out
