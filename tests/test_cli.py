"""CLI wiring: exit codes, one-line errors, no tracebacks (typer's CliRunner and a subprocess)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sms_check.cli import app

runner = CliRunner()
MINIMAL = {
    "smscheck.yaml": "organization: Test SRL\ninclude_bundled_catalog: true\n",
    "evidence/people.yaml": "kind: person\nitems:\n  - id: P-1\n    name: Ana\n",
}


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "gap-report", "schema", "init", "requirements"):
        assert command in result.stdout


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("smscheck ")


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"smscheck: error: {tmp_path / 'nope'}: no such folder " + (
        "(give the root of an evidence repository)"
    )


def test_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path), "--as-of", "2026-13-01"])
    assert result.exit_code == 2
    assert "--as-of '2026-13-01' is not a date; write it as YYYY-MM-DD" in result.stderr


def test_bad_flag_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path), "--fail-on", "catastrophic"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("fail_on: sometimes\n", "smscheck.yaml:1:1: 'fail_on': Input should be"),
        ("organisation: X\n", "smscheck.yaml:1:1: 'organisation': unknown setting"),
        ("organization: [unclosed\n", "smscheck.yaml:2:1: not valid YAML"),
        ("- a list\n", "smscheck.yaml:1:1: the configuration must be a mapping of settings"),
        (
            "severity_overrides: {NOPE-1: minor}\n",
            "smscheck.yaml: severity_overrides names unknown requirement 'NOPE-1'",
        ),
        ("requirement_packs: [packs/missing]\n", "packs/missing: requirement pack not found"),
    ],
)
def test_config_errors_exit_2_with_one_line(make_repo: object, config: str, message: str) -> None:
    root = make_repo({**MINIMAL, "smscheck.yaml": config})  # type: ignore[operator]
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("smscheck: error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_invalid_requirement_pack_exits_2(make_repo: object) -> None:
    pack = (
        "pack: {id: own, title: Own}\n"
        "requirements:\n"
        "  - id: OWN-1\n"
        "    clause: A.1\n"
        "    clause_title: Own\n"
        "    title: t\n"
        "    statement: s\n"
        "    automation: automated\n"
        "    severity: huge\n"
        "    checks: [{type: exists, kind: service}]\n"
    )
    root = make_repo(  # type: ignore[operator]
        {**MINIMAL, "smscheck.yaml": "requirement_packs: [own.yaml]\n", "own.yaml": pack}
    )
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 2
    assert "own.yaml:9:5: OWN-1: severity: Input should be 'major', 'minor' or 'observation'" in (
        result.stderr
    )


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    first = runner.invoke(app, ["init", str(target)])
    assert first.exit_code == 0
    assert (target / "smscheck.yaml").is_file()
    assert (target / ".pre-commit-config.yaml").is_file()
    assert (target / ".github" / "workflows" / "smscheck.yml").is_file()
    assert (target / "evidence" / "incident.yaml").is_file()
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 2
    assert "already exists; smscheck init never overwrites files" in again.stderr
    structure = runner.invoke(app, ["validate", str(target), "--structure-only"])
    assert structure.exit_code == 0, structure.stdout


def test_installed_script_runs_in_a_subprocess(tmp_path: Path) -> None:
    script = shutil.which("smscheck", path=os.path.dirname(sys.executable))
    assert script, "the smscheck console script is not installed next to this Python"
    done = subprocess.run(
        [script, "validate", str(tmp_path / "missing")], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.startswith("smscheck: error: ")
    ok = subprocess.run([script, "--version"], capture_output=True, text=True)
    assert ok.returncode == 0


def test_internal_error_exits_3(monkeypatch: pytest.MonkeyPatch, capsys: object) -> None:
    import sms_check.cli as cli

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "app", boom)
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 3


def test_fail_on_from_config_and_flag(make_repo: object) -> None:
    evidence = {
        "evidence/services.yaml": "kind: service\nitems:\n  - {id: SVC-1, name: Hosting}\n",
        "pack.yaml": (
            "pack: {id: own, title: Own}\n"
            "requirements:\n"
            "  - {id: OWN-1, clause: A.1, clause_title: Own, title: t, statement: s,"
            " automation: automated, severity: minor, checks: [{type: exists, kind: sla}]}\n"
        ),
    }
    base = "include_bundled_catalog: false\nrequirement_packs: [pack.yaml]\n"
    root = make_repo({**evidence, "smscheck.yaml": base})  # type: ignore[operator]
    assert runner.invoke(app, ["validate", str(root)]).exit_code == 0  # minor < major
    (root / "smscheck.yaml").write_text(base + "fail_on: minor\n")
    assert runner.invoke(app, ["validate", str(root)]).exit_code == 1  # the config decides
    assert runner.invoke(app, ["validate", str(root), "--fail-on", "major"]).exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "licensed text cannot be read (No such file or directory)"),
        ("- just\n- a list\n", "licensed text must map requirement ids to text (id: text)"),
        ("a: [unclosed\n", ":2:1: not valid YAML"),
    ],
)
def test_bad_licensed_text_exits_2(make_repo: object, content: str | None, message: str) -> None:
    root = make_repo(MINIMAL)  # type: ignore[operator]
    overlay = root / "licensed.yaml"
    if content is not None:
        overlay.write_text(content)
    (root / "smscheck.yaml").write_text(f"licensed_text: {overlay}\n")
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_unwritable_output_is_a_usage_error(make_repo: object) -> None:
    root = make_repo(MINIMAL)  # type: ignore[operator]
    target = root / "no-such-folder" / "report.html"
    result = runner.invoke(app, ["gap-report", str(root), "-f", "html", "-o", str(target)])
    assert result.exit_code == 2
    assert "cannot write the report (No such file or directory)" in result.stderr
    assert not target.exists()
