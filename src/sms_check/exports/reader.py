"""Read the record sources of a repository, one row at a time.

A row is never held longer than it takes to convert it; what leaves here is one
``(kind, data, location, cells)`` tuple per good row, validated by the loader exactly like a
YAML item. Rows with cells that cannot be converted become located findings and are skipped;
a source that cannot be used at all is a configuration error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sms_check.errors import ConfigError
from sms_check.evidence import EvidenceIndex, display_path
from sms_check.exports.csvread import read_csv
from sms_check.exports.jsonread import read_json
from sms_check.exports.rows import Row, RowCells
from sms_check.exports.sources import Plan, RecordSource, resolve


def read_record_sources(
    root: Path, sources: Sequence[RecordSource], index: EvidenceIndex
) -> Iterator[Row]:
    """Every good row of every record source, in order; defects are added to ``index``."""
    for opened in open_sources(root, sources):
        if opened.shown not in index.files:
            index.files.append(opened.shown)
        yield from read_source(opened, index)


@dataclass(frozen=True)
class OpenedSource:
    """A record source checked against the repository: its plan and file."""

    number: int
    source: RecordSource
    plan: Plan
    path: Path
    shown: str


def open_sources(root: Path, sources: Sequence[RecordSource]) -> list[OpenedSource]:
    """Resolve every source's mapping and file; a source that cannot be used is a config error."""
    opened = []
    for number, source in enumerate(sources):
        where = f"record_sources[{number}]"
        try:
            plan = resolve(source)
        except ValueError as exc:
            raise ConfigError(f"smscheck.yaml: {where}: {exc}") from None
        path = _source_file(root, plan, where)
        opened.append(OpenedSource(number, source, plan, path, display_path(path, root)))
    return opened


def read_source(opened: OpenedSource, index: EvidenceIndex) -> Iterator[Row]:
    """Every good row of one source; defects are added to ``index``."""
    where = f"record_sources[{opened.number}]"
    if opened.plan.format == "csv":
        yield from read_csv(opened.path, opened.shown, opened.plan, where, index)
    else:
        yield from read_json(opened.path, opened.shown, opened.plan, where, index)


def _source_file(root: Path, plan: Plan, where: str) -> Path:
    candidate = root / plan.path
    prefix = f"smscheck.yaml: {where}: '{plan.path}'"
    linked = candidate.is_symlink() or any(p.is_symlink() for p in candidate.parents if p != root)
    if linked and not candidate.resolve().is_relative_to(root.resolve()):
        raise ConfigError(
            f"{prefix} is a link to a place outside the evidence repository; "
            "copy the export into the repository"
        )
    if not candidate.exists():
        raise ConfigError(f"{prefix} does not exist in the repository")
    if not candidate.is_file():
        raise ConfigError(f"{prefix} is not a file")
    return candidate


__all__ = ["OpenedSource", "Row", "RowCells", "open_sources", "read_record_sources", "read_source"]
