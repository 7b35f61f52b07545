"""Unit tests of every output format on a hand-built report (goldens on examples live elsewhere)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema

from sms_check.reporters import FORMATS, REPORTERS, get_reporter
from sms_check.reporters.base import Reporter
from sms_check.reporters.terminal import TerminalReporter
from sms_check.reporters.text import clean, github_data, github_property, markdown_text
from sms_check.results import (
    Automation,
    ClauseSummary,
    Finding,
    Location,
    Report,
    RequirementInfo,
    RequirementResult,
    Severity,
    Verdict,
)

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = Path(__file__).resolve().parent / "external"
REPORT_SCHEMA = ROOT / "src" / "sms_check" / "schemas" / "report.schema.json"

EVIL = "bad <script>alert(1)</script> | pipe `tick` \x1b[31mred\x1b[0m\nnext line 100% \x00nul"


def _req(
    rid: str,
    clause: str,
    clause_title: str,
    title: str,
    severity: Severity = Severity.MAJOR,
    automation: Automation = Automation.AUTOMATED,
    licensed_text: str = "",
) -> RequirementInfo:
    return RequirementInfo(
        id=rid,
        clause=clause,
        clause_title=clause_title,
        title=title,
        statement=f"The organization shall satisfy {title.lower()}.",
        automation=automation,
        severity=severity,
        pack="iso20000-core",
        source=Location("requirements/core.yaml", 10),
        licensed_text=licensed_text,
    )


def _summary(clause: str, title: str, counts: dict[str, int], score: float) -> ClauseSummary:
    return ClauseSummary(clause, title, counts, score, sum(counts.values()))


def build_report() -> Report:
    policy = _req("SMS-CTX-001", "4.1", "Understanding the organization", "Context documented")
    scope = _req(
        "SMS-CTX-002",
        "4.3",
        "Scope of the SMS",
        "Scope | boundaries",
        severity=Severity.MINOR,
        licensed_text="Licensed clause text supplied by the organisation.",
    )
    review = _req(
        "SMS-LEAD-001",
        "5.1",
        "Leadership and commitment",
        "Top management review",
        automation=Automation.MANUAL,
    )
    changes = _req("SMS-OPS-001", "8.5.1", "Change management", "Change records kept")
    incidents = _req("SMS-OPS-002", "8.6.1", "Incident management", "Incident records")
    results = (
        RequirementResult(policy, Verdict.CONFORMS),
        RequirementResult(
            scope,
            Verdict.PARTIAL,
            (
                Finding(
                    "SMS-CTX-002",
                    EVIL,
                    Location("evidence/scope.yaml", 3, 5),
                    Severity.MINOR,
                    kind="field_missing",
                    item_id="SCOPE-1",
                ),
            ),
        ),
        RequirementResult(review, Verdict.NEEDS_REVIEW, note="no attestation for 2025"),
        RequirementResult(
            changes,
            Verdict.NONCONFORMING,
            (
                Finding(
                    "SMS-OPS-001",
                    "no change record in the last 90 days",
                    Location("evidence/changes"),
                    Severity.MAJOR,
                    kind="missing",
                    expected_at="change_record in evidence/changes/",
                    waived_by="W-1",
                ),
            ),
            waived=True,
        ),
        RequirementResult(
            incidents,
            Verdict.ERROR,
            (
                Finding(
                    "SMS-OPS-002",
                    "evidence file unreadable",
                    Location("evidence/incidents/INC 1.yaml", 1),
                    Severity.ERROR,
                    kind="unreadable",
                ),
            ),
            note="evidence could not be read",
        ),
    )
    problems = (
        Finding(
            "structure/invalid_yaml",
            "not valid YAML: mapping values are not allowed here\x1b]0;pwned\x07 | %",
            Location("evidence/incidents/INC 1.yaml", 4, 12),
            Severity.ERROR,
            kind="structure/invalid_yaml",
        ),
    )
    leaves = (
        _summary("4.1", "Understanding the organization", {"conforms": 1}, 100.0),
        _summary("4.3", "Scope of the SMS", {"partial": 1}, 50.0),
        _summary("5.1", "Leadership and commitment", {"needs_review": 1}, 0.0),
        _summary("8.5.1", "Change management", {"nonconforming": 1}, 50.0),
        _summary("8.6.1", "Incident management", {"error": 1}, 0.0),
    )
    tops = (
        _summary("4", "Context of the organization", {"conforms": 1, "partial": 1}, 75.0),
        _summary("5", "Leadership", {"needs_review": 1}, 0.0),
        _summary("8", "Operation of the SMS", {"nonconforming": 1, "error": 1}, 25.0),
    )
    return Report(
        organization="Acme IT <Services> | Ltd",
        as_of="2025-06-01",
        tool_version="0.0.0+test",
        results=results,
        problems=problems,
        clauses=leaves,
        top_clauses=tops,
        score=40.0,
        counts={"conforms": 1, "partial": 1, "nonconforming": 1, "needs_review": 1, "error": 1},
        packs=("iso20000-core",),
    )


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report()


def render(fmt: str, report: Report) -> str:
    reporter: Reporter = get_reporter(fmt)()
    return reporter.render(report)


# --- registry -------------------------------------------------------------------------------


def test_formats_equal_registry_keys() -> None:
    assert tuple(REPORTERS) == FORMATS
    assert len(set(FORMATS)) == len(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_reporter_name_matches_key(fmt: str) -> None:
    cls = get_reporter(fmt)
    assert cls.name == fmt
    assert cls.suffix.startswith(".")


def test_unknown_format_is_a_usage_error() -> None:
    from sms_check.errors import UsageError

    with pytest.raises(UsageError, match="pdf"):
        get_reporter("pdf")


def test_importing_the_registry_is_cheap() -> None:
    code = (
        "import sys; import sms_check.reporters; "
        "heavy = ('rich', 'jinja2', 'xml.etree.ElementTree'); "
        "heavy = sorted(m for m in heavy if m in sys.modules); "
        "print(heavy)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"


# --- every format ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_renders_deterministically_with_trailing_newline(fmt: str, report: Report) -> None:
    first = render(fmt, report)
    assert first.endswith("\n")
    assert first == render(fmt, build_report())
    assert "\x00" not in first


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_no_evidence_borne_escape_sequences(fmt: str, report: Report) -> None:
    out = render(fmt, report)
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "[31m" not in out and "]0;pwned" not in out  # whole sequences go, not only ESC


# --- terminal -------------------------------------------------------------------------------


def test_terminal_plain(report: Report) -> None:
    out = TerminalReporter(color=False).render(report)
    assert "\x1b" not in out
    assert "Acme IT <Services> | Ltd" in out
    assert "40.0%" in out
    assert "evidence/scope.yaml:3:5: minor: [SMS-CTX-002] bad <script>" in out
    assert "red next line 100% nul" in out  # ANSI stripped, newline folded, NUL dropped
    assert "(waived by W-1)" in out
    assert "Context of the organization" in out and "Change management" in out
    lines = out.splitlines()
    assert lines[-1].startswith("5 requirements (1 conforms, 1 partial")


def test_terminal_colour_only_from_rich(report: Report) -> None:
    out = TerminalReporter(color=True).render(report)
    assert "\x1b[" in out  # rich styles
    assert "\x1b[31mred" not in out  # the evidence's own escape is gone
    assert "\x1b]" not in out and "pwned" not in out  # no OSC (window title) from evidence


def test_terminal_markup_in_evidence_is_not_interpreted() -> None:
    base = build_report()
    result = base.results[1]
    finding = Finding(
        "SMS-CTX-002", "[bold red]boom[/] :smile:", Location("e.yaml", 1), Severity.MINOR
    )
    patched = Report(
        **{
            **base.__dict__,
            "results": (
                base.results[0],
                RequirementResult(result.requirement, result.verdict, (finding,)),
                *base.results[2:],
            ),
        }
    )
    out = TerminalReporter(color=False).render(patched)
    assert "[bold red]boom[/] :smile:" in out


# --- json -----------------------------------------------------------------------------------


def test_json_validates_against_report_schema(report: Report) -> None:
    document = json.loads(render("json", report))
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["schema_version"] == 1
    assert document["summary"] == {
        "conforms": 1,
        "partial": 1,
        "nonconforming": 1,
        "needs_review": 1,
        "error": 1,
    }
    requirements = {r["id"]: r for r in document["requirements"]}
    assert "licensed_text" in requirements["SMS-CTX-002"]
    assert "licensed_text" not in requirements["SMS-CTX-001"]
    assert requirements["SMS-CTX-002"]["findings"][0]["message"] == EVIL  # verbatim
    assert document["problems"][0]["rule"] == "structure/invalid_yaml"
    assert list(document)[:3] == ["schema_version", "tool", "organization"]


# --- markdown -------------------------------------------------------------------------------


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def test_markdown_tables_do_not_break(report: Report) -> None:
    out = render("markdown", report)
    assert "<script>" not in out
    assert "\x1b" not in out
    # every row of a table has as many unescaped cell separators as its header row
    blocks: list[list[str]] = []
    previous = False
    for line in out.splitlines():
        is_row = line.startswith("|")
        if is_row and not previous:
            blocks.append([])
        if is_row:
            blocks[-1].append(line)
        previous = is_row
    assert len(blocks) >= 4
    for block in blocks:
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in block}
        assert len(widths) == 1, block


def test_markdown_content(report: Report) -> None:
    out = render("markdown", report)
    assert out.startswith("# ISO/IEC 20000-1:2018 gap report: Acme IT &lt;Services&gt; \\| Ltd\n")
    assert "[evidence/scope.yaml:3:5](evidence/scope.yaml#L3)" in out
    assert "(evidence/incidents/INC%201.yaml#L1)" in out
    assert "### SMS-CTX-001" not in out  # conforming requirements are not listed
    assert "### SMS-OPS-001 Change records kept" in out
    assert "(waived by W-1)" in out
    assert "> Licensed clause text supplied by the organisation." in out
    assert "\\`tick\\`" in out


def test_markdown_escaping_helper() -> None:
    assert markdown_text("a|b`c<d>\ne") == "a\\|b\\`c&lt;d&gt;<br>e"


# --- html -----------------------------------------------------------------------------------


def test_html_escapes_and_is_self_contained(report: Report) -> None:
    out = render("html", report)
    assert "<script>alert(1)</script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert out.count("<script>") == 1  # only our own inline script
    assert "Acme IT &lt;Services&gt; | Ltd" in out
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", out)
    assert "<link" not in out
    assert 'href="evidence/scope.yaml#L3"' in out
    assert 'href="evidence/incidents/INC%201.yaml#L1"' in out
    assert "Licensed clause text supplied by the organisation." in out
    for verdict in Verdict:
        assert f'data-filter="verdict" value="{verdict.value}"' in out
    for severity in Severity:
        assert f'data-filter="severity" value="{severity.value}"' in out
    assert 'data-verdict="needs_review"' in out
    assert out.count('class="cell"') == 5  # one heatmap cell per leaf clause


# --- sarif ----------------------------------------------------------------------------------


def _sarif(report: Report) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render("sarif", report))
    return document


def test_sarif_validates_against_schema(report: Report) -> None:
    schema = json.loads((EXTERNAL / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    validator_cls(schema).validate(_sarif(report))


def test_sarif_content(report: Report) -> None:
    document = _sarif(report)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == [r.requirement.id for r in report.results] + ["structure/invalid_yaml"]
    results = run["results"]
    assert len(results) == 4
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert "smscheck/v1" in result["partialFingerprints"]
        for location in result.get("locations", []):
            physical = location["physicalLocation"]
            assert physical["region"]["startLine"] >= 1
            assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    waived = [r for r in results if "suppressions" in r]
    assert waived == [r for r in results if r["ruleId"] == "SMS-OPS-001"]
    assert waived[0]["suppressions"][0] == {"kind": "external", "justification": "waived by W-1"}
    scope = next(r for r in results if r["ruleId"] == "SMS-CTX-002")
    assert scope["level"] == "warning"
    assert scope["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 5}
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in rules}
    assert levels["SMS-CTX-001"] == "error"
    assert levels["structure/invalid_yaml"] == "error"


# --- junit ----------------------------------------------------------------------------------


def test_junit_validates_against_xsd(report: Report) -> None:
    schema = xmlschema.XMLSchema(str(EXTERNAL / "junit-windyroad.xsd"))
    schema.validate(render("junit", report))


def test_junit_content(report: Report) -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(render("junit", report))
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    assert names == [
        "Clause 4 Context of the organization",
        "Clause 5 Leadership",
        "Clause 8 Operation of the SMS",
        "Evidence structure",
    ]
    assert suites[0].get("timestamp") == "2025-06-01T00:00:00"
    cases = {c.get("name", "").split()[0]: c for s in suites for c in s.findall("testcase")}
    assert list(cases["SMS-CTX-001"]) == []
    assert cases["SMS-CTX-002"].find("failure") is not None
    skipped = cases["SMS-LEAD-001"].find("skipped")
    assert skipped is not None and skipped.get("message", "").startswith("needs review: ")
    assert cases["SMS-OPS-001"].find("skipped") is not None  # every finding waived
    assert cases["SMS-OPS-002"].find("error") is not None
    assert suites[0].get("failures") == "1" and suites[2].get("errors") == "1"


# --- github ---------------------------------------------------------------------------------


def test_github_annotations(report: Report) -> None:
    lines = render("github", report).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 3  # waived finding left out
    assert not lines[-1].startswith("::")
    assert lines[-1].startswith("smscheck: 5 requirements")
    scope = next(c for c in commands if "SMS-CTX-002" in c)
    assert scope.startswith("::warning file=evidence/scope.yaml,line=3,col=5,title=SMS-CTX-002::")
    assert "%0Anext line 100%25 nul" in scope
    structural = next(c for c in commands if "structure" in c)
    assert structural.startswith("::error file=evidence/incidents/INC 1.yaml,line=4,col=12,")
    assert "title=structure/invalid_yaml::" in structural


def test_github_escaping() -> None:
    assert github_data("a%b\r\nc") == "a%25b%0Ac"
    assert github_property("x:y,z%") == "x%3Ay%2Cz%25"


# --- gitlab ---------------------------------------------------------------------------------


def test_gitlab_code_quality(report: Report) -> None:
    issues = json.loads(render("gitlab", report))
    assert isinstance(issues, list) and len(issues) == 3
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["lines"]["begin"] >= 1
        assert issue["severity"] in {"blocker", "critical", "major", "minor", "info"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["check_name"]: i["severity"] for i in issues} == {
        "structure/invalid_yaml": "blocker",
        "SMS-CTX-002": "minor",
        "SMS-OPS-002": "blocker",
    }


# --- helpers --------------------------------------------------------------------------------


def test_clean_strips_escapes_and_controls() -> None:
    assert clean("\x1b[1;31mred\x1b[0m\x00\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\") == (
        "red link"
    )
    assert clean("a\r\nb\tc") == "a\nb c"
    assert clean("a\n  b", keep_newlines=False) == "a b"
    assert clean("\u202eevil") == "evil"


def test_empty_report_renders_valid_documents() -> None:
    empty = Report(
        organization="Empty Ltd",
        as_of="2025-06-01",
        tool_version="0.0.0+test",
        results=(),
        problems=(),
        clauses=(),
        top_clauses=(),
        score=0.0,
    )
    for fmt in FORMATS:
        assert render(fmt, empty).endswith("\n")
    xmlschema.XMLSchema(str(EXTERNAL / "junit-windyroad.xsd")).validate(render("junit", empty))
    sarif_schema = json.loads((EXTERNAL / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(sarif_schema)(sarif_schema).validate(_sarif(empty))
    report_schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(render("json", empty))
    jsonschema.Draft202012Validator(report_schema).validate(document)
    assert document["summary"]["conforms"] == 0
    assert json.loads(render("gitlab", empty)) == []
