"""The parse cache: warm runs give the same report, locations included; it can be bypassed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

from sms_check.pipeline import assess

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _comparable(report):  # type: ignore[no-untyped-def]
    return dataclasses.replace(report, tool_version="x")


def test_warm_run_equals_cold_run(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "northwind", repo)
    as_of = dt.date(2026, 11, 15)
    cache = tmp_path / "cache"
    cold = assess(repo, as_of, cache_dir=cache).report
    assert any(cache.rglob("*.json")), "clean files are cached"
    warm = assess(repo, as_of, cache_dir=cache).report
    uncached = assess(repo, as_of, use_cache=False).report
    assert _comparable(warm) == _comparable(cold) == _comparable(uncached)


def test_cached_file_still_locates_fields(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "evidence").mkdir(parents=True)
    (repo / "evidence" / "people.yaml").write_text(
        "kind: person\nitems:\n  - id: P-1\n    name: Ana\n  - id: P-2\n    name: Ion\n"
    )
    (repo / "evidence" / "more.yaml").write_text("kind: person\nitems:\n  - {id: P-3, name: X}\n")
    cache = tmp_path / "cache"
    assess(repo, dt.date(2026, 1, 1), cache_dir=cache, structure_only=True)
    # a new file clashes with an id of the cached file: its location comes from a lazy re-parse
    (repo / "evidence" / "more.yaml").write_text("kind: person\nitems:\n  - {id: P-2, name: X}\n")
    report = assess(repo, dt.date(2026, 1, 1), cache_dir=cache, structure_only=True).report
    (problem,) = report.problems
    assert str(problem.location) == "evidence/people.yaml:5:5"
    assert problem.kind == "structure/duplicate-id"


def test_files_with_problems_are_not_cached(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "evidence").mkdir(parents=True)
    (repo / "evidence" / "bad.yaml").write_text("kind: person\nitems:\n  - {id: P-1}\n")
    cache = tmp_path / "cache"
    first = assess(repo, dt.date(2026, 1, 1), cache_dir=cache, structure_only=True).report
    kinds = {json.loads(p.read_text())["kind"] for p in cache.rglob("*.json")}
    assert "person" not in kinds  # only the (clean) bundled catalog files were cached
    second = assess(repo, dt.date(2026, 1, 1), cache_dir=cache, structure_only=True).report
    assert first.problems == second.problems


def test_corrupt_cache_entries_are_ignored(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "northwind", repo)
    cache = tmp_path / "cache"
    as_of = dt.date(2026, 11, 15)
    cold = assess(repo, as_of, cache_dir=cache).report
    for entry in cache.rglob("*.json"):
        entry.write_text("{not json")
    again = assess(repo, as_of, cache_dir=cache).report
    assert _comparable(again) == _comparable(cold)


def test_requirement_packs_are_revived_from_the_cache(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sms_check import requirements

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "northwind", repo)
    cache = tmp_path / "cache"
    as_of = dt.date(2026, 11, 15)
    cold = assess(repo, as_of, cache_dir=cache).report
    kinds = [json.loads(p.read_text()).get("kind") for p in cache.rglob("*.json")]
    assert kinds.count("pack") == 1

    def no_parsing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a cached pack must not be parsed again")

    monkeypatch.setattr(requirements, "_read", no_parsing)
    warm = assess(repo, as_of, cache_dir=cache).report
    assert _comparable(warm) == _comparable(cold)


def test_revived_checks_keep_their_identity_and_defaults(tmp_path: Path) -> None:
    """Cached partial outcomes are keyed by a check's canonical form: a pack revived from the
    cache must give every check the same form, field values and set fields as validation."""
    from sms_check.cache import EvidenceCache
    from sms_check.requirements import load_catalog

    cache = EvidenceCache(tmp_path / "cache")
    validated = load_catalog([], cache=cache)
    revived = load_catalog([], cache=cache)
    assert revived.content_key is not None and revived.content_key == validated.content_key

    def walk(check):  # type: ignore[no-untyped-def]
        yield check
        for inner in getattr(check, "checks", None) or []:
            yield from walk(inner)
        if getattr(check, "check", None) is not None:
            yield from walk(check.check)

    pairs = 0
    for old, new in zip(validated.sorted(), revived.sorted(), strict=True):
        assert new.requirement.model_fields_set == old.requirement.model_fields_set
        for a, b in zip(old.requirement.checks, new.requirement.checks, strict=True):
            for x, y in zip(walk(a), walk(b), strict=True):
                assert type(x) is type(y)
                assert y.canonical == x.canonical
                assert y.model_fields_set == x.model_fields_set
                for name, info in type(x).model_fields.items():  # defaults as model_construct
                    if name not in ("checks", "check", "condition", "require"):
                        assert getattr(y, name) == getattr(x, name), name
                    if isinstance(info.default, list):  # never the class's own list
                        assert getattr(y, name) is not info.default, name
                pairs += 1
    assert pairs > 200


def test_an_unchanged_export_and_configuration_are_not_read_again(
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    """A warm run takes an unchanged record export from its summary (not even its ready
    mapping or evidence model is needed) and trusts a configuration that passed before."""
    from sms_check.exports import reader, sources

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "northwind", repo)
    cache = tmp_path / "cache"
    as_of = dt.date(2026, 11, 15)
    cold = assess(repo, as_of, cache_dir=cache).report

    def not_again(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("read again")

    monkeypatch.setattr(reader, "read_source", not_again)
    monkeypatch.setattr(reader, "resolve", not_again)
    monkeypatch.setattr(sources, "resolve", not_again)
    warm = assess(repo, as_of, cache_dir=cache).report
    assert _comparable(warm) == _comparable(cold)


def test_a_changed_configuration_is_checked_again(tmp_path: Path) -> None:
    import pytest

    from sms_check.cache import EvidenceCache
    from sms_check.config import load_settings
    from sms_check.errors import ConfigError

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "northwind", repo)
    cache = EvidenceCache(tmp_path / "cache")
    load_settings(repo, cache)
    config = repo / "smscheck.yaml"
    config.write_text(
        config.read_text().replace(
            "mapping: servicenow-incident", "mapping: servicenow-incident\n    kind: change"
        )
    )
    for _ in range(2):  # a configuration that failed is never remembered
        with pytest.raises(ConfigError, match="is for incident records, not change"):
            load_settings(repo, cache)
