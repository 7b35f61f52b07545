"""GitHub Actions workflow commands: one annotation per unwaived finding."""

from __future__ import annotations

from typing import ClassVar

from sms_check.reporters.text import (
    VERDICT_ORDER,
    github_data,
    github_property,
    score_text,
    verdict_counts,
)
from sms_check.results import Finding, Report, Severity

COMMANDS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.MAJOR: "error",
    Severity.MINOR: "warning",
    Severity.OBSERVATION: "notice",
}


def annotation(finding: Finding) -> str:
    """``::error file=...,line=...,col=...,title=RULE::message`` with GitHub's escaping."""
    properties = []
    location = finding.location
    if location.path:
        properties.append(f"file={github_property(location.path)}")
        if location.line > 0:
            properties.append(f"line={location.line}")
            if location.column > 0:
                properties.append(f"col={location.column}")
    properties.append(f"title={github_property(finding.rule)}")
    message = finding.message
    if finding.expected_at:
        message += f" (expected at {finding.expected_at})"
    command = COMMANDS[finding.severity]
    return (
        f"::{command} {','.join(properties)}::{github_data(message) or github_data(finding.rule)}"
    )


class GithubReporter:
    """Annotations for a GitHub Actions log, then one plain summary line."""

    name: ClassVar[str] = "github"
    suffix: ClassVar[str] = ".txt"

    def render(self, report: Report) -> str:
        findings = [f for f in report.all_findings() if not f.waived_by]
        lines = [annotation(f) for f in findings]
        counts = verdict_counts(report)
        verdicts = ", ".join(f"{counts[v.value]} {v.label}" for v in VERDICT_ORDER)
        waived = sum(1 for f in report.all_findings() if f.waived_by)
        lines.append(
            f"smscheck: {sum(counts.values())} requirements ({verdicts}); "
            f"{len(findings)} open findings, {waived} waived; "
            f"readiness {score_text(report.score)}%"
        )
        return "\n".join(lines) + "\n"
