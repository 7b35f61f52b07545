"""``smscheck init``: a new evidence repository with config, starter files and CI examples."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, get_origin

from sms_check.errors import UsageError

CONFIG_TEMPLATE = """\
# smscheck configuration (docs/evidence-repository.md in the smscheck project).
organization: {organization}
# Which files hold evidence (globs relative to this folder).
evidence:
  - evidence/**/*.yaml
# Lowest severity of an unwaived finding that makes `smscheck validate` exit 1.
fail_on: major
# Your own requirement packs (customer requirements, internal policies), next to the catalog:
# requirement_packs: [packs/customer-x]
# Your own licensed copy of the standard's text, shown beside smscheck's paraphrases:
# licensed_text: ~/standards/iso20000-1-text.yaml
# Grading overrides for your organization:
# severity_overrides: {{"ISO20000-1:2018/7.6/01": minor}}
# Records exported from your ITSM tool (docs/record-exports.md):
# record_sources:
#   - {{path: exports/incidents.csv, kind: incident, mapping: servicenow-incident}}
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): run `pre-commit install` once in this repository.
repos:
  - repo: https://github.com/smscheck/smscheck
    rev: v{version}
    hooks:
      - id: smscheck-validate
"""

WORKFLOW = """\
# GitHub Actions: validate the evidence on every push and pull request.
name: smscheck
on: [push, pull_request]
permissions:
  contents: read
  security-events: write
jobs:
  smscheck:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install smscheck=={version}
      - name: Validate (inline annotations)
        run: smscheck validate --format github
      - name: Gap report (SARIF for code scanning, HTML as an artifact)
        if: always()
        run: |
          smscheck gap-report --format sarif --output smscheck.sarif
          smscheck gap-report --format html --output smscheck-report.html
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: smscheck.sarif
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: smscheck-report
          path: smscheck-report.html
"""

README = """\
# {organization}: service management system evidence

This repository holds the evidence of our service management system (ISO/IEC 20000-1:2018),
checked by smscheck. Each file under `evidence/` holds one kind of evidence: fill in `items`
following the commented example at the top of each file.

    smscheck validate            # structure and conformance; exit 1 on gaps at or above fail_on
    smscheck gap-report -f html -o report.html
"""


def _type_hint(info: Any) -> str:
    from sms_check.docgen import field_type

    return field_type(info).replace("\\|", "|").replace("`", "")


def starter_file(kind: str) -> str:
    """A commented starter file for one kind: an empty list plus an annotated example item."""
    from sms_check.model import KINDS

    model = KINDS[kind]
    doc = (inspect.getdoc(model) or "").splitlines()[0]
    lines = [
        "# yaml-language-server: $schema=../schemas/evidence.schema.json",
        f"# {doc}",
        "# Copy the example below into `items`, one entry per item. Fields marked (required)",
        "# must be filled in; → marks a reference to the id of another item.",
        "#",
        "# items:",
    ]
    first = True
    for name, info in model.model_fields.items():
        if name in ("notes", "attachments", "tags", "title") and not info.is_required():
            continue
        lead = "#   - " if first else "#     "
        first = False
        need = " (required)" if info.is_required() else ""
        hint = _type_hint(info)
        value = "[]" if get_origin(info.annotation) is list or "list of" in hint else ""
        lines.append(f"{lead}{name}: {value}".rstrip() + f"   # {hint}{need}")
    lines += [f"kind: {kind}", "items: []", ""]
    return "\n".join(lines)


def scaffold(directory: Path, organization: str) -> list[str]:
    """Write the new repository; refuse to overwrite anything (exit 2)."""
    from sms_check import __version__
    from sms_check.model import KINDS
    from sms_check.schemas import schema_text

    files: dict[str, str] = {
        "smscheck.yaml": CONFIG_TEMPLATE.format(organization=organization),
        ".pre-commit-config.yaml": PRE_COMMIT.format(version=__version__),
        ".github/workflows/smscheck.yml": WORKFLOW.format(version=__version__),
        "README.md": README.format(organization=organization),
        "schemas/evidence.schema.json": schema_text("evidence"),
    }
    for kind in KINDS:
        files[f"evidence/{kind}.yaml"] = starter_file(kind)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: exists and is not a folder")
    existing = [name for name in files if (directory / name).exists()]
    if existing:
        raise UsageError(
            f"{directory / existing[0]}: already exists; smscheck init never overwrites files "
            f"({len(existing)} of the files it would write exist)"
        )
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return [str(directory / name) for name in files]


__all__ = ["scaffold", "starter_file"]
