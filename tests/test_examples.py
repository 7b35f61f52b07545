"""End to end on the bundled examples: a date flip, own packs and the licensed-text overlay."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from sms_check.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = "2026-11-15"
runner = CliRunner()


def _verdicts(root: Path) -> dict[str, str]:
    result = runner.invoke(app, ["gap-report", str(root), "-f", "json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return {r["id"]: r["verdict"] for r in json.loads(result.stdout)["requirements"]}


def test_changing_one_date_flips_exactly_the_right_requirement(tmp_path: Path) -> None:
    repo = tmp_path / "northwind"
    shutil.copytree(EXAMPLES / "northwind", repo)
    before = _verdicts(repo)
    assert before["ISO20000-1:2018/7.6/02"] == "partial"
    knowledge = repo / "evidence" / "support" / "knowledge.yaml"
    text = knowledge.read_text()
    assert text.count("updated_on: 2025-10-16") == 1
    knowledge.write_text(text.replace("updated_on: 2025-10-16", "updated_on: 2026-10-16"))
    after = _verdicts(repo)
    changed = {rid: (before[rid], after[rid]) for rid in before if before[rid] != after[rid]}
    assert changed == {"ISO20000-1:2018/7.6/02": ("partial", "conforms")}


def test_own_pack_and_licensed_text(tmp_path: Path) -> None:
    repo = tmp_path / "northwind"
    shutil.copytree(EXAMPLES / "northwind", repo)
    (repo / "packs").mkdir()
    (repo / "packs" / "customer.yaml").write_text(
        "pack: {id: clujbank, title: Cluj Commercial Bank supplier requirements}\n"
        "requirements:\n"
        "  - id: CCB-01\n"
        "    clause: CCB.1\n"
        "    clause_title: Outsourcing controls\n"
        "    title: Quarterly customer review\n"
        "    statement: Hold a service review with the bank at least every quarter.\n"
        "    automation: automated\n"
        "    severity: major\n"
        "    checks:\n"
        "      - type: freshness\n"
        "        kind: customer_review\n"
        "        where: {customer: IP-CUST-CLUJBANK}\n"
        "        date_field: held_on\n"
        "        default: 3 months\n"
    )
    licensed = tmp_path / "my-licensed-copy.yaml"
    licensed.write_text('"ISO20000-1:2018/4.1/01": "LICENSED TEXT OF 4.1 (owned copy)"\n')
    config = repo / "smscheck.yaml"
    config.write_text(
        config.read_text()
        + f"requirement_packs: [packs/customer.yaml]\nlicensed_text: {licensed}\n"
    )
    verdicts = _verdicts(repo)
    assert verdicts["CCB-01"] == "conforms"
    report = runner.invoke(app, ["gap-report", str(repo), "-f", "json", "--as-of", AS_OF])
    requirements = {r["id"]: r for r in json.loads(report.stdout)["requirements"]}
    assert requirements["ISO20000-1:2018/4.1/01"]["licensed_text"].startswith("LICENSED TEXT")
    shown = runner.invoke(app, ["requirements", "show", "4.1/01", "--root", str(repo)])
    assert shown.exit_code == 0
    assert "Licensed text" in shown.stdout
    assert "LICENSED TEXT OF 4.1" in shown.stdout
    listed = runner.invoke(app, ["requirements", "list", "--root", str(repo), "--format", "json"])
    assert any(r["id"] == "CCB-01" and r["pack"] == "clujbank" for r in json.loads(listed.stdout))
    linted = runner.invoke(app, ["requirements", "lint", str(repo / "packs" / "customer.yaml")])
    assert linted.exit_code == 0, linted.output


def test_requirements_list_json_and_clause_filter() -> None:
    result = runner.invoke(app, ["requirements", "list", "--clause", "8.5", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert rows
    assert all(r["clause"].startswith("8.5") for r in rows)
    assert set(rows[0]) >= {"id", "clause", "title", "automation", "severity"}
    unknown = runner.invoke(app, ["requirements", "show", "NOPE-99"])
    assert unknown.exit_code == 2
    assert "no requirement 'NOPE-99'" in unknown.stderr
