"""Record sources in ``smscheck.yaml``: the settings of one export, the ready mappings shipped
with smscheck, and the plan that results from merging the two.

Importing this module is cheap (pydantic only); the evidence model is imported the first time
a record source is validated.
"""

from __future__ import annotations

import codecs
import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

ColumnSpec = str | list[str] | None
_EXTENSIONS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_MAPPING_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

# validation context key: the source passed its coherence check before (sms_check.config)
COHERENT = "coherent"


class _Options(BaseModel):
    """Settings shared by a record source and a ready mapping (unset: taken from the other)."""

    # validators are built on first use: a warm run reads no ready mapping
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    format: Literal["csv", "json", "jsonl"] | None = None
    timestamp_format: str | None = None
    date_format: str | None = None
    timezone: str | None = None
    list_separator: str | None = Field(None, min_length=1)
    delimiter: str | None = Field(None, min_length=1, max_length=1)
    encoding: str | None = None
    records_key: str | None = None
    match_names: bool | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            check_zone(value)
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(
                    f"'{value}' is not a text encoding Python knows (e.g. utf-8, utf-8-sig, "
                    "cp1252, latin-1)"
                ) from None
        return value

    @field_validator("timestamp_format", "date_format")
    @classmethod
    def _usable_format(cls, value: str | None) -> str | None:
        if value is not None:
            from sms_check.exports.convert import check_format

            problem = check_format(value)
            if problem:
                raise ValueError(problem)
        return value


class KindMapping(BaseModel):
    """How the columns of an export become the fields of one kind of record."""

    # validators are built on first use: a warm run reads no ready mapping
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    values: dict[str, dict[Any, Any]] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=dict)
    where: dict[str, str | list[str]] = Field(default_factory=dict)


class ReadyMapping(_Options):
    """A mapping shipped with smscheck (``exports/mappings/NAME.yaml``)."""

    title: str
    tool: str
    export: str = ""
    kinds: dict[str, KindMapping]


class RecordSource(_Options):
    """One export of an ITSM tool in the evidence repository (``record_sources`` entry)."""

    path: str = Field(min_length=1)
    kind: str | None = None
    mapping: str | None = None
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    values: dict[str, dict[Any, Any]] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=dict)
    where: dict[str, str | list[str]] = Field(default_factory=dict)

    @field_validator("path")
    @classmethod
    def _inside(cls, value: str) -> str:
        problem = path_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("mapping")
    @classmethod
    def _ready(cls, value: str | None) -> str | None:
        if value is not None and value not in mapping_names():
            hint = difflib.get_close_matches(value, mapping_names(), n=1)
            tip = f"did you mean '{hint[0]}'? " if hint else ""
            raise ValueError(
                f"'{value}' is not a ready mapping; {tip}smscheck has " + ", ".join(mapping_names())
            )
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str | None) -> str | None:
        from sms_check.model import KINDS

        if value is not None and value not in KINDS:
            hint = difflib.get_close_matches(value, list(KINDS), n=1)
            tip = f"; did you mean '{hint[0]}'?" if hint else " (see docs/evidence-model.md)"
            raise ValueError(f"'{value}' is not a kind of evidence smscheck knows{tip}")
        return value

    @model_validator(mode="after")
    def _coherent(self, info: ValidationInfo) -> RecordSource:
        if not (info.context or {}).get(COHERENT):
            resolve(self)
        return self


@dataclass(frozen=True)
class Plan:
    """A record source merged with its ready mapping: everything the reader needs."""

    path: str
    kind: str
    format: str
    columns: dict[str, tuple[str, ...]]  # field -> candidate columns, first non-empty wins
    explicit: frozenset[str]  # fields whose columns smscheck.yaml names (they must exist)
    values: dict[str, dict[str, Any]]  # field -> {text in the export: value in the model}
    defaults: dict[str, Any]
    where: dict[str, tuple[str, ...]]  # column -> accepted values
    timestamp_format: str | None
    date_format: str | None
    timezone: str
    list_separator: str
    delimiter: str
    encoding: str
    records_key: str | None
    match_names: bool
    mapping: str | None


def noun(kind: str) -> str:
    """'service request' for service_request (for messages)."""
    return kind.replace("_", " ")


def a_kind(kind: str) -> str:
    """'an incident', 'a service request' (for messages)."""
    return ("an " if kind[:1] in "aeiou" else "a ") + noun(kind)


def path_problem(path: str) -> str:
    """Why ``path`` cannot name a file inside the repository ('' when it can)."""
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or path.startswith("~") or re.match(r"^[A-Za-z]:", path):
        return f"'{path}' must be a path relative to the repository root"
    if ".." in pure.parts:
        return f"'{path}' points outside the evidence repository (no '..')"
    return ""


def check_zone(name: str) -> None:
    """Raise ValueError when ``name`` is not an IANA time zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{name}' is not a time zone; write an IANA name such as UTC, Europe/Bucharest "
            "or America/New_York"
        ) from None


@cache
def mapping_names() -> tuple[str, ...]:
    """Names of the ready mappings shipped with smscheck."""
    from importlib import resources

    folder = resources.files("sms_check.exports") / "mappings"
    return tuple(
        sorted(
            entry.name.removesuffix(".yaml")
            for entry in folder.iterdir()
            if entry.name.endswith(".yaml")
        )
    )


@cache
def load_mapping(name: str) -> ReadyMapping:
    """A ready mapping by name (a packaging defect if it does not load)."""
    from importlib import resources

    from sms_check import yamlio

    if not _MAPPING_NAME.match(name) or name not in mapping_names():
        raise ValueError(f"'{name}' is not a ready mapping")
    text = (resources.files("sms_check.exports") / "mappings" / f"{name}.yaml").read_text("utf-8")
    data, _ = yamlio.load(text)
    return ReadyMapping.model_validate(data)


def _columns(spec: ColumnSpec) -> tuple[str, ...]:
    if spec is None:
        return ()
    return (spec,) if isinstance(spec, str) else tuple(spec)


def _texts(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _key(value: Any) -> str:
    """A value-map key as text (YAML may read 1 or true as numbers or booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def resolve(source: RecordSource) -> Plan:
    """Merge ``source`` with its ready mapping and check the result against the evidence model.

    Raises ValueError with one plain sentence when the two do not make a usable source.
    """
    from sms_check.exports.fields import field_shapes

    ready = load_mapping(source.mapping) if source.mapping else None
    kind = _kind(source, ready)
    shapes = field_shapes(kind)
    if ready is not None:
        base = ready.kinds.get(kind, KindMapping())
    else:  # without a mapping, a column named like a field fills it
        own = {f: f for f, shape in shapes.items() if shape.shape != "nested"}
        base = KindMapping(columns=own)
    named = {**base.columns, **source.columns}
    columns = {f: _columns(spec) for f, spec in named.items() if _columns(spec)}
    explicit = frozenset(f for f, spec in source.columns.items() if _columns(spec))
    values: dict[str, dict[str, Any]] = {}
    for table in (base.values, source.values):
        for name, entries in table.items():
            merged = values.setdefault(name, {})
            merged.update({_key(k): v for k, v in entries.items()})
    defaults = {**base.defaults, **source.defaults}
    where = {col: _texts(v) for col, v in {**base.where, **source.where}.items()}
    for section, names in (("columns", columns), ("values", values), ("defaults", defaults)):
        for name in names:
            _check_field(kind, name, section, shapes)
    _check_values(kind, values, shapes)
    _check_defaults(kind, defaults)
    for name, shape in shapes.items():
        if shape.required and name not in columns and name not in defaults:
            raise ValueError(
                f"every {noun(kind)} needs '{name}': name its column under columns: "
                f"(e.g. columns: {{{name}: <column>}}) or give a value under defaults:"
            )

    def pick(option: str, fallback: Any) -> Any:
        own = getattr(source, option)
        if own is not None:
            return own
        theirs = getattr(ready, option) if ready else None
        return theirs if theirs is not None else fallback

    return Plan(
        path=source_path(source),
        kind=kind,
        format=source.format or _format_of(source.path, ready.format if ready else None),
        columns=columns,
        explicit=explicit,
        values=values,
        defaults=defaults,
        where=where,
        timestamp_format=pick("timestamp_format", None),
        date_format=pick("date_format", None),
        timezone=pick("timezone", "UTC"),
        list_separator=pick("list_separator", ","),
        delimiter=pick("delimiter", ","),
        encoding=pick("encoding", "utf-8-sig"),
        records_key=pick("records_key", None),
        match_names=pick("match_names", True),
        mapping=source.mapping,
    )


def source_path(source: RecordSource) -> str:
    """The export's path inside the repository, with forward slashes."""
    return source.path.replace("\\", "/")


def _kind(source: RecordSource, ready: ReadyMapping | None) -> str:
    if ready is None:
        if source.kind is None:
            raise ValueError("say which kind of record the export holds (e.g. kind: incident)")
        return source.kind
    offered = ", ".join(ready.kinds)
    if source.kind is None:
        if len(ready.kinds) != 1:
            raise ValueError(
                f"mapping '{source.mapping}' covers several kinds ({offered}); "
                "say which one this export holds with kind:"
            )
        return next(iter(ready.kinds))
    if source.kind not in ready.kinds:
        raise ValueError(
            f"mapping '{source.mapping}' is for {offered} records, not {source.kind}; "
            "pick another mapping or leave mapping: out and name the columns"
        )
    return source.kind


def _format_of(path: str, fallback: str | None) -> str:
    """The format from the file's extension, else the mapping's."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if fallback is None:
        raise ValueError(
            f"cannot tell the format of '{path}' from its extension; "
            "add format: csv, format: json or format: jsonl"
        )
    return fallback


def _check_field(kind: str, name: str, section: str, shapes: dict[str, Any]) -> None:
    if name not in shapes:
        hint = difflib.get_close_matches(name, list(shapes), n=1)
        tip = f"; did you mean '{hint[0]}'?" if hint else " (see docs/evidence-model.md)"
        raise ValueError(f"{section}: '{name}' is not a field of {a_kind(kind)}{tip}")
    if shapes[name].shape == "nested":
        raise ValueError(
            f"{section}: '{name}' of {a_kind(kind)} holds nested entries, which cannot come from "
            "a column; keep them in YAML evidence"
        )


def _check_values(kind: str, values: dict[str, dict[str, Any]], shapes: dict[str, Any]) -> None:
    from sms_check.exports.convert import BOOL_WORDS

    for name, table in values.items():
        shape = shapes[name]
        for text, value in table.items():
            if value is None:
                continue
            if shape.shape == "choice" and value not in shape.choices:
                raise ValueError(
                    f"values: {name}: '{text}' becomes '{value}', which is not a {name} of "
                    f"{a_kind(kind)}; use one of {', '.join(shape.choices)}"
                )
            if shape.shape == "bool" and not (
                isinstance(value, bool) or str(value).casefold() in BOOL_WORDS
            ):
                raise ValueError(
                    f"values: {name}: '{text}' becomes '{value}'; '{name}' takes true or false"
                )


def _check_defaults(kind: str, defaults: dict[str, Any]) -> None:
    from sms_check.exports.fields import check_default

    for name, value in defaults.items():
        problem = check_default(kind, name, value)
        if problem:
            raise ValueError(f"defaults: '{name}' cannot be {value!r} ({problem})")
