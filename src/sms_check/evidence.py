"""Load an evidence repository: every file read once, every item validated and located."""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sms_check import shards, yamlio
from sms_check.cache import EvidenceCache
from sms_check.locate import position
from sms_check.messages import explain
from sms_check.records import PLAN_FORMAT, build_plans
from sms_check.records import revive as revive_record
from sms_check.results import Finding, Location, Severity
from sms_check.shards import STUB_PLACE, Shard, StubRecord, stub_fields, summary_key

ITEMS_KEY = "items"


@dataclass(slots=True)
class EvidenceItem:
    """One validated item with where it was written."""

    kind: str
    id: str
    model: Any  # an instance of KINDS[kind]: checks read its fields by name
    location: Location
    raw: Any = None  # the LineDict it came from (field positions), or a row's column map
    shard: Shard | None = None  # the file or record source it came from

    def field_location(self, name: str) -> Location:
        """Location of a (dotted) field, or of the item when the field is absent."""
        if self.raw is STUB_PLACE and self.shard is not None:
            self.shard.revive()  # a stand-in knows no field positions: read the full item
        path: list[str | int] = list(name.split("."))
        if isinstance(self.raw, _Deferred):
            if len(path) == 1:  # top-level keys are in the cache entry: no re-parse
                line, column = self.raw.keys.get(name, (self.location.line, self.location.column))
                return Location(self.location.path, line, column)
            self.raw = self.raw.resolve()
        if isinstance(self.raw, dict) and not hasattr(self.raw, "key_positions"):
            # record exports: raw maps field -> (line, column) of the row's cell
            line, column = self.raw.get(path[0], (self.location.line, self.location.column))
            return Location(self.location.path, line, column)
        if self.raw is None:
            return self.location
        line, column = position(self.raw, path)
        return Location(self.location.path, line, column)

    def trail_location(self, trail: tuple[str | int, ...]) -> Location:
        """Location of a nested place: keys and list positions, e.g. ``("actions", 2, "by")``."""
        if self.raw is STUB_PLACE and self.shard is not None:
            self.shard.revive()
        if isinstance(self.raw, _Deferred):
            if len(trail) == 1:
                return self.field_location(str(trail[0]))
            self.raw = self.raw.resolve()
        if self.raw is not None and hasattr(self.raw, "key_positions"):
            line, column = position(self.raw, trail)
            return Location(self.location.path, line, column)
        return self.field_location(str(trail[0]))


class _Deferred:
    """Compact field positions of an item: its top-level keys, and the file to parse again
    on the rare occasion a finding needs a nested field's position.

    Every item keeps one of these instead of its parsed mapping, which would hold a second
    copy of every value (memory matters with hundreds of thousands of records).
    """

    __slots__ = ("source", "number", "names", "places")

    def __init__(self, source: _FileSource, number: int, keys: dict[str, Any]) -> None:
        self.source = source
        self.number = number
        self.names = tuple(keys)
        self.places = array("I", [n for pair in keys.values() for n in pair])

    @property
    def keys(self) -> _KeyView:
        return _KeyView(self)

    def resolve(self) -> Any:
        items = self.source.items()
        return items[self.number] if self.number < len(items) else None


class _KeyView:
    """``keys.get(name, default)`` over a _Deferred's compact positions."""

    __slots__ = ("deferred",)

    def __init__(self, deferred: _Deferred) -> None:
        self.deferred = deferred

    def get(self, name: str, default: tuple[int, int]) -> tuple[int, int]:
        names = self.deferred.names
        if name not in names:
            return default
        at = 2 * names.index(name)
        places = self.deferred.places
        return places[at], places[at + 1]


class _FileSource:
    """A cached file whose YAML is parsed only if a finding needs a field's position."""

    __slots__ = ("path", "_items")

    def __init__(self, path: Path) -> None:
        self.path = path
        self._items: list[Any] | None = None

    def items(self) -> list[Any]:
        if self._items is None:
            try:
                data, _ = yamlio.load(yamlio.decode(self.path.read_bytes()))
            except (OSError, yamlio.YamlError):
                data = None
            if isinstance(data, yamlio.LineDict):
                found = data.get(ITEMS_KEY, data)
                self._items = found if isinstance(found, list) else [data]
            else:
                self._items = []
        return self._items


@dataclass
class EvidenceIndex:
    """All items of a repository by kind and by id, plus the defects found while loading."""

    root: Path
    items: dict[str, list[EvidenceItem]] = field(default_factory=dict)
    by_id: dict[str, EvidenceItem] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    invalid_kinds: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    selections: dict[tuple[str, str, Any], list[EvidenceItem]] = field(default_factory=dict)
    plans: dict[str, Any] = field(default_factory=dict)  # per kind: conversions and references
    value_index: dict[tuple[str, str], Any] = field(default_factory=dict)
    shards: list[Shard] = field(default_factory=list)  # in load order
    run: str = ""  # run key of the summaries to reuse and write ("" = none)
    projection: dict[str, list[str]] = field(default_factory=dict)  # kind -> fields stubs carry

    def of_kind(self, kind: str) -> list[EvidenceItem]:
        """Items of one kind, in file order."""
        return self.items.get(kind, [])

    def shards_of(self, kind: str) -> list[Shard]:
        """The shards holding items of ``kind``, in load order (their items in file order)."""
        return [s for s in self.shards if s.kind == kind and s.items]

    def save_summaries(self, cache: EvidenceCache) -> None:
        """Cache what the next run may reuse of every clean shard (after evaluation)."""
        if not self.run:
            return
        for shard in self.shards:
            if not shard.persist or not shard.kind or not shard.items:
                continue
            if shard.had_summary and all(k in shard.partials for k in shard.fresh):
                continue  # nothing new since the summary was read
            plan = self.plans[shard.kind]["fields"]
            entry = shard.summary(self.projection.get(shard.kind, ()), plan)
            cache.put(summary_key(self.run, shard.key, shard.path), entry)

    def add_problem(self, kind: str, message: str, location: Location, item_id: str = "") -> None:
        """Record a structural defect."""
        self.problems.append(Finding(kind, message, location, Severity.ERROR, kind, item_id))

    def intervals(self) -> dict[str, str]:
        """The organization's declared intervals (from its service management plan)."""
        merged: dict[str, str] = {}
        for plan in self.of_kind("sm_plan"):
            merged.update(getattr(plan.model, "intervals", {}) or {})
        return merged


def display_path(path: Path, root: Path) -> str:
    """Repository-relative path with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


_PLAN_KEY = "model-plans"


def _plans(cache: EvidenceCache | None) -> dict[str, Any]:
    """Conversions and reference paths per kind: from the cache, else from the models."""
    if cache is not None:
        key = cache.key(f"{_PLAN_KEY}-{PLAN_FORMAT}".encode())
        entry = cache.get(key)
        if entry is not None and entry.get("kind") == _PLAN_KEY:
            plans: dict[str, Any] = entry["plans"]
            return plans
        plans = build_plans()
        cache.put(key, {"kind": _PLAN_KEY, "plans": plans})
        return plans
    return build_plans()


def find_files(root: Path, patterns: Iterable[str], index: EvidenceIndex) -> list[Path]:
    """Evidence files matching ``patterns``; links leaving the repository are reported."""
    real_root = root.resolve()
    found: set[Path] = set()
    for pattern in patterns:
        for path in root.glob(pattern):
            if path.is_symlink() or any(p.is_symlink() for p in path.parents if p != root):
                target = path.resolve()
                if not target.is_relative_to(real_root):
                    index.add_problem(
                        "structure/outside-repository",
                        "this file is a link to a place outside the evidence repository; "
                        "smscheck does not follow it (copy the evidence into the repository)",
                        Location(display_path(path, root), 1, 1),
                    )
                    continue
            if path.is_file():
                found.add(path)
    return sorted(found, key=lambda p: display_path(p, root))


def load_evidence(
    root: Path,
    patterns: Iterable[str] = ("evidence/**/*.yaml", "evidence/**/*.yml"),
    max_file_bytes: int = 20 * 1024 * 1024,
    record_sources: Sequence[Any] = (),
    cache: EvidenceCache | None = None,
    run: str = "",
    projection: dict[str, list[str]] | None = None,
) -> EvidenceIndex:
    """Read every evidence file under ``root``; defects become findings, never exceptions.

    With a ``cache`` and a ``run`` key, shards summarised by an earlier run with the same key
    are taken from their summaries (see sms_check.shards).
    """
    index = EvidenceIndex(root=root, run=run if cache else "", projection=projection or {})
    index.plans = _plans(cache)
    was_enabled = gc.isenabled()
    # NOTE: keeping every record alive makes the cyclic GC rescan a growing heap; a
    # short-lived CLI has no cycles worth collecting (docs/performance.md).
    gc.disable()
    try:
        folded: dict[str, str] = {}
        for path in find_files(root, patterns, index):
            shown = display_path(path, root)
            index.files.append(shown)
            _load_file(index, path, shown, max_file_bytes, folded, cache)
        if record_sources:
            _load_record_sources(index, record_sources, folded, cache)
        for shard in index.shards:
            if not shard.persist:
                shard.partials = {}  # judged with other items than this run indexes
        from sms_check.integrity import check_integrity

        check_integrity(index)
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
    return index


def _summary(index: EvidenceIndex, shard: Shard, cache: EvidenceCache | None) -> Any:
    """The shard's summary from an earlier run with the same run key, if any."""
    if cache is None or not index.run or not shard.key:
        return None
    entry = cache.get(summary_key(index.run, shard.key, shard.path))
    if entry is None or entry.get("kind") != "summary":
        return None
    if entry.get("shard_kind") not in index.plans:
        return None
    shard.kind = entry["shard_kind"]
    shard.partials = entry["partials"]
    shard.had_summary = True
    return entry


def _add_stub(
    index: EvidenceIndex, shard: Shard, data: dict[str, Any], folded: dict[str, str]
) -> None:
    """Index the stand-ins of a summarised shard (no item is decoded)."""
    plan = index.plans[shard.kind]["fields"]
    kind, path = shard.kind, shard.path
    for n, (fields, (line, column)) in enumerate(
        zip(stub_fields(data, plan), data["positions"], strict=True)
    ):
        model = StubRecord(fields, shard, n)
        where = Location(path, line, column)
        shard.built.append(EvidenceItem(kind, fields["id"], model, where, STUB_PLACE, shard))
    shard.stubbed = True  # complete before indexing: a clash revives the whole shard
    shard.stub_data = data
    shard.refs = data["refs"]
    shard.attachments = data["attachments"]
    for item in shard.built:
        _accept(index, shard, item, folded)


def _accept(index: EvidenceIndex, shard: Shard, item: EvidenceItem, folded: dict[str, str]) -> None:
    item.shard = shard
    if _index_item(index, item, folded):
        shard.items.append(item)
    else:
        shard.persist = False


def _load_record_sources(
    index: EvidenceIndex,
    sources: Sequence[Any],
    folded: dict[str, str],
    cache: EvidenceCache | None,
) -> None:
    from sms_check.exports.reader import OpenedSource, open_sources, read_source

    def reviver(opened: OpenedSource) -> Any:
        def revive() -> list[EvidenceItem]:
            scratch = EvidenceIndex(root=index.root, plans=index.plans)
            return [
                item
                for kind, data, location, cells in read_source(opened, scratch)
                if (item := _add_item(scratch, kind, data, location, {}, cells)) is not None
            ]

        return revive

    for opened in open_sources(index.root, sources):
        if opened.shown not in index.files:
            index.files.append(opened.shown)
        key = ""
        if cache is not None:
            try:
                content = cache.key_of_file(opened.path)
            except OSError:
                content = ""
            if content:
                key = cache.key(f"{content}|{opened.source.model_dump_json()}".encode())
        # the kind comes from the summary if there is one, else from the plan
        shard = Shard(opened.shown, "", key, reviver(opened))
        index.shards.append(shard)
        summary = _summary(index, shard, cache)
        if summary is not None and "stub" in summary:
            _add_stub(index, shard, summary["stub"], folded)
            continue
        shard.kind = opened.plan.kind
        problems_before = len(index.problems)
        for kind, data, location, cells in read_source(opened, index):
            item = _add_item(index, kind, data, location, folded, cells, shard)
            if item is not None:
                shard.items.append(item)
        if len(index.problems) != problems_before:
            shard.persist = False


def _load_file(
    index: EvidenceIndex,
    path: Path,
    shown: str,
    max_bytes: int,
    folded: dict[str, str],
    cache: EvidenceCache | None,
) -> None:
    """Parse (or take from the cache), validate and index one evidence file."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            index.add_problem(
                "structure/too-large",
                f"the file is {size:,} bytes, over the limit of {max_bytes:,} bytes "
                "(max_file_bytes in smscheck.yaml); split it into smaller files",
                Location(shown, 1, 1),
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        index.add_problem(
            "structure/unreadable", f"cannot be read: {exc.strerror}", Location(shown, 1, 1)
        )
        return
    key = cache.key(data) if cache else ""

    def revive() -> list[EvidenceItem]:
        scratch = EvidenceIndex(root=index.root, plans=index.plans)
        _load_file(scratch, path, shown, max_bytes, {}, cache)
        return [item for shard in scratch.shards for item in shard.items]

    shard = Shard(shown, "", key, revive)
    index.shards.append(shard)
    summary = _summary(index, shard, cache)
    if summary is not None and "stub" in summary:
        _add_stub(index, shard, summary["stub"], folded)
        return
    entry = cache.get(key) if cache else None
    if entry is not None and entry["kind"] in index.plans:
        kind = entry["kind"]
        shard.kind = kind
        fields_plan = index.plans[kind]["fields"]
        models = [revive_record(fields_plan, data) for data in entry["items"]]
        source = _FileSource(path)
        places = zip(models, entry["positions"], entry["keys"], strict=True)
        for n, (model, (line, column), keys) in enumerate(places):
            where = Location(shown, line, column)
            item = EvidenceItem(
                kind, str(model.__dict__["id"]), model, where, _Deferred(source, n, keys)
            )
            _accept(index, shard, item, folded)
        return
    problems_before = len(index.problems)
    parsed = list(_read_file(data, path, shown, index))
    clean = len(index.problems) == problems_before
    added: list[EvidenceItem] = []
    source = _FileSource(path)
    for n, (kind, raw, location) in enumerate(parsed):
        shard.kind = kind
        accepted = _add_item(index, kind, raw, location, folded, None, shard)
        if accepted is None:
            clean = False
        else:
            accepted.raw = _Deferred(source, n, raw.key_positions)
            shard.items.append(accepted)
            added.append(accepted)
    shard.persist = shard.persist and clean and bool(parsed) and len(added) == len(parsed)
    # a large shard is revived from its file, a small one from here (see sms_check.shards)
    if cache and shard.persist and not (index.run and len(added) >= shards.PARSE_CACHE_MAX):
        cache.put(
            key,
            {
                "kind": parsed[0][0],
                "positions": [[loc.line, loc.column] for _, _, loc in parsed],
                "keys": [raw.key_positions for _, raw, _ in parsed],
            },
            [item.model.__pydantic_serializer__.to_json(item.model) for item in added],
        )


def _read_file(
    data: bytes, path: Path, shown: str, index: EvidenceIndex
) -> Iterator[tuple[str, Any, Location]]:
    try:
        text = yamlio.decode(data)
        data_, problems = yamlio.load(text)
    except OSError as exc:
        index.add_problem(
            "structure/unreadable", f"cannot be read: {exc.strerror}", Location(shown, 1, 1)
        )
        return
    except yamlio.YamlError as exc:
        p = exc.problem
        index.add_problem(p.kind, p.message, Location(shown, p.line, p.column))
        return
    for p in problems:
        index.add_problem(p.kind, p.message, Location(shown, p.line, p.column))
    data = data_
    if data is None:
        index.add_problem(
            "structure/empty-file",
            "the file is empty; give it a 'kind' and 'items', or delete it",
            Location(shown, 1, 1),
        )
        return
    if not isinstance(data, yamlio.LineDict):
        index.add_problem(
            "structure/not-a-mapping",
            f"an evidence file must be a mapping with 'kind' and 'items', not {_what(data)}",
            Location(shown, getattr(data, "line", 1) or 1, 1),
        )
        return
    from sms_check.model import KINDS

    kind = data.get("kind")
    if kind not in KINDS:
        line, column = data.key_positions.get("kind", (1, 1))
        if kind is None:
            message = "the file does not say which kind of evidence it holds ('kind:' is missing)"
        else:
            import difflib

            hint = difflib.get_close_matches(str(kind), list(KINDS), n=1)
            tip = f"; did you mean '{hint[0]}'?" if hint else " (see docs/evidence-model.md)"
            message = f"'{kind}' is not a kind of evidence smscheck knows{tip}"
        index.add_problem("structure/unknown-kind", message, Location(shown, line, column))
        return
    extra = [k for k in data if k not in ("kind", ITEMS_KEY, "$schema")]
    if ITEMS_KEY not in data:
        # a file may hold a single item written at the top level
        single = yamlio.LineDict()
        single.line, single.column = data.line, data.column
        for key in extra:
            single[key] = data[key]
            single.key_positions[key] = data.key_positions[key]
        yield kind, single, Location(shown, data.line, data.column)
        return
    for key in extra:
        line, column = data.key_positions[key]
        index.add_problem(
            "structure/unknown-field",
            f"unknown top-level key '{key}'; a file holds 'kind' and 'items' only",
            Location(shown, line, column),
        )
    items = data[ITEMS_KEY]
    if not isinstance(items, yamlio.LineList):
        line, column = data.key_positions[ITEMS_KEY]
        index.add_problem(
            "structure/not-a-list",
            f"'items' must be a list of {kind} items (each starting with '- id:'), "
            f"not {_what(items)}",
            Location(shown, line, column),
        )
        return
    for n, raw in enumerate(items):
        line, column = items.item_positions[n]
        yield kind, raw, Location(shown, line, column)


def _what(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "a piece of text"
    return f"the value {value!r}"


def _add_item(
    index: EvidenceIndex,
    kind: str,
    raw: Any,
    location: Location,
    folded: dict[str, str],
    positions: Any = None,
    shard: Shard | None = None,
) -> EvidenceItem | None:
    """Validate and index one item; None when it had to be rejected."""
    if not isinstance(raw, dict):
        index.add_problem(
            "structure/not-a-mapping",
            f"each {kind} item must be a mapping of fields (starting with 'id:'), not {_what(raw)}",
            location,
        )
        index.invalid_kinds.add(kind)
        return None
    from sms_check.model import KINDS

    model_cls = KINDS[kind]
    try:
        model = model_cls.model_validate(raw)
    except ValidationError as exc:
        index.invalid_kinds.add(kind)
        if shard is not None:
            shard.persist = False
        item_id = str(raw.get("id", ""))
        seen: set[tuple[Any, ...]] = set()
        known = sorted(model_cls.model_fields)
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            key = loc[:1] if error["type"] == "missing" else loc
            if key in seen:
                continue
            seen.add(key)
            kind_name, message = explain(dict(error), kind, known)
            where = _error_location(raw, loc, location, positions, error["type"])
            prefix = f"{kind} '{item_id}': " if item_id else f"{kind} item: "
            index.add_problem(kind_name, prefix + message, where, item_id)
        return None
    item = EvidenceItem(
        kind, str(model.id), model, location, raw if positions is None else positions, shard
    )
    if _index_item(index, item, folded):
        return item
    if shard is not None:
        shard.persist = False
    return None


def _index_item(index: EvidenceIndex, item: EvidenceItem, folded: dict[str, str]) -> bool:
    """Register a valid item under its id; ids clashing exactly or by case are findings."""
    item_id, kind = item.id, item.kind
    previous = index.by_id.get(item_id)
    other = folded.get(item_id.casefold())
    if previous is not None:
        message = (
            f"the id '{item_id}' is already used by a {previous.kind} item at "
            f"{previous.location}; ids must be unique across the repository"
        )
    elif other is not None:
        message = (
            f"the id '{item_id}' differs from '{other}' ({index.by_id[other].location}) only "
            "in upper/lower case; such ids are easily confused, make them distinct"
        )
    else:
        folded[item_id.casefold()] = item_id
        index.by_id[item_id] = item
        index.items.setdefault(kind, []).append(item)
        return True
    index.add_problem("structure/duplicate-id", message, item.field_location("id"), item_id)
    index.invalid_kinds.add(kind)
    return False


def _error_location(
    raw: Any, loc: tuple[Any, ...], location: Location, positions: Any, etype: str
) -> Location:
    if positions is not None:  # record exports: the row, and the column of the field
        line, column = positions.get(str(loc[0]) if loc else "", (location.line, location.column))
        return Location(location.path, line, column)
    path = loc[:-1] if etype == "missing" else loc
    line, column = position(raw, path)
    return Location(location.path, line, column)
