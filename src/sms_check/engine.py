"""The rule engine: (catalog, evidence, assessment date) -> Report. Pure: no I/O, no clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sms_check.checks.base import ITEM_LOCAL, EvalContext, Outcome
from sms_check.clauses import TITLES, clause_sort_key, top_clause
from sms_check.evidence import EvidenceIndex, EvidenceItem
from sms_check.requirements import LoadedRequirement
from sms_check.results import (
    Automation,
    ClauseSummary,
    Finding,
    Location,
    Report,
    RequirementInfo,
    RequirementResult,
    Severity,
    Verdict,
)

SCORE = {
    Verdict.CONFORMS: 1.0,
    Verdict.PARTIAL: 0.5,
    Verdict.NONCONFORMING: 0.0,
    Verdict.NEEDS_REVIEW: 0.0,
    Verdict.ERROR: 0.0,
}
WAIVED_SCORE = 0.5  # a waived gap is accepted, not closed
ISO_TOP_CLAUSES = ("4", "5", "6", "7", "8", "9", "10")


@dataclass(frozen=True)
class Options:
    """What the organization's config adds to an assessment."""

    organization: str = ""
    tool_version: str = ""
    severity_overrides: Mapping[str, str] = field(default_factory=dict)
    not_applicable: Sequence[tuple[str, str]] = ()
    licensed_text: Mapping[str, str] = field(default_factory=dict)
    config_path: str = "smscheck.yaml"
    packs: tuple[str, ...] = ()
    structure_only: bool = False  # check the evidence (and what it names) but judge nothing


def projection_of(requirements: Sequence[LoadedRequirement]) -> dict[str, list[str]]:
    """Per kind, the fields stubbed items must carry (sms_check.shards).

    Item-local checks are answered from cached partial outcomes and need only their filters;
    every other check (and an item-local one that compares with the assessment date, judged
    anew every run) reads its items, so everything it reads is carried.
    """
    fields: dict[str, set[str]] = {}

    def visit(check: Any) -> None:
        inner = getattr(check, "checks", None) or (
            [check.check] if getattr(check, "check", None) is not None else []
        )
        if inner:
            for sub in inner:
                visit(sub)
            return
        if check.type in ITEM_LOCAL and not check.reads_date:
            pairs = [(check.kind, list(check.where or {}))]
        else:
            pairs = check.reads()
        for kind, names in pairs:
            fields.setdefault(kind, set()).update(n.split(".")[0] for n in names)

    for loaded in requirements:
        for check in loaded.requirement.checks:
            visit(check)
    return {kind: sorted(names) for kind, names in sorted(fields.items())}


def evaluate(
    requirements: Sequence[LoadedRequirement],
    evidence: EvidenceIndex,
    as_of: dt.date,
    options: Options | None = None,
) -> Report:
    """Judge every requirement; the result is deterministic and sorted."""
    options = options or Options()
    known = {rid: r for r in requirements for rid in (r.requirement.id, *r.requirement.aliases)}
    problems = list(evidence.problems)
    attestations = _by_requirement(evidence.of_kind("attestation"), known, problems, "attestation")
    waivers = _by_requirement(evidence.of_kind("waiver"), known, problems, "waiver")
    excluded = {
        known[rid].requirement.id: reason for rid, reason in options.not_applicable if rid in known
    }
    results = [
        _judge(
            loaded,
            evidence,
            as_of,
            options,
            attestations.get(loaded.requirement.id, []),
            waivers.get(loaded.requirement.id, []),
            excluded,
        )
        for loaded in requirements
        if not options.structure_only
    ]
    results.sort(key=lambda r: (clause_sort_key(r.requirement.clause), r.requirement.id))
    problems.sort(key=Finding.sort_key)
    leaf = _rollup(results, lambda c: c)
    top = _rollup(results, top_clause)
    counts = {v.value: 0 for v in Verdict}
    for result in results:
        counts[result.verdict.value] += 1
    return Report(
        organization=options.organization,
        as_of=as_of.isoformat(),
        tool_version=options.tool_version,
        results=tuple(results),
        problems=tuple(problems),
        clauses=leaf,
        top_clauses=top,
        score=_score(results),
        counts=counts,
        packs=options.packs,
    )


def _by_requirement(
    items: list[EvidenceItem],
    known: Mapping[str, LoadedRequirement],
    problems: list[Finding],
    what: str,
) -> dict[str, list[EvidenceItem]]:
    found: dict[str, list[EvidenceItem]] = {}
    for item in items:
        rid = item.model.requirement
        loaded = known.get(rid)
        if loaded is None:
            problems.append(
                Finding(
                    "structure/unknown-requirement",
                    f"{what} '{item.id}' names requirement '{rid}', which is not in the catalog "
                    "(see 'smscheck requirements list')",
                    item.field_location("requirement"),
                    Severity.ERROR,
                    "structure/unknown-requirement",
                    item.id,
                )
            )
            continue
        found.setdefault(loaded.requirement.id, []).append(item)
    return found


def _info(loaded: LoadedRequirement, options: Options) -> RequirementInfo:
    req = loaded.requirement
    severity = options.severity_overrides.get(req.id, req.severity)
    return RequirementInfo(
        id=req.id,
        clause=req.clause,
        clause_title=req.clause_title,
        title=req.title,
        statement=req.statement,
        automation=req.automation,
        severity=Severity(severity),
        pack=loaded.pack,
        source=loaded.source,
        licensed_text=options.licensed_text.get(req.id, ""),
    )


def _judge(
    loaded: LoadedRequirement,
    evidence: EvidenceIndex,
    as_of: dt.date,
    options: Options,
    attestations: list[EvidenceItem],
    waivers: list[EvidenceItem],
    excluded: Mapping[str, str],
) -> RequirementResult:
    info = _info(loaded, options)
    req = loaded.requirement
    ctx = EvalContext(evidence, as_of, info.id, info.severity)
    outcome = Outcome()
    for check in req.checks:
        outcome = outcome.merge(check.evaluate(ctx))
    verdict, note = _verdict(req.automation, outcome, attestations, as_of, ctx, req.manual_evidence)
    # several checks of one requirement may miss the same evidence: report it once
    findings = list(dict.fromkeys(outcome.findings))
    if req.automation is Automation.MANUAL and verdict is Verdict.NEEDS_REVIEW:
        findings.append(
            Finding(
                info.id,
                f"needs review: no valid attestation; {note}",
                Location(f"{ctx.evidence_root}/attestation.yaml"),
                Severity.OBSERVATION,
                "needs-review",
                expected_at="an attestation item naming this requirement",
            )
        )
    # kinds_read may build evidence models; a clean repository never needs it
    broken = sorted(req.kinds_read() & evidence.invalid_kinds) if evidence.invalid_kinds else []
    if broken:
        verdict = Verdict.ERROR
        note = (
            f"could not be judged reliably: some {', '.join(broken)} evidence is invalid "
            "(see the structure findings)"
        )
    if info.id in excluded and top_clause(info.clause) in ISO_TOP_CLAUSES and info.clause in TITLES:
        findings.append(
            Finding(
                info.id,
                "declared not applicable in the configuration, but ISO/IEC 20000-1 allows no "
                "exclusion of clauses 4 to 10; where another party operates the process, record "
                "it (process operated_by: other_party, with its governance) instead",
                Location(options.config_path, 1, 1),
                Severity.MAJOR,
                "exclusion-not-allowed",
            )
        )
        if verdict is Verdict.CONFORMS:
            verdict = Verdict.PARTIAL
    findings, waived = _apply_waivers(findings, waivers, as_of, info)
    findings.sort(key=Finding.sort_key)
    return RequirementResult(info, verdict, tuple(findings), note, waived)


def _verdict(
    automation: Automation,
    outcome: Outcome,
    attestations: list[EvidenceItem],
    as_of: dt.date,
    ctx: EvalContext,
    manual_evidence: str,
) -> tuple[Verdict, str]:
    if automation is Automation.MANUAL:
        valid = [a for a in attestations if a.model.attested_on <= as_of <= a.model.expires_on]
        if valid:
            best = max(valid, key=lambda a: (a.model.attested_on, a.id))
            m = best.model
            return Verdict.CONFORMS, (
                f"attested by {m.attested_by} on {m.attested_on} "
                f"({best.id}, valid until {m.expires_on})"
            )
        if attestations:
            last = max(attestations, key=lambda a: a.model.expires_on)
            return Verdict.NEEDS_REVIEW, (
                f"attestation '{last.id}' expired on {last.model.expires_on}; "
                f"a person must provide: {manual_evidence}"
            )
        return Verdict.NEEDS_REVIEW, f"a person must provide: {manual_evidence}"
    if outcome.passed:
        return Verdict.CONFORMS, ""
    if not outcome.missing and outcome.failed < outcome.evaluated:
        return (
            Verdict.PARTIAL,
            f"{outcome.failed} of {outcome.evaluated} evaluated items fall short",
        )
    return Verdict.NONCONFORMING, ""


def _apply_waivers(
    findings: list[Finding], waivers: list[EvidenceItem], as_of: dt.date, info: RequirementInfo
) -> tuple[list[Finding], bool]:
    if not waivers or not findings:
        return findings, False
    active = [w for w in waivers if w.model.expires_on >= as_of]
    out: list[Finding] = []
    for finding in findings:
        waiver = next(
            (
                w
                for w in sorted(active, key=lambda w: w.id)
                if not w.model.items or finding.item_id in w.model.items
            ),
            None,
        )
        out.append(replace(finding, waived_by=waiver.id) if waiver else finding)
    for waiver in waivers:
        if waiver not in active:
            out.append(
                Finding(
                    info.id,
                    f"waiver '{waiver.id}' expired on {waiver.model.expires_on}; "
                    "its gaps count again",
                    waiver.field_location("expires_on"),
                    Severity.OBSERVATION,
                    "waiver-expired",
                    waiver.id,
                )
            )
    waived = all(f.waived_by for f in out)
    return out, waived


def _score(results: Sequence[RequirementResult]) -> float:
    if not results:
        return 0.0
    total = sum(WAIVED_SCORE if r.waived else SCORE[r.verdict] for r in results)
    return round(100.0 * total / len(results), 1)


def _rollup(results: Sequence[RequirementResult], key: object) -> tuple[ClauseSummary, ...]:
    groups: dict[str, list[RequirementResult]] = {}
    for result in results:
        groups.setdefault(key(result.requirement.clause), []).append(result)  # type: ignore[operator]
    summaries = []
    for clause in sorted(groups, key=clause_sort_key):
        members = groups[clause]
        counts = {v.value: 0 for v in Verdict}
        for r in members:
            counts[r.verdict.value] += 1
        title = TITLES.get(clause) or members[0].requirement.clause_title
        summaries.append(ClauseSummary(clause, title, counts, _score(members), len(members)))
    return tuple(summaries)
