"""Renders a baseline comparison: terminal text, Markdown for a pull-request comment, JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sms_check.reporters.text import markdown_text, one_line

if TYPE_CHECKING:
    from sms_check.baseline import Comparison
    from sms_check.results import Finding

DIFF_FORMATS = ("terminal", "markdown", "json")


def _line(f: Finding) -> str:
    where = one_line(str(f.location))
    return f"{where}: {f.severity.value}: [{one_line(f.rule)}] {one_line(f.message)}"


def render_diff(comparison: Comparison, fmt: str) -> str:
    """The comparison in one of DIFF_FORMATS."""
    c = comparison
    if fmt == "json":

        def entry(f: Finding) -> dict[str, object]:
            return {
                "rule": f.rule,
                "severity": f.severity.value,
                "kind": f.kind,
                "message": f.message,
                "path": f.location.path,
                "line": f.location.line,
                "column": f.location.column,
                "item_id": f.item_id,
                "fingerprint": f.fingerprint,
            }

        doc = {
            "schema_version": 1,
            "base": c.base,
            "head": c.head,
            "score": {"base": c.base_score, "head": c.head_score},
            "new": [entry(f) for f in c.new],
            "fixed": [entry(f) for f in c.fixed],
            "unchanged": c.unchanged,
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        out = [
            f"### smscheck: {len(c.new)} new, {len(c.fixed)} fixed since `{markdown_text(c.base)}`",
            "",
            f"Readiness {c.base_score:.1f}% → {c.head_score:.1f}%; "
            f"{c.unchanged} finding(s) unchanged.",
            "",
        ]
        for title, findings in (("New or worse", c.new), ("Fixed", c.fixed)):
            if not findings:
                continue
            out += [f"#### {title}", "", "| severity | requirement | where | finding |"]
            out += ["| --- | --- | --- | --- |"]
            for f in findings:
                out.append(
                    f"| {f.severity.value} | {markdown_text(f.rule)} | "
                    f"`{markdown_text(str(f.location))}` | {markdown_text(f.message)} |"
                )
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"
    lines = [f"new: {_line(f)}" for f in c.new] + [f"fixed: {_line(f)}" for f in c.fixed]
    lines.append(
        f"smscheck: {len(c.new)} new or worse, {len(c.fixed)} fixed, {c.unchanged} unchanged "
        f"since {one_line(c.base)} (readiness {c.base_score:.1f}% -> {c.head_score:.1f}%)"
    )
    return "\n".join(lines) + "\n"
