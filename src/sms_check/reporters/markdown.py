"""Markdown gap report (Jinja2 template ``templates/report.md.j2``)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from sms_check.reporters.text import (
    VERDICT_ORDER,
    clause_counts,
    markdown_text,
    path_href,
    score_text,
    top_clause_of,
    verdict_counts,
)
from sms_check.results import Finding, Report, RequirementResult, Verdict

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("sms_check", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_text
    env.filters["md_link"] = markdown_link
    env.filters["score"] = score_text
    return env


def markdown_link(finding: Finding) -> str:
    """``[path:line](path#Lline)``, or ``-`` when the finding has no file."""
    location = finding.location
    if not location.path:
        return "-"
    return f"[{markdown_text(str(location))}]({path_href(location.path, location.line)})"


def group_by_top_clause(report: Report) -> list[dict[str, Any]]:
    """One entry per top clause: its summary and its requirements, in report order."""
    by_top: dict[str, list[RequirementResult]] = {}
    for result in report.results:
        by_top.setdefault(top_clause_of(result.requirement.clause), []).append(result)
    sections: list[dict[str, Any]] = []
    for top in report.top_clauses:
        results = by_top.pop(top.clause, [])
        sections.append({"clause": top.clause, "title": top.title, "results": results})
    for key in sorted(by_top):  # requirements under a clause without a summary
        sections.append({"clause": key, "title": "", "results": by_top[key]})
    for section in sections:
        section["gaps"] = [r for r in section["results"] if r.verdict is not Verdict.CONFORMS]
    return sections


def report_context(report: Report) -> dict[str, Any]:
    """Template variables shared by the Markdown and HTML templates."""
    leaves: dict[str, list[Any]] = {}
    for leaf in report.clauses:
        leaves.setdefault(top_clause_of(leaf.clause), []).append(leaf)
    findings = report.all_findings()
    return {
        "report": report,
        "verdicts": VERDICT_ORDER,
        "counts": verdict_counts(report),
        "clause_counts": clause_counts,
        "leaves": leaves,
        "sections": group_by_top_clause(report),
        "open_findings": sum(1 for f in findings if not f.waived_by),
        "waived_findings": sum(1 for f in findings if f.waived_by),
        "problems": sorted(report.problems, key=Finding.sort_key),
    }


class MarkdownReporter:
    """Gap report in GitHub-flavoured Markdown: summary, clause table, gaps per clause."""

    name: ClassVar[str] = "markdown"
    suffix: ClassVar[str] = ".md"

    def render(self, report: Report) -> str:
        text = _environment().get_template("report.md.j2").render(report_context(report))
        return text if text.endswith("\n") else text + "\n"
