"""The ``smscheck`` console script.

A pre-commit hook runs ``smscheck validate`` on every commit; importing typer and building its
per-option pydantic adapters is about a quarter of such a run. So a ``validate`` whose
arguments are all plain (the options below, written out in full) is parsed here and run
without typer; anything else (``--help``, a short or unknown option, a value typer would
reject) goes to the typer app in ``cli.py``, which prints its usual help and messages.
tests/test_entry.py holds both routes to the same options for every argument list it tries.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sms_check.errors import ExitCode

# long option -> (parameter of commands.validate, takes a value)
VALIDATE_OPTIONS: dict[str, tuple[str, bool]] = {
    "--format": ("output_format", True),
    "--fail-on": ("fail_on", True),
    "--as-of": ("as_of_text", True),
    "--output": ("output", True),
    "--structure-only": ("structure_only", False),
    "--baseline": ("baseline", True),
    "--no-cache": ("no_cache", False),
    "--cache-dir": ("cache_dir", True),
}


def plain_validate_args(args: list[str]) -> dict[str, Any] | None:
    """The parameters of ``validate ARGS`` when every argument is plain; None otherwise.

    Plain: at most one positional root (not starting with '-'), long options of
    VALIDATE_OPTIONS as ``--name value`` or ``--name=value`` (a later one wins, as in click),
    flags without a value, and --format/--fail-on values typer accepts.
    """
    from sms_check.commands import FailOn, ValidateFormat

    found: dict[str, Any] = {}
    n = 0
    while n < len(args):
        arg = args[n]
        n += 1
        if not arg.startswith("-"):
            if "root" in found:
                return None
            found["root"] = Path(arg)
            continue
        name, has_value, value = arg.partition("=")
        option = VALIDATE_OPTIONS.get(name)
        if option is None:
            return None
        param, takes_value = option
        if not takes_value:
            if has_value:
                return None
            found[param] = True
            continue
        if not has_value:
            if n == len(args) or args[n].startswith("-"):
                return None
            value = args[n]
            n += 1
        found[param] = value
    try:
        if "output_format" in found:
            found["output_format"] = ValidateFormat(found["output_format"])
        if "fail_on" in found:
            found["fail_on"] = FailOn(found["fail_on"])
    except ValueError:
        return None
    for param in ("output", "cache_dir"):
        if param in found:
            found[param] = Path(found[param])
    return found


def guarded(run: Callable[[], Any]) -> Any:
    """Run a command: a crash exits 3 (never 1, which means 'gaps found'), Ctrl-C exits 1."""
    try:
        return run()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")
        sys.exit(ExitCode.FINDINGS)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            _internal_error()
        from sms_check.commands import silence_stdout

        silence_stdout()  # the reader went away (``smscheck validate | head``), as click does
        sys.exit(ExitCode.FINDINGS)
    except Exception:
        _internal_error()


def _internal_error() -> None:
    import traceback

    traceback.print_exc()
    sys.stderr.write(
        "smscheck: internal error: this is a bug in smscheck; please report it with the "
        "traceback above and the command you ran\n"
    )
    sys.exit(ExitCode.INTERNAL)


def main() -> None:
    """Console-script entry point."""
    args = sys.argv[1:]
    if args[:1] == ["validate"]:
        params = plain_validate_args(args[1:])
        if params is not None:
            from sms_check.commands import validate

            sys.exit(guarded(lambda: validate(**params)))
    from sms_check.cli import main as typer_main

    typer_main()
