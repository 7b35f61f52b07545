"""Shard summaries (sms_check.shards): a run that reuses them reports exactly what a run
without any cache reports, whatever changed in between.

Every shard is stubbed and none has a parse-cache entry (``PARSE_CACHE_MAX`` 1), so the
stand-in items, their fallbacks (a revival parses the file again) and the
cached partial outcomes are all exercised on the bundled examples.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from sms_check import evidence, shards
from sms_check.pipeline import assess
from sms_check.results import Report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = dt.date(2026, 11, 15)


@pytest.fixture(autouse=True)
def stub_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shards, "PARSE_CACHE_MAX", 1)


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many shards were stubbed and how many of them revived."""
    seen = {"stubbed": 0, "revived": 0}
    add_stub, revive = evidence._add_stub, shards.Shard.revive

    def counting_add_stub(*args: Any, **kwargs: Any) -> None:
        seen["stubbed"] += 1
        add_stub(*args, **kwargs)

    def counting_revive(self: shards.Shard) -> None:
        seen["revived"] += self.stubbed
        revive(self)

    monkeypatch.setattr(evidence, "_add_stub", counting_add_stub)
    monkeypatch.setattr(shards.Shard, "revive", counting_revive)
    return seen


def _copy(tmp_path: Path, name: str = "northwind") -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / name, repo)
    return repo


def _plain(report: Report) -> Report:
    return dataclasses.replace(report, tool_version="x")


def _assert_same_as_uncached(repo: Path, cache: Path, as_of: dt.date = AS_OF) -> Report:
    warm = assess(repo, as_of, cache_dir=cache).report
    uncached = assess(repo, as_of, use_cache=False).report
    assert _plain(warm) == _plain(uncached)
    return warm


@pytest.mark.parametrize("example", ["northwind", "fledgling"])
def test_summarised_runs_equal_uncached_runs(
    tmp_path: Path, example: str, counts: dict[str, int]
) -> None:
    repo = _copy(tmp_path, example)
    cache = tmp_path / "cache"
    assess(repo, AS_OF, cache_dir=cache)
    assert counts["stubbed"] == 0
    _assert_same_as_uncached(repo, cache)
    files = len(list((repo / "evidence").rglob("*.yaml")))
    assert counts["stubbed"] >= files  # every file (and record source) came back as a stub
    assert counts["revived"] < counts["stubbed"] / 2  # and most were never decoded
    _assert_same_as_uncached(repo, cache)  # a third run reads what the second wrote


def test_a_changed_file_is_judged_again(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    cache = tmp_path / "cache"
    before = assess(repo, AS_OF, cache_dir=cache).report
    changes = repo / "evidence" / "supply" / "changes.yaml"
    text = changes.read_text(encoding="utf-8")
    changes.write_text(text.replace("    impact_assessment: >-\n", "    x_note: >-\n", 1))
    after = _assert_same_as_uncached(repo, cache)
    assert after.counts != before.counts or after.problems != before.problems


def test_partials_follow_the_assessment_date(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    cache = tmp_path / "cache"
    assess(repo, AS_OF, cache_dir=cache)
    later = _assert_same_as_uncached(repo, cache, dt.date(2027, 6, 1))
    assert later.as_of == "2027-06-01"
    _assert_same_as_uncached(repo, cache)  # and back


def test_partials_follow_severity_overrides(tmp_path: Path) -> None:
    repo = _copy(tmp_path, "fledgling")
    cache = tmp_path / "cache"
    first = assess(repo, AS_OF, cache_dir=cache).report
    gap = next(
        f
        for r in first.results
        for f in r.findings
        if f.kind.startswith(("condition:", "empty:")) and f.severity.value != "minor"
    )
    config = repo / "smscheck.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"\nseverity_overrides:\n  '{gap.rule}': minor\n"
    )
    report = _assert_same_as_uncached(repo, cache)
    (result,) = [r for r in report.results if r.requirement.id == gap.rule]
    assert all(f.severity.value == "minor" for f in result.findings)


def test_a_duplicate_id_in_another_file_revives_the_stub(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    cache = tmp_path / "cache"
    assess(repo, AS_OF, cache_dir=cache)
    # a file sorted before changes.yaml now holds the same id as the first change
    (repo / "evidence" / "supply" / "a-first.yaml").write_text(
        "kind: person\nitems:\n  - {id: CHG-2025-118, name: Clash}\n", encoding="utf-8"
    )
    report = _assert_same_as_uncached(repo, cache)
    (clash,) = [p for p in report.problems if p.kind == "structure/duplicate-id"]
    assert str(clash.location) == "evidence/supply/changes.yaml:6:5"


def test_a_reference_left_dangling_is_located_in_the_stub(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    cache = tmp_path / "cache"
    assess(repo, AS_OF, cache_dir=cache)
    services = repo / "evidence" / "core" / "services.yaml"
    services.write_text(
        services.read_text(encoding="utf-8").replace("id: SVC-HOSTING", "id: SVC-HOSTING-2"),
        encoding="utf-8",
    )
    report = _assert_same_as_uncached(repo, cache)
    dangling = [p for p in report.problems if p.kind == "structure/dangling-reference"]
    assert any(
        p.location.path == "evidence/supply/changes.yaml" and "SVC-HOSTING" in p.message
        for p in dangling
    )


def test_a_deleted_attachment_is_found_though_no_evidence_changed(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    (repo / "docs").mkdir()
    (repo / "docs" / "cv.pdf").write_bytes(b"%PDF")
    (repo / "evidence" / "core" / "more-people.yaml").write_text(
        "kind: person\nitems:\n  - id: P-NEW\n    name: Ana\n    attachments: [docs/cv.pdf]\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    first = assess(repo, AS_OF, cache_dir=cache).report
    assert not [p for p in first.problems if p.kind == "structure/attachment"]
    (repo / "docs" / "cv.pdf").unlink()
    report = _assert_same_as_uncached(repo, cache)
    (missing,) = [p for p in report.problems if p.kind == "structure/attachment"]
    assert str(missing.location) == "evidence/core/more-people.yaml:5:19"


def test_a_file_changed_while_reading_it_is_one_clear_error(tmp_path: Path) -> None:
    from sms_check.errors import UsageError  # the CLI prints it as one line and exits 2

    repo = _copy(tmp_path)
    cache = tmp_path / "cache"
    assess(repo, AS_OF, cache_dir=cache)
    index = evidence.load_evidence(
        repo, ("evidence/**/*.yaml",), cache=_cache(cache), run=_run_key(repo)
    )
    changes = repo / "evidence" / "supply" / "changes.yaml"
    changes.write_text(
        changes.read_text(encoding="utf-8").replace("id: CHG-2025-118", "id: CHG-2025-999"),
        encoding="utf-8",
    )
    (item,) = [i for i in index.of_kind("change") if i.id == "CHG-2025-118"]
    with pytest.raises(UsageError) as caught:
        item.field_location("title")  # a position: the stub must read the changed file
    assert str(caught.value) == (
        "evidence/supply/changes.yaml: changed while smscheck was reading it; run again"
    )


def _cache(folder: Path) -> Any:
    from sms_check.cache import EvidenceCache

    return EvidenceCache(folder)


def _run_key(repo: Path) -> str:
    from sms_check.config import load_settings
    from sms_check.engine import projection_of
    from sms_check.requirements import load_requirements

    settings, _ = load_settings(repo)
    catalog = load_requirements([], include_bundled=settings.include_bundled_catalog, root=repo)
    return shards.run_key(projection_of(catalog.sorted()))
