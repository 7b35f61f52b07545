"""What ``validate`` does once its options are known, without typer.

``cli.py`` declares every command's options with typer; ``entry.py`` parses the plain
``validate`` runs of a pre-commit hook or CI itself (typer's import and its per-option adapters
are a quarter of such a run). Both end here, so the two routes share every behaviour but the
parsing, and the option vocabulary below is shared by both.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from sms_check.errors import SmsCheckError, UsageError

if TYPE_CHECKING:
    from sms_check.results import Report, Severity


class FailOn(StrEnum):
    """Lowest severity that fails the run."""

    major = "major"
    minor = "minor"
    observation = "observation"


class ValidateFormat(StrEnum):
    """Output formats of validate."""

    compact = "compact"
    terminal = "terminal"
    json = "json"
    markdown = "markdown"
    html = "html"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    gitlab = "gitlab"


def stderr(message: str) -> None:
    """One message on stderr, newline-terminated."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def error_exit(exc: SmsCheckError) -> int:
    """Report one of smscheck's own errors in one line; its exit code."""
    stderr(f"smscheck: error: {exc}")
    return int(exc.exit_code)


def silence_stdout() -> None:
    """Point stdout at the null device: Python would fail again flushing it at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def as_of(text: str | None) -> dt.date:
    """The assessment date of ``--as-of`` (today without it)."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of '{text}' is not a date; write it as YYYY-MM-DD") from None


def emit(text: str, output: Path | None) -> None:
    """Write to stdout, or to --output once rendering has succeeded."""
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader went away: entry.guarded exits quietly, as click does
        except OSError as exc:
            silence_stdout()
            raise UsageError(
                f"cannot write the report to standard output ({exc.strerror})"
            ) from None
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report ({exc.strerror})") from None


def render(fmt: str, report: Report, output: Path | None, fail_on: FailOn) -> str:
    """The report in one of the reporters' formats."""
    from sms_check.reporters import get_reporter
    from sms_check.results import Severity

    cls = get_reporter(fmt)
    if fmt == "terminal":
        interactive = output is None and sys.stdout.isatty()
        width = shutil.get_terminal_size((100, 24)).columns if interactive else 100
        reporter = cls(color=interactive, width=max(80, width))  # type: ignore[call-arg]
    elif fmt == "compact":
        reporter = cls(fail_on=Severity(fail_on.value))  # type: ignore[call-arg]
    else:
        reporter = cls()
    return reporter.render(report)


def severity(fail_on: FailOn) -> Severity:
    """The Severity a --fail-on value names."""
    from sms_check.results import Severity

    return Severity(fail_on.value)


def validate(
    root: Path = Path("."),
    output_format: ValidateFormat = ValidateFormat.compact,
    fail_on: FailOn | None = None,
    as_of_text: str | None = None,
    output: Path | None = None,
    structure_only: bool = False,
    baseline: str | None = None,
    no_cache: bool = False,
    cache_dir: Path | None = None,
) -> int:
    """``smscheck validate``: assess, print, and the exit code."""
    from sms_check.pipeline import assess

    try:
        date = as_of(as_of_text)
        assessment = assess(
            root, date, structure_only=structure_only, cache_dir=cache_dir, use_cache=not no_cache
        )
        report = assessment.report
        threshold = fail_on or FailOn(assessment.settings.fail_on)
        if baseline is not None:
            from sms_check.baseline import compare_with_baseline

            comparison = compare_with_baseline(root, baseline, date, report)
            emit(comparison.render_text(), output if output_format.value == "compact" else None)
            return int(comparison.exit_code(severity(threshold)))
        emit(render(output_format.value, report, output, threshold), output)
    except SmsCheckError as exc:
        return error_exit(exc)
    return int(report.exit_code(severity(threshold)))
