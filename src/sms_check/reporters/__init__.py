"""Output formats: a registry of reporter classes, imported only when asked for.

The CLI runs as a pre-commit hook, so importing this package must stay cheap: the registry maps
each ``--format`` name to a ``"module:Class"`` string and :func:`get_reporter` imports on demand.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from sms_check.errors import UsageError

if TYPE_CHECKING:
    from sms_check.reporters.base import Reporter

REPORTERS: dict[str, str] = {
    "compact": "sms_check.reporters.compact:CompactReporter",
    "terminal": "sms_check.reporters.terminal:TerminalReporter",
    "json": "sms_check.reporters.json:JsonReporter",
    "markdown": "sms_check.reporters.markdown:MarkdownReporter",
    "html": "sms_check.reporters.html:HtmlReporter",
    "sarif": "sms_check.reporters.sarif:SarifReporter",
    "junit": "sms_check.reporters.junit:JunitReporter",
    "github": "sms_check.reporters.github:GithubReporter",
    "gitlab": "sms_check.reporters.gitlab:GitlabReporter",
}

FORMATS: tuple[str, ...] = tuple(REPORTERS)


def get_reporter(name: str) -> type[Reporter]:
    """Import and return the reporter class registered as ``name``.

    Raises:
        UsageError: ``name`` is not one of :data:`FORMATS`.
    """
    try:
        target = REPORTERS[name]
    except KeyError:
        raise UsageError(
            f"unknown output format {name!r}; choose one of: {', '.join(FORMATS)}"
        ) from None
    module_name, _, class_name = target.partition(":")
    cls: type[Reporter] = getattr(import_module(module_name), class_name)
    return cls


__all__ = ["FORMATS", "REPORTERS", "get_reporter"]
