"""The reporter contract: a class with a name, a file suffix and ``render(report) -> str``."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from sms_check.results import Report


class Reporter(Protocol):
    """Renders a report. Never prints, never exits, never reads the clock."""

    name: ClassVar[str]  # the --format value
    suffix: ClassVar[str]  # default file extension for --output

    def render(self, report: Report) -> str:
        """Return the whole document, ending with a newline."""
        ...
