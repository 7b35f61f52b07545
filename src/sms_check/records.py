"""Items rebuilt from the cache as plain records, without importing the evidence model.

A warm run (every file unchanged since the cache entry was written) needs no pydantic model
classes: each kind's *plan* (which fields hold dates, timestamps, nested parts, references) is
derived from the models once and cached next to the entries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

PLAN_FORMAT = 1


class Record:
    """A validated item's fields as attributes (what the checks read)."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.__dict__.update(fields)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        return f"Record({self.__dict__!r})"


def _spec(annotation: Any) -> Any:
    from typing import get_args, get_origin

    from pydantic import BaseModel

    from sms_check.model import _unwrap

    for base, _ in _unwrap(annotation):
        if base is dt.datetime:
            return "datetime"
        if base is dt.date:
            return "date"
        if isinstance(base, type) and issubclass(base, BaseModel):
            return {"part": _fields_plan(base)}
        if get_origin(base) is list:
            inner = _spec(get_args(base)[0])
            if inner is not None:
                return {"list": inner}
    return None


def _fields_plan(model: Any) -> dict[str, Any]:
    plan = {}
    for name, info in model.model_fields.items():
        spec = _spec(info.annotation)
        if spec is not None:
            plan[name] = spec
    return plan


def build_plans() -> dict[str, Any]:
    """Per kind: the fields to convert and the references to check (imports the models)."""
    from sms_check.model import KINDS, reference_fields

    return {
        kind: {
            "fields": _fields_plan(model),
            "refs": [[list(ref.path), list(ref.kinds)] for ref in reference_fields(kind)],
        }
        for kind, model in KINDS.items()
    }


def convert(spec: Any, value: Any) -> Any:
    """A JSON value back to its field's type per the plan (dates, timestamps, parts, lists)."""
    if value is None:
        return None
    if spec == "date":
        return dt.date.fromisoformat(value)
    if spec == "datetime":
        return dt.datetime.fromisoformat(value)
    if "part" in spec:
        return revive(spec["part"], value)
    return [convert(spec["list"], v) for v in value]


def revive(fields_plan: dict[str, Any], data: dict[str, Any]) -> Record:
    """A record from the JSON dump of a valid item."""
    for name, spec in fields_plan.items():
        value = data.get(name)
        if value is not None:
            data[name] = convert(spec, value)
    return Record(data)
