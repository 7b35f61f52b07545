"""The floor for ``smscheck validate``: parse the same files with nothing else.

Loads every evidence file of a repository (the ``evidence`` globs of its ``smscheck.yaml``) with
``yaml.CSafeLoader`` and keeps every document alive, with the garbage collector disabled (as in
the performance baseline); CSV record sources are read with the standard ``csv`` module and their
rows kept too. Prints how many files, documents and rows it loaded::

    python benchmarks/bare_parse.py REPO [--no-csv]
"""

from __future__ import annotations

import csv
import gc
import sys
from pathlib import Path
from typing import Any

import yaml


def evidence_files(root: Path, patterns: list[str]) -> list[Path]:
    """The files the globs name, each once, sorted."""
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(found)


def main(argv: list[str]) -> int:
    """Parse ``argv[0]``; keep everything; report counts."""
    gc.disable()
    root = Path(argv[0])
    with_csv = "--no-csv" not in argv
    config: dict[str, Any] = yaml.load((root / "smscheck.yaml").read_bytes(), yaml.CSafeLoader)
    config = config or {}
    patterns = config.get("evidence") or ["evidence/**/*.yaml", "evidence/**/*.yml"]
    kept: list[Any] = []
    files = evidence_files(root, patterns)
    for path in files:
        with path.open("rb") as fh:
            kept.append(yaml.load(fh, Loader=yaml.CSafeLoader))
    rows = 0
    if with_csv:
        for source in config.get("record_sources") or []:
            path = root / source["path"]
            if path.suffix.lower() == ".csv":
                with path.open(encoding="utf-8-sig", newline="") as fh:
                    table = list(csv.DictReader(fh))
                rows += len(table)
                kept.append(table)
    print(f"{len(files)} files, {len(kept)} documents, {rows} CSV rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
