"""Result types shared by the loader, the engine and the reporters (frozen dataclasses)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from sms_check.errors import ExitCode


class Severity(StrEnum):
    """Audit grading of a finding; ``error`` is reserved for defects in the evidence itself."""

    ERROR = "error"  # the evidence could not be read or does not fit the evidence model
    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"

    @property
    def rank(self) -> int:
        """Higher is more serious."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.OBSERVATION: 1,
    Severity.MINOR: 2,
    Severity.MAJOR: 3,
    Severity.ERROR: 4,
}


class Verdict(StrEnum):
    """Outcome of one requirement, in an auditor's words."""

    CONFORMS = "conforms"
    PARTIAL = "partial"
    NONCONFORMING = "nonconforming"
    NEEDS_REVIEW = "needs_review"  # manual requirement without a valid attestation
    ERROR = "error"  # the evidence it relies on could not be read

    @property
    def label(self) -> str:
        """Human label."""
        return self.value.replace("_", " ")


class Automation(StrEnum):
    """How far a requirement is decided by smscheck itself."""

    AUTOMATED = "automated"
    PARTLY_AUTOMATED = "partly_automated"
    MANUAL = "manual"


@dataclass(frozen=True, order=True)
class Location:
    """A place in the evidence repository: repository-relative path, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
    """One defect: a structural problem in the evidence or a gap against a requirement."""

    rule: str  # requirement id, or ``structure/<kind>`` for evidence defects
    message: str
    location: Location
    severity: Severity
    kind: str = "gap"  # what went wrong, stable across runs (used in fingerprints)
    item_id: str = ""  # the evidence item concerned, if any
    waived_by: str = ""  # id of the waiver that accepts this gap, if any
    expected_at: str = ""  # where missing evidence belongs (evidence kind and folder)

    @property
    def fingerprint(self) -> str:
        """Stable identity across runs: rule, evidence item (or file) and kind, never the line."""
        anchor = self.item_id or self.location.path
        if not self.item_id and self.kind.startswith("structure"):
            anchor = f"{self.location.path}:{self.message}"
        raw = f"{self.rule}|{anchor}|{self.kind}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Deterministic order: path, line, column, rule, message."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule, self.message)


@dataclass(frozen=True)
class RequirementInfo:
    """What a report needs to know about a requirement."""

    id: str
    clause: str
    clause_title: str
    title: str
    statement: str
    automation: Automation
    severity: Severity
    pack: str
    source: Location
    licensed_text: str = ""


@dataclass(frozen=True)
class RequirementResult:
    """The verdict on one requirement and the findings behind it."""

    requirement: RequirementInfo
    verdict: Verdict
    findings: tuple[Finding, ...] = ()
    note: str = ""  # e.g. who attested a manual requirement, or why it errored
    waived: bool = False  # every finding is covered by a valid waiver

    @property
    def open_findings(self) -> tuple[Finding, ...]:
        """Findings not covered by a valid waiver."""
        return tuple(f for f in self.findings if not f.waived_by)


@dataclass(frozen=True)
class ClauseSummary:
    """Roll-up of the requirements of one clause (leaf or top level)."""

    clause: str
    title: str
    counts: dict[str, int]
    score: float  # readiness 0..100, see docs/reports.md
    total: int


@dataclass(frozen=True)
class Report:
    """Everything a reporter needs; built once by the engine, never mutated."""

    organization: str
    as_of: str
    tool_version: str
    results: tuple[RequirementResult, ...]
    problems: tuple[Finding, ...]  # structural defects in the evidence
    clauses: tuple[ClauseSummary, ...]  # leaf clauses, in clause order
    top_clauses: tuple[ClauseSummary, ...]  # clauses 4 to 10
    score: float
    counts: dict[str, int] = field(default_factory=dict)
    packs: tuple[str, ...] = ()

    def all_findings(self) -> list[Finding]:
        """Structural problems, then requirement findings, each sorted."""
        gaps = [f for r in self.results for f in r.findings]
        return sorted(self.problems, key=Finding.sort_key) + sorted(gaps, key=Finding.sort_key)

    def failing(self, fail_on: Severity) -> list[Finding]:
        """Findings that make the run fail: unwaived, at or above ``fail_on``."""
        return [
            f for f in self.all_findings() if not f.waived_by and f.severity.rank >= fail_on.rank
        ]

    def exit_code(self, fail_on: Severity = Severity.MAJOR) -> ExitCode:
        """The process exit code for this report."""
        return ExitCode.FINDINGS if self.failing(fail_on) else ExitCode.OK
