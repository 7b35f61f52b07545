"""Composition of checks: ``all_of``, ``any_of`` and ``not``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from sms_check.checks.base import EvalContext, Outcome, Strict

if TYPE_CHECKING:
    from sms_check.checks import CheckSpec


class AllOf(Strict):
    """Every one of ``checks`` holds.

    Example::

        - type: all_of
          checks:
            - {type: exists, kind: audit_programme}
            - {type: fields_present, kind: audit_programme, fields: [criteria, methods]}
    """

    type: Literal["all_of"]
    checks: list[CheckSpec] = Field(min_length=1)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Merge the outcomes of all checks."""
        out = Outcome()
        for check in self.checks:
            out = out.merge(check.evaluate(ctx))
        return out

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        return [pair for check in self.checks for pair in check.reads()]


class AnyOf(Strict):
    """At least one of ``checks`` holds; when none does, the findings of all are reported.

    Example::

        - type: any_of
          checks:
            - {type: exists, kind: process, where: {clauses: [8.2.3]}}
            - {type: exists, kind: supplier, where: {operates_processes: true}}
    """

    type: Literal["any_of"]
    checks: list[CheckSpec] = Field(min_length=2)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Pass on the first passing check."""
        failed = Outcome()
        for check in self.checks:
            outcome = check.evaluate(ctx)
            if outcome.passed:
                return outcome
            failed = failed.merge(outcome)
        return failed

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        return [pair for check in self.checks for pair in check.reads()]


class Not(Strict):
    """The inner ``check`` must fail; ``message`` says what its passing means.

    Example::

        - type: not
          message: an emergency change is still waiting for approval after implementation
          check:
            type: exists
            kind: change
            where: {change_type: emergency, decision: pending, status: closed}
    """

    type: Literal["not"]
    check: CheckSpec
    message: str

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Invert the inner check."""
        inner = self.check.evaluate(ctx)
        if not inner.passed:
            return Outcome(evaluated=1)
        kind = next((k for k, _ in self.check.reads()), "evidence")
        expected = f"{kind} items under evidence/ that change this situation"
        finding = ctx.finding(self.message, ctx.expected_file(kind), f"not:{kind}", "", expected)
        return Outcome([finding], 1, 1)

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        return self.check.reads()
