"""CSV exports: the header, then one record per row, read as the file is read."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from sms_check.evidence import EvidenceIndex
from sms_check.exports.rows import (
    RawRecord,
    Row,
    convert_records,
    encoding_message,
    prepare,
    undecoded,
)
from sms_check.exports.sources import Plan
from sms_check.results import Location

FIELD_SIZE_LIMIT = 16 * 1024 * 1024  # characters in one CSV cell (Python's default is 128 KiB)


def read_csv(path: Path, shown: str, plan: Plan, where: str, index: EvidenceIndex) -> Iterator[Row]:
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(min(FIELD_SIZE_LIMIT, sys.maxsize))
    try:
        # undecodable bytes become lone surrogates, found and reported row by row
        handle = path.open(encoding=plan.encoding, errors="surrogateescape", newline="")
    except OSError as exc:
        index.add_problem(
            "structure/unreadable", f"cannot be read: {exc.strerror}", Location(shown, 1, 1)
        )
        return
    with handle:
        reader = csv.reader(handle, delimiter=plan.delimiter)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            unreadable(index, shown, 1, "the header line", exc)
            return
        if header is None:
            index.add_problem(
                "structure/empty-file",
                "the export is empty; it needs a header line with the column names",
                Location(shown, 1, 1),
            )
            return
        header_line = reader.line_num
        names = [h.strip() for h in header]
        bad = undecoded(names)
        if bad >= 0:
            message = encoding_message(f"the header: column {bad + 1}", names[bad], plan, where)
            index.add_problem(
                "structure/export-encoding",
                message + "; no row of this file was read",
                Location(shown, header_line, bad + 1),
            )
            return
        positions: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            positions.setdefault(name.casefold(), []).append(i)
        prepared = prepare(plan, positions, positions, index, where, shown, header_line, True)
        if prepared is None:
            return
        specs, filters = prepared

        def records() -> Iterator[RawRecord]:
            row_number = 1
            previous = reader.line_num
            try:
                for row in reader:
                    row_number += 1
                    start = previous + 1
                    previous = reader.line_num
                    if not row:
                        continue
                    bad = undecoded(row)
                    if bad >= 0:
                        column = names[bad] if bad < len(names) else f"#{bad + 1}"
                        index.add_problem(
                            "structure/export-encoding",
                            encoding_message(
                                f"row {row_number}: column '{column}'", row[bad], plan, where
                            ),
                            Location(shown, start, bad + 1),
                        )
                        continue
                    yield row, start, 0, f"row {row_number}", None
            except csv.Error as exc:
                unreadable(index, shown, previous + 1, f"row {row_number + 1}", exc)

        yield from convert_records(records(), specs, filters, names, plan, shown, index, "column")


def unreadable(index: EvidenceIndex, shown: str, line: int, what: str, exc: csv.Error) -> None:
    """A CSV that cannot be parsed from ``line`` on (e.g. a cell over the size limit)."""
    index.add_problem(
        "structure/export-csv",
        f"{what}: the CSV cannot be read from here on ({exc}); the rest of the file is skipped",
        Location(shown, line, 0),
    )
