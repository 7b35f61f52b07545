"""Requirement packs: the requirement schema, loading (bundled or local) and the pack linter."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic_core import PydanticUndefined

from sms_check import yamlio
from sms_check.cache import EvidenceCache
from sms_check.checks import CheckSpec
from sms_check.checks.base import Strict
from sms_check.clauses import LEAVES, TITLES, clause_sort_key
from sms_check.errors import RequirementsError
from sms_check.locate import position
from sms_check.results import Automation, Location

BUNDLED_PACK = "iso20000-1-2018"
REQUIREMENT_ID = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{1,79}$"
CLAUSE_TREES = ("iso20000-1-2018",)


class Requirement(Strict):
    """One obligation of a standard (or of an organization's own pack), with its checks."""

    id: str = Field(pattern=REQUIREMENT_ID, description="Stable id; never reused.")
    aliases: list[str] = Field(default_factory=list, description="Former ids of this requirement.")
    clause: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$")
    clause_title: str = Field(min_length=1)
    title: str = Field(min_length=1, max_length=120)
    statement: str = Field(
        min_length=1, description="Our own paraphrase, never the standard's text."
    )
    guidance: str = ""
    auditor_focus: str = ""
    evidence: list[str] = Field(default_factory=list, description="Evidence kinds it relies on.")
    automation: Automation
    severity: Literal["major", "minor", "observation"]
    checks: list[CheckSpec] = Field(default_factory=list)
    manual_evidence: str = Field(
        "", description="For manual requirements: exactly what a person must provide or attest."
    )
    confidence: Literal["verified", "common", "reconstructed"] | None = None

    @model_validator(mode="after")
    def _checks_match_automation(self) -> Requirement:
        if self.automation is Automation.MANUAL:
            if not self.manual_evidence.strip():
                raise ValueError("a manual requirement needs 'manual_evidence'")
        elif not self.checks:
            raise ValueError(f"an {self.automation.value} requirement needs at least one check")
        return self

    def kinds_read(self) -> set[str]:
        """Evidence kinds its checks read."""
        return {kind for check in self.checks for kind, _ in check.reads()}


class PackInfo(Strict):
    """The ``pack:`` header of a requirement pack."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    version: str = "1"
    clause_tree: Literal["iso20000-1-2018"] | None = None
    clause_notes: dict[str, str] = Field(
        default_factory=dict, description="Leaf clauses that carry no obligation, and why."
    )
    description: str = ""


@dataclass(frozen=True)
class LoadedRequirement:
    """A requirement with its pack and source location."""

    requirement: Requirement
    pack: str
    source: Location


@dataclass
class Catalog:
    """Every requirement of the loaded packs, plus the problems found while loading them."""

    requirements: list[LoadedRequirement] = field(default_factory=list)
    packs: list[PackInfo] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pack_keys: list[str] = field(default_factory=list)  # content keys of cached packs

    @property
    def content_key(self) -> str | None:
        """One key for the whole catalog when every pack has a cache key, else None."""
        if not self.packs or len(self.pack_keys) != len(self.packs):
            return None
        return EvidenceCache.key(json.dumps(["catalog", *self.pack_keys]).encode("utf-8"))

    def by_id(self) -> dict[str, LoadedRequirement]:
        """Requirements by id and by alias."""
        found: dict[str, LoadedRequirement] = {}
        for loaded in self.requirements:
            for rid in (loaded.requirement.id, *loaded.requirement.aliases):
                found[rid] = loaded
        return found

    def find(self, text: str) -> LoadedRequirement | None:
        """A requirement by id, alias, or unique id suffix after a '/' (``4.1/01``)."""
        exact = self.by_id().get(text)
        if exact:
            return exact
        tail = text if text.startswith(("/", ":")) else "/" + text
        ends = [r for r in self.requirements if r.requirement.id.endswith(tail)]
        return ends[0] if len(ends) == 1 else None

    def sorted(self) -> list[LoadedRequirement]:
        """In clause order, then id."""
        return sorted(
            self.requirements,
            key=lambda r: (clause_sort_key(r.requirement.clause), r.requirement.id),
        )


def bundled_pack() -> Traversable:
    """The catalog shipped inside the package."""
    return resources.files("sms_check") / "requirements" / BUNDLED_PACK


def load_catalog(
    sources: Iterable[Path | Traversable],
    *,
    include_bundled: bool = True,
    root: Path | None = None,
    cache: EvidenceCache | None = None,
) -> Catalog:
    """Load the bundled catalog and any other packs; collect every error (lint reads them).

    With a ``cache``, pack files parsed before are taken from it (positions inside a
    requirement are then approximate, so the linter never uses one).
    """
    catalog = Catalog()
    all_sources: list[tuple[Path | Traversable, str]] = []
    if include_bundled:
        all_sources.append((bundled_pack(), f"<bundled>/{BUNDLED_PACK}"))
    for source in sources:
        shown = source.as_posix() if isinstance(source, Path) else str(source)
        if isinstance(source, Path) and root is not None:
            try:
                shown = source.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                shown = source.as_posix()
        all_sources.append((source, shown))
    for source, shown in all_sources:
        _load_pack(catalog, source, shown, cache)
    _check_catalog(catalog)
    return catalog


def _pack_files(source: Path | Traversable, shown: str) -> list[tuple[Traversable | Path, str]]:
    if source.is_dir():
        names = sorted(
            child.name for child in source.iterdir() if child.name.endswith((".yaml", ".yml"))
        )
        return [(source / name, f"{shown}/{name}") for name in names]
    return [(source, shown)]


def _load_pack(
    catalog: Catalog, source: Path | Traversable, shown: str, cache: EvidenceCache | None
) -> None:
    if isinstance(source, Path) and not source.exists():
        catalog.errors.append(f"{shown}: requirement pack not found")
        return
    files = _pack_files(source, shown)
    if not files:
        catalog.errors.append(f"{shown}: no .yaml files in this requirement pack")
        return
    key = _pack_key(files, cache) if cache else None
    entry = cache.get(key) if cache and key else None
    if key and entry is not None and entry.get("kind") == "pack":
        _revive_pack(catalog, entry)
        catalog.pack_keys.append(key)
        return
    errors_before = len(catalog.errors)
    start = len(catalog.requirements)
    info: PackInfo | None = None
    pending: list[tuple[Any, str]] = []
    for path, name in files:
        data = _read(catalog, path, name)
        if data is None:
            continue
        if "pack" in data:
            try:
                info = PackInfo.model_validate(data["pack"])
            except ValidationError as exc:
                _schema_errors(catalog, exc, data["pack"], name, ("pack",))
        for top in data:
            if top not in ("pack", "requirements"):
                line, column = data.key_positions[top]
                catalog.errors.append(
                    f"{name}:{line}:{column}: unknown top-level key '{top}' "
                    "(a pack file holds 'pack' and 'requirements')"
                )
        if "requirements" in data:
            pending.append((data, name))
    if info is None:
        catalog.errors.append(f"{shown}: the pack has no 'pack:' header (id and title)")
        return
    catalog.packs.append(info)
    for data, name in pending:
        entries = data["requirements"]
        if not isinstance(entries, yamlio.LineList):
            line, column = data.key_positions["requirements"]
            catalog.errors.append(f"{name}:{line}:{column}: 'requirements' must be a list")
            continue
        for n, raw in enumerate(entries):
            line, column = entries.item_positions[n]
            try:
                requirement = Requirement.model_validate(raw)
            except ValidationError as exc:
                _schema_errors(catalog, exc, raw, name, ())
                continue
            catalog.requirements.append(
                LoadedRequirement(requirement, info.id, Location(name, line, column))
            )
            _check_requirement(catalog, requirement, info, raw, name)
    if cache and key and len(catalog.errors) == errors_before:
        catalog.pack_keys.append(key)
        loaded = catalog.requirements[start:]
        cache.put(
            key,
            {
                "kind": "pack",
                "info": info.model_dump(mode="json"),
                "requirements": [
                    [
                        r.requirement.model_dump(mode="json", exclude_unset=True),
                        r.source.path,
                        r.source.line,
                        r.source.column,
                    ]
                    for r in loaded
                ],
            },
        )


def _pack_key(files: list[tuple[Traversable | Path, str]], cache: EvidenceCache) -> str | None:
    """One key for a whole pack: its file names and their content hashes."""
    try:
        parts = [[name, cache.key(path.read_bytes())] for path, name in files]
    except OSError:
        return None
    return cache.key(json.dumps(parts).encode("utf-8"))


def _revive_pack(catalog: Catalog, entry: dict[str, Any]) -> None:
    """Rebuild a pack that validated before, without building validators (warm path)."""
    info = _construct(PackInfo, entry["info"])
    catalog.packs.append(info)
    for data, path, line, column in entry["requirements"]:
        catalog.requirements.append(
            LoadedRequirement(_revive_requirement(data), info.id, Location(path, line, column))
        )


_M = TypeVar("_M", bound=BaseModel)
_Defaults = tuple[tuple[str, Any, Any], ...]
_DEFAULTS: dict[type[Any], _Defaults] = {}
_MUTABLE = (list, dict, set)


def _defaults(cls: type[BaseModel]) -> _Defaults:
    """Per field: name, default value, default factory (None when the field is required)."""
    plan = _DEFAULTS.get(cls)
    if plan is None:
        plan = tuple((name, f.default, f.default_factory) for name, f in cls.model_fields.items())
        _DEFAULTS[cls] = plan
    return plan


def _construct(cls: type[_M], given: dict[str, Any]) -> _M:
    """``cls.model_construct(**given)`` for trusted cached data, minus its per-field costs.

    pydantic's model_construct inspects the signature of every default factory on every call;
    a warm run revives about a thousand pack objects, so defaults are planned once per class.
    The result is the same: defaults filled in, ``model_fields_set`` the given names.
    """
    values: dict[str, Any] = {}
    for name, default, factory in _defaults(cls):
        if name in given:
            values[name] = given[name]
        elif factory is not None:
            values[name] = factory()
        elif default is not PydanticUndefined:
            # a mutable default is copied, as model_construct does (``roles: list[str] = []``)
            values[name] = default.copy() if default.__class__ in _MUTABLE else default
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(given))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def _revive_check(data: dict[str, Any]) -> Any:
    from sms_check.checks import CHECK_TYPES
    from sms_check.checks.base import ITEM_LOCAL, Condition, canonical_json
    from sms_check.checks.references import Link

    fields = dict(data)
    if "checks" in fields:
        fields["checks"] = [_revive_check(c) for c in fields["checks"]]
    if "check" in fields:
        fields["check"] = _revive_check(fields["check"])
    if "condition" in fields:
        fields["condition"] = _construct(Condition, fields["condition"])
    if "require" in fields:
        fields["require"] = [_construct(Condition, c) for c in fields["require"]]
    for side in ("referenced_by", "refers_to"):
        if fields.get(side) is not None:
            fields[side] = _construct(Link, fields[side])
    check = _construct(CHECK_TYPES[fields["type"]], fields)
    if fields["type"] in ITEM_LOCAL:  # the checks whose partial outcomes are cached
        # the cached data is the check's model_dump(mode="json", exclude_unset=True): its
        # canonical form without building the serializer (Strict.canonical)
        check.__dict__["canonical"] = canonical_json(data)
    return check


def _revive_requirement(data: dict[str, Any]) -> Requirement:
    fields = dict(data)
    fields["automation"] = Automation(fields["automation"])
    if "checks" in fields:
        fields["checks"] = [_revive_check(c) for c in fields["checks"]]
    return _construct(Requirement, fields)


def _read(catalog: Catalog, path: Path | Traversable, name: str) -> Any:
    try:
        data, problems = yamlio.load(yamlio.decode(path.read_bytes()))
    except OSError as exc:
        catalog.errors.append(f"{name}: cannot be read ({exc.strerror})")
        return None
    except yamlio.YamlError as exc:
        p = exc.problem
        catalog.errors.append(f"{name}:{p.line}:{p.column}: {p.message}")
        return None
    for p in problems:
        catalog.errors.append(f"{name}:{p.line}:{p.column}: {p.message}")
    if not isinstance(data, yamlio.LineDict):
        catalog.errors.append(f"{name}:1:1: a pack file must be a mapping with 'requirements'")
        return None
    return data


def _schema_errors(
    catalog: Catalog, exc: ValidationError, raw: Any, name: str, prefix: tuple[str, ...]
) -> None:
    rid = raw.get("id", "?") if isinstance(raw, dict) else "?"
    for error in exc.errors(include_url=False)[:5]:
        loc = tuple(error["loc"])
        line, column = position(raw, loc)
        where = ".".join(str(p) for p in (*prefix, *loc)) or "requirement"
        message = str(error["msg"]).removeprefix("Value error, ")
        catalog.errors.append(f"{name}:{line}:{column}: {rid}: {where}: {message}")


def _field_known(kind: str, name: str) -> bool:
    from sms_check.model import field_names

    names = field_names(kind)
    if name in names:
        return True
    parts = name.split(".")
    for cut in range(1, len(parts)):
        prefix = ".".join(parts[:cut])
        if prefix in names:
            # a dict field (such as sm_plan.intervals) takes any key; a nested part does not
            return not any(n.startswith(prefix + ".") for n in names)
    return False


def _check_requirement(
    catalog: Catalog, requirement: Requirement, info: PackInfo, raw: Any, name: str
) -> None:
    from sms_check.model import KINDS

    rid = requirement.id
    line, column = position(raw, ())
    where = f"{name}:{line}:{column}: {rid}"
    if info.clause_tree:
        if requirement.clause not in LEAVES:
            catalog.errors.append(
                f"{where}: clause '{requirement.clause}' is not a leaf clause of {info.clause_tree}"
            )
        elif requirement.clause_title != TITLES[requirement.clause]:
            catalog.errors.append(
                f"{where}: clause {requirement.clause} is titled "
                f"'{TITLES[requirement.clause]}', not '{requirement.clause_title}'"
            )
    for kind in requirement.evidence:
        if kind not in KINDS:
            catalog.errors.append(f"{where}: evidence kind '{kind}' does not exist")
    for check in requirement.checks:
        for kind, fields in check.reads():
            if kind not in KINDS:
                catalog.errors.append(f"{where}: a check reads unknown evidence kind '{kind}'")
                continue
            for field_name in fields:
                if not _field_known(kind, field_name):
                    catalog.errors.append(
                        f"{where}: a check reads '{field_name}', which is not a field of {kind}"
                    )


def _check_catalog(catalog: Catalog) -> None:
    seen: dict[str, LoadedRequirement] = {}
    for loaded in catalog.requirements:
        for rid in (loaded.requirement.id, *loaded.requirement.aliases):
            first = seen.get(rid)
            if first is not None and first is not loaded:
                catalog.errors.append(
                    f"{loaded.source}: {loaded.requirement.id}: id '{rid}' is already used at "
                    f"{first.source}"
                )
            seen[rid] = loaded


def coverage(catalog: Catalog) -> list[tuple[str, str, int, str]]:
    """Per leaf clause of the ISO tree: (clause, title, requirement count, note)."""
    counts: dict[str, int] = {}
    notes: dict[str, str] = {}
    for info in catalog.packs:
        if info.clause_tree:
            notes.update(info.clause_notes)
    for loaded in catalog.requirements:
        counts[loaded.requirement.clause] = counts.get(loaded.requirement.clause, 0) + 1
    return [(c, TITLES[c], counts.get(c, 0), notes.get(c, "")) for c in LEAVES]


def lint(catalog: Catalog) -> list[str]:
    """Every error, plus a coverage error for each uncovered leaf clause of a clause-tree pack."""
    errors = list(catalog.errors)
    if any(info.clause_tree for info in catalog.packs):
        for clause, title, count, note in coverage(catalog):
            if not count and not note:
                errors.append(f"coverage: clause {clause} {title} has no requirement")
    return errors


def load_requirements(
    sources: Iterable[Path | Traversable],
    *,
    include_bundled: bool = True,
    root: Path | None = None,
    cache: EvidenceCache | None = None,
) -> Catalog:
    """Load packs for an assessment; any error stops smscheck with exit 2."""
    catalog = load_catalog(sources, include_bundled=include_bundled, root=root, cache=cache)
    if catalog.errors:
        more = len(catalog.errors) - 1
        tail = f" (and {more} more; run 'smscheck requirements lint')" if more else ""
        raise RequirementsError(f"invalid requirement pack: {catalog.errors[0]}{tail}")
    return catalog


def load_licensed_text(path: Path) -> dict[str, str]:
    """A user's own licensed text of the standard: a mapping of requirement id to text."""
    try:
        data, _ = yamlio.load(yamlio.decode(path.read_bytes()))
    except OSError as exc:
        raise RequirementsError(f"{path}: licensed text cannot be read ({exc.strerror})") from None
    except yamlio.YamlError as exc:
        p = exc.problem
        raise RequirementsError(f"{path}:{p.line}:{p.column}: {p.message}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise RequirementsError(
            f"{path}: licensed text must map requirement ids to text (id: text)"
        )
    return dict(data)
