"""From the cells of one exported record to the data of one evidence item.

The readers (``csvread``, ``jsonread``) turn a file into raw records: cells aligned with a header,
where the record starts and how messages name it. Here the fields of the kind are compiled once
against that header, then every record is converted; a record with a cell that does not convert
is reported at that cell and skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sms_check.evidence import EvidenceIndex
from sms_check.exports.convert import MISSING, CellError, Converter, build_conversion
from sms_check.exports.fields import field_shapes
from sms_check.exports.sources import Plan, noun
from sms_check.results import Location

Row = tuple[str, dict[str, Any], Location, dict[str, tuple[int, int]]]
Cell = str | list[str]
# one record before conversion: its cells (aligned with the header), the line and column where
# it starts, its label in messages ("row 17") and where each of its cells is (JSON only)
RawRecord = tuple[Sequence[Cell], int, int, str, Callable[[str], tuple[int, int]] | None]


class RowCells(dict[str, tuple[int, int]]):
    """Where each field of a CSV row came from: (line of the row, column of the cell).

    Computed on demand from the row's line and the source's column numbers, so 100,000 rows
    do not keep 100,000 dictionaries of positions; it answers ``get``, ``[]``, ``in``, ``len``
    and iteration (not the other dict methods, which see it empty).
    """

    __slots__ = ("line", "columns")

    def __init__(self, line: int, columns: dict[str, int]) -> None:  # noqa: D107
        # NOTE: dict.__init__ is not called: the mapping itself stays empty
        self.line = line
        self.columns = columns

    def get(self, key: str, default: Any = None) -> Any:
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


# how a field finds and converts its text, from the cheapest to the most general
TEXT, TABLE, CALL, LIST, FIRST = range(5)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of the kind, compiled for one source: where its text is and how it converts."""

    name: str
    op: int  # TEXT, TABLE, CALL: one cell; LIST: split into entries; FIRST: first non-empty
    index: int  # the (first) cell holding it
    indices: tuple[int, ...]  # every cell holding it (FIRST, LIST)
    table: dict[str, Any] | None  # TABLE: casefolded text -> value
    convert: Converter | None
    required: bool  # required by the model and no default


def _compile(
    plan: Plan,
    positions: dict[str, list[int]],
    list_positions: dict[str, list[int]],
    index: EvidenceIndex,
    where: str,
) -> tuple[list[FieldSpec], list[str]]:
    """Field specs for the columns present, and the fields whose columns are all missing."""
    zone = _zone(plan.timezone)
    shapes = field_shapes(plan.kind)
    resolvers: dict[tuple[str, ...], Callable[[str], str]] = {}
    specs: list[FieldSpec] = []
    missing: list[str] = []
    for name, columns in plan.columns.items():
        shape = shapes[name]
        found = list_positions if shape.is_list else positions
        indices = tuple(i for c in columns for i in found.get(norm(c), ()))
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
        conversion = build_conversion(
            plan.kind,
            shape,
            plan.values.get(name, {}),
            timestamp_format=plan.timestamp_format,
            date_format=plan.date_format,
            zone=zone,
            resolve=resolve_ref,
            where=where,
        )
        if shape.is_list:
            op = LIST
        elif len(indices) > 1:
            op = FIRST
        elif conversion.convert is None:
            op = TEXT
        elif conversion.table is not None:
            op = TABLE
        else:
            op = CALL
        specs.append(
            FieldSpec(name, op, indices[0], indices, conversion.table, conversion.convert, required)
        )
    return specs, missing


def _zone(name: str) -> dt.tzinfo:
    if name.upper() == "UTC":
        return dt.UTC
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def norm(column: str) -> str:
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


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _columns_named(columns: Sequence[str]) -> str:
    if len(columns) == 1:
        return f"no column '{columns[0]}'"
    return "none of the columns " + ", ".join(f"'{c}'" for c in columns)


def prepare(
    plan: Plan,
    positions: dict[str, list[int]],
    list_positions: dict[str, list[int]],
    index: EvidenceIndex,
    where: str,
    shown: str,
    line: int,
    has_header: bool,
) -> tuple[list[FieldSpec], list[tuple[tuple[int, ...], frozenset[str]]]] | None:
    """Compile the fields against the header; report missing columns (None: skip the source).

    Without a header (JSON) a missing key is an empty cell, found record by record.
    """
    specs, missing = _compile(plan, positions, list_positions, index, where)
    here = Location(shown, line, 0)
    skip = False
    if has_header:
        for name in missing:
            required = field_shapes(plan.kind)[name].required and name not in plan.defaults
            columns = plan.columns[name]
            message = (
                f"the export has {_columns_named(columns)}, which gives '{name}' of "
                f"every {noun(plan.kind)}; "
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
        indices = tuple(positions.get(norm(column), ()))
        if not indices and has_header:
            index.add_problem(
                "structure/export-column",
                f"the export has no column '{column}', which tells the {noun(plan.kind)} records "
                f"apart (where: of {where} or of its mapping); no row of this file was read",
                here,
            )
            skip = True
        filters.append((indices, frozenset(norm(a) for a in accepted)))
    return None if skip else (specs, filters)


def convert_records(
    records: Iterable[RawRecord],
    specs: list[FieldSpec],
    filters: list[tuple[tuple[int, ...], frozenset[str]]],
    names: Sequence[str],
    plan: Plan,
    shown: str,
    index: EvidenceIndex,
    word: str,
) -> Iterator[Row]:
    """Convert each record's cells into item data; report and skip records with bad cells.

    NOTE: the loops below run once per field of every row (1.7 million times for 100,000
    incidents); fields are grouped by how they convert so that each loop does no more than
    one strip and one lookup or call per cell.
    """
    kind = plan.kind
    defaults = plan.defaults
    separator = plan.list_separator
    width = len(names)
    texts = [(s.name, s.index, s.required) for s in specs if s.op == TEXT]
    tables: list[tuple[str, int, Any, Any, bool]] = [
        (s.name, s.index, s.table, s.convert, s.required) for s in specs if s.op == TABLE
    ]
    calls: list[tuple[str, int, Any, bool]] = [
        (s.name, s.index, s.convert, s.required) for s in specs if s.op == CALL
    ]
    lists = [(s.name, s.index, s.convert, s.required) for s in specs if _one_cell_list(s)]
    others = [s for s in specs if s.op == FIRST or (s.op == LIST and not _one_cell_list(s))]
    columns = {spec.name: spec.index + 1 for spec in specs}  # shared by every row's RowCells
    for cells, line, column, label, locate in records:
        if len(cells) < width:  # a short row: the missing cells are empty
            cells = [*cells, *[""] * (width - len(cells))]
        if filters and not _accepted(cells, filters):
            continue
        data: dict[str, Any] = dict(defaults) if defaults else {}
        problems: list[tuple[str, str, int]] = []
        empty: list[tuple[str, int]] = []
        for name, at, required in texts:
            text = cells[at].strip()  # type: ignore[union-attr]
            if text:
                data[name] = text
            elif required:
                empty.append((name, at))
        for name, at, table, convert, required in tables:
            text = cells[at].strip()  # type: ignore[union-attr]
            if text:
                value = table.get(text.casefold(), MISSING)
                if value is MISSING:
                    try:
                        value = convert(text)
                    except CellError as exc:
                        problems.append(_cell_problem(label, word, names, at, text, exc))
                        continue
                if value is not None:
                    data[name] = value
                    continue
            if required:
                empty.append((name, at))
        for name, at, convert, required in calls:
            text = cells[at].strip()  # type: ignore[union-attr]
            if text:
                try:
                    value = convert(text)
                except CellError as exc:
                    problems.append(_cell_problem(label, word, names, at, text, exc))
                    continue
                if value is not None:
                    data[name] = value
                    continue
            if required:
                empty.append((name, at))
        for name, at, convert, required in lists:
            cell = cells[at]
            text = ""
            try:
                if isinstance(cell, str) and separator not in cell:
                    text = cell.strip()  # a single entry, the common case: no call
                    value = (convert(text) if convert is not None else text) if text else None
                    value = [value] if value is not None else None
                else:
                    value = _entries_of(cells, (at,), separator, convert)
            except CellError as exc:
                problems.append(_cell_problem(label, word, names, at, exc.text or text, exc))
                continue
            if value is not None:
                data[name] = value
            elif required:
                empty.append((name, at))
        used: dict[str, int] = {}
        for spec in others:
            at = spec.index
            text = ""
            try:
                if spec.op == LIST:
                    value = _entries_of(cells, spec.indices, separator, spec.convert)
                else:
                    text, at = _first(cells, spec.indices)
                    if text and spec.convert is not None:
                        value = spec.convert(text)
                    else:
                        value = text or None
            except CellError as exc:
                problems.append(_cell_problem(label, word, names, at, exc.text or text, exc))
                continue
            if value is not None:
                data[spec.name] = value
                used[spec.name] = at
            elif spec.required:
                empty.append((spec.name, at))
        for name, at in empty:
            message = (
                f"{label}: {word} '{names[at]}' is empty, but every {noun(kind)} needs '{name}'"
            )
            problems.append(("structure/export-empty", message, at))
        if problems:
            item_id = str(data.get("id", ""))
            for problem_kind, message, at in sorted(problems, key=lambda p: p[2]):
                where = locate(names[at]) if locate is not None else (line, at + 1)
                index.add_problem(problem_kind, message, Location(shown, *where), item_id)
            continue
        positions: dict[str, tuple[int, int]]
        if locate is None:
            positions = RowCells(line, columns)
        else:
            positions = {
                name: locate(names[used.get(name, columns[name] - 1)])
                for name in columns
                if name in data
            }
        yield kind, data, Location(shown, line, column), positions


def _one_cell_list(spec: FieldSpec) -> bool:
    return spec.op == LIST and len(spec.indices) == 1


def _first(cells: Sequence[Cell], indices: tuple[int, ...]) -> tuple[str, int]:
    """The first non-empty text among ``indices`` and where it is."""
    for i in indices:
        text = cells[i].strip()  # type: ignore[union-attr]
        if text:
            return text, i
    return "", indices[0]


def _entries_of(
    cells: Sequence[Cell],
    indices: tuple[int, ...],
    separator: str,
    convert: Converter | None,
) -> list[Any] | None:
    """The entries of a list field: every cell of ``indices``, split on the separator."""
    entries: list[Any] = []
    for i in indices:
        cell = cells[i]
        for piece in cell.split(separator) if isinstance(cell, str) else cell:
            text = piece.strip()
            if not text:
                continue
            if convert is None:
                entries.append(text)
                continue
            try:
                value = convert(text)
            except CellError as exc:
                exc.text = text
                raise
            if value is not None:
                entries.append(value)
    return entries or None


def _accepted(cells: Sequence[Cell], filters: list[tuple[tuple[int, ...], frozenset[str]]]) -> bool:
    for indices, accepted in filters:
        text, _ = _first(cells, indices) if indices else ("", 0)
        if text.casefold() not in accepted:
            return False
    return True


def _cell_problem(
    label: str, word: str, names: Sequence[str], at: int, text: str, exc: CellError
) -> tuple[str, str, int]:
    return (exc.kind, f"{label}: {word} '{names[at]}' has '{short(text)}', {exc.reason}", at)


SURROGATE = re.compile("[\udc80-\udcff]")


def undecoded(cells: Sequence[str]) -> int:
    """Index of the first cell holding bytes the encoding could not decode (-1: none)."""
    joined = "".join(cells)
    if joined.isascii() or not SURROGATE.search(joined):
        return -1
    return next(i for i, cell in enumerate(cells) if SURROGATE.search(cell))


def encoding_message(what: str, text: str, plan: Plan, where: str) -> str:
    raw = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return (
        f"{what} has '{short(raw)}', which is not {plan.encoding} text; if the file was saved "
        f"in another encoding, set encoding: (e.g. cp1252) of {where} in smscheck.yaml"
    )
