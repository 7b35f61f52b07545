"""Browsing the catalog: `requirements list` and `requirements show`."""

from __future__ import annotations

import io
import json

from sms_check.clauses import TITLES
from sms_check.errors import UsageError
from sms_check.requirements import Catalog


def _in_clause(clause: str, prefix: str | None) -> bool:
    return prefix is None or clause == prefix or clause.startswith(prefix + ".")


def list_requirements(catalog: Catalog, clause: str | None, fmt: str) -> str:
    """A table (or JSON list) of requirements, in clause order."""
    rows = [r for r in catalog.sorted() if _in_clause(r.requirement.clause, clause)]
    if clause is not None and not rows:
        raise UsageError(f"--clause {clause}: no requirement in this clause")
    if fmt == "json":
        data = [
            {
                "id": r.requirement.id,
                "clause": r.requirement.clause,
                "clause_title": r.requirement.clause_title,
                "title": r.requirement.title,
                "automation": r.requirement.automation.value,
                "severity": r.requirement.severity,
                "pack": r.pack,
            }
            for r in rows
        ]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, title=f"{len(rows)} requirements")
    for column in ("id", "clause", "title", "automation", "severity"):
        table.add_column(column)
    for r in rows:
        req = r.requirement
        table.add_row(req.id, req.clause, req.title, req.automation.value, req.severity)
    buffer = io.StringIO()
    Console(file=buffer, width=140, no_color=True, highlight=False).print(table)
    return buffer.getvalue()


def show_requirement(
    catalog: Catalog, text: str, licensed: dict[str, str], color: bool = False
) -> str:
    """Everything about one requirement, rendered with rich."""
    loaded = catalog.find(text)
    if loaded is None:
        raise UsageError(f"no requirement '{text}' (see 'smscheck requirements list')")
    from rich.console import Console
    from rich.panel import Panel
    from rich.syntax import Syntax
    from rich.text import Text

    req = loaded.requirement
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=color, no_color=not color)
    top = req.clause.split(".")[0]
    console.print(Text(req.id, style="bold"))
    console.print(f"Clause {top} {TITLES.get(top, '')} > {req.clause} {req.clause_title}")
    console.print(f"Title: {req.title}")
    console.print(
        f"Automation: {req.automation.value}   Severity when unmet: {req.severity}   "
        f"Pack: {loaded.pack}   Defined at: {loaded.source}"
    )
    if req.aliases:
        console.print(f"Former ids: {', '.join(req.aliases)}")
    console.print(Panel(req.statement, title="Requirement (our paraphrase)", title_align="left"))
    if req.id in licensed:
        console.print(Panel(licensed[req.id], title="Licensed text", title_align="left"))
    if req.guidance:
        console.print(Panel(req.guidance, title="Guidance", title_align="left"))
    if req.auditor_focus:
        console.print(
            Panel(req.auditor_focus, title="What an auditor looks for", title_align="left")
        )
    if req.evidence:
        console.print(f"Evidence kinds: {', '.join(req.evidence)}")
    if req.manual_evidence:
        console.print(Panel(req.manual_evidence, title="Manual evidence", title_align="left"))
    if req.checks:
        from sms_check.yamlio import dump

        checks = [c.model_dump(mode="json", exclude_defaults=True) for c in req.checks]
        for check, spec in zip(checks, req.checks, strict=True):
            check["type"] = spec.type
        console.print("Checks:")
        console.print(Syntax(dump(checks), "yaml", theme="ansi_dark", background_color="default"))
    return buffer.getvalue()
