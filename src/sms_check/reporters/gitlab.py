"""GitLab Code Quality report (a JSON list of issues); waived findings are left out."""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar

from sms_check.reporters.text import clean, one_line
from sms_check.results import Finding, Report, Severity

SEVERITIES: dict[Severity, str] = {
    Severity.ERROR: "blocker",
    Severity.MAJOR: "major",
    Severity.MINOR: "minor",
    Severity.OBSERVATION: "info",
}


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    description = one_line(finding.message) or finding.rule
    if finding.expected_at:
        description += f" (expected at {one_line(finding.expected_at)})"
    return {
        "description": f"[{one_line(finding.rule)}] {description}",
        "check_name": clean(finding.rule, keep_newlines=False),
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {
            "path": finding.location.path.replace("\\", "/").removeprefix("./") or ".",
            "lines": {"begin": max(finding.location.line, 1)},
        },
    }


class GitlabReporter:
    """Code Quality issues for GitLab merge-request widgets.

    GitLab keeps one issue per fingerprint, so a fingerprint repeated within one report
    gets a stable suffix (its occurrence number in the sorted findings).
    """

    name: ClassVar[str] = "gitlab"
    suffix: ClassVar[str] = ".json"

    def render(self, report: Report) -> str:
        issues = []
        seen: dict[str, int] = {}
        for finding in report.all_findings():
            if finding.waived_by:
                continue
            fingerprint = finding.fingerprint
            occurrence = seen.get(fingerprint, 0)
            seen[fingerprint] = occurrence + 1
            if occurrence:
                raw = f"{fingerprint}|{occurrence}".encode()
                fingerprint = hashlib.sha256(raw).hexdigest()[:32]
            issues.append(_issue(finding, fingerprint))
        return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
