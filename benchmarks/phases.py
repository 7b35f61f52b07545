"""Where one cold ``validate --structure-only`` spends its time, phase by phase (in-process).

    python benchmarks/phases.py benchmarks/out/csv-base benchmarks/out/csv-csv \
        benchmarks/out/csv-yaml

For each repository, with an empty cache folder: reading the records (YAML parsing, or reading
and converting record exports), validating and indexing the items, the reference checks, and
writing the shard summaries. It wraps smscheck's own functions, so it shows the split of one
run, not whole-process times (run.py measures those); it is how docs/performance.md's CSV
target was analysed (the phases after reading are the same work for both formats).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 11, 15)


def timed(spent: dict[str, float], label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

    return wrapper


def measure(root: Path) -> dict[str, float]:
    """Seconds per phase of one cold structure-only run on ``root`` (fresh interpreter state
    is not needed: every phase is timed separately)."""
    from sms_check import evidence, integrity, pipeline, yamlio
    from sms_check.exports import reader

    spent: dict[str, float] = {}
    originals = {
        (yamlio, "load"): yamlio.load,
        (evidence, "_add_item"): evidence._add_item,
        (integrity, "check_integrity"): integrity.check_integrity,
        (reader, "read_source"): reader.read_source,
    }
    save = evidence.EvidenceIndex.save_summaries
    yamlio.load = timed(spent, "YAML parsing", yamlio.load)
    evidence._add_item = timed(spent, "validating and indexing", evidence._add_item)
    integrity.check_integrity = timed(spent, "reference checks", integrity.check_integrity)
    evidence.EvidenceIndex.save_summaries = timed(  # type: ignore[method-assign]
        spent, "shard summaries", save
    )
    read_source = reader.read_source

    def reading(opened: Any, index: Any) -> Iterator[Any]:
        rows = read_source(opened, index)
        while True:  # time the reader only, not what the loader does with each row
            start = time.perf_counter()
            try:
                row = next(rows)
            except StopIteration:
                return
            finally:
                spent["export reading and conversion"] = (
                    spent.get("export reading and conversion", 0.0) + time.perf_counter() - start
                )
            yield row

    reader.read_source = reading
    try:
        with tempfile.TemporaryDirectory() as cache:
            start = time.perf_counter()
            pipeline.assess(root, AS_OF, structure_only=True, cache_dir=Path(cache))
            spent["whole run (in-process)"] = time.perf_counter() - start
    finally:
        for (module, name), func in originals.items():
            setattr(module, name, func)
        evidence.EvidenceIndex.save_summaries = save  # type: ignore[method-assign]
    return spent


def main() -> None:
    os.environ.pop("SMSCHECK_CACHE_DIR", None)
    for arg in sys.argv[1:]:
        spent = measure(Path(arg))
        print(Path(arg).name)
        for label, seconds in spent.items():
            print(f"  {label:32s} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
