"""Intervals for periodic obligations: '12 months', '90 days', 'quarterly'... (no dependencies)."""

from __future__ import annotations

import datetime as dt
import re

_INTERVAL = re.compile(
    r"^\s*(?:(?P<n>\d+)\s*(?P<unit>d|day|days|w|week|weeks|m|month|months|y|year|years)"
    r"|(?P<word>daily|weekly|monthly|quarterly|half-yearly|yearly|annually))\s*$",
    re.IGNORECASE,
)
_WORDS = {
    "daily": (0, 1),
    "weekly": (0, 7),
    "monthly": (1, 0),
    "quarterly": (3, 0),
    "half-yearly": (6, 0),
    "yearly": (12, 0),
    "annually": (12, 0),
}


def parse_interval(text: str) -> tuple[int, int]:
    """Parse '3 months', '90 days', '1 year', 'quarterly'... into (months, days)."""
    match = _INTERVAL.match(str(text))
    if not match:
        raise ValueError(
            f"'{text}' is not an interval; write e.g. '12 months', '90 days', '2 weeks' "
            "or one of daily, weekly, monthly, quarterly, half-yearly, yearly"
        )
    if match["word"]:
        return _WORDS[match["word"].lower()]
    n, unit = int(match["n"]), match["unit"].lower()[0]
    if n <= 0:
        raise ValueError("an interval must be longer than zero")
    return {"d": (0, n), "w": (0, 7 * n), "m": (n, 0), "y": (12 * n, 0)}[unit]


def add_interval(start: dt.date, interval: tuple[int, int]) -> dt.date:
    """``start`` plus (months, days), clamping to the end of a shorter month."""
    months, days = interval
    if months:
        month0 = start.month - 1 + months
        year, month = start.year + month0 // 12, month0 % 12 + 1
        for day in (start.day, 30, 29, 28):
            try:
                start = dt.date(year, month, day)
                break
            except ValueError:
                continue
    return start + dt.timedelta(days=days)
