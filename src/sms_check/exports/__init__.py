"""Records exported from ITSM tools (CSV, JSON, JSON Lines) as evidence: ``record_sources``.

Importing this package is cheap: it defines the ``smscheck.yaml`` settings of a record source
(``RecordSource``); the reader is imported when evidence is loaded. See docs/record-exports.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sms_check.exports.sources import RecordSource, mapping_names

if TYPE_CHECKING:
    from sms_check.evidence import EvidenceIndex
    from sms_check.results import Location


def read_record_sources(
    root: Path, sources: Sequence[RecordSource], index: EvidenceIndex
) -> Iterator[tuple[str, dict[str, Any], Location, dict[str, tuple[int, int]]]]:
    """Every good row of every record source as ``(kind, data, location, cells)``.

    Rows that cannot be converted are reported on ``index`` and skipped; a source that cannot
    be used at all raises ``ConfigError``.
    """
    from sms_check.exports.reader import read_record_sources as read

    return read(root, sources, index)


__all__ = ["RecordSource", "mapping_names", "read_record_sources"]
