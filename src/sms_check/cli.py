"""The command line: options -> pipeline -> reporter -> exit code. No domain logic here."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sms_check import __version__
from sms_check.commands import FailOn, ValidateFormat, error_exit, stderr
from sms_check.commands import as_of as _as_of
from sms_check.commands import emit as _emit
from sms_check.commands import render as _render
from sms_check.commands import severity as _severity
from sms_check.entry import guarded
from sms_check.errors import ExitCode, SmsCheckError, UsageError

if TYPE_CHECKING:
    from sms_check.requirements import Catalog

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    help="Gap assessment of a service management system against ISO/IEC 20000-1:2018.\n\n"
    "Exit codes: 0 no findings at or above --fail-on; 1 findings or defects in the evidence; "
    "2 usage, configuration or requirement-pack error; 3 internal error.",
)
requirements_app = typer.Typer(no_args_is_help=True, help="Browse and lint requirement packs.")
app.add_typer(requirements_app, name="requirements")


class SchemaName(StrEnum):
    """Schemas smscheck can print."""

    evidence = "evidence"
    requirements = "requirements"
    report = "report"


class ReportFormat(StrEnum):
    """Output formats of gap-report."""

    terminal = "terminal"
    markdown = "markdown"
    html = "html"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    gitlab = "gitlab"


RootArg = Annotated[
    Path, typer.Argument(help="Root of the evidence repository (holds smscheck.yaml).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Assessment date YYYY-MM-DD (default: today).", show_default=False
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
]
FailOnOpt = Annotated[
    FailOn | None,
    typer.Option(
        "--fail-on",
        help="Lowest severity of an unwaived finding that exits 1 "
        "(default: fail_on in smscheck.yaml, else major).",
        show_default=False,
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache", help="Parse every file again (the cache is never required for correctness)."
    ),
]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Cache folder (default: $SMSCHECK_CACHE_DIR or ~/.cache/smscheck); safe to delete.",
        show_default=False,
    ),
]


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn smscheck's own errors into one stderr line and their exit code."""
    try:
        yield
    except SmsCheckError as exc:
        raise typer.Exit(error_exit(exc)) from None


@app.command()
def validate(
    root: RootArg = Path("."),
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.compact,
    fail_on: FailOnOpt = None,
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
    structure_only: Annotated[
        bool, typer.Option("--structure-only", help="Check the evidence files only, no catalog.")
    ] = False,
    baseline: Annotated[
        str | None,
        typer.Option("--baseline", help="Git revision: fail only on findings new since then."),
    ] = None,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
) -> None:
    """Check the evidence repository: structure, then conformance to the catalog."""
    from sms_check.commands import validate as run

    code = run(
        root=root,
        output_format=output_format,
        fail_on=fail_on,
        as_of_text=as_of,
        output=output,
        structure_only=structure_only,
        baseline=baseline,
        no_cache=no_cache,
        cache_dir=cache_dir,
    )
    raise typer.Exit(code)


@app.command("gap-report")
def gap_report(
    root: RootArg = Path("."),
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.terminal,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Exit 1 on unwaived findings at or above this severity."),
    ] = None,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
) -> None:
    """Render the gap report: clause readiness, verdicts and findings."""
    from sms_check.pipeline import assess

    with _user_errors():
        report = assess(root, _as_of(as_of), cache_dir=cache_dir, use_cache=not no_cache).report
        _emit(_render(output_format.value, report, output, fail_on or FailOn.major), output)
    if fail_on is not None:
        raise typer.Exit(report.exit_code(_severity(fail_on)))


class DiffFormat(StrEnum):
    """Output formats of diff."""

    terminal = "terminal"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    base: Annotated[str, typer.Argument(help="Git revision to compare against.")],
    head: Annotated[
        str | None, typer.Argument(help="Git revision to compare (default: the working tree).")
    ] = None,
    root: Annotated[Path, typer.Option("--root", help="Evidence repository root.")] = Path("."),
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.terminal,
    as_of: AsOfOpt = None,
    fail_on: FailOnOpt = None,
    output: OutputOpt = None,
) -> None:
    """Findings new, worse and fixed between two revisions of the evidence repository."""
    from sms_check.baseline import assess_revision, compare
    from sms_check.pipeline import assess, check_root
    from sms_check.reporters.diff import render_diff

    with _user_errors():
        date = _as_of(as_of)
        check_root(root)
        before = assess_revision(root, base, date)
        after = assess_revision(root, head, date) if head else assess(root, date).report
        comparison = compare(before, after, base, head or "working tree")
        _emit(render_diff(comparison, output_format.value), output)
    raise typer.Exit(comparison.exit_code(_severity(fail_on or FailOn.major)))


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="Which schema to print.")],
) -> None:
    """Print a JSON Schema: evidence files, requirement packs, or the JSON report."""
    from sms_check.schemas import schema_text

    sys.stdout.write(schema_text(name.value))


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new evidence repository.")],
    organization: Annotated[
        str, typer.Option("--organization", help="Name of the organization.")
    ] = "Example Services Ltd",
) -> None:
    """Create a new evidence repository with a config, starter files and CI examples."""
    from sms_check.scaffold import scaffold

    with _user_errors():
        written = scaffold(directory, organization)
    for path in written:
        sys.stdout.write(f"created {path}\n")


@requirements_app.command("lint")
def requirements_lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Requirement packs (folders or files); default: the bundled catalog."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print coverage.")] = False,
) -> None:
    """Lint requirement packs: schema, unique ids, clauses, checks, clause coverage."""
    from sms_check.requirements import coverage, lint, load_catalog

    catalog = load_catalog(paths or [], include_bundled=not paths)
    errors = lint(catalog)
    if not quiet and any(p.clause_tree for p in catalog.packs):
        for clause, title, count, note in coverage(catalog):
            mark = "ok  " if count or note else "GAP "
            extra = f"  ({note})" if note and not count else ""
            sys.stdout.write(f"{mark}{clause:<9} {count:>3}  {title}{extra}\n")
    for error in errors:
        stderr(f"{error}")
    n = len(catalog.requirements)
    if errors:
        stderr(f"smscheck: error: {len(errors)} problem(s) in the requirement packs")
        raise typer.Exit(ExitCode.USAGE)
    sys.stdout.write(f"{n} requirements in {len(catalog.packs)} pack(s): no problems\n")


@requirements_app.command("list")
def requirements_list(
    root: Annotated[
        Path | None,
        typer.Option("--root", help="Evidence repository whose own packs are included too."),
    ] = None,
    clause: Annotated[
        str | None, typer.Option("--clause", help="Only this clause and its sub-clauses.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output_format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """List requirements: id, clause, title, automation level, severity."""
    from sms_check.browse import list_requirements

    with _user_errors():
        fmt = "json" if json_output else output_format
        if fmt not in ("table", "json"):
            raise UsageError(f"--format '{fmt}' is not one of: table, json")
        sys.stdout.write(list_requirements(_catalog_for(root), clause, fmt))


@requirements_app.command("show")
def requirements_show(
    requirement_id: Annotated[str, typer.Argument(help="Requirement id, alias or id suffix.")],
    root: Annotated[
        Path | None,
        typer.Option("--root", help="Evidence repository (its packs and licensed-text overlay)."),
    ] = None,
) -> None:
    """Show everything about one requirement."""
    from sms_check.browse import show_requirement

    with _user_errors():
        catalog = _catalog_for(root)
        licensed = _licensed_for(root)
        sys.stdout.write(show_requirement(catalog, requirement_id, licensed, sys.stdout.isatty()))


def _catalog_for(root: Path | None) -> Catalog:
    from sms_check.config import load_settings
    from sms_check.pipeline import check_root
    from sms_check.requirements import load_requirements

    if root is None:
        return load_requirements([])
    settings, _ = load_settings(check_root(root))
    return load_requirements(
        [root / p for p in settings.requirement_packs],
        include_bundled=settings.include_bundled_catalog,
        root=root,
    )


def _licensed_for(root: Path | None) -> dict[str, str]:
    from sms_check.config import load_settings
    from sms_check.requirements import load_licensed_text

    if root is None:
        return {}
    settings, _ = load_settings(root)
    if not settings.licensed_text:
        return {}
    return load_licensed_text(Path(settings.licensed_text).expanduser())


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"smscheck {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """Gap assessment of a service management system against ISO/IEC 20000-1:2018."""


def main() -> None:
    """Run the typer app (sms_check.entry runs plain ``validate`` arguments without it)."""
    guarded(app)
