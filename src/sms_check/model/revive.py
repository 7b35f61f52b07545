"""Rebuild items from their validated JSON form without re-validating (the cache's warm path).

The cache stores ``model_dump(mode="json")`` of items that passed validation; turning dates
back into dates and nested parts back into models is all that is needed, and it avoids building
pydantic validators for every kind on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel

Converter = Callable[[Any], Any]


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _datetime(value: Any) -> Any:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def _converter(annotation: Any) -> Converter | None:
    from sms_check.model import _unwrap

    for base, _ in _unwrap(annotation):
        if base is dt.datetime:
            return _datetime
        if base is dt.date:
            return _date
        if isinstance(base, type) and issubclass(base, BaseModel):
            part = base
            return lambda value: revive(part, value) if isinstance(value, dict) else value
        if get_origin(base) is list:
            inner = _converter(get_args(base)[0])
            if inner is not None:
                convert = inner
                return lambda value: (
                    [convert(v) for v in value] if isinstance(value, list) else value
                )
    return None


@cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, Converter], ...]:
    plan = []
    for name, info in model.model_fields.items():
        convert = _converter(info.annotation)
        if convert is not None:
            plan.append((name, convert))
    return tuple(plan)


def revive(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """An instance of ``model`` from the JSON dump of a valid instance."""
    for name, convert in _plan(model):
        value = data.get(name)
        if value is not None:
            data[name] = convert(value)
    return model.model_construct(**data)
