"""Terminal output (rich): a title, a clause table, one line per finding, a summary line."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, ClassVar

from sms_check.reporters.text import (
    VERDICT_ORDER,
    clause_counts,
    finding_line,
    one_line,
    score_text,
    top_clause_of,
    verdict_counts,
)
from sms_check.results import ClauseSummary, Report, Severity

if TYPE_CHECKING:
    from rich.table import Table

VERDICT_STYLES: dict[str, str] = {
    "conforms": "green",
    "partial": "yellow",
    "nonconforming": "red",
    "needs_review": "magenta",
    "error": "bold red",
}
SEVERITY_STYLES: dict[Severity, str] = {
    Severity.ERROR: "bold red",
    Severity.MAJOR: "red",
    Severity.MINOR: "yellow",
    Severity.OBSERVATION: "cyan",
}


def _score_style(score: float) -> str:
    if score >= 100:
        return "green"
    if score >= 50:
        return "yellow"
    return "red"


class TerminalReporter:
    """Human-readable report for a terminal; colours only when ``color`` is true.

    Evidence text never goes through rich markup: every cell and line is a ``rich.text.Text``
    built from sanitised text (no ANSI escapes, no control characters).
    """

    name: ClassVar[str] = "terminal"
    suffix: ClassVar[str] = ".txt"

    def __init__(self, color: bool = False, width: int = 100) -> None:
        self.color = color
        self.width = width

    def render(self, report: Report) -> str:
        from rich.console import Console
        from rich.text import Text

        buffer = io.StringIO()
        console = Console(
            file=buffer,
            force_terminal=self.color,
            no_color=not self.color,
            color_system="standard" if self.color else None,
            width=self.width,
            highlight=False,
            emoji=False,
            markup=False,
            legacy_windows=False,
        )
        title = Text.assemble(
            ("ISO/IEC 20000-1:2018 gap report", "bold"),
            f" for {one_line(report.organization)} as of {one_line(report.as_of)}: readiness ",
            (f"{score_text(report.score)}%", f"bold {_score_style(report.score)}"),
        )
        console.print(title, soft_wrap=True)
        console.print()
        if report.top_clauses or report.clauses:
            console.print(self._clause_table(report))
            console.print()
        findings = report.all_findings()
        for finding in findings:
            line = Text(finding_line(finding))
            style = "dim" if finding.waived_by else SEVERITY_STYLES[finding.severity]
            line.stylize(style)
            console.print(line, soft_wrap=True)
        if findings:
            console.print()
        console.print(Text(self._summary(report)), soft_wrap=True)
        return buffer.getvalue()

    def _clause_table(self, report: Report) -> Table:
        from rich.table import Table
        from rich.text import Text

        table = Table(show_header=True, header_style="bold", show_edge=False, pad_edge=False)
        table.add_column("Clause", no_wrap=True)
        table.add_column("Title", ratio=1)
        for verdict in VERDICT_ORDER:
            header = {"nonconforming": "Noncon.", "needs_review": "Review"}.get(
                verdict.value, verdict.label.capitalize()
            )
            table.add_column(header, justify="right", no_wrap=True)
        table.add_column("Score", justify="right", no_wrap=True)

        leaves: dict[str, list[ClauseSummary]] = {}
        for leaf in report.clauses:
            leaves.setdefault(top_clause_of(leaf.clause), []).append(leaf)

        def add(summary: ClauseSummary, *, top: bool) -> None:
            counts = clause_counts(summary.counts)
            cells = [
                Text(one_line(summary.clause) if top else f"  {one_line(summary.clause)}"),
                Text(one_line(summary.title)),
            ]
            for verdict in VERDICT_ORDER:
                n = counts[verdict.value]
                cells.append(Text(str(n), style=VERDICT_STYLES[verdict.value] if n else "dim"))
            cells.append(Text(f"{score_text(summary.score)}%", style=_score_style(summary.score)))
            table.add_row(*cells, style="bold" if top else None)

        seen: set[str] = set()
        for top in report.top_clauses:
            seen.add(top.clause)
            add(top, top=True)
            for leaf in leaves.get(top.clause, []):
                if leaf.clause != top.clause:
                    add(leaf, top=False)
        for key, rest in leaves.items():  # leaf clauses whose top clause has no summary
            if key not in seen:
                for leaf in rest:
                    add(leaf, top=False)
        return table

    @staticmethod
    def _summary(report: Report) -> str:
        counts = verdict_counts(report)
        total = sum(counts.values())
        parts = ", ".join(f"{n} {v.label}" for v in VERDICT_ORDER if (n := counts[v.value]))
        findings = report.all_findings()
        waived = sum(1 for f in findings if f.waived_by)
        return (
            f"{total} requirements ({parts or 'none'}); "
            f"{len(findings) - waived} open findings, {waived} waived, "
            f"{len(report.problems)} evidence problems; "
            f"readiness {score_text(report.score)}%"
        )
