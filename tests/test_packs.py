"""Broken requirement packs are the tool's problem: exit 2 with located, exact messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sms_check.cli import app

DATA: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "pack_cases.yaml").read_text(encoding="utf-8")
)
runner = CliRunner()


@pytest.mark.parametrize("name", sorted(DATA["cases"]))
def test_broken_pack(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = DATA["cases"][name]
    text = case["text"] if case.get("raw") else DATA["header"] + case["text"]
    (tmp_path / "own.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["requirements", "lint", "own.yaml"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for expected in case["expect"]:
        assert expected in result.stderr, result.stderr
    assert result.stderr.splitlines()[-1].startswith("smscheck: error: ")


def test_broken_own_pack_stops_validate_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "own.yaml").write_text(DATA["header"] + DATA["cases"]["unknown_field"]["text"])
    (tmp_path / "smscheck.yaml").write_text("requirement_packs: [own.yaml]\n")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == (
        "smscheck: error: invalid requirement pack: own.yaml:3:5: OWN-1: a check reads "
        "'target', which is not a field of sla"
    )


def test_valid_own_pack_lints_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "own.yaml").write_text(
        DATA["header"]
        + "requirements:\n"
        + "  - {id: OWN-1, clause: A.1, clause_title: Own, title: t, statement: s,"
        + " automation: automated, severity: minor, checks: [{type: exists, kind: sla}]}\n"
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["requirements", "lint", "own.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "1 requirements in 1 pack(s): no problems"
