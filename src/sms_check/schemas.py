"""JSON Schemas generated from the models: evidence files, requirement packs, the JSON report."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

EVIDENCE_SCHEMA_ID = "https://smscheck.dev/schemas/evidence.schema.json"


def evidence_schema() -> dict[str, Any]:
    """One schema for every evidence file: ``kind`` selects the item model."""
    from pydantic import TypeAdapter

    from sms_check.model import KINDS

    defs: dict[str, Any] = {}
    branches = []
    for kind, model in KINDS.items():
        schema = TypeAdapter(model).json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        ref = {"$ref": f"#/$defs/{model.__name__}"}
        branches.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {
                    "anyOf": [
                        {
                            "properties": {
                                "kind": True,
                                "$schema": True,
                                "items": {"type": "array", "items": ref},
                            },
                            "required": ["items"],
                            "additionalProperties": False,
                        },
                        {
                            "allOf": [{"$ref": f"#/$defs/{model.__name__}File"}],
                        },
                    ]
                },
            }
        )
        single = dict(schema)
        single_props = dict(single.get("properties", {}))
        single_props["kind"] = {"const": kind}
        single_props["$schema"] = {"type": "string"}
        single["properties"] = single_props
        single["title"] = f"{model.__name__} (single item file)"
        defs[f"{model.__name__}File"] = single
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": EVIDENCE_SCHEMA_ID,
        "title": "smscheck evidence file",
        "description": "An evidence file: 'kind' and a list of 'items', or one item at top level.",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": sorted(KINDS)}},
        "allOf": branches,
        "$defs": dict(sorted(defs.items())),
    }


def requirements_schema() -> dict[str, Any]:
    """Schema of a requirement pack file."""
    from pydantic import BaseModel

    from sms_check.requirements import PackInfo, Requirement

    class PackFile(BaseModel):
        """A requirement pack file."""

        pack: PackInfo | None = None
        requirements: list[Requirement] = []

    schema = PackFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "smscheck requirement pack"
    return schema


def report_schema() -> dict[str, Any]:
    """Schema of ``gap-report --format json``."""
    text = (resources.files("sms_check") / "schemas" / "report.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def schema_text(name: str) -> str:
    """The named schema as formatted JSON."""
    build = {
        "evidence": evidence_schema,
        "requirements": requirements_schema,
        "report": report_schema,
    }
    return json.dumps(build[name](), indent=2, ensure_ascii=False) + "\n"
