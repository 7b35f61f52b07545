"""Check type ``approval``: approved, by a role with the authority, for the current version."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sms_check.checks.base import (
    EvalContext,
    Outcome,
    Strict,
    Where,
    comparable_pair,
    select,
    show,
)
from sms_check.checks.presence import _none_found


class Approval(Strict):
    """Every item of ``kind`` matching ``where`` is approved by someone holding one of ``roles``.

    The approver (``approver_field``, default ``approved_by``: a person) must hold one of
    ``roles`` (role ids) or, with
    ``top_management: true``, a role flagged ``top_management``. The approval date
    (``approved_on``) must not be older than the current version (``changed_on``).
    With no matching item the check fails unless ``allow_none: true``.

    Example::

        - type: approval
          kind: policy
          where: {policy_type: service_management}
          top_management: true
    """

    type: Literal["approval"]
    kind: str
    where: Where | None = None
    roles: list[str] = []
    top_management: bool = False
    approver_field: str = "approved_by"
    date_field: str = "approved_on"
    version_date_field: str = "changed_on"
    allow_none: bool = False

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Check approver, authority and date of each item."""
        items = select(ctx, self.kind, self.where)
        if not items:
            return _none_found(ctx, self.kind, self.where, self.allow_none)
        allowed = set(self.roles) | (ctx.top_management_roles if self.top_management else set())
        out = Outcome(evaluated=len(items))
        for item in items:
            approver = getattr(item.model, self.approver_field, None)
            approved_on = getattr(item.model, self.date_field, None)
            changed_on = getattr(item.model, self.version_date_field, None)
            problems: list[tuple[str, str, str]] = []
            if not approver:
                problems.append(
                    ("not approved: 'approved_by' is empty", "approved_by", "unapproved")
                )
            elif allowed and not (ctx.roles_of_person.get(approver, set()) & allowed):
                who = "top management" if self.top_management and not self.roles else "the roles"
                wanted = ", ".join(sorted(allowed)) or "a role flagged top_management"
                problems.append(
                    (
                        f"approved by '{approver}', who does not hold {who} with the authority "
                        f"({wanted})",
                        self.approver_field,
                        "approver-authority",
                    )
                )
            if not approved_on:
                problems.append(
                    (
                        f"approval date '{self.date_field}' is empty",
                        self.date_field,
                        "approval-date",
                    )
                )
            elif changed_on and _older(approved_on, changed_on, ctx.as_of):
                problems.append(
                    (
                        f"approval of {show(approved_on)} is older than the current version "
                        f"of {show(changed_on)}; the current version is not approved",
                        self.date_field,
                        "approval-outdated",
                    )
                )
            if problems:
                out.failed += 1
            for message, field_name, kind in problems:
                where = item.field_location(field_name)
                out.findings.append(
                    ctx.finding(f"{item.kind} '{item.id}': {message}", where, kind, item.id)
                )
        return out

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        fields = [*(self.where or {}), self.approver_field, self.date_field]
        # the default version field only applies to kinds that have one
        if self.version_date_field != "changed_on" or "changed_on" in _fields(self.kind):
            fields.append(self.version_date_field)
        return [(self.kind, fields), ("person", ["roles"]), ("role", ["assigned_to"])]


def _older(approved_on: Any, changed_on: Any, as_of: dt.date) -> bool:
    left, right = comparable_pair(approved_on, changed_on, as_of)
    return bool(left < right)


def _fields(kind: str) -> frozenset[str]:
    from sms_check.model import KINDS, field_names

    return field_names(kind) if kind in KINDS else frozenset()
