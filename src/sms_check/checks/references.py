"""Check type ``cross_reference``: every X refers to, or is referred to by, a Y."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from sms_check.checks.base import (
    EvalContext,
    Outcome,
    Strict,
    Where,
    as_date,
    describe,
    due_date,
    get_field,
    interval_of,
    matches_where,
    select,
)
from sms_check.checks.timing import _valid_interval
from sms_check.evidence import EvidenceItem


class Link(Strict):
    """The other side of a cross-reference."""

    kind: str
    field: str = Field(description="The reference field on the referring item.")
    where: Where | None = None
    date_field: str | None = Field(None, description="With ``interval``: the link must be fresh.")
    interval: str | None = None
    default: str = "12 months"

    _check_default = field_validator("default")(_valid_interval)


class CrossReference(Strict):
    """Every item of ``kind`` matching ``where`` is linked to an item of another kind.

    ``referenced_by``: some item of that kind (matching its ``where``) names this item in its
    ``field`` (a single reference or a list) — e.g. every live service is covered by an SLA.
    ``refers_to``: this item's own ``field`` names an item of that kind matching its ``where``
    — e.g. every external supplier has a contract. Give exactly one of the two. With
    ``date_field`` and ``interval`` on the link, the most recent linking item must also be
    fresh (e.g. every supplier reviewed within the declared interval). No item of ``kind``
    means nothing to cover: the check holds (pair it with ``exists`` when items must exist).

    Example::

        - type: cross_reference
          kind: service
          where: {status: live}
          referenced_by: {kind: sla, field: services}
    """

    type: Literal["cross_reference"]
    kind: str
    where: Where | None = None
    referenced_by: Link | None = None
    refers_to: Link | None = None

    @model_validator(mode="after")
    def _one_direction(self) -> CrossReference:
        if (self.referenced_by is None) == (self.refers_to is None):
            raise ValueError("give exactly one of 'referenced_by' and 'refers_to'")
        return self

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Check the link of every item."""
        items = select(ctx, self.kind, self.where)
        out = Outcome(evaluated=len(items))
        link = self.referenced_by or self.refers_to
        assert link is not None
        if self.referenced_by is not None:
            index: dict[str, list[EvidenceItem]] = {}
            for other in select(ctx, link.kind, link.where):
                value = get_field(other.model, link.field)
                for target in value if isinstance(value, list) else [value]:
                    if isinstance(target, str):
                        index.setdefault(target, []).append(other)
        period = interval_of(ctx, link.interval, link.default) if link.date_field else None
        for item in items:
            if self.referenced_by is not None:
                linked = index.get(item.id, [])
            else:
                value = get_field(item.model, link.field)
                ids = value if isinstance(value, list) else [value]
                linked = [
                    ctx.evidence.by_id[i]
                    for i in ids
                    if isinstance(i, str)
                    and i in ctx.evidence.by_id
                    and ctx.evidence.by_id[i].kind == link.kind
                    and matches_where(ctx.evidence.by_id[i].model, link.where, ctx.as_of)
                ]
            what = describe(link.kind, link.where)
            if not linked:
                out.failed += 1
                if self.referenced_by is not None:
                    message = f"not referred to by any {what} (through '{link.field}')"
                    expected = f"a {link.kind} item whose '{link.field}' names {item.id}"
                else:
                    message = f"'{link.field}' does not name any of the {what}"
                    expected = f"'{link.field}' on {item.kind} {item.id}"
                out.findings.append(
                    ctx.finding(
                        f"{item.kind} '{item.id}': {message}",
                        item.location,
                        f"unlinked:{link.kind}",
                        item.id,
                        expected,
                    )
                )
                continue
            if period is None or link.date_field is None:
                continue
            dates = [as_date(get_field(o.model, link.date_field)) for o in linked]
            known = [d for d in dates if d is not None]
            last = max(known) if known else None
            if last is None or due_date(last, period[0]) < ctx.as_of:
                out.failed += 1
                when = last.isoformat() if last else "never"
                out.findings.append(
                    ctx.finding(
                        f"{item.kind} '{item.id}': the latest linked {link.kind} is from {when}, "
                        f"older than the interval of {period[1]}",
                        item.location,
                        f"stale-link:{link.kind}",
                        item.id,
                    )
                )
        return out

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        link = self.referenced_by or self.refers_to
        assert link is not None
        link_fields = [*(link.where or {}), *([link.date_field] if link.date_field else [])]
        if self.referenced_by is not None:
            return [(self.kind, list(self.where or {})), (link.kind, [link.field, *link_fields])]
        return [(self.kind, [*(self.where or {}), link.field]), (link.kind, link_fields)]
