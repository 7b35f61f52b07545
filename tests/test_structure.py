"""Every structural defect in evidence is a finding with its exact location (exit 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sms_check.cli import app

CASES: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "structure_cases.yaml").read_text(encoding="utf-8")
)
runner = CliRunner()


def _build(tmp_path: Path, case: dict[str, Any]) -> Path:
    files = {**CASES["base"], **case.get("files", {})}
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, hexdata in case.get("files_bytes", {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes.fromhex(hexdata))
    return tmp_path


@pytest.mark.parametrize("name", sorted(CASES["cases"]))
def test_structural_case(name: str, tmp_path: Path) -> None:
    case = CASES["cases"][name]
    root = _build(tmp_path, case)
    result = runner.invoke(
        app, ["validate", str(root), "--structure-only", "--as-of", "2026-11-15"]
    )
    lines = result.stdout.splitlines()
    assert "Traceback" not in result.output
    if not case["expect"]:
        assert result.exit_code == 0, result.stdout
        assert lines[-1].startswith("smscheck: 0 structural finding(s)")
        return
    assert result.exit_code == 1, result.stdout
    for expected in case["expect"]:
        location, _, rest = expected.partition(": [")
        rule, _, message = rest.partition("] ")
        prefix = f"{location}: error: [{rule}] {message}"
        assert any(line.startswith(prefix) for line in lines), (
            f"expected a line starting with\n  {prefix}\ngot:\n" + result.stdout
        )
