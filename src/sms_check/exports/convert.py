"""From the text of one cell to the value of one model field: value maps, yes/no, dates, times.

Converters are built once per field and export, then called for every cell; a cell that cannot
be converted raises :class:`CellError` with a reason a non-programmer can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sms_check.exports.fields import FieldShape
from sms_check.exports.sources import a_kind

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
        self.text = ""  # the entry of a list cell that failed, when not the whole cell


def human_format(fmt: str | None, with_time: bool) -> str:
    """'DD/MM/YYYY HH:MM (e.g. 05/03/2026 14:30)' for a strptime format; ISO 8601 for None."""
    if fmt is None:
        if with_time:
            return "YYYY-MM-DDTHH:MM:SS of ISO 8601 (e.g. 2026-03-05T14:30:00 or 2026-03-05 14:30)"
        return "YYYY-MM-DD (e.g. 2026-03-05)"
    shown = re.sub(r"%(.)", lambda m: _HUMAN.get(m.group(1), m.group(0)), fmt)
    return f"{shown} (e.g. {_EXAMPLE.strftime(fmt)})"


def check_format(fmt: str) -> str:
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
    """Text -> datetime, or None when it does not parse.

    A time without an offset is in ``zone``; for UTC it is left naive, which the evidence model
    reads as UTC (attaching a zone costs more than parsing the text).
    """
    fromiso = dt.datetime.fromisoformat
    utc = zone is dt.UTC
    shape = _ISO_SHAPES.get(fmt) if fmt is not None else None
    fast = shape.fullmatch if shape is not None else None
    strptime = dt.datetime.strptime
    pattern = fmt or ""

    def parse(text: str) -> dt.datetime | None:
        try:
            if fmt is None or (fast is not None and fast(text)):
                value = fromiso(text)
            else:
                value = strptime(text, pattern)
        except ValueError:
            return None
        if utc or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=zone)

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
    moment = timestamp_parser(fmt, dt.UTC)

    def parse(text: str) -> dt.date | None:
        value = moment(text)
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


@dataclass(frozen=True)
class Conversion:
    """How the text of one cell (or list element) becomes a field value.

    ``table`` maps casefolded texts to final values and may be used directly (a miss goes to
    ``convert``); ``convert`` is None when the text is taken as it is.
    """

    table: dict[str, Any] | None
    convert: Converter | None


def build_conversion(
    kind: str,
    shape: FieldShape,
    values: dict[str, Any],
    *,
    timestamp_format: str | None,
    date_format: str | None,
    zone: dt.tzinfo,
    resolve: Callable[[str], str] | None,
    where: str,
) -> Conversion:
    """The conversion of one element of a field; ``where`` names the source in hints."""
    table, wildcard = lookup_table(shape, values)
    typed = _typed(shape, timestamp_format, date_format, zone)
    finish = typed or resolve
    if not table and wildcard is MISSING:
        return Conversion(None, finish)
    closed = shape.shape in ("choice", "bool")
    hint = f"values: {{{shape.name}: {{...}}}} of {where} in smscheck.yaml"
    if shape.shape == "choice":
        unknown = (
            f"which smscheck cannot translate into a {shape.name} of {a_kind(kind)} "
            f"({', '.join(shape.choices)}); add it under {hint}"
        )
    else:
        unknown = f"which is not yes or no (true/false, yes/no, y/n, 1/0); add it under {hint}"

    def convert(text: str) -> Any:
        value = table.get(text.casefold(), MISSING)
        if value is MISSING:
            if wildcard is not MISSING:
                value = wildcard
            elif closed:
                raise CellError("structure/export-value", unknown)
            else:
                value = text
        if finish is not None and isinstance(value, str):
            return finish(value)
        return value

    return Conversion(table if finish is None else None, convert)


def _typed(
    shape: FieldShape, timestamp_format: str | None, date_format: str | None, zone: dt.tzinfo
) -> Converter | None:
    if shape.shape == "timestamp":
        return _timestamp_converter(timestamp_format, date_format, zone)
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
                if moment.tzinfo is not None:
                    moment = moment.astimezone(zone)
                day = moment.date()
            return day

        return to_date
    return None


def _timestamp_converter(fmt: str | None, date_fmt: str | None, zone: dt.tzinfo) -> Converter:
    """One flat function per cell: this runs for every timestamp of every row."""
    fromiso = dt.datetime.fromisoformat
    strptime = dt.datetime.strptime
    utc = zone is dt.UTC
    shape = _ISO_SHAPES.get(fmt) if fmt is not None else None
    fast = shape.fullmatch if shape is not None and "%H" in (fmt or "") else None
    pattern = fmt or ""
    as_date = date_parser(date_fmt)
    combine, midnight = dt.datetime.combine, dt.time(0)
    reason = "which is not a date and time in the format " + human_format(fmt, True)

    def to_timestamp(text: str) -> dt.datetime:
        try:
            if fast is not None and fast(text):
                # exactly YYYY-MM-DD HH:MM[:SS]: fromisoformat reads it as strptime would
                return fromiso(text + "+00:00") if utc else fromiso(text).replace(tzinfo=zone)
            value = fromiso(text) if fmt is None else strptime(text, pattern)
        except ValueError:
            day = as_date(text)  # a date alone: midnight
            if day is None:
                raise CellError("structure/export-date", reason) from None
            return combine(day, midnight, zone)
        if value.tzinfo is None and not utc:
            value = value.replace(tzinfo=zone)
        return value

    return to_timestamp
