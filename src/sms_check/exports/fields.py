"""What a field of the evidence model takes from one cell of an export, read from its annotation."""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

SHAPE_WORDS = {
    "text": "text",
    "choice": "one of a fixed set of values",
    "bool": "yes/no",
    "date": "a date",
    "timestamp": "a date and time",
    "number": "a number",
    "nested": "nested entries",
}


@dataclass(frozen=True)
class FieldShape:
    """How a cell becomes the value of one model field."""

    name: str
    shape: str  # text | choice | bool | date | timestamp | number | nested
    is_list: bool = False
    choices: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()  # kinds the field refers to (ids of items)
    required: bool = False


def _alternatives(annotation: Any) -> list[tuple[Any, tuple[Any, ...]]]:
    """(base type, metadata) alternatives of an annotation, through Annotated and Optional."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        return [(b, tuple(meta) + m) for b, m in _alternatives(base)]
    if origin in (Union, types.UnionType):
        return [
            alt
            for arg in get_args(annotation)
            if arg is not type(None)
            for alt in _alternatives(arg)
        ]
    return [(annotation, ())]


def _classify(base: Any) -> tuple[str, tuple[str, ...]]:
    if get_origin(base) is Literal:
        return "choice", tuple(str(a) for a in get_args(base))
    if base is bool:
        return "bool", ()
    if base is dt.datetime:
        return "timestamp", ()
    if base is dt.date:
        return "date", ()
    if base in (int, float):
        return "number", ()
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "nested", ()
    return "text", ()


def _shape(name: str, annotation: Any, metadata: list[Any], required: bool) -> FieldShape:
    from sms_check.model.base import Ref

    base, meta = _alternatives(annotation)[0]
    meta = tuple(metadata) + meta
    is_list = get_origin(base) is list
    if is_list:
        base, inner = _alternatives(get_args(base)[0])[0]
        meta += inner
    shape, choices = _classify(base)
    refs = tuple(k for m in meta if isinstance(m, Ref) for k in m.kinds)
    return FieldShape(name, shape, is_list, choices, refs, required)


@cache
def field_shapes(kind: str) -> dict[str, FieldShape]:
    """Every top-level field of ``kind`` with its shape."""
    from sms_check.model import KINDS

    model = KINDS[kind]
    return {
        name: _shape(name, info.annotation, list(info.metadata), info.is_required())
        for name, info in model.model_fields.items()
    }


def check_default(kind: str, name: str, value: Any) -> str:
    """Why ``value`` cannot be the value of field ``name`` of ``kind`` ('' when it can)."""
    from pydantic import TypeAdapter, ValidationError

    from sms_check.model import KINDS

    info = KINDS[kind].model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[annotation, *info.metadata]
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        return str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
    return ""
