"""Self-contained HTML gap report (Jinja2 template ``templates/report.html.j2``, autoescaped).

One file with inline CSS and a small inline script: no network, fonts or external scripts.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from sms_check.reporters.markdown import report_context
from sms_check.reporters.text import SEVERITY_ORDER, clean, path_href, score_text
from sms_check.results import Report

if TYPE_CHECKING:
    from jinja2 import Environment


def score_colour(score: float) -> str:
    """Heatmap colour: red (0) through amber to green (100), as an HSL CSS colour."""
    hue = round(max(0.0, min(100.0, float(score))) * 1.2)
    return f"hsl({hue}, 70%, 78%)"


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("sms_check", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clean"] = clean
    env.filters["href"] = path_href
    env.filters["score"] = score_text
    env.filters["colour"] = score_colour
    return env


class HtmlReporter:
    """Gap report as one HTML page: heatmap, filters, requirement table, findings."""

    name: ClassVar[str] = "html"
    suffix: ClassVar[str] = ".html"

    def render(self, report: Report) -> str:
        context: dict[str, Any] = report_context(report)
        context["severities"] = SEVERITY_ORDER
        text = _environment().get_template("report.html.j2").render(context)
        return text if text.endswith("\n") else text + "\n"
