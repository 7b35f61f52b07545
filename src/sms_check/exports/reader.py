"""Read the record sources of a repository, one row at a time.

A row is never held longer than it takes to convert it; what leaves here is one
``(kind, data, location, cells)`` tuple per good row, validated by the loader exactly like a
YAML item. Rows with cells that cannot be converted become located findings and are skipped;
a source that cannot be used at all is a configuration error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sms_check.errors import ConfigError
from sms_check.evidence import EvidenceIndex, display_path
from sms_check.exports.sources import Plan, RecordSource, resolve, source_path

if TYPE_CHECKING:  # the readers load when a source is read (a warm run reads none)
    from sms_check.exports.rows import Row


def read_record_sources(
    root: Path, sources: Sequence[RecordSource], index: EvidenceIndex
) -> Iterator[Row]:
    """Every good row of every record source, in order; defects are added to ``index``."""
    for opened in open_sources(root, sources):
        if opened.shown not in index.files:
            index.files.append(opened.shown)
        yield from read_source(opened, index)


class OpenedSource:
    """A record source checked against the repository: its file, and its plan when needed.

    The plan (the source merged with its ready mapping, checked against the evidence model)
    is built on first use: a warm run that takes the source from its cached summary never
    needs it, nor the evidence model of its kind.
    """

    def __init__(self, number: int, source: RecordSource, path: Path, shown: str) -> None:
        self.number = number
        self.source = source
        self.path = path
        self.shown = shown

    @cached_property
    def plan(self) -> Plan:
        """How the export's records become items (smscheck.yaml validated it already)."""
        try:
            return resolve(self.source)
        except ValueError as exc:
            raise ConfigError(f"smscheck.yaml: record_sources[{self.number}]: {exc}") from None


def open_sources(root: Path, sources: Sequence[RecordSource]) -> list[OpenedSource]:
    """Every source's file; a source whose file cannot be used is a configuration error."""
    opened = []
    for number, source in enumerate(sources):
        path = _source_file(root, source_path(source), f"record_sources[{number}]")
        opened.append(OpenedSource(number, source, path, display_path(path, root)))
    return opened


def read_source(opened: OpenedSource, index: EvidenceIndex) -> Iterator[Row]:
    """Every good row of one source; defects are added to ``index``."""
    where = f"record_sources[{opened.number}]"
    if opened.plan.format == "csv":
        from sms_check.exports.csvread import read_csv

        yield from read_csv(opened.path, opened.shown, opened.plan, where, index)
    else:
        from sms_check.exports.jsonread import read_json

        yield from read_json(opened.path, opened.shown, opened.plan, where, index)


def _source_file(root: Path, relative: str, where: str) -> Path:
    candidate = root / relative
    prefix = f"smscheck.yaml: {where}: '{relative}'"
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


__all__ = ["OpenedSource", "open_sources", "read_record_sources", "read_source"]
