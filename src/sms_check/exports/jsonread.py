"""JSON and JSON Lines exports: records as objects, with the line and column of each key.

A JSON record has no header: the columns the plan names become a virtual header, each once as
text and once more as a list for the columns of list fields. A ``.json`` file is read whole and
its records parsed one at a time; a JSON Lines file is read line by line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sms_check.evidence import EvidenceIndex
from sms_check.exports.fields import field_shapes
from sms_check.exports.rows import (
    SURROGATE,
    Cell,
    RawRecord,
    Row,
    convert_records,
    encoding_message,
    norm,
    prepare,
)
from sms_check.exports.sources import Plan
from sms_check.results import Location

_WS = re.compile(r"[ \t\n\r]*")


def read_json(
    path: Path, shown: str, plan: Plan, where: str, index: EvidenceIndex
) -> Iterator[Row]:
    # a JSON record has no header: the virtual header holds every column the plan names, as
    # text, and once more as a list for the columns of list fields
    shapes = field_shapes(plan.kind)
    scalar = [c for f, cols in plan.columns.items() if not shapes[f].is_list for c in cols]
    listed = [c for f, cols in plan.columns.items() if shapes[f].is_list for c in cols]
    texts = list(dict.fromkeys(scalar + list(plan.where)))
    lists = list(dict.fromkeys(listed))
    names = texts + lists
    positions: dict[str, list[int]] = {}
    list_positions: dict[str, list[int]] = {}
    for i, name in enumerate(texts):
        positions.setdefault(norm(name), []).append(i)
    for i, name in enumerate(lists, len(texts)):
        list_positions.setdefault(norm(name), []).append(i)
    prepared = prepare(plan, positions, list_positions, index, where, shown, 1, False)
    if prepared is None:
        return
    specs, filters = prepared

    def row(record: dict[str, Any]) -> list[Cell]:
        return [_scalar(_value(record, n)) for n in texts] + [
            _entries(_value(record, n)) for n in lists
        ]

    records = (
        _jsonl_records(path, shown, plan, where, row, index)
        if plan.format == "jsonl"
        else _json_records(path, shown, plan, where, row, index)
    )
    yield from convert_records(records, specs, filters, names, plan, shown, index, "key")


def _value(record: dict[str, Any], column: str) -> Any:
    """The value of ``column`` in a record; a dotted column walks nested objects."""
    value = record.get(column)
    if value is None and column not in record and "." in column:
        value = record
        for step in column.split("."):
            value = value.get(step) if isinstance(value, dict) else None
    return _plain(value)


def _plain(value: Any) -> Any:
    """A reference object as its shown value, e.g. ServiceNow's {"display_value", "value"}."""
    if isinstance(value, dict):
        for key in ("display_value", "displayName", "name", "value"):
            if key in value:
                return _plain(value[key])
        return None
    return value


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(t for t in (_scalar(_plain(v)) for v in value) if t)
    return str(value)


def _entries(value: Any) -> list[str]:
    if isinstance(value, list):
        return [t for t in (_scalar(_plain(v)) for v in value) if t]
    text = _scalar(value)
    return [text] if text else []


def _json_records(
    path: Path,
    shown: str,
    plan: Plan,
    where: str,
    row: Callable[[dict[str, Any]], list[Cell]],
    index: EvidenceIndex,
) -> Iterator[RawRecord]:
    try:
        text = path.read_text(encoding=plan.encoding, errors="surrogateescape")
    except OSError as exc:
        index.add_problem(
            "structure/unreadable", f"cannot be read: {exc.strerror}", Location(shown, 1, 1)
        )
        return
    lines = _LineCounter(text)
    try:
        for number, (record, start, end) in enumerate(_json_array(text, plan.records_key), 1):
            line, column = lines.at(start)
            bad = SURROGATE.search(text, start, end)
            if bad is not None:
                index.add_problem(
                    "structure/export-encoding",
                    encoding_message(f"record {number}", text[start:end], plan, where),
                    Location(shown, *lines.at(bad.start())),
                )
                continue
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

            yield row(record), line, column, f"record {number}", locate
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
        raise _NotRecords("the file holds neither a list of records nor an object with one", i)
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
    path: Path,
    shown: str,
    plan: Plan,
    where: str,
    row: Callable[[dict[str, Any]], list[Cell]],
    index: EvidenceIndex,
) -> Iterator[RawRecord]:
    try:
        handle = path.open(encoding=plan.encoding, errors="surrogateescape")
    except OSError as exc:
        index.add_problem(
            "structure/unreadable", f"cannot be read: {exc.strerror}", Location(shown, 1, 1)
        )
        return
    with handle:
        for number, text in enumerate(handle, 1):
            if not text.strip():
                continue
            bad = SURROGATE.search(text)
            if bad is not None:
                index.add_problem(
                    "structure/export-encoding",
                    encoding_message(f"line {number}", text.strip(), plan, where),
                    Location(shown, number, bad.start() + 1),
                )
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

            yield row(record), number, 1, f"line {number}", locate
