"""Golden files: every report format on every example, with a pinned assessment date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from sms_check.pipeline import assess
from sms_check.reporters import FORMATS, get_reporter
from sms_check.results import Report

AS_OF = "2026-11-15"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXTERNAL = Path(__file__).parent / "external"
SCENARIOS = ("northwind", "fledgling")
SUFFIX = {
    "terminal": "txt",
    "compact": "compact.txt",
    "json": "json",
    "markdown": "md",
    "html": "html",
    "sarif": "sarif",
    "junit": "xml",
    "github": "github.txt",
    "gitlab": "gitlab.json",
}


@cache
def _report(scenario: str) -> Report:
    report = assess(EXAMPLES / scenario, dt.date.fromisoformat(AS_OF)).report
    return dataclasses.replace(report, tool_version="0.0.0-test")


def _render(scenario: str, fmt: str) -> str:
    return get_reporter(fmt)().render(_report(scenario))


def test_every_format_has_a_golden_suffix() -> None:
    assert set(SUFFIX) == set(FORMATS)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden(scenario: str, fmt: str, golden: Callable[[str, str], None]) -> None:
    golden(f"{scenario}/report.{SUFFIX[fmt]}", _render(scenario, fmt))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_sarif_validates_against_the_oasis_schema(scenario: str) -> None:
    schema = json.loads((EXTERNAL / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    document = json.loads(_render(scenario, "sarif"))
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    for result in document["runs"][0]["results"]:
        assert result["locations"], result
        assert result["partialFingerprints"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_junit_validates_against_the_xsd(scenario: str) -> None:
    xmlschema.XMLSchema(str(EXTERNAL / "junit-windyroad.xsd")).validate(_render(scenario, "junit"))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_json_validates_against_its_schema(scenario: str) -> None:
    from sms_check.schemas import report_schema

    jsonschema.validate(json.loads(_render(scenario, "json")), report_schema())


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_gitlab_code_quality_shape(scenario: str) -> None:
    issues = json.loads(_render(scenario, "gitlab"))
    assert isinstance(issues, list)
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_every_young_finding_points_at_a_real_place() -> None:
    report = _report("fledgling")
    root = EXAMPLES / "fledgling"
    for finding in report.all_findings():
        path = root / finding.location.path
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            assert finding.location.line <= len(lines), finding
            if finding.location.line:
                assert lines[finding.location.line - 1].strip(), finding
        else:
            # missing evidence: the finding says what is missing and where it belongs
            assert finding.expected_at or finding.kind == "exclusion-not-allowed", finding
            assert finding.location.path.startswith("evidence/"), finding


def test_young_example_fails_on_observation_and_ready_example_passes() -> None:
    from typer.testing import CliRunner

    from sms_check.cli import app

    runner = CliRunner()
    young = runner.invoke(
        app, ["validate", str(EXAMPLES / "fledgling"), "--fail-on", "observation", "--as-of", AS_OF]
    )
    assert young.exit_code == 1
    ready = runner.invoke(app, ["validate", str(EXAMPLES / "northwind"), "--as-of", AS_OF])
    assert ready.exit_code == 0, ready.stdout[-2000:]
    assert "0 structural finding(s)" in ready.stdout
