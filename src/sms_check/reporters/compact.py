"""Compact output for ``validate``: one ``path:line:col: severity: message`` line per finding."""

from __future__ import annotations

from typing import ClassVar

from sms_check.reporters.text import one_line
from sms_check.results import Report, Severity


class CompactReporter:
    """The pre-commit and CI view: findings first, then a one-line summary."""

    name: ClassVar[str] = "compact"
    suffix: ClassVar[str] = ".txt"

    def __init__(self, fail_on: Severity = Severity.MAJOR) -> None:
        self.fail_on = fail_on

    def render(self, report: Report) -> str:
        lines = []
        for f in report.all_findings():
            waived = f" (waived by {one_line(f.waived_by)})" if f.waived_by else ""
            lines.append(
                f"{one_line(str(f.location))}: {f.severity.value}: "
                f"[{one_line(f.rule)}] {one_line(f.message)}{waived}"
            )
        if not report.results:
            lines.append(
                f"smscheck: {len(report.problems)} structural finding(s); "
                "structure only, no requirement judged"
            )
            return "\n".join(lines) + "\n"
        failing = len(report.failing(self.fail_on))
        counts = report.counts
        summary = (
            f"smscheck: {len(report.problems)} structural finding(s), "
            f"{sum(len(r.findings) for r in report.results)} gap finding(s) "
            f"({failing} at or above {self.fail_on.value}, unwaived); "
            f"{len(report.results)} requirements: "
            + ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in counts.items() if n)
            + f"; readiness {report.score:.1f}%"
        )
        lines.append(summary)
        return "\n".join(lines) + "\n"
