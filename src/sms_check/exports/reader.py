"""Read the record sources of a repository one row at a time and turn rows into item data.

A row is never held longer than it takes to convert it; what leaves here is one
``(kind, data, location, cells)`` tuple per good row, validated by the loader exactly like a
YAML item. Rows with cells that cannot be converted become located findings and are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sms_check.errors import ConfigError
from sms_check.exports.convert import CellError, Converter, build_converter
from sms_check.exports.fields import field_shapes
from sms_check.exports.sources import Plan, RecordSource, resolve
from sms_check.results import Location

if TYPE_CHECKING:
    from sms_check.evidence import EvidenceIndex

Row = tuple[str, dict[str, Any], Location, dict[str, tuple[int, int]]]
Cell = str | list[str]
# one record before conversion: its cells (aligned with the header), the line and column where
# it starts, its label in messages ("row 17") and where each of its cells is (JSON only)
RawRecord = tuple[Sequence[Cell], int, int, str, Callable[[str], tuple[int, int]] | None]

FIELD_SIZE_LIMIT = 16 * 1024 * 1024  # characters in one CSV cell (Python's default is 128 KiB)
_WS = re.compile(r"[ \t\n\r]*")


class RowCells(dict[str, tuple[int, int]]):
    """Where each field of a CSV row came from: (line of the row, column of the cell).

    Computed on demand from the row's line and the source's column numbers, so 100,000 rows
    do not keep 100,000 dictionaries of positions; it answers ``get``, ``[]``, ``in``, ``len``
    and iteration (not the other dict methods, which see it empty).
    """

    __slots__ = ("line", "columns")

    def __init__(self, line: int, columns: dict[str, int]) -> None:
        super().__init__()
        self.line = line
        self.columns = columns

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        """(line, column) of ``key``'s cell, or ``default``."""
        column = self.columns.get(key)
        return default if column is None else (self.line, column)

    def __getitem__(self, key: str) -> tuple[int, int]:
        return (self.line, self.columns[key])

    def __contains__(self, key: object) -> bool:
        return key in self.columns

    def __len__(self) -> int:
        return len(self.columns)

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __repr__(self) -> str:
        return f"RowCells(line={self.line}, columns={self.columns!r})"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of the kind, compiled for one source: where its text is and how it converts."""

    name: str
    indices: tuple[int, ...]  # cells of the row holding it, first non-empty wins
    convert: Converter | None
    is_list: bool
    required: bool  # required by the model and no default


def read_record_sources(
    root: Path, sources: Sequence[RecordSource], index: EvidenceIndex
) -> Iterator[Row]:
    """Every good row of every record source, in order; defects are added to ``index``."""
    for number, source in enumerate(sources):
        where = f"record_sources[{number}]"
        try:
            plan = resolve(source)
        except ValueError as exc:
            raise ConfigError(f"smscheck.yaml: {where}: {exc}") from None
        path = _source_file(root, plan, where)
        from sms_check.evidence import display_path

        shown = display_path(path, root)
        index.files.append(shown)
        if plan.format == "csv":
            yield from _read_csv(path, shown, plan, where, index)
        else:
            yield from _read_json(path, shown, plan, where, index)


def _source_file(root: Path, plan: Plan, where: str) -> Path:
    candidate = root / plan.path
    prefix = f"smscheck.yaml: {where}: '{plan.path}'"
    if candidate.is_symlink() or any(p.is_symlink() for p in candidate.parents if p != root):
        if not candidate.resolve().is_relative_to(root.resolve()):
            raise ConfigError(
                f"{prefix} is a link to a place outside the evidence repository; "
                "copy the export into the repository"
            )
    if not candidate.exists():
        raise ConfigError(f"{prefix} does not exist in the repository")
    if not candidate.is_file():
        raise ConfigError(f"{prefix} is not a file")
    return candidate


def _compile(
    plan: Plan,
    positions: dict[str, list[int]],
    index: EvidenceIndex,
    where: str,
) -> tuple[list[FieldSpec], list[str]]:
    """Field specs for the columns present, and the missing columns of required fields."""
    zone = _zone(plan.timezone)
    shapes = field_shapes(plan.kind)
    resolvers: dict[tuple[str, ...], Callable[[str], str]] = {}
    specs: list[FieldSpec] = []
    missing: list[str] = []
    for name, columns in plan.columns.items():
        shape = shapes[name]
        indices = tuple(i for c in columns for i in positions.get(_norm(c), ()))
        required = shape.required and name not in plan.defaults
        if not indices:
            if required or name in plan.explicit:
                missing.append(name)
            continue
        resolve_ref = None
        if shape.refs and plan.match_names:
            if shape.refs not in resolvers:
                resolvers[shape.refs] = _name_resolver(index, shape.refs)
            resolve_ref = resolvers[shape.refs]
        convert = build_converter(
            plan.kind,
            shape,
            plan.values.get(name, {}),
            timestamp_format=plan.timestamp_format,
            date_format=plan.date_format,
            zone=zone,
            resolve=resolve_ref,
            where=where,
        )
        specs.append(FieldSpec(name, indices, convert, shape.is_list, required))
    return specs, missing


def _zone(name: str) -> dt.tzinfo:
    if name.upper() == "UTC":
        return dt.UTC
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _norm(column: str) -> str:
    return column.strip().casefold()


def _name_resolver(index: EvidenceIndex, kinds: tuple[str, ...]) -> Callable[[str], str]:
    """Reference text -> id: ids stay, a unique name, title or e-mail of an item becomes its id."""
    by_id = index.by_id
    names: dict[str, str] = {}
    for kind in kinds:
        for item in index.of_kind(kind):
            for attr in ("name", "title", "email"):
                text = getattr(item.model, attr, None)
                if isinstance(text, str) and text.strip():
                    key = text.strip().casefold()
                    names[key] = item.id if names.get(key, item.id) == item.id else ""

    def resolve_ref(text: str) -> str:
        if text in by_id:
            return text
        return names.get(text.casefold()) or text

    return resolve_ref


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _columns_named(columns: Sequence[str]) -> str:
    if len(columns) == 1:
        return f"column '{columns[0]}'"
    return "none of the columns " + ", ".join(f"'{c}'" for c in columns)


# --- CSV -------------------------------------------------------------------------------------


def _read_csv(path: Path, shown: str, plan: Plan, where: str, index: EvidenceIndex) -> Iterator[Row]:
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(min(FIELD_SIZE_LIMIT, sys.maxsize))
    try:
        handle = path.open(encoding=plan.encoding, newline="")
    except OSError as exc:
        index.add_problem(
            "structure/unreadable", f"cannot be read: {exc.strerror}", Location(shown, 1, 1)
        )
        return
    with handle:
        reader = csv.reader(handle, delimiter=plan.delimiter)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            _unreadable(index, shown, plan, 1, "the header line", exc)
            return
        if header is None:
            index.add_problem(
                "structure/empty-file",
                "the export is empty; it needs a header line with the column names",
                Location(shown, 1, 1),
            )
            return
        header_line = reader.line_num
        names = [h.strip() for h in header]
        positions: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            positions.setdefault(name.casefold(), []).append(i)
        prepared = _prepare(plan, positions, index, where, shown, header_line, names)
        if prepared is None:
            return
        specs, filters = prepared

        def records() -> Iterator[RawRecord]:
            row_number = 1
            previous = reader.line_num
            try:
                for row in reader:
                    row_number += 1
                    start = previous + 1
                    previous = reader.line_num
                    if row:
                        yield row, start, 0, f"row {row_number}", None
            except (csv.Error, UnicodeDecodeError) as exc:
                _unreadable(index, shown, plan, previous + 1, f"row {row_number + 1}", exc)

        yield from _convert_records(records(), specs, filters, names, plan, shown, index, "column")


def _unreadable(
    index: EvidenceIndex, shown: str, plan: Plan, line: int, what: str, exc: Exception
) -> None:
    if isinstance(exc, UnicodeDecodeError):
        index.add_problem(
            "structure/export-encoding",
            f"{what}: the export is not readable as {plan.encoding} text ({exc.reason}); "
            "set encoding: in smscheck.yaml (e.g. cp1252 or utf-16) or export it as UTF-8; "
            "the rest of the file is skipped",
            Location(shown, line, 0),
        )
    else:
        index.add_problem(
            "structure/export-csv",
            f"{what}: the CSV cannot be read from here on ({exc}); the rest of the file is skipped",
            Location(shown, line, 0),
        )


def _prepare(
    plan: Plan,
    positions: dict[str, list[int]],
    index: EvidenceIndex,
    where: str,
    shown: str,
    line: int,
    header: Sequence[str] | None,
) -> tuple[list[FieldSpec], list[tuple[tuple[int, ...], frozenset[str]]]] | None:
    """Compile the fields against the header; report missing columns (None: skip the source)."""
    specs, missing = _compile(plan, positions, index, where)
    here = Location(shown, line, 0)
    skip = False
    if header is not None:
        for name in missing:
            required = field_shapes(plan.kind)[name].required and name not in plan.defaults
            columns = plan.columns[name]
            message = (
                f"the export has {_columns_named(columns)}, which gives '{name}' of "
                f"every {plan.kind}; "
            )
            if required:
                skip = True
                message += (
                    f"export it too, or name the column that holds it under "
                    f"columns: {{{name}: ...}} of {where} in smscheck.yaml; "
                    "no row of this file was read"
                )
            else:
                message += f"check columns: {{{name}: ...}} of {where} in smscheck.yaml"
            index.add_problem("structure/export-column", message, here)
    filters: list[tuple[tuple[int, ...], frozenset[str]]] = []
    for column, accepted in plan.where.items():
        indices = tuple(positions.get(_norm(column), ()))
        if not indices and header is not None:
            index.add_problem(
                "structure/export-column",
                f"the export has no column '{column}', which tells the {plan.kind} records "
                f"apart (where: of {where} or of its mapping); no row of this file was read",
                here,
            )
            skip = True
        filters.append((indices, frozenset(_norm(a) for a in accepted)))
    return None if skip else (specs, filters)


# --- JSON and JSON Lines ---------------------------------------------------------------------


def _read_json(path: Path, shown: str, plan: Plan, where: str, index: EvidenceIndex) -> Iterator[Row]:
    # a JSON record has no header: the virtual header is every column the plan names
    names = list(dict.fromkeys([c for cols in plan.columns.values() for c in cols] + list(plan.where)))
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        positions.setdefault(_norm(name), []).append(i)
    prepared = _prepare(plan, positions, index, where, shown, 1, None)
    if prepared is None:
        return
    specs, filters = prepared
    records = (
        _jsonl_records(path, shown, plan, names, index)
        if plan.format == "jsonl"
        else _json_records(path, shown, plan, names, index)
    )
    yield from _convert_records(records, specs, filters, names, plan, shown, index, "key")


def _cell(record: dict[str, Any], column: str) -> Cell:
    value = record.get(column)
    if value is None and column not in record and "." in column:
        value = record
        for step in column.split("."):
            value = value.get(step) if isinstance(value, dict) else None
    return _text(value)


def _text(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dict):  # ServiceNow with display values: {"display_value", "value"}
        for key in ("display_value", "name", "value", "displayName"):
            if key in value:
                return _text(value[key])
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [t for t in (_text(v) for v in value) if isinstance(t, str) and t]
    return str(value)


def _json_records(
    path: Path, shown: str, plan: Plan, names: list[str], index: EvidenceIndex
) -> Iterator[RawRecord]:
    try:
        text = path.read_text(encoding=plan.encoding)
    except UnicodeDecodeError as exc:
        _unreadable(index, shown, plan, 1, "the file", exc)
        return
    except OSError as exc:
        index.add_problem(
            "structure/unreadable", f"cannot be read: {exc.strerror}", Location(shown, 1, 1)
        )
        return
    lines = _LineCounter(text)
    try:
        for number, (record, start, end) in enumerate(_json_array(text, plan.records_key), 1):
            line, column = lines.at(start)
            if not isinstance(record, dict):
                index.add_problem(
                    "structure/not-a-mapping",
                    f"record {number} is not a mapping of keys and values; it is skipped",
                    Location(shown, line, column),
                )
                continue

            def locate(key: str, start: int = start, end: int = end) -> tuple[int, int]:
                leaf = json.dumps(key.rsplit(".", 1)[-1], ensure_ascii=False)
                found = text.find(leaf, start, end)
                return lines.at(found if found >= 0 else start)

            cells = [_cell(record, name) for name in names]
            yield cells, line, column, f"record {number}", locate
    except json.JSONDecodeError as exc:
        index.add_problem(
            "structure/export-json",
            f"the JSON is not valid from here on ({exc.msg}); the rest of the file is skipped",
            Location(shown, exc.lineno, exc.colno),
        )
    except _NotRecords as exc:
        line, column = lines.at(exc.position)
        index.add_problem("structure/export-json", str(exc), Location(shown, line, column))


class _NotRecords(Exception):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


class _LineCounter:
    """Offset -> (line, column), for offsets visited in increasing order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> tuple[int, int]:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line, offset - self.text.rfind("\n", 0, offset)


def _json_array(text: str, records_key: str | None) -> Iterator[tuple[Any, int, int]]:
    """(record, start, end) of each element of the list of records, parsed one at a time."""
    decoder = json.JSONDecoder()
    wanted = records_key or "records"
    i = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if text.startswith("{", i):
        i += 1
        while True:
            i = _WS.match(text, i).end()  # type: ignore[union-attr]
            if text.startswith("}", i):
                raise _NotRecords(
                    f"the JSON object has no key '{wanted}' holding the list of records; "
                    "set records_key: in smscheck.yaml",
                    0,
                )
            key, i = decoder.raw_decode(text, i)
            i = _WS.match(text, i).end()  # type: ignore[union-attr]
            if not text.startswith(":", i):
                raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            if key == wanted:
                if not text.startswith("[", i):
                    raise _NotRecords(f"'{wanted}' does not hold a list of records", i)
                break
            _, i = decoder.raw_decode(text, i)
            i = _WS.match(text, i).end()  # type: ignore[union-attr]
            if text.startswith(",", i):
                i += 1
            elif not text.startswith("}", i):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
    elif not text.startswith("[", i):
        raise _NotRecords(
            "the file holds neither a list of records nor an object with one", i
        )
    i += 1
    while True:
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        if text.startswith("]", i):
            return
        record, end = decoder.raw_decode(text, i)
        yield record, i, end
        i = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", i):
            i += 1
        elif not text.startswith("]", i):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, i)


def _jsonl_records(
    path: Path, shown: str, plan: Plan, names: list[str], index: EvidenceIndex
) -> Iterator[RawRecord]:
    try:
        handle = path.open(encoding=plan.encoding)
    except OSError as exc:
        index.add_problem(
            "structure/unreadable", f"cannot be read: {exc.strerror}", Location(shown, 1, 1)
        )
        return
    number = 0
    with handle:
        try:
            for number, text in enumerate(handle, 1):  # noqa: B007 (used after the loop)
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as exc:
                    index.add_problem(
                        "structure/export-json",
                        f"line {number} is not valid JSON ({exc.msg}); it is skipped",
                        Location(shown, number, exc.colno),
                    )
                    continue
                if not isinstance(record, dict):
                    index.add_problem(
                        "structure/not-a-mapping",
                        f"line {number} is not a mapping of keys and values; it is skipped",
                        Location(shown, number, 1),
                    )
                    continue

                def locate(key: str, line: int = number, text: str = text) -> tuple[int, int]:
                    leaf = json.dumps(key.rsplit(".", 1)[-1], ensure_ascii=False)
                    return line, text.find(leaf) + 1 or 1

                cells = [_cell(record, name) for name in names]
                yield cells, number, 1, f"line {number}", locate
        except UnicodeDecodeError as exc:
            _unreadable(index, shown, plan, number + 1, f"line {number + 1}", exc)


# --- rows to items ---------------------------------------------------------------------------


def _convert_records(
    records: Iterable[RawRecord],
    specs: list[FieldSpec],
    filters: list[tuple[tuple[int, ...], frozenset[str]]],
    names: Sequence[str],
    plan: Plan,
    shown: str,
    index: EvidenceIndex,
    word: str,
) -> Iterator[Row]:
    """Convert each record's cells into item data; report and skip records with bad cells."""
    kind = plan.kind
    defaults = plan.defaults
    separator = plan.list_separator
    columns = {s.name: s.indices[0] + 1 for s in specs}  # shared by every row's RowCells
    add_problem = index.add_problem
    for cells, line, column, label, locate in records:
        count = len(cells)
        if filters and not _accepted(cells, count, filters):
            continue
        data: dict[str, Any] = dict(defaults) if defaults else {}
        problems: list[tuple[str, str, int]] = []
        used: dict[str, int] = {}
        for spec in specs:
            value: Any = None
            at = spec.indices[0]
            if spec.is_list:
                parts: list[str] = []
                for i in spec.indices:
                    if i < count:
                        cell = cells[i]
                        pieces = cell if isinstance(cell, list) else cell.split(separator)
                        parts.extend(p for p in (q.strip() for q in pieces) if p)
                if parts:
                    if spec.convert is None:
                        value = parts
                    else:
                        value = []
                        for part in parts:
                            try:
                                converted = spec.convert(part)
                            except CellError as exc:
                                problems.append(_cell_problem(label, word, names, at, part, exc))
                                continue
                            if converted is not None:
                                value.append(converted)
                        value = value or None
            else:
                text = ""
                for i in spec.indices:
                    if i < count:
                        cell = cells[i]
                        text = (cell if isinstance(cell, str) else ", ".join(cell)).strip()
                        if text:
                            at = i
                            break
                if text:
                    if spec.convert is None:
                        value = text
                    else:
                        try:
                            value = spec.convert(text)
                        except CellError as exc:
                            problems.append(_cell_problem(label, word, names, at, text, exc))
                            continue
            if value is None:
                if spec.required:
                    problems.append(
                        (
                            "structure/export-empty",
                            f"{label}: {word} '{names[at]}' is empty, but every {kind} needs "
                            f"'{spec.name}'",
                            at,
                        )
                    )
                continue
            data[spec.name] = value
            if locate is not None:
                used[spec.name] = at
        if problems:
            item_id = str(data.get("id", ""))
            for problem_kind, message, at in problems:
                where = locate(names[at]) if locate is not None else (line, at + 1)
                add_problem(problem_kind, message, Location(shown, *where), item_id)
            continue
        positions: dict[str, tuple[int, int]]
        if locate is None:
            positions = RowCells(line, columns)
        else:
            positions = {name: locate(names[at]) for name, at in used.items()}
        yield kind, data, Location(shown, line, column), positions


def _accepted(
    cells: Sequence[Cell], count: int, filters: list[tuple[tuple[int, ...], frozenset[str]]]
) -> bool:
    for indices, accepted in filters:
        text = ""
        for i in indices:
            if i < count:
                cell = cells[i]
                text = (cell if isinstance(cell, str) else ", ".join(cell)).strip()
                if text:
                    break
        if text.casefold() not in accepted:
            return False
    return True


def _cell_problem(
    label: str, word: str, names: Sequence[str], at: int, text: str, exc: CellError
) -> tuple[str, str, int]:
    return (exc.kind, f"{label}: {word} '{names[at]}' has '{_short(text)}', {exc.reason}", at)


__all__ = ["FieldSpec", "RowCells", "read_record_sources"]
