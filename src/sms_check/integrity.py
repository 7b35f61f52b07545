"""Checks across items after loading: references resolve, attachments stay in the repository."""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from sms_check.evidence import EvidenceIndex, EvidenceItem
from sms_check.shards import Shard


def check_integrity(index: EvidenceIndex) -> None:
    """Dangling references and attachments that escape the repository become findings.

    A stubbed shard (sms_check.shards) is verified from the references and attachments its
    summary lists; only when one of them fails is the shard revived to locate the problem.
    """
    real_root = index.root.resolve()
    for shard in index.shards:
        if not shard.items:
            continue
        if shard.stubbed and _stub_is_sound(index, shard, real_root):
            continue
        shard.revive()
        _check_references(index, shard)
        _check_attachments(index, shard, real_root)


def _stub_is_sound(index: EvidenceIndex, shard: Shard, real_root: Path) -> bool:
    by_id = index.by_id
    for target, kinds in shard.refs:
        found = by_id.get(target)
        if found is None or found.kind not in kinds:
            return False
    return not any(_attachment_problem(index.root, real_root, name) for name in shard.attachments)


def _values_at(
    value: Any, path: tuple[str, ...], trail: tuple[str | int, ...]
) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    if not path:
        if isinstance(value, str):
            yield value, trail
        return
    step, rest = path[0], path[1:]
    if step == "*":
        if isinstance(value, list):
            for n, entry in enumerate(value):
                yield from _values_at(entry, rest, (*trail, n))
        return
    child = getattr(value, step, None)
    if child is not None:
        yield from _values_at(child, rest, (*trail, step))


def _check_references(index: EvidenceIndex, shard: Shard) -> None:
    kind = shard.kind
    seen: set[tuple[str, tuple[str, ...]]] = set()
    by_id = index.by_id
    items = shard.items
    models = [item.model for item in items]
    for path, kinds in index.plans[kind]["refs"]:
        steps = tuple(path)
        wanted_kinds = tuple(kinds)
        # NOTE: the targets of all items are gathered a step at a time in C (map/getattr);
        # only when one of them fails are the items walked one by one to locate it
        targets = _targets(models, steps)
        seen.update(zip(targets, repeat(wanted_kinds)))
        if all(_resolves(by_id, t, wanted_kinds) for t in targets):
            continue
        for item in items:
            for target, trail in _values_at(item.model, steps, ()):
                if _resolves(by_id, target, wanted_kinds):
                    continue
                found = by_id.get(target)
                wanted = " or ".join(kinds)
                if found is None:
                    message = f"refers to {wanted} '{target}', which does not exist"
                else:
                    message = f"refers to '{target}', which is a {found.kind}, not a {wanted}"
                field_name = ".".join(str(s) for s in trail if isinstance(s, str))
                index.add_problem(
                    "structure/dangling-reference",
                    f"{kind} '{item.id}': '{field_name}' {message}",
                    item.trail_location(trail),
                    item.id,
                )
    merged: dict[str, set[str]] = {}
    for target, kinds_wanted in seen:
        merged.setdefault(target, set()).update(kinds_wanted)
    shard.refs = [[target, sorted(kinds)] for target, kinds in sorted(merged.items())]


def _resolves(by_id: dict[str, EvidenceItem], target: str, kinds: tuple[str, ...]) -> bool:
    found = by_id.get(target)
    return found is not None and found.kind in kinds


def _targets(models: list[Any], steps: tuple[str, ...]) -> set[str]:
    """Every text at ``steps`` in any of ``models`` (what _values_at finds, without trails)."""
    values: list[Any] = models
    for step in steps:
        if step == "*":
            values = list(chain.from_iterable(v for v in values if isinstance(v, list)))
        else:
            values = [v for v in map(getattr, values, repeat(step), repeat(None)) if v is not None]
    return {v for v in values if isinstance(v, str)}


def _check_attachments(index: EvidenceIndex, shard: Shard, real_root: Path) -> None:
    names: set[str] = set()
    for item in shard.items:
        for n, name in enumerate(getattr(item.model, "attachments", ()) or ()):
            names.add(name)
            problem = _attachment_problem(index.root, real_root, name)
            if problem:
                index.add_problem(
                    "structure/attachment",
                    f"{item.kind} '{item.id}': attachment '{name}' {problem}",
                    item.trail_location(("attachments", n)),
                    item.id,
                )
    shard.attachments = sorted(names)


def _attachment_problem(root: Path, real_root: Path, name: str) -> str:
    """Check an attachment path without ever opening the file."""
    if os.path.isabs(name) or name.startswith("~"):
        return "must be a path relative to the repository root"
    candidate = root / name
    if (
        not os.path.normpath(candidate).startswith(os.path.normpath(root))
        or ".." in Path(name).parts
    ):
        return "points outside the evidence repository; smscheck does not follow it"
    if candidate.is_symlink() and not candidate.resolve().is_relative_to(real_root):
        return "is a link to a place outside the evidence repository; smscheck does not follow it"
    if not candidate.exists():
        return "does not exist in the repository"
    return ""
