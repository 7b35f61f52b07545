"""Map a path inside loaded YAML data (keys and list indexes) to a line and column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sms_check.yamlio import LineDict, LineList


def position(data: Any, path: Sequence[str | int]) -> tuple[int, int]:
    """The deepest known position along ``path`` (the key itself for the last step)."""
    line = getattr(data, "line", 1) or 1
    column = getattr(data, "column", 1) or 1
    node = data
    for step in path:
        if isinstance(node, LineDict) and isinstance(step, str) and step in node:
            line, column = node.key_positions.get(step, (line, column))
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line, column = node.item_positions[step]
            node = node[step]
        else:
            break
    return line, column
