"""What every check type shares: the evaluation context, filters, field access and outcomes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator as _op
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from sms_check.evidence import EvidenceIndex, EvidenceItem
from sms_check.intervals import add_interval, parse_interval
from sms_check.results import Finding, Location, Severity
from sms_check.shards import Partial

AS_OF = "$as_of"  # a condition value meaning "the assessment date"
# check types that judge each item on its own, through per_item (their outcomes are cached
# per shard; sms_check.shards)
ITEM_LOCAL = frozenset({"fields_present", "field_condition", "for_each"})


@dataclass
class EvalContext:
    """Everything a check may read: the evidence, the assessment date, the requirement."""

    evidence: EvidenceIndex
    as_of: dt.date
    rule: str = ""
    severity: Severity = Severity.MAJOR
    evidence_root: str = "evidence"

    @cached_property
    def intervals(self) -> dict[str, str]:
        """Intervals the organization declared in its service management plan."""
        return self.evidence.intervals()

    @cached_property
    def roles_of_person(self) -> dict[str, set[str]]:
        """Person id -> role ids, from both ``person.roles`` and ``role.assigned_to``."""
        mapping: dict[str, set[str]] = {}
        for person in self.evidence.of_kind("person"):
            mapping.setdefault(person.id, set()).update(getattr(person.model, "roles", []))
        for role in self.evidence.of_kind("role"):
            for person_id in getattr(role.model, "assigned_to", []):
                mapping.setdefault(person_id, set()).add(role.id)
        return mapping

    @cached_property
    def top_management_roles(self) -> set[str]:
        """Roles flagged ``top_management: true``."""
        return {r.id for r in self.evidence.of_kind("role") if r.model.top_management}

    def finding(
        self,
        message: str,
        location: Location,
        kind: str,
        item_id: str = "",
        expected_at: str = "",
    ) -> Finding:
        """A gap against the requirement being evaluated."""
        return Finding(self.rule, message, location, self.severity, kind, item_id, "", expected_at)

    def expected_file(self, kind: str) -> Location:
        """Where missing evidence of ``kind`` belongs by convention."""
        return Location(f"{self.evidence_root}/{kind}.yaml")


@dataclass
class Outcome:
    """The result of one check: findings, and how many items it judged and how many failed."""

    findings: list[Finding] = field(default_factory=list)
    evaluated: int = 0
    failed: int = 0
    missing: bool = False  # the evidence it needs does not exist at all

    @property
    def passed(self) -> bool:
        """True when the check found nothing wrong."""
        return not self.findings

    def merge(self, other: Outcome) -> Outcome:
        """Combine two outcomes (all must hold)."""
        return Outcome(
            self.findings + other.findings,
            self.evaluated + other.evaluated,
            self.failed + other.failed,
            self.missing or other.missing,
        )


class Strict(BaseModel):
    """Requirement-pack models: frozen, unknown keys rejected.

    Validators are built on first use: a warm run revives cached packs without them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @cached_property
    def canonical(self) -> str:
        """The check's content as canonical JSON: the fields its pack set, as the pack cache
        stores them (a revived check gets this from the cached data, see requirements.py)."""
        return canonical_json(self.model_dump(mode="json", exclude_unset=True))

    @cached_property
    def fingerprint(self) -> str:
        """A digest of the check's content (keys its cached partial outcomes)."""
        return hashlib.sha256(self.canonical.encode("utf-8")).hexdigest()[:24]

    @property
    def reads_date(self) -> bool:
        """True when the outcome depends on the assessment date (``$as_of`` is used)."""
        return f'"{AS_OF}"' in self.canonical


def canonical_json(data: Any) -> str:
    """Plain data as canonical JSON (sorted keys)."""
    return json.dumps(data, sort_keys=True, default=str)


def _judge_all(
    items: list[EvidenceItem], judge: Callable[[EvidenceItem], list[Finding]]
) -> Partial:
    findings: list[Finding] = []
    failed = 0
    for item in items:
        found = judge(item)
        if found:
            failed += 1
            findings.extend(found)
    return Partial(len(items), failed, findings)


def per_item(
    ctx: EvalContext,
    check: Strict,
    kind: str,
    where: dict[str, Any] | None,
    judge: Callable[[EvidenceItem], list[Finding]],
) -> Outcome:
    """An item-local check (each matching item judged on its own), shard by shard.

    A shard's partial outcome is taken from its cached summary when an earlier run judged the
    same content with the same check, date and severity (sms_check.shards); the others are
    judged now. ``evaluated`` 0 means no item matched at all.
    """
    if check.reads_date:  # judged every run: partials are kept across assessment dates
        judged = _judge_all(select(ctx, kind, where), judge)
        return Outcome(judged.findings, judged.evaluated, judged.failed)
    key = f"{ctx.rule}|{ctx.severity.value}|{check.fingerprint}"
    shards = ctx.evidence.shards_of(kind)
    parts = [shard.partial(key, ctx.rule, ctx.severity) for shard in shards]
    missing = [shard for shard, part in zip(shards, parts, strict=True) if part is None]
    if missing:
        for shard in missing:
            shard.revive()
        groups: dict[int, list[EvidenceItem]] = {id(shard): [] for shard in missing}
        if len(missing) * 2 > len(shards):  # mostly new: the shared, indexed selection
            for item in select(ctx, kind, where):
                group = groups.get(id(item.shard))
                if group is not None:
                    group.append(item)
        else:  # a few changed files: filter just their items
            keep = compile_where(where) if where else None
            for shard in missing:
                groups[id(shard)] = [
                    i for i in shard.items if keep is None or keep(i.model, ctx.as_of)
                ]
        for n, shard in enumerate(shards):
            if parts[n] is None:
                fresh = _judge_all(groups[id(shard)], judge)
                shard.fresh[key] = fresh
                parts[n] = fresh
    out = Outcome()
    for part in parts:
        assert part is not None
        out.evaluated += part.evaluated
        out.failed += part.failed
        out.findings.extend(part.findings)
    return out


def get_field(model: Any, dotted: str) -> Any:
    """Value of a dotted field; through lists it returns the list of values found."""
    if "." not in dotted:  # the common case, on the per-item hot path
        return model.get(dotted) if isinstance(model, dict) else getattr(model, dotted, None)
    value: Any = model
    for step in dotted.split("."):
        if isinstance(value, list):
            value = [get_field(v, step) for v in value]
            continue
        value = value.get(step) if isinstance(value, dict) else getattr(value, step, None)
        if value is None:
            return None
    return value


def is_empty(value: Any) -> bool:
    """None, blank text and empty collections count as empty."""
    if value is None:
        return True
    cls = value.__class__
    if cls is str:  # exact types first: this runs for every field tested
        return not value.strip()
    if cls is list or cls is dict:
        return not value
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict | tuple | set):
        return len(value) == 0
    return False


def comparable(value: Any, as_of: dt.date) -> Any:
    """Dates and timestamps as aware datetimes, so they compare with each other."""
    if value == AS_OF:
        value = as_of
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            return comparable(dt.date.fromisoformat(value), as_of)
        except ValueError:
            return value
    return value


def _day_or_time(value: Any, as_of: dt.date) -> Any:
    if value == AS_OF:
        return as_of
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def comparable_pair(left: Any, right: Any, as_of: dt.date) -> tuple[Any, Any]:
    """Two values made comparable.

    A date against a timestamp compares by calendar day (the timestamp's own day), so an
    approval dated the day of a change counts as on time whatever the hour; two timestamps
    compare as aware instants (naive ones are UTC).
    """
    a, b = _day_or_time(left, as_of), _day_or_time(right, as_of)
    a_time, b_time = isinstance(a, dt.datetime), isinstance(b, dt.datetime)
    a_day = isinstance(a, dt.date) and not a_time
    b_day = isinstance(b, dt.date) and not b_time
    if (a_day and b_time) or (a_time and b_day):
        return (a.date() if a_time else a), (b.date() if b_time else b)
    return comparable(a, as_of), comparable(b, as_of)


def show(value: Any) -> str:
    """A value as a person reads it in a message."""
    if value is None:
        return "empty"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


_OPERATORS = (
    "equals",
    "not_equals",
    "one_of",
    "not_one_of",
    "present",
    "matches",
    "gt",
    "ge",
    "lt",
    "le",
    "gt_field",
    "ge_field",
    "lt_field",
    "le_field",
    "min_items",
    "contains",
    "contains_all",
)


class Condition(Strict):
    """A test on one field of an item; exactly one operator is given."""

    field: str
    equals: Any = None
    not_equals: Any = None
    one_of: list[Any] | None = None
    not_one_of: list[Any] | None = None
    present: bool | None = Field(None, description="true: non-empty; false: empty")
    matches: str | None = Field(None, description="regular expression the text must match")
    gt: Any = None
    ge: Any = None
    lt: Any = None
    le: Any = None
    gt_field: str | None = None
    ge_field: str | None = None
    lt_field: str | None = None
    le_field: str | None = None
    min_items: int | None = None
    contains: Any = None
    contains_all: list[Any] | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        given = [op for op in _OPERATORS if op in self.model_fields_set]
        if len(given) != 1:
            raise ValueError(
                f"condition on '{self.field}' needs exactly one operator "
                f"({', '.join(_OPERATORS)}); got {len(given)}"
            )
        if self.matches is not None:
            re.compile(self.matches)
        return self

    @cached_property
    def operator(self) -> str:
        """The operator given (computed once: it is read for every item tested)."""
        return next(op for op in _OPERATORS if op in self.model_fields_set)

    def fields(self) -> list[str]:
        """Every field name the condition reads."""
        other = getattr(self, self.operator) if self.operator.endswith("_field") else None
        return [self.field] + ([other] if other else [])

    def test(self, model: Any, as_of: dt.date) -> str | None:
        """None when the item satisfies the condition, else why not (plain language)."""
        return self.tester(model, as_of)

    @cached_property
    def tester(self) -> Callable[[Any, dt.date], str | None]:
        """The test specialised for its operator once (it runs for every item tested)."""
        return _compile(self)


def field_reader(name: str) -> Callable[[Any], Any]:
    """A fast reader of one (possibly dotted) field."""
    if "." in name:
        return lambda model: get_field(model, name)

    def read(model: Any) -> Any:
        if model.__class__ is dict:
            return model.get(name)
        return getattr(model, name, None)

    return read


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "gt": _op.gt,
    "ge": _op.ge,
    "lt": _op.lt,
    "le": _op.le,
}
_DATE_WORDS = {"gt": "after", "ge": "on or after", "lt": "before", "le": "on or before"}
_NUMBER_WORDS = {"gt": "above", "ge": "at least", "lt": "below", "le": "at most"}


def _compile(cond: Condition) -> Callable[[Any, dt.date], str | None]:  # noqa: C901
    """A closure testing ``cond``; messages only built for items that fail."""
    op = cond.operator
    name = cond.field
    read = field_reader(name)
    if op == "present":
        want = cond.present

        def present(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            if want and is_empty(value):
                return f"'{name}' is empty"
            if want is False and not is_empty(value):
                return f"'{name}' should be empty but is {show(value)}"
            return None

        return present
    if op == "min_items":
        least = cond.min_items
        assert least is not None

        def min_items(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            count = len(value) if isinstance(value, list) else (0 if is_empty(value) else 1)
            if count < least:
                return f"'{name}' has {count} entries, at least {least} needed"
            return None

        return min_items
    if op == "equals":
        expected = cond.equals

        def equals(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            if value == expected:
                return None
            return f"'{name}' is {show(value)}, expected {show(expected)}"

        return equals
    if op == "not_equals":
        banned = cond.not_equals

        def not_equals(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            return None if value != banned else f"'{name}' must not be {show(value)}"

        return not_equals
    if op == "one_of":
        allowed = cond.one_of
        assert allowed is not None

        def one_of(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            if value in allowed:
                return None
            return f"'{name}' is {show(value)}, expected one of {show(allowed)}"

        return one_of
    if op == "not_one_of":
        banned_values = cond.not_one_of
        assert banned_values is not None

        def not_one_of(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            return None if value not in banned_values else f"'{name}' must not be {show(value)}"

        return not_one_of
    if op == "contains":
        needle = cond.contains

        def contains(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            values = value if isinstance(value, list) else []
            if needle in values:
                return None
            return f"'{name}' does not include {show(needle)}"

        return contains
    if op == "contains_all":
        needles = cond.contains_all or []

        def contains_all(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            values = value if isinstance(value, list) else []
            lacking = [v for v in needles if v not in values]
            return None if not lacking else f"'{name}' lacks {show(lacking)}"

        return contains_all
    if op == "matches":
        assert cond.matches is not None
        pattern = re.compile(cond.matches)

        def matches(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            if isinstance(value, str) and pattern.search(value):
                return None
            return f"'{name}' is {show(value)}, which does not match the expected form"

        return matches
    return _compile_comparison(cond, op, name, read)


def _compile_comparison(
    cond: Condition, op: str, name: str, read: Callable[[Any], Any]
) -> Callable[[Any, dt.date], str | None]:
    if op.endswith("_field"):
        other_name: str = getattr(cond, op)
        read_other = field_reader(other_name)
        base = op.removesuffix("_field")
        compare = _COMPARE[base]

        def against_field(model: Any, as_of: dt.date) -> str | None:
            value = read(model)
            if is_empty(value):
                return f"'{name}' is empty"
            other = read_other(model)
            if is_empty(other):
                return f"'{other_name}' is empty"
            return _judge(value, other, as_of, compare, base, name, other_name)

        return against_field
    bound = getattr(cond, op)
    compare = _COMPARE[op]

    def against_value(model: Any, as_of: dt.date) -> str | None:
        value = read(model)
        if is_empty(value):
            return f"'{name}' is empty"
        return _judge(value, bound, as_of, compare, op, name, None)

    return against_value


def _judge(
    value: Any,
    bound: Any,
    as_of: dt.date,
    compare: Callable[[Any, Any], bool],
    op: str,
    name: str,
    other_name: str | None,
) -> str | None:
    left, right = comparable_pair(value, bound, as_of)
    try:
        if compare(left, right):
            return None
    except TypeError:
        return (
            f"'{name}' ({show(value)}) cannot be compared with {_label(bound, as_of, other_name)}"
        )
    words = _DATE_WORDS
    if isinstance(left, int | float) and not isinstance(left, bool):
        words = _NUMBER_WORDS
    return f"'{name}' ({show(value)}) should be {words[op]} {_label(bound, as_of, other_name)}"


def _label(bound: Any, as_of: dt.date, other_name: str | None) -> str:
    if other_name is not None:
        return f"'{other_name}' ({show(bound)})"
    if bound == AS_OF:
        return f"the assessment date ({as_of.isoformat()})"
    return show(bound)


def _check_where(where: dict[str, Any]) -> dict[str, Any]:
    for name, expected in where.items():
        if isinstance(expected, dict):
            Condition(field=name, **expected)
    return where


Where = Annotated[dict[str, Any], AfterValidator(_check_where)]


def matches_where(model: Any, where: dict[str, Any] | None, as_of: dt.date) -> bool:
    """Filter shorthand: each field equals the value, or is one of the values given as a list.

    On a list field (such as ``clauses``) the filter matches when any entry is wanted. A
    mapping value is a condition on the field (``{closed_on: {present: true}}``).
    """
    if not where:
        return True
    return compile_where(where)(model, as_of)


_COMPILED_WHERE: dict[int, tuple[dict[str, Any], Callable[[Any, dt.date], bool]]] = {}


def compile_where(where: dict[str, Any]) -> Callable[[Any, dt.date], bool]:
    """``where`` as one predicate, built once per filter (it runs for every item)."""
    known = _COMPILED_WHERE.get(id(where))
    if known is not None and known[0] is where:
        return known[1]
    tests: list[Callable[[Any, dt.date], bool]] = []
    for name, expected in where.items():
        if isinstance(expected, dict):
            tests.append(_passes(Condition(field=name, **expected)))
            continue
        tests.append(_equality(field_reader(name), expected))

    def all_pass(model: Any, as_of: dt.date) -> bool:
        return all(test(model, as_of) for test in tests)

    # one filter (the common case) without the loop
    predicate = tests[0] if len(tests) == 1 else all_pass
    # the filter dict is kept alive with its predicate, so its id is never reused
    _COMPILED_WHERE[id(where)] = (where, predicate)
    return predicate


def _passes(condition: Condition) -> Callable[[Any, dt.date], bool]:
    tester = condition.tester

    def passes(model: Any, as_of: dt.date) -> bool:
        return tester(model, as_of) is None

    return passes


def _equality(read: Callable[[Any], Any], expected: Any) -> Callable[[Any, dt.date], bool]:
    wanted = expected if isinstance(expected, list) else [expected]

    def equal(model: Any, as_of: dt.date) -> bool:
        value = read(model)
        if isinstance(value, list):
            # a list field matches when any of its entries is wanted
            return any(v in wanted for v in value)
        return value in wanted

    return equal


def select(ctx: EvalContext, kind: str, where: Where | None) -> list[EvidenceItem]:
    """Items of ``kind`` passing the filter (memoised: many requirements share filters)."""
    items = ctx.evidence.of_kind(kind)
    if not where:
        return items
    key = (kind, json.dumps(where, sort_keys=True, default=str), ctx.as_of)
    found = ctx.evidence.selections.get(key)
    if found is None:
        keep = compile_where(where)
        as_of = ctx.as_of
        found = [item for item in _candidates(ctx, kind, where, items) if keep(item.model, as_of)]
        ctx.evidence.selections[key] = found
    return found


def _candidates(
    ctx: EvalContext, kind: str, where: dict[str, Any], items: list[EvidenceItem]
) -> list[EvidenceItem]:
    """Narrow the items with an index on one plain equality filter (large repositories)."""
    name, expected = next(iter(where.items()))
    if isinstance(expected, dict) or "." in name or len(items) < 64:
        return items
    index = ctx.evidence.value_index.get((kind, name))
    if index is None:
        index = {}
        for position, item in enumerate(items):
            value = getattr(item.model, name, None)
            for entry in value if isinstance(value, list) else [value]:
                try:
                    index.setdefault(entry, []).append(position)
                except TypeError:  # an unhashable value: no index for this field
                    index = None
                    break
            if index is None:
                break
        ctx.evidence.value_index[(kind, name)] = index
    if index is None:
        return items
    wanted = expected if isinstance(expected, list) else [expected]
    positions: set[int] = set()
    for value in wanted:
        try:
            positions.update(index.get(value, ()))
        except TypeError:
            return items
    return [items[p] for p in sorted(positions)]


def describe(kind: str, where: Where | None) -> str:
    """'change items with change_type = normal' for messages."""
    if not where:
        return f"{kind} items"
    parts = [_describe_filter(k, v) for k, v in sorted(where.items())]
    return f"{kind} items with " + " and ".join(parts)


_OPERATOR_WORDS = {
    "equals": "=",
    "not_equals": "not",
    "one_of": "one of",
    "not_one_of": "none of",
    "matches": "matching",
    "gt": "above",
    "ge": "at least",
    "lt": "below",
    "le": "at most",
    "gt_field": "after",
    "ge_field": "on or after",
    "lt_field": "before",
    "le_field": "on or before",
    "min_items": "with at least",
    "contains": "including",
    "contains_all": "including all of",
}


def _describe_filter(name: str, value: Any) -> str:
    if isinstance(value, dict):
        parts = []
        for op, bound in value.items():
            if op == "present":
                parts.append(f"{name} {'filled in' if bound else 'empty'}")
            else:
                parts.append(f"{name} {_OPERATOR_WORDS.get(op, op)} {show(bound)}")
        return " and ".join(parts)
    if isinstance(value, list):
        return f"{name} " + " or ".join(show(v) for v in value)
    return f"{name} {show(value)}"


def interval_of(ctx: EvalContext, key: str | None, default: str) -> tuple[tuple[int, int], str]:
    """The organization's declared interval for ``key``, else the catalog default."""
    if key and key in ctx.intervals:
        text = ctx.intervals[key]
        return parse_interval(text), f"{text} (declared in the service management plan)"
    if key is None:
        return parse_interval(default), f"{default} (the requirement's fixed period)"
    return parse_interval(default), f"{default} (smscheck default; declare '{key}' in sm_plan)"


def due_date(last: dt.date, interval: tuple[int, int]) -> dt.date:
    """When the next occurrence is due."""
    return add_interval(last, interval)


def as_date(value: Any) -> dt.date | None:
    """A date from a date or timestamp value; from a list of them, the latest."""
    if isinstance(value, list):
        dates = [d for d in (as_date(v) for v in value) if d is not None]
        return max(dates) if dates else None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
