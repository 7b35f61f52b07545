"""Generated files are current, and the bundled catalog loads and covers every leaf clause."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from sms_check.clauses import LEAVES
from sms_check.docgen import check_types_markdown, evidence_model_markdown
from sms_check.requirements import coverage, lint, load_catalog
from sms_check.schemas import schema_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "src" / "sms_check" / "schemas"


@pytest.mark.parametrize(
    ("path", "build"),
    [
        ("docs/check-types.md", check_types_markdown),
        ("docs/evidence-model.md", evidence_model_markdown),
        ("src/sms_check/schemas/evidence.schema.json", lambda: schema_text("evidence")),
        ("src/sms_check/schemas/requirements.schema.json", lambda: schema_text("requirements")),
    ],
)
def test_generated_file_is_current(path: str, build: object) -> None:
    current = (ROOT / path).read_text(encoding="utf-8")
    assert current == build(), (  # type: ignore[operator]
        f"{path} is stale: run `python -m sms_check.docgen` and "
        "`smscheck schema evidence|requirements > src/sms_check/schemas/...`"
    )


@pytest.mark.parametrize("name", ["evidence", "requirements", "report"])
def test_schemas_are_valid_json_schemas(name: str) -> None:
    schema = json.loads(schema_text(name))
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_bundled_catalog_lints_clean() -> None:
    catalog = load_catalog([])
    assert lint(catalog) == []


def test_every_leaf_clause_is_covered() -> None:
    catalog = load_catalog([])
    rows = coverage(catalog)
    assert [row[0] for row in rows] == list(LEAVES)
    assert len(LEAVES) == 57
    uncovered = [clause for clause, _, count, note in rows if not count and not note]
    assert uncovered == []
    introductory = [clause for clause, _, count, note in rows if not count]
    assert introductory == ["8.3.1"]


def test_catalog_targets() -> None:
    catalog = load_catalog([])
    requirements = [r.requirement for r in catalog.requirements]
    assert len(requirements) >= 230
    automated = [r for r in requirements if r.automation.value != "manual"]
    assert len(automated) / len(requirements) >= 0.85
    for requirement in requirements:
        if requirement.automation.value == "manual":
            assert len(requirement.manual_evidence) > 30, requirement.id


@pytest.mark.parametrize("scenario", ["northwind", "fledgling"])
def test_evidence_schema_accepts_the_examples(scenario: str) -> None:
    from sms_check import yamlio

    schema = json.loads(schema_text("evidence"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    files = sorted((ROOT / "examples" / scenario / "evidence").rglob("*.yaml"))
    assert files
    for path in files:
        data, _ = yamlio.load(yamlio.decode(path.read_bytes()))
        errors = sorted(validator.iter_errors(json.loads(json.dumps(data))), key=str)
        assert not errors, f"{path}: {errors[0].message}"


def test_evidence_schema_rejects_a_bad_file() -> None:
    schema = json.loads(schema_text("evidence"))
    validator = jsonschema.Draft202012Validator(schema)
    bad = {"kind": "incident", "items": [{"id": "INC-1", "impact": "catastrophic"}]}
    assert list(validator.iter_errors(bad))
    assert list(validator.iter_errors({"kind": "nonsense", "items": []}))


def test_every_doc_that_messages_point_to_exists() -> None:
    """Messages and generated files send users to docs/NAME.md: each of those must exist."""
    import re

    named = set()
    for source in (ROOT / "src" / "sms_check").rglob("*.py"):
        named.update(re.findall(r"docs/([a-z0-9-]+\.md)", source.read_text(encoding="utf-8")))
    assert named, "no message names a doc"
    assert sorted(n for n in named if not (ROOT / "docs" / n).is_file()) == []
