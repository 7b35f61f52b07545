"""Plain-language messages for evidence that does not fit the evidence model."""

from __future__ import annotations

import difflib
from typing import Any


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _field(loc: tuple[str | int, ...]) -> str:
    parts: list[str] = []
    for step in loc:
        if isinstance(step, int):
            parts.append(f"[{step + 1}]")  # humans count from 1
        else:
            parts.append(("." if parts else "") + step)
    return "".join(parts) or "item"


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of fields",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def explain(error: dict[str, Any], kind: str, known_fields: list[str]) -> tuple[str, str]:
    """Return (finding kind, message) for one pydantic error on an item of ``kind``."""
    loc = tuple(error["loc"])
    name = _field(loc)
    etype = error["type"]
    value = error.get("input")
    if etype == "missing":
        return "structure/missing-field", f"required field '{name}' is missing"
    if etype == "extra_forbidden":
        leaf = str(loc[-1]) if loc else name
        hint = difflib.get_close_matches(leaf, known_fields, n=1)
        tip = f"; did you mean '{hint[0]}'?" if hint else ""
        return (
            "structure/unknown-field",
            f"unknown field '{name}' for a {kind} item{tip}",
        )
    if etype in ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return (
            "structure/invalid-date",
            f"'{name}' is {_show(value)}, which is not a valid date; write it as YYYY-MM-DD",
        )
    if etype in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"):
        return (
            "structure/invalid-date",
            f"'{name}' is {_show(value)}, which is not a valid date and time; "
            "write it as YYYY-MM-DDTHH:MM (optionally with a time zone, e.g. +02:00)",
        )
    if etype == "date_type":
        return "structure/invalid-date", f"'{name}' should be a date (YYYY-MM-DD)"
    if etype == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return (
            "structure/invalid-value",
            f"'{name}' is {_show(value)}, which is not allowed; expected {expected}",
        )
    if etype == "string_pattern_mismatch":
        if loc and loc[-1] == "id":
            return (
                "structure/invalid-id",
                f"the id {_show(value)} is not valid; ids start with a letter or digit and "
                "use only letters, digits and . _ : / - (at most 100 characters)",
            )
        return "structure/invalid-value", f"'{name}' is {_show(value)}, which has the wrong form"
    if etype == "string_too_short":
        return "structure/missing-field", f"'{name}' is empty; it needs a value"
    if etype in _TYPE_WORDS:
        return (
            "structure/wrong-type",
            f"'{name}' should be {_TYPE_WORDS[etype]}, not {_show(value)}",
        )
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    return "structure/invalid-value", f"'{name}': {message}"
