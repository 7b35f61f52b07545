"""Compare an assessment with the evidence as it was at a git revision (read through git only)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sms_check.errors import ExitCode, UsageError
from sms_check.results import Finding, Report, Severity


@dataclass(frozen=True)
class Comparison:
    """Findings that are new (or graded worse) and findings that were fixed since the base."""

    base: str
    head: str
    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: int
    base_score: float
    head_score: float

    def failing(self, fail_on: Severity) -> list[Finding]:
        """New findings that make the run fail."""
        return [f for f in self.new if not f.waived_by and f.severity.rank >= fail_on.rank]

    def exit_code(self, fail_on: Severity) -> ExitCode:
        """1 when something new fails, else 0: old gaps do not block."""
        return ExitCode.FINDINGS if self.failing(fail_on) else ExitCode.OK

    def render_text(self) -> str:
        """The compact view used by ``validate --baseline``."""
        from sms_check.reporters.diff import render_diff

        return render_diff(self, "terminal")


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise UsageError("git is not installed; --baseline and diff need it") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {' '.join(args[:2])}: {detail[-1] if detail else 'failed'}")
    return done.stdout


def materialize(root: Path, revision: str, target: Path) -> Path:
    """Extract the evidence repository as it was at ``revision`` into ``target``.

    Uses ``git archive``: the user's work tree and index are never touched.
    """
    _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    tree = f"{revision}:{prefix}" if prefix else revision
    data = _git(root, "archive", "--format=tar", tree)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(target, filter="data")
    return target


def assess_revision(root: Path, revision: str, as_of: dt.date) -> Report:
    """Assess the evidence at a revision, with the same assessment date."""
    from sms_check.pipeline import assess

    with tempfile.TemporaryDirectory(prefix="smscheck-base-") as tmp:
        return assess(materialize(root, revision, Path(tmp)), as_of).report


def compare(base: Report, head: Report, base_name: str, head_name: str) -> Comparison:
    """Match findings by fingerprint (requirement, item, kind), never by line number."""
    before = Counter(f.fingerprint for f in base.all_findings() if not f.waived_by)
    worst: dict[str, int] = {}
    for f in base.all_findings():
        worst[f.fingerprint] = max(worst.get(f.fingerprint, 0), f.severity.rank)
    seen: Counter[str] = Counter()
    new: list[Finding] = []
    for f in head.all_findings():
        if f.waived_by:
            continue
        seen[f.fingerprint] += 1
        if seen[f.fingerprint] > before.get(f.fingerprint, 0) or f.severity.rank > worst.get(
            f.fingerprint, 0
        ):
            new.append(f)
    after = Counter(f.fingerprint for f in head.all_findings() if not f.waived_by)
    gone: Counter[str] = Counter()
    fixed: list[Finding] = []
    for f in base.all_findings():
        if f.waived_by:
            continue
        gone[f.fingerprint] += 1
        if gone[f.fingerprint] > after.get(f.fingerprint, 0):
            fixed.append(f)
    unchanged = sum(after.values()) - len(new)
    return Comparison(
        base_name,
        head_name,
        tuple(sorted(new, key=Finding.sort_key)),
        tuple(sorted(fixed, key=Finding.sort_key)),
        unchanged,
        base.score,
        head.score,
    )


def compare_with_baseline(root: Path, revision: str, as_of: dt.date, head: Report) -> Comparison:
    """``validate --baseline REV``: the current work tree against a revision."""
    return compare(assess_revision(root, revision, as_of), head, revision, "working tree")
