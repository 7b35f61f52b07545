"""From a repository root to a Report: settings, packs, evidence, evaluation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sms_check import __version__
from sms_check.config import Settings, load_settings
from sms_check.errors import ConfigError, UsageError
from sms_check.results import Report

if TYPE_CHECKING:
    from sms_check.cache import EvidenceCache
    from sms_check.requirements import LoadedRequirement


@dataclass(frozen=True)
class Assessment:
    """The report and the settings that produced it."""

    report: Report
    settings: Settings


def check_root(root: Path) -> Path:
    """The evidence repository root must be an existing folder."""
    if not root.exists():
        raise UsageError(f"{root}: no such folder (give the root of an evidence repository)")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder (give the root of an evidence repository)")
    return root


def _projection(
    requirements: list[LoadedRequirement], catalog_key: str | None, cache: EvidenceCache | None
) -> dict[str, list[str]]:
    """The catalog's stub projection, cached with it: computing it reads every evidence model."""
    from sms_check.engine import projection_of

    key = None
    if cache is not None and catalog_key:
        key = cache.key(f"projection|{catalog_key}".encode())
        entry = cache.get(key)
        if entry is not None and isinstance(entry.get("fields"), dict):
            return {kind: list(names) for kind, names in entry["fields"].items()}
    projection = projection_of(requirements)
    if cache is not None and key is not None:
        cache.put(key, {"kind": "projection", "fields": projection})
    return projection


def assess(
    root: Path,
    as_of: dt.date,
    *,
    structure_only: bool = False,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> Assessment:
    """Load everything under ``root`` and evaluate it as of ``as_of``."""
    from sms_check.cache import EvidenceCache, default_dir
    from sms_check.engine import Options, evaluate
    from sms_check.evidence import load_evidence
    from sms_check.requirements import load_licensed_text, load_requirements

    check_root(root)
    cache = EvidenceCache(cache_dir or default_dir()) if use_cache else None
    settings, config_path = load_settings(root, cache)
    catalog = load_requirements(
        [root / p for p in settings.requirement_packs],
        include_bundled=settings.include_bundled_catalog,
        root=root,
        cache=cache,
    )
    by_id = catalog.by_id()
    for rid in settings.severity_overrides:
        if rid not in by_id:
            raise ConfigError(
                f"{config_path}: severity_overrides names unknown requirement '{rid}'"
            )
    licensed: dict[str, str] = {}
    if settings.licensed_text:
        licensed = load_licensed_text(Path(settings.licensed_text).expanduser())
    from sms_check.shards import run_key

    requirements = catalog.sorted()
    projection = _projection(requirements, catalog.content_key, cache)
    evidence = load_evidence(
        root,
        settings.evidence,
        settings.max_file_bytes,
        record_sources=settings.record_sources,
        cache=cache,
        run=run_key(projection),
        projection=projection,
    )
    options = Options(
        organization=settings.organization,
        tool_version=__version__,
        severity_overrides={
            by_id[k].requirement.id: v for k, v in settings.severity_overrides.items()
        },
        not_applicable=[(n.requirement, n.reason) for n in settings.not_applicable],
        licensed_text=licensed,
        config_path=config_path or "smscheck.yaml",
        packs=tuple(p.id for p in catalog.packs),
        structure_only=structure_only,
    )
    report = evaluate(requirements, evidence, as_of, options)
    if cache is not None:
        evidence.save_summaries(cache)
    return Assessment(report, settings)
