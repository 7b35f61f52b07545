"""Shards: each evidence file or record source, and what a later run may reuse of it.

A run splits the evidence by the file it came from. For every clean shard (all its items
valid and indexed) a *summary* is cached next to the parse cache, keyed by the shard's content
hash, its path and the run key (the catalog's projection, see ``run_key``):

- the partial outcomes of the item-local checks (``fields_present``, ``field_condition``,
  ``for_each``) over the shard's items, so the next run concatenates them instead of testing
  every item again. Checks that compare with the assessment date (``$as_of``) are judged
  anew every run, so summaries stay valid from one day to the next;
- a *stub*: ids, positions, the fields the other checks read (the projection), and the
  references and attachments to verify. A later run builds light items from it and never
  decodes the full items. Reading any field outside the projection, or needing a field's
  position, revives the whole shard from the parse cache (or by parsing the file), so a stub
  changes how fast a run is, never what it reports. Files of ``PARSE_CACHE_MAX`` items or more
  get no parse-cache entry of their own (the stub replaces it; writing it was a fifth of a
  large cold run); smaller ones keep it, so reviving one costs a cache read, not a parse.

A summary is only ever a function of its key: a changed file, path or catalog simply misses,
and deleting the cache folder is always safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from itertools import repeat
from typing import TYPE_CHECKING, Any

from sms_check.records import convert
from sms_check.results import Finding, Location, Severity

if TYPE_CHECKING:
    from sms_check.evidence import EvidenceItem

FORMAT = 2  # 2: every shard has a stub
PARSE_CACHE_MAX = 100  # evidence files this large are kept as stubs only


class _StubPlace:
    """Marks an item built from a stub: its field positions need the full item."""

    __slots__ = ()


STUB_PLACE = _StubPlace()


class Partial:
    """One item-local check over one shard: items judged, items failing, findings."""

    __slots__ = ("evaluated", "failed", "findings")

    def __init__(self, evaluated: int, failed: int, findings: list[Finding]) -> None:
        self.evaluated = evaluated
        self.failed = failed
        self.findings = findings


class Shard:
    """The items of one evidence file or record source, and its summary for the next run."""

    __slots__ = (
        "path",
        "kind",
        "key",
        "reviver",
        "items",
        "built",
        "stubbed",
        "stub_data",
        "partials",
        "fresh",
        "used",
        "persist",
        "refs",
        "attachments",
        "had_summary",
    )

    def __init__(
        self,
        path: str,
        kind: str,
        key: str,
        reviver: Callable[[], list[EvidenceItem]] | None = None,
    ) -> None:
        self.path = path
        self.kind = kind
        self.key = key  # content key; "" when the shard cannot be cached
        self.reviver = reviver  # the shard's full items again (parse cache, else the file)
        self.items: list[EvidenceItem] = []  # accepted (indexed) items, in order
        self.built: list[EvidenceItem] = []  # every item built from a stub, in file order
        self.stubbed = False  # the built items still hold stand-ins
        self.stub_data: dict[str, Any] | None = None
        self.partials: dict[str, list[Any]] = {}  # loaded: check key -> serialized partial
        self.fresh: dict[str, Partial] = {}  # computed in this run
        self.used: set[str] = set()  # loaded partials this run read
        self.persist = bool(key)  # False once an item is rejected or the file had problems
        self.refs: list[list[Any]] = []  # unique [target id, [kinds]] referenced
        self.attachments: list[str] = []  # unique attachment paths named
        self.had_summary = False

    def revive(self) -> None:
        """Replace the stand-ins by the full items (same order, same objects)."""
        if not self.stubbed:
            return
        from sms_check.errors import UsageError

        full = self.reviver() if self.reviver else []
        if [i.id for i in full] != [i.id for i in self.built]:
            raise UsageError(f"{self.path}: changed while smscheck was reading it; run again")
        for item, fresh in zip(self.built, full, strict=True):
            item.model = fresh.model
            item.raw = fresh.raw
        self.stubbed = False

    def partial(self, key: str, rule: str, severity: Severity) -> Partial | None:
        """A cached partial outcome, rebuilt with its findings."""
        if key in self.fresh:
            return self.fresh[key]
        stored = self.partials.get(key)
        if stored is None:
            return None
        self.used.add(key)
        evaluated, failed, rows = stored
        findings = [
            Finding(rule, m, Location(self.path, line, col), severity, kind, item, "", expected)
            for m, line, col, kind, item, expected in rows
        ]
        part = Partial(evaluated, failed, findings)
        self.fresh[key] = part  # once rebuilt, reused by identical checks
        return part

    def summary(self, projection: Iterable[str], plan: dict[str, Any]) -> dict[str, Any]:
        """The cache entry for the next run."""
        partials: dict[str, list[Any]] = {k: self.partials[k] for k in self.used}
        for key, part in self.fresh.items():
            if key in partials:
                continue
            partials[key] = [
                part.evaluated,
                part.failed,
                [
                    [
                        f.message,
                        f.location.line,
                        f.location.column,
                        f.kind,
                        f.item_id,
                        f.expected_at,
                    ]
                    for f in part.findings
                ],
            ]
        entry: dict[str, Any] = {"kind": "summary", "shard_kind": self.kind, "partials": partials}
        if self.stub_data is not None:
            entry["stub"] = self.stub_data
        else:
            entry["stub"] = _stub_data(self, projection, plan)
        return entry


def run_key(projection: dict[str, list[str]]) -> str:
    """What every summary of one run depends on beyond its shard (not the date: partials of
    checks that compare with the assessment date are never cached)."""
    text = json.dumps([FORMAT, projection], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summary_key(run: str, shard_key: str, path: str) -> str:
    """Cache key of one shard's summary."""
    return hashlib.sha256(f"summary|{run}|{shard_key}|{path}".encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dt.date):  # dates and timestamps
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    raise TypeError(type(value).__name__)


def projectable(kind_plan: dict[str, Any], fields: Iterable[str]) -> list[str]:
    """Fields a stub can carry: plain values, dates, timestamps and lists of them."""
    out = []
    for name in fields:
        spec = kind_plan.get(name)
        while isinstance(spec, dict) and "list" in spec:
            spec = spec["list"]
        if spec is None or spec in ("date", "datetime"):
            out.append(name)
    return sorted(set(out))


_PLAIN = frozenset({str, bool, int, float, type(None)})
_DATED = frozenset({dt.date, dt.datetime, type(None)})


def _stub_data(shard: Shard, projection: Iterable[str], plan: dict[str, Any]) -> dict[str, Any]:
    fields = projectable(plan, projection)
    models = [item.model for item in shard.items]
    values: dict[str, list[Any]] = {}
    for name in fields:
        column = list(map(getattr, models, repeat(name), repeat(None)))
        types = set(map(type, column))
        if types <= _PLAIN:  # the common case: nothing to convert
            values[name] = column
            continue
        if types <= _DATED:  # dates or timestamps: their ISO text
            values[name] = [None if v is None else v.isoformat() for v in column]
            continue
        try:
            values[name] = [_jsonable(v) for v in column]
        except TypeError:  # a value a stub cannot carry: readers revive the shard
            continue
    return {
        "ids": [item.id for item in shard.items],
        "positions": [(item.location.line, item.location.column) for item in shard.items],
        "fields": values,
        "refs": shard.refs,
        "attachments": shard.attachments,
    }


class StubRecord:
    """The projected fields of a stubbed item; reading any other field revives its shard."""

    def __init__(self, fields: dict[str, Any], shard: Shard, number: int) -> None:
        self.__dict__.update(fields)
        self.__dict__["_shard_"] = (shard, number)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        shard, number = self.__dict__["_shard_"]
        shard.revive()
        return getattr(shard.built[number].model, name)


def stub_fields(data: dict[str, Any], plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Per item, its projected fields with dates and timestamps converted."""
    ids: list[str] = data["ids"]
    rows: list[dict[str, Any]] = [{"id": i} for i in ids]
    for name, column in data["fields"].items():
        if name == "id":
            continue
        spec = plan.get(name)
        if spec is None:
            for row, value in zip(rows, column, strict=True):
                row[name] = value
        else:
            for row, value in zip(rows, column, strict=True):
                row[name] = convert(spec, value)
    return rows
