"""Check types about time: ``freshness`` against a declared interval, ``periodic`` coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import Field, field_validator

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
    select,
)
from sms_check.checks.presence import _none_found
from sms_check.evidence import EvidenceItem
from sms_check.intervals import add_interval, parse_interval


def _valid_interval(value: str) -> str:
    parse_interval(value)
    return value


class Freshness(Strict):
    """Evidence is not older than the organization's declared interval.

    ``interval`` names an entry of the service management plan's ``intervals``
    (sm_plan); when the organization has not declared it, ``default`` applies. An item's own
    interval field (``item_interval``, e.g. ``review_interval``) wins over both.
    ``mode: latest`` (default) needs the most recent matching item to be fresh (e.g. the last
    management review); ``mode: each`` needs every matching item to be fresh (e.g. every
    policy reviewed).

    Example::

        - type: freshness
          kind: management_review
          date_field: held_on
          interval: management_review
          default: 12 months
    """

    type: Literal["freshness"]
    kind: str
    where: Where | None = None
    date_field: str
    interval: str | None = None
    default: str = "12 months"
    item_interval: str | None = None
    mode: Literal["latest", "each"] = "latest"
    allow_none: bool = False

    _check_default = field_validator("default")(_valid_interval)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Compare dates with the interval."""
        items = select(ctx, self.kind, self.where)
        if not items:
            return _none_found(ctx, self.kind, self.where, self.allow_none)
        period, source = interval_of(ctx, self.interval, self.default)
        if self.mode == "latest":
            dated = [(as_date(get_field(i.model, self.date_field)), i) for i in items]
            known = [(d, i) for d, i in dated if d is not None]
            if not known:
                return Outcome(
                    [
                        ctx.finding(
                            f"no {describe(self.kind, self.where)} has a '{self.date_field}' date",
                            items[0].location,
                            f"undated:{self.kind}",
                            items[0].id,
                        )
                    ],
                    1,
                    1,
                )
            last, item = max(known, key=lambda pair: (pair[0], pair[1].id))
            due = due_date(last, period)
            if due < ctx.as_of:
                return Outcome(
                    [
                        ctx.finding(
                            f"overdue: the latest {self.kind} ('{item.id}', {self.date_field} "
                            f"{last.isoformat()}) is older than the interval of {source}; "
                            f"the next was due by {due.isoformat()}",
                            item.field_location(self.date_field),
                            f"stale:{self.kind}",
                            item.id,
                        )
                    ],
                    1,
                    1,
                )
            return Outcome(evaluated=1)
        out = Outcome(evaluated=len(items))
        for item in items:
            own = get_field(item.model, self.item_interval) if self.item_interval else None
            item_period, item_source = (
                (parse_interval(own), f"{own} (the item's own {self.item_interval})")
                if own
                else (period, source)
            )
            when = as_date(get_field(item.model, self.date_field))
            if when is None:
                out.failed += 1
                out.findings.append(
                    ctx.finding(
                        f"{item.kind} '{item.id}': '{self.date_field}' is empty, so it cannot be "
                        "shown to be up to date",
                        item.location,
                        f"undated:{self.date_field}",
                        item.id,
                    )
                )
                continue
            due = due_date(when, item_period)
            if due < ctx.as_of:
                out.failed += 1
                out.findings.append(
                    ctx.finding(
                        f"{item.kind} '{item.id}': overdue, {self.date_field} {when.isoformat()} "
                        f"is older than the interval of {item_source} (due by {due.isoformat()})",
                        item.field_location(self.date_field),
                        f"stale:{self.date_field}",
                        item.id,
                    )
                )
        return out

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        extra = [self.item_interval] if self.item_interval else []
        return [(self.kind, [*(self.where or {}), self.date_field, *extra])]


class Periodic(Strict):
    """A record exists for each period over a window ending at the assessment date.

    The period is the organization's declared ``interval`` (sm_plan), else ``default``;
    ``window`` is how many periods back to look (e.g. 12 monthly service reports). With
    ``per`` (a reference field of the record, such as ``sla``) each target item of
    ``per_kind`` matching ``per_where`` needs its own record per period; ``start_field``
    on the target (e.g. ``agreed_on``) exempts periods before the target existed. Periods
    are rolling: the k-th ends k periods before the assessment date, so two records up to
    almost two periods apart can still cover adjacent windows (use ``freshness`` to bound the
    age of the latest one).

    Example::

        - type: periodic
          kind: service_report
          date_field: period_end
          interval: service_report
          default: 1 month
          window: 12
          per: sla
          per_kind: sla
          start_field: agreed_on
    """

    type: Literal["periodic"]
    kind: str
    where: Where | None = None
    date_field: str
    interval: str | None = None
    default: str = "1 month"
    window: int = Field(12, ge=1, le=120)
    per: str | None = None
    per_kind: str | None = None
    per_where: Where | None = None
    start_field: str | None = None

    _check_default = field_validator("default")(_valid_interval)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Find the periods without a record."""
        period, source = interval_of(ctx, self.interval, self.default)
        records = select(ctx, self.kind, self.where)
        if self.per and self.per_kind:
            targets = select(ctx, self.per_kind, self.per_where)
            out = Outcome()
            for target in targets:
                mine = [r for r in records if _refers(get_field(r.model, self.per), target.id)]
                start = (
                    as_date(get_field(target.model, self.start_field)) if self.start_field else None
                )
                gaps = self._gaps(ctx, mine, period, start)
                out.evaluated += 1
                if gaps:
                    out.failed += 1
                    out.findings.append(
                        ctx.finding(
                            f"{target.kind} '{target.id}': no {self.kind} for "
                            f"{_periods(gaps)} (one per {source}, last {self.window} periods)",
                            target.location,
                            f"period-gap:{self.kind}",
                            target.id,
                            expected_at=f"a {self.kind} item with {self.per}: {target.id}",
                        )
                    )
            return out
        gaps = self._gaps(ctx, records, period, None)
        if not gaps:
            return Outcome(evaluated=1)
        where = records[-1].location if records else ctx.expected_file(self.kind)
        return Outcome(
            [
                ctx.finding(
                    f"no {describe(self.kind, self.where)} for {_periods(gaps)} "
                    f"(one per {source}, last {self.window} periods)",
                    where,
                    f"period-gap:{self.kind}",
                    expected_at=f"an item with 'kind: {self.kind}' under evidence/",
                )
            ],
            1,
            1,
            missing=not records,
        )

    def _gaps(
        self,
        ctx: EvalContext,
        records: Sequence[EvidenceItem],
        period: tuple[int, int],
        start: dt.date | None,
    ) -> list[tuple[dt.date, dt.date]]:
        dates = sorted(
            d
            for d in (as_date(get_field(r.model, self.date_field)) for r in records)
            if d is not None
        )
        months, days = period
        gaps: list[tuple[dt.date, dt.date]] = []
        end = ctx.as_of
        for k in range(self.window):
            begin = add_interval(ctx.as_of, (-(k + 1) * months, -(k + 1) * days))
            if start is not None and begin < start:
                break
            if not any(begin < d <= end for d in dates):
                gaps.append((begin, end))
            end = begin
        return gaps

    def reads(self) -> list[tuple[str, list[str]]]:
        """(kind, fields) this check reads, for the linter."""
        out = [
            (self.kind, [*(self.where or {}), self.date_field, *([self.per] if self.per else [])])
        ]
        if self.per_kind:
            fields = [*(self.per_where or {}), *([self.start_field] if self.start_field else [])]
            out.append((self.per_kind, fields))
        return out


def _refers(value: object, target: str) -> bool:
    return value == target or (isinstance(value, list) and target in value)


def _periods(gaps: list[tuple[dt.date, dt.date]]) -> str:
    shown = [f"{b.isoformat()}..{e.isoformat()}" for b, e in sorted(gaps)[:3]]
    more = f" and {len(gaps) - 3} more" if len(gaps) > 3 else ""
    word = "period" if len(gaps) == 1 else "periods"
    return f"{len(gaps)} {word} ({', '.join(shown)}{more})"
