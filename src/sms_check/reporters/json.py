"""Versioned JSON document; its shape is described by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from sms_check.reporters.text import clause_counts, score_value, verdict_counts
from sms_check.results import ClauseSummary, Finding, Report, RequirementResult

SCHEMA_VERSION = 1  # public contract: bump on any incompatible change of shape


def finding_document(finding: Finding) -> dict[str, Any]:
    """One finding as a JSON object (text kept verbatim; JSON escaping makes it safe)."""
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "kind": finding.kind,
        "message": finding.message,
        "path": finding.location.path,
        "line": finding.location.line,
        "column": finding.location.column,
        "item_id": finding.item_id,
        "waived_by": finding.waived_by,
        "expected_at": finding.expected_at,
        "fingerprint": finding.fingerprint,
    }


def _clause_document(summary: ClauseSummary) -> dict[str, Any]:
    return {
        "clause": summary.clause,
        "title": summary.title,
        "counts": clause_counts(summary.counts),
        "score": score_value(summary.score),
        "total": summary.total,
    }


def _requirement_document(result: RequirementResult) -> dict[str, Any]:
    req = result.requirement
    document: dict[str, Any] = {
        "id": req.id,
        "clause": req.clause,
        "clause_title": req.clause_title,
        "title": req.title,
        "statement": req.statement,
        "automation": req.automation.value,
        "severity": req.severity.value,
        "verdict": result.verdict.value,
        "note": result.note,
        "waived": result.waived,
    }
    if req.licensed_text:
        document["licensed_text"] = req.licensed_text
    document["findings"] = [finding_document(f) for f in result.findings]
    return document


def report_document(report: Report) -> dict[str, Any]:
    """The whole report as plain JSON-ready data."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "smscheck", "version": report.tool_version},
        "organization": report.organization,
        "as_of": report.as_of,
        "score": score_value(report.score),
        "summary": verdict_counts(report),
        "clauses": [_clause_document(c) for c in report.top_clauses],
        "leaf_clauses": [_clause_document(c) for c in report.clauses],
        "requirements": [_requirement_document(r) for r in report.results],
        "problems": [finding_document(f) for f in report.problems],
    }


class JsonReporter:
    """One JSON object: summary, clause roll-ups, requirements with findings, problems."""

    name: ClassVar[str] = "json"
    suffix: ClassVar[str] = ".json"

    def render(self, report: Report) -> str:
        return json.dumps(report_document(report), indent=2, ensure_ascii=False) + "\n"
