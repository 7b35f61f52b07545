"""Runs tests/check_cases/<type>.yaml: data-driven cases for every check type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter

from sms_check.checks import CHECK_TYPES, CheckSpec, EvalContext
from sms_check.evidence import load_evidence

CASES_DIR = Path(__file__).parent / "check_cases"
ADAPTER: TypeAdapter[Any] = TypeAdapter(CheckSpec)


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            params.append(pytest.param(data["evidence"], case, id=f"{path.stem}: {case['name']}"))
    return params


def _repo(tmp_path: Path, evidence: dict[str, list[Any]], extra: dict[str, list[Any]]) -> Path:
    merged = {**evidence, **extra}
    for kind, items in merged.items():
        path = tmp_path / "evidence" / f"{kind}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"kind": kind, "items": items}), encoding="utf-8")
    return tmp_path


def test_every_check_type_has_cases() -> None:
    assert {p.stem for p in CASES_DIR.glob("*.yaml")} == set(CHECK_TYPES)


@pytest.mark.parametrize("evidence, case", _cases())
def test_check_case(tmp_path: Path, evidence: dict[str, Any], case: dict[str, Any]) -> None:
    index = load_evidence(_repo(tmp_path, evidence, case.get("evidence_extra", {})))
    assert not index.problems, [str(p.location) + " " + p.message for p in index.problems]
    check = ADAPTER.validate_python(case["check"])
    as_of = dt.date.fromisoformat(str(case.get("as_of", "2026-11-15")))
    outcome = check.evaluate(EvalContext(index, as_of, "REQ-1"))
    verdict = case["verdict"]
    if verdict == "pass":
        assert outcome.passed, [f.message for f in outcome.findings]
    else:
        assert not outcome.passed
        partial = not outcome.missing and outcome.failed < outcome.evaluated
        assert partial == (verdict == "partial"), (outcome.failed, outcome.evaluated)
    if "missing" in case:
        assert outcome.missing == case["missing"]
    text = "\n".join(f"{f.location}: {f.message}" for f in outcome.findings)
    for expected in case.get("findings", []):
        assert expected in text, text
    for finding in outcome.findings:
        assert finding.rule == "REQ-1"
        assert finding.location.path


def test_every_check_type_documents_itself() -> None:
    for name, cls in CHECK_TYPES.items():
        doc = cls.__doc__ or ""
        assert "Example::" in doc, name
        example = doc.split("Example::", 1)[1]
        lines = [line[8:] if line.startswith("        ") else line for line in example.splitlines()]
        parsed = yaml.safe_load("\n".join(lines))
        assert parsed[0]["type"] == name
        ADAPTER.validate_python(parsed[0])
