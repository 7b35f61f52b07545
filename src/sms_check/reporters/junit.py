"""JUnit XML: one testsuite per top clause, one testcase per requirement.

The document validates against the widely used Windy Road JUnit XSD (``<testsuites>`` carries no
attributes there; each ``<testsuite>`` needs ``id``, ``package``, ``hostname`` and ``timestamp``,
and ``properties``, ``system-out`` and ``system-err`` children).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from sms_check.reporters.text import finding_line, one_line, score_text, top_clause_of, xml_text
from sms_check.results import Finding, Report, RequirementResult, Severity, Verdict

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
STRUCTURE_SUITE = "Evidence structure"


def junit_timestamp(as_of: str) -> str:
    """The evaluation date as the XSD's ``YYYY-MM-DDTHH:MM:SS`` (no clock is read)."""
    if _DATE.fullmatch(as_of):
        return f"{as_of}T00:00:00"
    if _DATETIME.match(as_of):
        return as_of[:19]
    return "1970-01-01T00:00:00"


def _worst(findings: tuple[Finding, ...], default: Severity) -> Severity:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=default)


def _body(findings: tuple[Finding, ...] | list[Finding]) -> str:
    return "\n".join(xml_text(finding_line(f)) for f in findings)


class JunitReporter:
    """JUnit XML for CI test widgets.

    conforms: passed; partial and nonconforming: ``<failure>``; error: ``<error>``;
    needs review, and gaps whose every finding is waived: ``<skipped>``. Structural evidence
    problems get an extra ``Evidence structure`` suite with one ``<error>`` per problem.
    """

    name: ClassVar[str] = "junit"
    suffix: ClassVar[str] = ".xml"

    def render(self, report: Report) -> str:
        import xml.etree.ElementTree as ET

        root = ET.Element("testsuites")
        by_top: dict[str, list[RequirementResult]] = {}
        for result in report.results:
            by_top.setdefault(top_clause_of(result.requirement.clause), []).append(result)
        suites: list[tuple[str, list[RequirementResult]]] = []
        for top in report.top_clauses:
            title = one_line(f"Clause {top.clause} {top.title}")
            suites.append((title, by_top.pop(top.clause, [])))
        for key in sorted(by_top):
            suites.append((one_line(f"Clause {key}"), by_top[key]))

        timestamp = junit_timestamp(report.as_of)
        for suite_id, (suite_name, results) in enumerate(suites):
            suite = self._suite(root, suite_name, suite_id, timestamp, report)
            for result in results:
                self._testcase(suite, result)
            self._finish(suite)
        problems = sorted(report.problems, key=Finding.sort_key)
        if problems:
            suite = self._suite(root, STRUCTURE_SUITE, len(suites), timestamp, report)
            for problem in problems:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname="structure",
                    name=xml_text(one_line(f"{problem.rule} {problem.location}")),
                    time="0",
                )
                tag = "skipped" if problem.waived_by else "error"
                child = ET.SubElement(case, tag, message=xml_text(one_line(problem.message)))
                if tag == "error":
                    child.set("type", problem.severity.value)
                child.text = _body([problem])
            self._finish(suite)
        ET.indent(root, space="  ")
        xml = ET.tostring(root, encoding="unicode", short_empty_elements=True)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"

    @staticmethod
    def _suite(root: Element, name: str, suite_id: int, timestamp: str, report: Report) -> Element:
        import xml.etree.ElementTree as ET

        suite = ET.SubElement(
            root,
            "testsuite",
            name=xml_text(name),
            package=xml_text(name),
            id=str(suite_id),
            hostname="smscheck",
            timestamp=timestamp,
            time="0",
        )
        properties = ET.SubElement(suite, "properties")
        for key, value in (
            ("organization", one_line(report.organization)),
            ("as_of", one_line(report.as_of)),
            ("tool_version", one_line(report.tool_version)),
            ("score", score_text(report.score)),
        ):
            ET.SubElement(properties, "property", name=key, value=xml_text(value))
        return suite

    @staticmethod
    def _testcase(suite: Element, result: RequirementResult) -> None:
        import xml.etree.ElementTree as ET

        req = result.requirement
        case = ET.SubElement(
            suite,
            "testcase",
            classname=xml_text(one_line(f"{req.clause} {req.clause_title}")),
            name=xml_text(one_line(f"{req.id} {req.title}")),
            time="0",
        )
        verdict = result.verdict
        if verdict is Verdict.CONFORMS:
            return
        detail = one_line(result.note) or one_line(req.statement)
        if verdict is Verdict.NEEDS_REVIEW:
            child = ET.SubElement(case, "skipped", message=xml_text(f"needs review: {detail}"))
        elif verdict is Verdict.ERROR:
            child = ET.SubElement(
                case,
                "error",
                message=xml_text(f"error: {detail}"),
                type=_worst(result.findings, Severity.ERROR).value,
            )
        elif result.waived:
            waivers = sorted({one_line(f.waived_by) for f in result.findings if f.waived_by})
            message = f"waived: {verdict.label} (waived by {', '.join(waivers)})"
            child = ET.SubElement(case, "skipped", message=xml_text(message))
        else:
            open_findings = result.open_findings
            message = f"{verdict.label}: {len(open_findings)} open finding(s)"
            if open_findings:
                message += f"; {one_line(open_findings[0].message)}"
            child = ET.SubElement(
                case,
                "failure",
                message=xml_text(message),
                type=_worst(open_findings, req.severity).value,
            )
        body = _body(result.findings)
        if result.note and verdict is not Verdict.NEEDS_REVIEW:
            body = "\n".join(filter(None, [xml_text(f"note: {one_line(result.note)}"), body]))
        child.text = body or None

    @staticmethod
    def _finish(suite: Element) -> None:
        """Counts on the suite, then the ``system-out``/``system-err`` the XSD requires."""
        import xml.etree.ElementTree as ET

        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
        suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        ET.SubElement(suite, "system-out")
        ET.SubElement(suite, "system-err")
