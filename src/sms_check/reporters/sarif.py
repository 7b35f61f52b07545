"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from sms_check.reporters.text import clean, one_line, path_href, score_value
from sms_check.results import Finding, Report, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/smscheck/"
FINGERPRINT_KEY = "smscheck/v1"

LEVELS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.MAJOR: "error",
    Severity.MINOR: "warning",
    Severity.OBSERVATION: "note",
}


def _pascal(text: str) -> str:
    """``"Scope of the SMS"`` -> ``"ScopeOfTheSms"`` (SARIF rule names are identifiers)."""
    return "".join(
        word[:1].upper() + word[1:].lower() for word in re.findall(r"[A-Za-z0-9]+", text)
    )


def _requirement_rules(report: Report) -> list[dict[str, Any]]:
    rules = []
    for result in report.results:
        req = result.requirement
        rules.append(
            {
                "id": req.id,
                "name": _pascal(req.title) or req.id,
                "shortDescription": {"text": one_line(req.title) or req.id},
                "fullDescription": {"text": clean(req.statement) or one_line(req.title) or req.id},
                "defaultConfiguration": {"level": LEVELS[req.severity]},
                "properties": {
                    "clause": req.clause,
                    "clause_title": req.clause_title,
                    "automation": req.automation.value,
                    "severity": req.severity.value,
                    "tags": ["iso20000", f"clause-{req.clause}"],
                },
            }
        )
    return rules


def _other_rules(findings: list[Finding], known: set[str]) -> list[dict[str, Any]]:
    """One rule per structural kind (``structure/...``) or other rule id seen in findings."""
    worst: dict[str, Severity] = {}
    for finding in findings:
        if finding.rule in known:
            continue
        current = worst.get(finding.rule)
        if current is None or finding.severity.rank > current.rank:
            worst[finding.rule] = finding.severity
    rules = []
    for rule_id in sorted(worst):
        kind = rule_id.removeprefix("structure/")
        rules.append(
            {
                "id": rule_id,
                "name": _pascal(rule_id) or "Structure",
                "shortDescription": {"text": f"Evidence defect: {one_line(kind)}"},
                "fullDescription": {
                    "text": "The evidence repository has a structural defect "
                    f"({one_line(kind)}): a file could not be read or does not fit the "
                    "evidence model."
                },
                "defaultConfiguration": {"level": LEVELS[worst[rule_id]]},
                "properties": {"kind": "structure", "severity": worst[rule_id].value},
            }
        )
    return rules


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    message = clean(finding.message).strip("\n") or finding.rule
    if finding.expected_at:
        message += f" (expected at {one_line(finding.expected_at)})"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": message},
    }
    location = finding.location
    if location.path:
        region: dict[str, int] = {"startLine": max(location.line, 1)}
        if location.column > 0:
            region["startColumn"] = location.column
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": path_href(location.path.removeprefix("./")),
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": region,
                }
            }
        ]
    result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    properties: dict[str, Any] = {"severity": finding.severity.value, "kind": finding.kind}
    if finding.item_id:
        properties["item_id"] = finding.item_id
    result["properties"] = properties
    if finding.waived_by:
        result["suppressions"] = [
            {"kind": "external", "justification": f"waived by {one_line(finding.waived_by)}"}
        ]
    return result


class SarifReporter:
    """SARIF 2.1.0: one run, one rule per requirement and structural kind, one result per finding.

    Waived findings are kept, with an external suppression.
    """

    name: ClassVar[str] = "sarif"
    suffix: ClassVar[str] = ".sarif"

    def render(self, report: Report) -> str:
        findings = report.all_findings()
        rules = _requirement_rules(report)
        rules += _other_rules(findings, {rule["id"] for rule in rules})
        index = {rule["id"]: i for i, rule in enumerate(rules)}
        document = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "smscheck",
                            "version": report.tool_version,
                            "informationUri": INFORMATION_URI,
                            "rules": rules,
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": [_result(f, index[f.rule]) for f in findings],
                    "properties": {
                        "organization": report.organization,
                        "as_of": report.as_of,
                        "score": score_value(report.score),
                    },
                }
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
