"""From the text of one cell to the value of one model field: value maps, yes/no, dates, times.

Converters are built once per field and export, then called for every cell; a cell that cannot
be converted raises :class:`CellError` with a reason a non-programmer can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sms_check.exports.fields import FieldShape

Converter = Callable[[str], Any]

MISSING: Any = object()
WILDCARD = "*"

BOOL_WORDS: dict[str, bool] = {
    "true": True,
    "yes": True,
    "y": True,
    "1": True,
    "false": False,
    "no": False,
    "n": False,
    "0": False,
}

# strptime formats that ``fromisoformat`` reads identically (and ~30 times faster), once the
# text has exactly this shape; anything else goes through strptime itself.
_ISO_SHAPES: dict[str, re.Pattern[str]] = {
    "%Y-%m-%d %H:%M:%S": re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"),
    "%Y-%m-%dT%H:%M:%S": re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"),
    "%Y-%m-%d %H:%M": re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d"),
    "%Y-%m-%dT%H:%M": re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d"),
    "%Y-%m-%d": re.compile(r"\d{4}-\d\d-\d\d"),
}

_HUMAN = {
    "Y": "YYYY",
    "y": "YY",
    "m": "MM",
    "d": "DD",
    "H": "HH",
    "I": "hh",
    "M": "MM",
    "S": "SS",
    "f": "ffffff",
    "p": "AM/PM",
    "b": "Mon",
    "B": "Month",
    "a": "Ddd",
    "A": "Weekday",
    "j": "DDD",
    "z": "+HHMM",
    "Z": "ZONE",
    "%": "%",
}
_EXAMPLE = dt.datetime(2026, 3, 5, 14, 30, 0)


class CellError(Exception):
    """A cell whose text does not convert; ``kind`` is the finding kind, ``reason`` ends the
    sentence "column 'X' has 'text', ..."."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def human_format(fmt: str | None, with_time: bool) -> str:
    """'DD/MM/YYYY HH:MM (e.g. 05/03/2026 14:30)' for a strptime format; ISO 8601 for None."""
    if fmt is None:
        if with_time:
            return "YYYY-MM-DDTHH:MM:SS of ISO 8601 (e.g. 2026-03-05T14:30:00 or 2026-03-05 14:30)"
        return "YYYY-MM-DD (e.g. 2026-03-05)"
    shown = re.sub(r"%(.)", lambda m: _HUMAN.get(m.group(1), m.group(0)), fmt)
    return f"{shown} (e.g. {_EXAMPLE.strftime(fmt)})"


def check_format(fmt: str, with_time: bool) -> str:
    """Why ``fmt`` is not a usable strptime format ('' when it is)."""
    if "%" not in fmt:
        return f"'{fmt}' has no % codes; write it like '%Y-%m-%d %H:%M:%S' (Python strptime)"
    try:
        text = _EXAMPLE.strftime(fmt)
        dt.datetime.strptime(text, fmt)
    except ValueError as exc:
        return f"'{fmt}' is not a usable format ({exc}); see docs/record-exports.md"
    return ""


def timestamp_parser(fmt: str | None, zone: dt.tzinfo) -> Callable[[str], dt.datetime | None]:
    """Text -> aware datetime (naive times are in ``zone``), or None when it does not parse."""
    fromiso = dt.datetime.fromisoformat
    if fmt is None:

        def parse_iso(text: str) -> dt.datetime | None:
            try:
                value = fromiso(text)
            except ValueError:
                return None
            return value if value.tzinfo is not None else value.replace(tzinfo=zone)

        return parse_iso
    shape = _ISO_SHAPES.get(fmt)
    fast = shape.fullmatch if shape is not None else None
    strptime = dt.datetime.strptime
    pattern = fmt

    def parse(text: str) -> dt.datetime | None:
        try:
            value = fromiso(text) if fast is not None and fast(text) else strptime(text, pattern)
        except ValueError:
            return None
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)

    return parse


def date_parser(fmt: str | None) -> Callable[[str], dt.date | None]:
    """Text -> date, or None when it does not parse."""
    if fmt is None:
        fromiso = dt.date.fromisoformat

        def parse_iso(text: str) -> dt.date | None:
            try:
                return fromiso(text)
            except ValueError:
                return None

        return parse_iso
    timestamp = timestamp_parser(fmt, dt.UTC)

    def parse(text: str) -> dt.date | None:
        value = timestamp(text)
        return value.date() if value is not None else None

    return parse


def lookup_table(shape: FieldShape, values: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The case-insensitive value table of a field and its '*' (any other value) entry."""
    table: dict[str, Any] = {}
    if shape.shape == "choice":
        table = {c.casefold(): c for c in shape.choices}
    elif shape.shape == "bool":
        table = dict(BOOL_WORDS)
    wildcard = MISSING
    for key, value in values.items():
        if key == WILDCARD:
            wildcard = value
        else:
            table[key.strip().casefold()] = value
    return table, wildcard


def build_converter(
    kind: str,
    shape: FieldShape,
    values: dict[str, Any],
    *,
    timestamp_format: str | None,
    date_format: str | None,
    zone: dt.tzinfo,
    resolve: Callable[[str], str] | None,
    where: str,
) -> Converter | None:
    """The converter of one element of a field (None: the text is taken as it is).

    ``where`` names the source in hints, e.g. "record_sources[0]".
    """
    table, wildcard = lookup_table(shape, values)
    closed = shape.shape in ("choice", "bool")
    typed = _typed(shape, timestamp_format, date_format, zone)
    if not table and wildcard is MISSING and typed is None and resolve is None:
        return None
    hint = f"values: {{{shape.name}: {{...}}}} of {where} in smscheck.yaml"
    if shape.shape == "choice":
        unknown = (
            f"which smscheck cannot translate into a {shape.name} of a {kind} "
            f"({', '.join(shape.choices)}); add it under {hint}"
        )
    else:
        unknown = f"which is not yes or no (true/false, yes/no, y/n, 1/0); add it under {hint}"

    def convert(text: str) -> Any:
        value: Any = text
        if table or wildcard is not MISSING:
            value = table.get(text.casefold(), MISSING)
            if value is MISSING:
                if wildcard is not MISSING:
                    value = wildcard
                elif closed:
                    raise CellError("structure/export-value", unknown)
                else:
                    value = text
        if value is None or not isinstance(value, str):
            return value
        if typed is not None:
            return typed(value)
        if resolve is not None:
            return resolve(value)
        return value

    return convert


def _typed(
    shape: FieldShape, timestamp_format: str | None, date_format: str | None, zone: dt.tzinfo
) -> Converter | None:
    if shape.shape == "timestamp":
        as_time = timestamp_parser(timestamp_format, zone)
        as_date = date_parser(date_format)
        reason = "which is not a date and time in the format " + human_format(
            timestamp_format, True
        )

        def to_timestamp(text: str) -> dt.datetime:
            value = as_time(text)
            if value is None:
                day = as_date(text)
                if day is None:
                    raise CellError("structure/export-date", reason)
                value = dt.datetime.combine(day, dt.time(0), zone)
            return value

        return to_timestamp
    if shape.shape == "date":
        as_day = date_parser(date_format)
        as_moment = timestamp_parser(timestamp_format, zone)
        reason = "which is not a date in the format " + human_format(date_format, False)

        def to_date(text: str) -> dt.date:
            day = as_day(text)
            if day is None:
                moment = as_moment(text)  # a date and time in a date field: its local day
                if moment is None:
                    raise CellError("structure/export-date", reason)
                day = moment.astimezone(zone).date()
            return day

        return to_date
    return None
