"""The engine as a pure function: verdicts, attestations, waivers, exclusions, roll-ups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sms_check.engine import Options, evaluate
from sms_check.evidence import load_evidence
from sms_check.requirements import load_catalog
from sms_check.results import Severity, Verdict

PACK = """\
pack: {id: own, title: Own}
requirements:
  - id: OWN-SLA
    clause: "8.3.3"
    clause_title: Service level management
    title: SLA per live service
    statement: Each live service has an SLA.
    automation: automated
    severity: major
    checks:
      - type: cross_reference
        kind: service
        where: {status: live}
        referenced_by: {kind: sla, field: services}
  - id: OWN-REVIEW
    clause: "9.3"
    clause_title: Management review
    title: Management review held
    statement: A management review is held within the declared interval.
    automation: automated
    severity: minor
    checks:
      - type: freshness
        kind: management_review
        date_field: held_on
        interval: management_review
        default: 12 months
  - id: OWN-MANUAL
    clause: "5.1"
    clause_title: Leadership and commitment
    title: Leadership shown
    statement: Top management shows leadership.
    automation: manual
    severity: observation
    manual_evidence: Interview notes with the CEO, signed by the lead auditor.
"""
EVIDENCE = {
    "evidence/core.yaml": """\
kind: service
items:
  - {id: SVC-1, name: Hosting}
  - {id: SVC-2, name: Desk}
""",
    "evidence/parties.yaml": (
        "kind: interested_party\nitems:\n  - {id: IP-1, party_type: customer, name: Bank}\n"
    ),
    "evidence/people.yaml": "kind: person\nitems:\n  - {id: P-1, name: Ana}\n",
    "evidence/sla.yaml": "kind: sla\nitems:\n  - {id: SLA-1, customer: IP-1, services: [SVC-1]}\n",
    "evidence/mr.yaml": "kind: management_review\nitems:\n  - {id: MR-1, held_on: 2026-02-01}\n",
}


def _report(root: Path, as_of: str = "2026-11-15", **options: object):  # type: ignore[no-untyped-def]
    (root / "own.yaml").write_text(PACK, encoding="utf-8")
    catalog = load_catalog([root / "own.yaml"], include_bundled=False)
    assert not catalog.errors, catalog.errors
    index = load_evidence(root)
    assert not index.problems, [p.message for p in index.problems]
    return evaluate(catalog.sorted(), index, dt.date.fromisoformat(as_of), Options(**options))  # type: ignore[arg-type]


def _by_id(report):  # type: ignore[no-untyped-def]
    return {r.requirement.id: r for r in report.results}


def test_verdicts_findings_and_scores(make_repo) -> None:  # type: ignore[no-untyped-def]
    report = _report(make_repo(EVIDENCE))
    results = _by_id(report)
    assert results["OWN-SLA"].verdict is Verdict.PARTIAL
    (finding,) = results["OWN-SLA"].findings
    assert str(finding.location) == "evidence/core.yaml:4:5"
    assert finding.severity is Severity.MAJOR
    assert results["OWN-REVIEW"].verdict is Verdict.CONFORMS
    assert results["OWN-MANUAL"].verdict is Verdict.NEEDS_REVIEW
    assert "Interview notes with the CEO" in results["OWN-MANUAL"].note
    # conforms 1 + partial 0.5 + needs review 0 over 3 requirements
    assert report.score == pytest.approx(50.0)
    assert [c.clause for c in report.top_clauses] == ["5", "8", "9"]
    assert [r.requirement.id for r in report.results] == ["OWN-MANUAL", "OWN-SLA", "OWN-REVIEW"]


def test_changing_one_date_flips_the_right_requirement(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(EVIDENCE)
    assert _by_id(_report(root))["OWN-REVIEW"].verdict is Verdict.CONFORMS
    (root / "evidence/mr.yaml").write_text(
        "kind: management_review\nitems:\n  - {id: MR-1, held_on: 2025-10-01}\n"
    )
    after = _by_id(_report(root))
    assert after["OWN-REVIEW"].verdict is Verdict.NONCONFORMING
    assert after["OWN-SLA"].verdict is Verdict.PARTIAL  # untouched
    assert "the next was due by 2026-10-01" in after["OWN-REVIEW"].findings[0].message


def test_attestation_valid_and_expired(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = dict(EVIDENCE)
    files["evidence/att.yaml"] = (
        "kind: attestation\nitems:\n  - {id: ATT-1, requirement: OWN-MANUAL, attested_by: P-1,"
        " attested_on: 2026-01-10, expires_on: 2026-12-31, evidence: Interview notes 2026-01-09}\n"
    )
    root = make_repo(files)
    result = _by_id(_report(root))["OWN-MANUAL"]
    assert result.verdict is Verdict.CONFORMS
    assert result.note.startswith("attested by P-1 on 2026-01-10")
    expired = _by_id(_report(root, "2027-01-15"))["OWN-MANUAL"]
    assert expired.verdict is Verdict.NEEDS_REVIEW
    assert "attestation 'ATT-1' expired on 2026-12-31" in expired.note


def test_waiver_shows_the_gap_as_waived_until_it_expires(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = dict(EVIDENCE)
    files["evidence/waiver.yaml"] = (
        "kind: waiver\nitems:\n  - {id: WVR-1, requirement: OWN-SLA, justification: New service,"
        " owner: P-1, approved_by: P-1, expires_on: 2026-12-31}\n"
    )
    root = make_repo(files)
    report = _report(root)
    result = _by_id(report)["OWN-SLA"]
    assert result.waived
    assert [f.waived_by for f in result.findings] == ["WVR-1"]
    assert not report.failing(Severity.MAJOR)
    later = _report(root, "2027-02-01")
    result = _by_id(later)["OWN-SLA"]
    assert not result.waived
    assert any("waiver 'WVR-1' expired on 2026-12-31" in f.message for f in result.findings)
    assert later.failing(Severity.MAJOR)


def test_not_applicable_is_itself_a_finding(make_repo) -> None:  # type: ignore[no-untyped-def]
    report = _report(make_repo(EVIDENCE), not_applicable=[("OWN-REVIEW", "we are small")])
    result = _by_id(report)["OWN-REVIEW"]
    assert any(f.kind == "exclusion-not-allowed" for f in result.findings)
    assert result.verdict is Verdict.PARTIAL


def test_severity_override(make_repo) -> None:  # type: ignore[no-untyped-def]
    report = _report(make_repo(EVIDENCE), severity_overrides={"OWN-SLA": "minor"})
    result = _by_id(report)["OWN-SLA"]
    assert result.requirement.severity is Severity.MINOR
    assert all(f.severity is Severity.MINOR for f in result.findings)
    assert report.exit_code(Severity.MAJOR) == 0
    assert report.exit_code(Severity.MINOR) == 1


def test_invalid_evidence_makes_dependent_requirements_error(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = dict(EVIDENCE)
    files["evidence/mr.yaml"] = "kind: management_review\nitems:\n  - {id: MR-1, held_on: soon}\n"
    root = make_repo(files)
    (root / "own.yaml").write_text(PACK, encoding="utf-8")
    catalog = load_catalog([root / "own.yaml"], include_bundled=False)
    report = evaluate(catalog.sorted(), load_evidence(root), dt.date(2026, 11, 15))
    assert _by_id(report)["OWN-REVIEW"].verdict is Verdict.ERROR
    assert _by_id(report)["OWN-SLA"].verdict is Verdict.PARTIAL


def test_unknown_requirement_in_attestation_is_reported(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = dict(EVIDENCE)
    files["evidence/att.yaml"] = (
        "kind: attestation\nitems:\n  - {id: ATT-1, requirement: NOPE, attested_by: P-1,"
        " attested_on: 2026-01-10, expires_on: 2026-12-31, evidence: x}\n"
    )
    root = make_repo(files)
    (root / "own.yaml").write_text(PACK, encoding="utf-8")
    catalog = load_catalog([root / "own.yaml"], include_bundled=False)
    report = evaluate(catalog.sorted(), load_evidence(root), dt.date(2026, 11, 15))
    assert any("names requirement 'NOPE'" in p.message for p in report.problems)


def test_evaluation_is_deterministic(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(EVIDENCE)
    assert _report(root) == _report(root)
