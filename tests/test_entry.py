"""The console script's two routes to ``validate``: its own parser for plain arguments, typer
for everything else. Both must reach commands.validate with the same parameters."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sms_check import commands
from sms_check.cli import app
from sms_check.entry import VALIDATE_OPTIONS, plain_validate_args

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "northwind"
runner = CliRunner()

PLAIN = [
    [],
    ["repo"],
    ["--as-of", "2026-11-15"],
    ["--as-of=2026-11-15"],
    ["repo", "--as-of", "2026-11-15", "--format", "json"],
    ["--format=sarif", "repo", "--fail-on", "minor"],
    ["--structure-only", "--no-cache", "--cache-dir", "/tmp/c", "--output", "out.txt"],
    ["--baseline", "HEAD~1", "--as-of", "not-a-date"],
    ["--as-of", "2026-01-01", "--as-of", "2026-02-02"],  # the last one wins
    ["--format", "compact", "--format", "terminal"],
    ["--as-of", ""],
    ["--cache-dir=", "."],
]

NOT_PLAIN = [
    ["--help"],
    ["-f", "json"],  # short options go to typer
    ["-o", "out.txt"],
    ["--format", "xml"],  # typer reports the bad choice
    ["--fail-on", "critical"],
    ["one", "two"],
    ["--as-of"],
    ["--as-of", "--no-cache"],
    ["--no-cache=yes"],
    ["--unknown"],
    ["--", "repo"],
    ["-"],
]


def through_typer(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def capture(**kwargs: Any) -> int:
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(commands, "validate", capture)
    result = runner.invoke(app, ["validate", *args])
    assert result.exit_code == 0, result.output
    return seen


def with_defaults(params: dict[str, Any]) -> dict[str, Any]:
    defaults = {
        name: p.default for name, p in inspect.signature(commands.validate).parameters.items()
    }
    return {**defaults, **params}


@pytest.mark.parametrize("args", PLAIN, ids=lambda a: " ".join(a) or "(none)")
def test_plain_arguments_mean_what_typer_makes_of_them(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = plain_validate_args(args)
    assert mine is not None
    assert with_defaults(mine) == through_typer(args, monkeypatch)


@pytest.mark.parametrize("args", NOT_PLAIN, ids=lambda a: " ".join(a))
def test_other_arguments_are_left_to_typer(args: list[str]) -> None:
    assert plain_validate_args(args) is None


def test_every_long_option_of_validate_is_known() -> None:
    """A new option of ``validate`` in cli.py must be added to entry.VALIDATE_OPTIONS too."""
    command = typer.main.get_command(app).commands["validate"]  # type: ignore[attr-defined]
    longs = {opt for param in command.params for opt in param.opts if opt.startswith("--")}
    assert longs == set(VALIDATE_OPTIONS)
    params = set(inspect.signature(commands.validate).parameters)
    assert {param for param, _ in VALIDATE_OPTIONS.values()} | {"root"} == params


def _script() -> str:
    script = shutil.which("smscheck", path=os.path.dirname(sys.executable))
    assert script, "the smscheck console script is not installed next to this Python"
    return script


@pytest.mark.parametrize(
    "args",
    [["--as-of", "2026-11-15"], ["--as-of", "2026-11-15", "--format", "json", "--no-cache"]],
)
def test_the_script_prints_what_typer_prints(args: list[str], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    env = {**os.environ, "SMSCHECK_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [_script(), "validate", str(repo), *args], capture_output=True, text=True, env=env
    )
    typed = runner.invoke(app, ["validate", str(repo), *args], env=env)
    assert done.returncode == typed.exit_code
    assert done.stdout == typed.stdout
    assert done.stderr == ""


def test_plain_validate_never_imports_typer(tmp_path: Path) -> None:
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write(f'typer loaded: {\"typer\" in sys.modules}'))\n"
        f"sys.argv = ['smscheck', 'validate', {str(tmp_path / 'missing')!r}]\n"
        "from sms_check.entry import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("smscheck: error: ")
    assert done.stderr.endswith("typer loaded: False")


def test_help_still_comes_from_typer() -> None:
    done = subprocess.run([_script(), "validate", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "--structure-only" in done.stdout and "--as-of" in done.stdout


def test_a_bad_choice_gets_typers_message() -> None:
    done = subprocess.run(
        [_script(), "validate", "--format", "xml"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "'xml' is not one of" in done.stderr or "Invalid value" in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", [["--format", "json"], ["-f", "json"]], ids=["plain", "typer"])
def test_a_report_that_cannot_be_written_is_one_line_not_a_crash(fmt: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [_script(), "validate", str(EXAMPLE), "--as-of", "2026-11-15", "--no-cache", *fmt],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 2
    assert done.stderr == (
        "smscheck: error: cannot write the report to standard output (No space left on device)\n"
    )
