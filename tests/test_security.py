"""Hostile input: links out of the repository, random YAML, random evidence; never a write."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sms_check import yamlio
from sms_check.cli import app
from sms_check.engine import evaluate
from sms_check.evidence import load_evidence
from sms_check.requirements import Catalog, load_catalog

runner = CliRunner()


@functools.cache
def _catalog() -> Catalog:
    return load_catalog([])


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_symlink_out_of_the_repository_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text("kind: person\nitems:\n  - {id: P-SECRET, name: Hidden}\n")
    repo = tmp_path / "repo"
    (repo / "evidence").mkdir(parents=True)
    (repo / "evidence" / "link.yaml").symlink_to(secret)
    (repo / "evidence" / "people.yaml").write_text(
        "kind: person\nitems:\n  - id: P-1\n    name: Ana\n    attachments: [evidence/cv.pdf]\n"
    )
    (repo / "evidence" / "cv.pdf").symlink_to(outside / "secret.yaml")
    result = runner.invoke(app, ["validate", str(repo), "--structure-only"])
    assert result.exit_code == 1
    assert (
        "evidence/link.yaml:1:1: error: [structure/outside-repository] this file is a link to a "
        "place outside the evidence repository" in result.stdout
    )
    assert (
        "evidence/people.yaml:5:19: error: [structure/attachment] person 'P-1': attachment "
        "'evidence/cv.pdf' is a link to a place outside the evidence repository" in result.stdout
    )
    assert "P-SECRET" not in result.stdout


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "--format", "json"],
        ["validate", "--structure-only"],
        ["gap-report", "--format", "html"],
        ["gap-report", "--format", "sarif"],
        ["gap-report", "--format", "junit"],
        ["gap-report", "--format", "markdown"],
    ],
)
def test_commands_never_write_into_the_repository(args: list[str], tmp_path: Path) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "northwind", repo)
    before = _digest(repo)
    result = runner.invoke(app, [*args[:1], str(repo), *args[1:], "--as-of", "2026-11-15"])
    assert result.exit_code in (0, 1), result.output
    assert _digest(repo) == before


def test_output_file_is_the_only_write(tmp_path: Path) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "northwind", repo)
    before = _digest(repo)
    report = tmp_path / "report.html"
    result = runner.invoke(
        app, ["gap-report", str(repo), "-f", "html", "-o", str(report), "--as-of", "2026-11-15"]
    )
    assert result.exit_code == 0
    assert report.stat().st_size > 0
    assert _digest(repo) == before


# Random YAML: the loader either returns data or raises its own YamlError, nothing else.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates().map(dt.date.isoformat),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=10), children, max_size=5),
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_loader_accepts_any_yaml_document(document: object) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    try:
        yamlio.load(text)
    except yamlio.YamlError as exc:
        assert exc.problem.message
        assert exc.problem.line >= 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_loader_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        yamlio.load(text)
    except yamlio.YamlError as exc:
        assert exc.problem.kind.startswith("structure/")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_decoding_arbitrary_bytes(data: bytes) -> None:
    try:
        yamlio.load(yamlio.decode(data))
    except yamlio.YamlError as exc:
        assert exc.problem.line >= 1


KIND_ITEMS = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"\A[A-Z][A-Z0-9-]{0,8}\Z"),
        "name": st.text(min_size=1, max_size=10).filter(str.strip),
    }
)
INCIDENTS = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"\AINC-[0-9]{1,4}\Z"),
        "description": st.text(min_size=1, max_size=20).filter(str.strip),
        "impact": st.sampled_from(["low", "medium", "high"]),
        "urgency": st.sampled_from(["low", "medium", "high"]),
        "priority": st.sampled_from(["P1", "P2", "P3", "P4"]),
        "major": st.booleans(),
        "status": st.sampled_from(["new", "in_progress", "resolved", "closed"]),
        "reported_at": st.datetimes(
            min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2027, 1, 1)
        ).map(lambda d: d.isoformat(timespec="minutes")),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    services=st.lists(KIND_ITEMS, max_size=4, unique_by=lambda d: d["id"]),
    incidents=st.lists(INCIDENTS, max_size=6, unique_by=lambda d: d["id"]),
    as_of=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
)
def test_engine_judges_any_valid_evidence(
    tmp_path_factory: pytest.TempPathFactory,
    services: list[dict[str, object]],
    incidents: list[dict[str, object]],
    as_of: dt.date,
) -> None:
    root = tmp_path_factory.mktemp("random")
    (root / "evidence").mkdir()
    (root / "evidence" / "services.yaml").write_text(
        yaml.safe_dump({"kind": "service", "items": services})
    )
    (root / "evidence" / "incidents.yaml").write_text(
        yaml.safe_dump({"kind": "incident", "items": incidents})
    )
    index = load_evidence(root)
    catalog = _catalog()
    report = evaluate(catalog.sorted(), index, as_of)
    assert len(report.results) == len(catalog.requirements)
    for result in report.results:
        for finding in result.findings:
            assert finding.location.path


def test_evidence_text_cannot_inject_into_outputs(tmp_path: Path) -> None:
    import json
    import xml.etree.ElementTree as ET

    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "services.yaml").write_text(
        "kind: service\nitems:\n"
        '  - id: SVC-1\n    name: "<script>alert(1)</script> \\e[31mRED\\e[0m | pipe"\n'
        '    owner: "P-9\\r\\n::error file=x::forged"\n'
    )
    outputs = {}
    for fmt in ("compact", "terminal", "github", "markdown", "html", "json", "sarif", "junit"):
        result = runner.invoke(app, ["validate", str(tmp_path), "-f", fmt, "--structure-only"])
        assert result.exit_code == 1, (fmt, result.output)
        outputs[fmt] = result.stdout
    for fmt in ("compact", "terminal", "github"):
        assert "\x1b" not in outputs[fmt], fmt
    assert not any(line.startswith("::error file=x") for line in outputs["github"].splitlines()), (
        "a forged workflow command must not start a line"
    )
    assert "<script>alert(1)</script>" not in outputs["html"]
    json.loads(outputs["json"])
    json.loads(outputs["sarif"])
    ET.fromstring(outputs["junit"])
