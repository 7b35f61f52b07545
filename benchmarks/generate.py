"""Deterministic generator of synthetic evidence repositories for smscheck benchmarks.

The output is a complete evidence repository (``smscheck.yaml`` plus ``evidence/``) that is valid
under the evidence model (docs/evidence-model.md): a core set (people, roles, interested parties,
suppliers, services, configuration items, SLAs, policies, scope and the service management plan
with its intervals) and then incident (~50 % of the record files), change (~35 %) and problem
(~15 %) records. Every reference names an item that exists.

Sizes::

    python benchmarks/generate.py --size small  --out DIR   # a copy of examples/northwind
    python benchmarks/generate.py --size medium --out DIR   # 100 files, 20,000 items
    python benchmarks/generate.py --size large  --out DIR   # 1,000 files, 200,000 items
    python benchmarks/generate.py --files 40 --records 2000 --out DIR

``--files`` and ``--records`` are exact totals over the evidence files (core files and items
included). ``--csv-rows N`` adds ``exports/incidents.csv``, N incidents in ServiceNow's incident
list export layout, declared under ``record_sources`` with the ready mapping
``servicenow-incident``; ``--csv-as-yaml`` writes the same N incidents as YAML evidence instead
(for comparing the two load paths). Same seed, options and generator version give byte-identical
output. Only the standard library is needed; ``--check`` reloads the output with PyYAML.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 1
DEFAULT_SEED = 20000
SIZES: dict[str, tuple[int, int]] = {"medium": (100, 20_000), "large": (1_000, 200_000)}
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "northwind"
CSV_PATH = "exports/incidents.csv"
CSV_MAPPING = "servicenow-incident"
CSV_COLUMNS = (
    "number",
    "short_description",
    "description",
    "priority",
    "impact",
    "urgency",
    "state",
    "category",
    "opened_at",
    "resolved_at",
    "closed_at",
    "assigned_to",
    "business_service",
    "cmdb_ci",
    "problem_id",
    "made_sla",
    "close_notes",
)

# Everything happens between START and END (minutes of UTC offset ZONE), before the
# assessment date the benchmarks use (2026-11-15).
START = dt.datetime(2024, 11, 1, tzinfo=dt.UTC)
END = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
SPAN_MINUTES = int((END - START).total_seconds() // 60)
ZONE = dt.timezone(dt.timedelta(hours=2))
CORE_DATE = "2026-01-12"


# --------------------------------------------------------------------------------------------
# A tiny block-style YAML emitter
# --------------------------------------------------------------------------------------------


class Raw(str):
    """Emitted verbatim: dates, timestamps (unquoted, as people write them)."""

    __slots__ = ()


_BLOCK_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _./()+%&',;@=<>-]*\Z")
_FLOW_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _./()+%&';@=<>-]*\Z")
# Plain words that YAML 1.1 (PyYAML) or 1.2 would read as booleans or null.
_DATE_LIKE = re.compile(r"\d{4}-\d")
_SPECIAL_WORDS = frozenset({"yes", "no", "y", "n", "true", "false", "on", "off", "null", "~"})
_quoted: dict[str, str] = {}
_flow_quoted: dict[str, str] = {}


def _needs_quotes(text: str, pattern: re.Pattern[str]) -> bool:
    if text[:1].isdigit():
        # '12 months' or '99.9 % monthly' read as text; numbers and dates would not.
        if " " not in text or _DATE_LIKE.match(text):
            return True
        text = "x" + text
    return (
        pattern.match(text) is None
        or text.endswith(" ")
        or "  " in text
        or text.casefold() in _SPECIAL_WORDS
    )


def scalar(value: Any, flow: bool = False) -> str:
    """One scalar as YAML text; strings are quoted only when a plain scalar would misread."""
    if isinstance(value, Raw):
        return value
    if isinstance(value, str):
        cache = _flow_quoted if flow else _quoted
        text = cache.get(value)
        if text is None:
            pattern = _FLOW_PLAIN if flow else _BLOCK_PLAIN
            text = json.dumps(value, ensure_ascii=False) if _needs_quotes(value, pattern) else value
            cache[value] = text
        return text
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    raise TypeError(f"cannot emit {type(value).__name__}")


def _is_flow_list(values: Sequence[Any]) -> bool:
    return sum(len(v) + 2 if isinstance(v, str) else 999 for v in values) <= 80


def emit_mapping(data: Mapping[str, Any], indent: int, out: list[str], dash: bool = False) -> None:
    """Append the lines of a block mapping at ``indent``; ``dash`` starts a list entry."""
    pad = " " * indent
    lead = " " * (indent - 2) + "- " if dash else pad
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict):
            out.append(f"{lead}{key}:")
            emit_mapping(value, indent + 2, out)
        elif isinstance(value, list):
            if not value:
                out.append(f"{lead}{key}: []")
            elif _is_flow_list(value):
                out.append(f"{lead}{key}: [{', '.join(scalar(v, True) for v in value)}]")
            else:
                out.append(f"{lead}{key}:")
                for entry in value:
                    if isinstance(entry, dict):
                        emit_mapping(entry, indent + 4, out, dash=True)
                    else:
                        out.append(f"{pad}  - {scalar(entry)}")
        else:
            out.append(f"{lead}{key}: {scalar(value)}")
        lead = pad


def evidence_file(kind: str, items: Sequence[Mapping[str, Any]], comment: str = "") -> str:
    """An evidence file holding ``items`` of one kind."""
    out = [f"# {comment}"] if comment else []
    out += [f"kind: {kind}", "items:"]
    for item in items:
        emit_mapping(item, 4, out, dash=True)
    out.append("")
    return "\n".join(out)


def single_item_file(kind: str, item: Mapping[str, Any], comment: str = "") -> str:
    """An evidence file holding one item at the top level."""
    out = [f"# {comment}"] if comment else []
    out.append(f"kind: {kind}")
    emit_mapping(item, 0, out)
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Time helpers
# --------------------------------------------------------------------------------------------


def stamp(minute: int) -> Raw:
    """A timestamp ``minute`` minutes after START, in ZONE: ``2026-05-18T09:12:00+02:00``.

    With seconds, so that the files also pass JSON Schema's ``date-time`` (RFC 3339), which the
    peer check-jsonschema checks against ``smscheck schema evidence``.
    """
    moment = (START + dt.timedelta(minutes=minute)).astimezone(ZONE)
    return Raw(moment.isoformat(timespec="seconds"))


def day(minute: int) -> Raw:
    """The date (in ZONE) ``minute`` minutes after START."""
    return Raw((START + dt.timedelta(minutes=minute)).astimezone(ZONE).date().isoformat())


def csv_time(minute: int) -> str:
    """ServiceNow's export format, UTC: ``YYYY-MM-DD HH:MM:SS``."""
    return (START + dt.timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

FIRST = (  # noqa: SIM905
    "Ana Mihai Elena Radu Ioana Andrei Cristina Vlad Laura Dan Sorin Monica Paul Irina Alex "
    "Maria Stefan Diana Victor Oana Bogdan Raluca Tudor Simona Lucian Carmen Adrian Roxana "
    "Florin Alina Marius Gabriela Cosmin Bianca Ionut Corina"
).split()
LAST = (  # noqa: SIM905
    "Popescu Ionescu Dumitrescu Stan Marin Georgescu Florea Munteanu Petrescu Constantin "
    "Vasile Radu Ilie Lungu Stoica Moldovan Rusu Matei Ciobanu Barbu Nistor Toma Dinu Lazar "
    "Serban Oprea Enache Dobre Neagu Cristea Mocanu Sandu"
).split()
DEPARTMENTS = ("Service Desk", "Operations", "Customer Success", "Security", "Quality", "Finance")
SERVICE_BASES = (
    ("Managed hosting", "virtual_cluster"),
    ("Service desk", "application"),
    ("Managed backup", "storage"),
    ("Microsoft 365 administration", "cloud_tenant"),
    ("Managed network", "network"),
    ("Managed database", "application"),
    ("Endpoint management", "application"),
    ("Security monitoring", "application"),
    ("Colocation", "facility"),
    ("Managed firewall", "network"),
)
COMPANY_WORDS = (  # noqa: SIM905
    "Cluj Commercial Bank|Medix Clinics|AgroVest Logistics|Transilvania Foods|"
    "Danube Insurance|Carpathia Retail|Bega Energy|Somes Pharma|Olt Automotive|"
    "Mures Textiles|Arges Media|Prut Telecom|Siret Logistics|Timis Software|"
    "Iasi University Hospital|Brasov Tourism|Constanta Port Services|Sibiu Engineering|"
    "Oradea Water|Galati Steel"
).split("|")
ROLES = (
    ("R-CEO", "Chief Executive Officer", True),
    ("R-CTO", "Chief Technology Officer", True),
    ("R-SMS-MANAGER", "SMS Manager", False),
    ("R-SERVICE-DESK-MGR", "Service Desk Manager", False),
    ("R-INCIDENT-OWNER", "Incident Management Process Owner", False),
    ("R-CHANGE-MGR", "Change Manager", False),
    ("R-PROBLEM-MGR", "Problem Manager", False),
    ("R-SLM", "Service Level Manager", False),
    ("R-SUPPLIER-MGR", "Supplier Manager", False),
    ("R-CISO", "Chief Information Security Officer", False),
    ("R-CONFIG-MGR", "Configuration Manager", False),
    ("R-ENGINEER", "Service Engineer", False),
)
SUPPLIERS = (
    ("TransilvaniaDC SA", "external", "Data-centre space, power and cooling"),
    ("RoNet Carrier SRL", "external", "Redundant internet and MPLS links"),
    ("Group HR shared service", "internal", "Recruitment and payroll for service staff"),
    ("Carpat Hardware SRL", "external", "Server and storage hardware with 4-hour replacement"),
    ("CloudLicense Distribution", "external", "Software licences and vendor support"),
    ("Group finance shared service", "internal", "Invoicing and accounting"),
    ("Customer on-site IT team", "customer_as_supplier", "Hands-on support at customer sites"),
    ("SecureOps Monitoring SRL", "external", "24x7 security operations centre"),
)
INTERVALS = (
    "context_review: 12 months|interested_party_review: 12 months|policy_review: 12 months|"
    "objective_review: 3 months|sm_plan_review: 12 months|risk_review: 6 months|"
    "competence_review: 12 months|awareness: 12 months|communication: 3 months|"
    "document_review: 12 months|knowledge_review: 12 months|catalogue_review: 12 months|"
    "asset_verification: 12 months|cmdb_verification: 6 months|customer_review: 3 months|"
    "customer_satisfaction: 12 months|sla_review: 12 months|service_report: 1 month|"
    "supplier_review: 6 months|contract_review: 12 months|budget_review: 12 months|"
    "cost_report: 3 months|demand_review: 6 months|capacity_review: 6 months|"
    "change_trend_analysis: 3 months|availability_report: 1 month|availability_review: 12 months|"
    "continuity_test: 12 months|continuity_review: 12 months|security_risk_review: 6 months|"
    "security_control_review: 12 months|measurement: 1 month|internal_audit: 12 months|"
    "management_review: 12 months|improvement_review: 6 months|problem_trend_analysis: 3 months"
)
SYMPTOMS = (
    ("Slow response", "Performance"),
    ("Service unavailable", "Availability"),
    ("Login failure", "Access"),
    ("Backup job failed", "Backup failure"),
    ("Disk usage above 90 %", "Capacity"),
    ("Certificate expired", "Security"),
    ("Packet loss", "Network"),
    ("Error: connection refused", "Availability"),
    ("Mailbox cannot be opened", "Access"),
    ("Scheduled job did not run", "Operations"),
    ("High CPU load", "Performance"),
    ("Replication lag above 5 minutes", "Performance"),
)
DETAILS = (
    "monitoring raised the alert before any customer call",
    "three users called the service desk within ten minutes",
    "the customer's IT coordinator reported it by e-mail",
    "log shows: timeout after 30 s",
    "started right after the nightly maintenance window",
    "intermittent, about one request in twenty fails",
    "only users of one branch office are affected",
    "yes, the same symptom as last week",
)
RESOLUTIONS = (
    "Restarted the affected service and verified with a synthetic check.",
    "Rolled back the configuration change made the evening before.",
    "Replaced the failed disk; array rebuilt without data loss.",
    "Renewed the certificate and added it to the expiry monitor.",
    "Freed disk space and extended the volume by 200 GB.",
    "Re-ran the job after the maintenance window ended; completed.",
    "Permission restored after a leaver clean-up had removed it.",
    "Carrier replaced a faulty line card: link stable since.",
)
NOTES = (
    "Logged and acknowledged; customer informed of the ticket number.",
    "Reproduced with a test account; escalated to the on-call engineer.",
    "Vendor case opened, reference attached to the ticket.",
    "Workaround given to the customer while the fix is prepared.",
    "Fix applied; monitoring green for 30 minutes.",
    "No further reports from the customer: closed.",
)
CHANGE_WHAT = (
    "Patch the hypervisor cluster to the latest update",
    "Upgrade the database engine to the next minor version",
    "Replace the firewall rule base after the quarterly review",
    "Add storage capacity to the backup vault",
    "Rotate the service account credentials",
    "Migrate mailboxes to the new retention policy",
    "Deploy monitoring agent version 7.2",
    "Decommission the legacy file server",
)
ROOT_CAUSES = (
    "A maintenance job overlaps the backup window and exceeds the snapshot timeout.",
    "A memory leak in the agent version deployed in the spring.",
    "Directory sync runs only every 3 hours, later than the licence assignment.",
    "The carrier's line card fails under high temperature.",
    "Connection pool too small for the month-end peak.",
)
PRIORITY = {
    ("high", "high"): "P1",
    ("high", "medium"): "P2",
    ("medium", "high"): "P2",
    ("high", "low"): "P3",
    ("medium", "medium"): "P3",
    ("low", "high"): "P3",
    ("medium", "low"): "P4",
    ("low", "medium"): "P4",
    ("low", "low"): "P4",
}
RESOLVE_MINUTES = {"P1": 240, "P2": 480, "P3": 1440, "P4": 4320}
LEVELS = ("low", "medium", "high")
LEVEL_WEIGHTS = (5, 4, 1)
INCIDENT_STATUSES = ("closed", "resolved", "in_progress", "on_hold", "new")
INCIDENT_STATUS_WEIGHTS = (80, 8, 6, 3, 3)
SN_PRIORITY = {"P1": "1 - Critical", "P2": "2 - High", "P3": "3 - Moderate", "P4": "4 - Low"}
SN_LEVEL = {"high": "1 - High", "medium": "2 - Medium", "low": "3 - Low"}
SN_STATE = {
    "new": "New",
    "in_progress": "In Progress",
    "on_hold": "On Hold",
    "resolved": "Resolved",
    "closed": "Closed",
}


# --------------------------------------------------------------------------------------------
# The universe every record refers to
# --------------------------------------------------------------------------------------------


@dataclass
class Service:
    """A generated service with the configuration items it is built from."""

    id: str
    name: str
    ci_type: str
    customer: str
    cis: list[str] = field(default_factory=list)


@dataclass
class Universe:
    """Ids and names of the core items, and how many records of each kind exist."""

    persons: list[tuple[str, str]]
    engineers: list[str]
    services: list[Service]
    ci_titles: dict[str, str]
    customers: list[tuple[str, str]]
    suppliers: list[str]
    n_incidents: int = 0
    n_changes: int = 0
    n_problems: int = 0
    approved_changes: list[int] = field(default_factory=list)


def incident_id(i: int) -> str:
    """Id of the i-th incident (0-based)."""
    return f"INC-{i + 1:06d}"


def change_id(i: int) -> str:
    """Id of the i-th change (0-based)."""
    return f"CHG-{i + 1:06d}"


def problem_id(i: int) -> str:
    """Id of the i-th problem (0-based)."""
    return f"PRB-{i + 1:05d}"


def build_core(rng: random.Random, n_services: int) -> tuple[Universe, dict[str, str]]:
    """The core evidence files (path -> text) and the universe they define."""
    n_people = max(24, n_services)
    names = [f"{f} {last}" for last in LAST for f in FIRST]
    people_names = rng.sample(names, n_people)
    persons = [(f"P-{i + 1:04d}", name) for i, name in enumerate(people_names)]
    role_of: dict[str, list[str]] = {}
    for i, (pid, _) in enumerate(persons):
        role_of[pid] = [ROLES[i][0]] if i < len(ROLES) else ["R-ENGINEER"]
    engineers = [pid for pid, _ in persons[len(ROLES) - 1 :]]
    n_customers = max(3, n_services // 3)
    customers = [
        (f"IP-CUST-{i + 1:03d}", f"{COMPANY_WORDS[i % len(COMPANY_WORDS)]} {i // 20 + 1}")
        for i in range(n_customers)
    ]
    suppliers = [f"SUP-{i + 1:02d}" for i in range(len(SUPPLIERS))]
    services: list[Service] = []
    ci_titles: dict[str, str] = {}
    for i in range(n_services):
        base, ci_type = SERVICE_BASES[i % len(SERVICE_BASES)]
        svc = Service(
            id=f"SVC-{i + 1:03d}",
            name=f"{base} {i // len(SERVICE_BASES) + 1}",
            ci_type=ci_type,
            customer=customers[i % n_customers][0],
        )
        for j, suffix in enumerate(("primary", "secondary", "service")):
            cid = f"CI-{i + 1:03d}-{j + 1}"
            svc.cis.append(cid)
            ci_titles[cid] = f"{svc.name} {suffix}"
        services.append(svc)
    uni = Universe(persons, engineers, services, ci_titles, customers, suppliers)
    boss, cto, smsmgr = persons[0][0], persons[1][0], persons[2][0]

    files: dict[str, str] = {}
    files["evidence/core/people.yaml"] = evidence_file(
        "person",
        [
            {
                "id": pid,
                "name": name,
                "roles": role_of[pid],
                "department": "Management" if i < 2 else DEPARTMENTS[i % len(DEPARTMENTS)],
                "email": name.lower().replace(" ", ".") + "@example.com",
                "active": True,
            }
            for i, (pid, name) in enumerate(persons)
        ],
        "People working under the organization's control (synthetic).",
    )
    files["evidence/core/roles.yaml"] = evidence_file(
        "role",
        [
            {
                "id": rid,
                "name": name,
                "top_management": top or None,
                "responsibilities": [f"Runs the {name.lower()} function"],
                "authorities": ["Approves the records of the function"],
                "assigned_to": [pid for pid, roles in role_of.items() if rid in roles],
                "communicated_on": Raw("2026-01-15"),
            }
            for rid, name, top in ROLES
        ],
    )
    parties: list[dict[str, Any]] = [
        {
            "id": cid,
            "party_type": "customer",
            "name": name,
            "requirements": ["Availability as agreed in the SLA", "Monthly service report"],
            "services": [s.id for s in services if s.customer == cid],
            "last_reviewed": Raw("2026-03-10"),
        }
        for cid, name in customers
    ]
    parties += [
        {"id": "IP-USERS", "party_type": "user", "name": "End users of customers"},
        {"id": "IP-REGULATOR", "party_type": "regulator", "name": "Data protection authority"},
        {"id": "IP-STAFF", "party_type": "employee", "name": "Employees"},
        {"id": "IP-OWNERS", "party_type": "owner", "name": "Shareholders"},
    ]
    for party in parties[-4:]:
        party["requirements"] = ["Requirements recorded in the register"]
        party["last_reviewed"] = Raw("2026-03-10")
    files["evidence/core/interested-parties.yaml"] = evidence_file("interested_party", parties)
    files["evidence/core/suppliers.yaml"] = evidence_file(
        "supplier",
        [
            {
                "id": sid,
                "name": name,
                "supplier_type": stype,
                "services": [services[(k * 7 + j) % n_services].id for j in range(3)],
                "supplies": supplies,
                "manager": persons[8 % n_people][0],
                "criticality": LEVELS[k % 3],
                "selection_criteria_met": True if stype == "external" else None,
                "evaluated_on": Raw("2025-02-10") if stype == "external" else None,
            }
            for k, (sid, (name, stype, supplies)) in enumerate(
                zip(suppliers, SUPPLIERS, strict=True)
            )
        ],
    )
    files["evidence/core/services.yaml"] = evidence_file(
        "service",
        [
            {
                "id": s.id,
                "name": s.name,
                "description": f"{s.name} delivered to {dict(customers)[s.customer]}.",
                "owner": cto if i % 2 else persons[3][0],
                "status": "live",
                "customers": [s.customer],
                "criticality": LEVELS[(i + 1) % 3],
                "depends_on": [services[i - 1].id] if i % 4 == 3 else None,
                "components": s.cis,
            }
            for i, s in enumerate(services)
        ],
    )
    cis: list[dict[str, Any]] = []
    for i, s in enumerate(services):
        for j, cid in enumerate(s.cis):
            cis.append(
                {
                    "id": cid,
                    "title": ci_titles[cid],
                    "ci_type": s.ci_type if j < 2 else "service",
                    "description": f"{suffix.capitalize()} component of {s.name}."
                    if j < 2
                    else f"{s.name} as delivered to customers.",
                    "status": "active",
                    "owner": persons[10 % n_people][0],
                    "version": f"{2024 + j}.{i % 4 + 1}",
                    "services": [s.id],
                    "relationships": (
                        [{"relation": "depends_on", "target": s.cis[0]}] if j else None
                    ),
                    "last_changed_by": change_id(i * 3 + j),
                    "last_verified": Raw("2026-10-28"),
                }
            )
    files["evidence/core/cmdb.yaml"] = evidence_file("configuration_item", cis)
    files["evidence/core/slas.yaml"] = evidence_file(
        "sla",
        [
            {
                "id": f"SLA-{k + 1:03d}",
                "title": f"SLA {name}",
                "version": "2.0",
                "status": "active",
                "owner": persons[7 % n_people][0],
                "approved_by": boss,
                "approved_on": Raw("2026-02-20"),
                "changed_on": Raw("2026-02-16"),
                "review_interval": "12 months",
                "last_reviewed": Raw("2026-10-20"),
                "customer": cid,
                "services": [s.id for s in services if s.customer == cid],
                "targets": [
                    {"metric": "Availability per month", "target": ">= 99.9 %"},
                    {"metric": "P1 incident resolution", "target": "<= 4 hours, 24x7"},
                ],
                "reporting_interval": "monthly",
                "agreed_on": Raw("2026-02-20"),
            }
            for k, (cid, name) in enumerate(customers)
        ],
    )
    files["evidence/core/policies.yaml"] = evidence_file(
        "policy",
        [
            {
                "id": f"POL-{ptype.upper().replace('_', '-')}",
                "title": f"{ptype.replace('_', ' ').capitalize()} policy",
                "policy_type": ptype,
                "version": "1.0",
                "status": "approved",
                "owner": smsmgr,
                "approved_by": boss,
                "approved_on": Raw(CORE_DATE),
                "changed_on": Raw("2026-01-09"),
                "review_interval": "12 months",
                "last_reviewed": Raw(CORE_DATE),
                "statement": "We meet the service requirements and improve continually.",
                "commits_to_requirements": True,
                "commits_to_improvement": True,
                "communicated_on": Raw("2026-01-20"),
            }
            for ptype in ("service_management", "change_management", "information_security")
        ],
    )
    files["evidence/core/scope.yaml"] = single_item_file(
        "scope",
        {
            "id": "SCOPE-SMS",
            "title": "Scope of the service management system",
            "status": "approved",
            "owner": smsmgr,
            "approved_by": boss,
            "approved_on": Raw(CORE_DATE),
            "organization": "Synthetic Services SRL, all service delivery functions",
            "statement": "The SMS covers the design, transition, delivery and improvement "
            "of all services listed here.",
            "services": [s.id for s in services],
        },
    )
    files["evidence/core/sm-plan.yaml"] = single_item_file(
        "sm_plan",
        {
            "id": "SMP-2026",
            "title": "Service management plan 2026",
            "version": "3.0",
            "status": "approved",
            "owner": smsmgr,
            "approved_by": boss,
            "approved_on": Raw(CORE_DATE),
            "changed_on": Raw("2026-01-10"),
            "review_interval": "12 months",
            "last_reviewed": Raw("2026-01-10"),
            "services": [s.id for s in services],
            "known_limitations": ["Single carrier for external links until 2027"],
            "obligations": ["ISO/IEC 20000-1:2018 with Amendment 1:2024", "GDPR"],
            "other_parties": suppliers,
            "risk_approach": "Risks are assessed on a 3x3 matrix of likelihood and impact.",
            "intervals": dict(entry.split(": ") for entry in INTERVALS.split("|")),
        },
        "The service management plan, with the organization's own intervals.",
    )
    return uni, files


CORE_FILES = 10


def core_item_count(n_services: int) -> int:
    """How many items build_core writes (without generating them)."""
    n_people = max(24, n_services)
    n_customers = max(3, n_services // 3)
    return (
        n_people
        + len(ROLES)
        + n_customers
        + 4
        + len(SUPPLIERS)
        + n_services
        + 3 * n_services
        + n_customers
        + 3
        + 2
    )


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


def _when(i: int, n: int, rng: random.Random) -> int:
    """Minute of the i-th of n records, spread evenly over the span with some jitter."""
    step = max(1, SPAN_MINUTES // max(n, 1))
    return min(SPAN_MINUTES - 20_000, i * step + rng.randrange(step))


@dataclass
class IncidentFacts:
    """One incident, independent of how it is written (YAML item or CSV row)."""

    number: str
    title: str
    description: str
    service: Service
    ci: str
    category: str
    impact: str
    urgency: str
    priority: str
    status: str
    reported: int
    resolved: int | None
    closed: int | None
    assignee: int
    resolution: str | None
    problem: str | None
    sla_met: bool | None


def incident_facts(uni: Universe, rng: random.Random, i: int, n: int, number: str) -> IncidentFacts:
    """Draw the i-th of n incidents."""
    svc = uni.services[rng.randrange(len(uni.services))]
    ci = svc.cis[rng.randrange(3)]
    symptom, category = SYMPTOMS[rng.randrange(len(SYMPTOMS))]
    impact = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
    urgency = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
    priority = PRIORITY[impact, urgency]
    status = rng.choices(INCIDENT_STATUSES, INCIDENT_STATUS_WEIGHTS)[0]
    reported = _when(i, n, rng)
    resolved = closed = None
    resolution = None
    sla_met = None
    if status in ("resolved", "closed"):
        resolved = reported + 10 + int(RESOLVE_MINUTES[priority] * rng.uniform(0.05, 1.3))
        resolution = RESOLUTIONS[rng.randrange(len(RESOLUTIONS))]
        sla_met = resolved - reported <= RESOLVE_MINUTES[priority]
        if status == "closed":
            closed = resolved + rng.randrange(60, 4320)
    problem = None
    if uni.n_problems and rng.random() < 0.08:
        problem = problem_id((i * 7919) % uni.n_problems)
    detail = DETAILS[rng.randrange(len(DETAILS))]
    return IncidentFacts(
        number=number,
        title=f"{symptom} on {uni.ci_titles[ci]}",
        description=f"{symptom} reported for {svc.name}; {detail}.",
        service=svc,
        ci=ci,
        category=category,
        impact=impact,
        urgency=urgency,
        priority=priority,
        status=status,
        reported=reported,
        resolved=resolved,
        closed=closed,
        assignee=rng.randrange(len(uni.engineers)),
        resolution=resolution,
        problem=problem,
        sla_met=sla_met,
    )


def incident_item(uni: Universe, facts: IncidentFacts, rng: random.Random | None) -> dict[str, Any]:
    """An incident item; with ``rng``, a work log is added (two entries once resolved)."""
    who = uni.engineers[facts.assignee]
    actions = None
    if rng is not None:
        end = facts.resolved or facts.reported + 600
        actions = []
        for k in range(2 if facts.resolved is not None else 1):
            at = facts.reported + 5 + (end - facts.reported) * k // 3
            by = who if k % 2 == 0 else uni.engineers[(facts.assignee + 1) % len(uni.engineers)]
            actions.append({"at": stamp(at), "by": by, "note": NOTES[rng.randrange(len(NOTES))]})
    return {
        "id": facts.number,
        "title": facts.title,
        "description": facts.description,
        "services": [facts.service.id],
        "cis": [facts.ci],
        "category": facts.category,
        "impact": facts.impact,
        "urgency": facts.urgency,
        "priority": facts.priority,
        "status": facts.status,
        "reported_at": stamp(facts.reported),
        "resolved_at": None if facts.resolved is None else stamp(facts.resolved),
        "closed_at": None if facts.closed is None else stamp(facts.closed),
        "assigned_to": who,
        "resolution": facts.resolution,
        "problem": facts.problem,
        "sla_met": facts.sla_met,
        "actions": actions,
    }


def change_item(uni: Universe, rng: random.Random, i: int) -> dict[str, Any]:
    """The i-th change."""
    svc = uni.services[rng.randrange(len(uni.services))]
    ctype = rng.choices(("normal", "standard", "emergency"), (60, 30, 10))[0]
    requested = _when(i, uni.n_changes, rng)
    what = CHANGE_WHAT[rng.randrange(len(CHANGE_WHAT))]
    status = rng.choices(
        ("closed", "implemented", "scheduled", "approved", "assessed", "requested", "rejected"),
        (70, 10, 5, 5, 4, 3, 3),
    )[0]
    decided = status not in ("requested", "assessed")
    approved = decided and status != "rejected"
    approved_on = requested + rng.randrange(60, 4 * 1440) if decided else None
    planned = approved_on + rng.randrange(1440, 10 * 1440) if approved and approved_on else None
    done = status in ("implemented", "closed")
    implemented = planned + rng.randrange(30, 300) if done and planned else None
    outcome = rng.choices(("successful", "partial", "backed_out"), (92, 5, 3))[0] if done else None
    closed = (
        implemented + rng.randrange(1440, 7 * 1440) if status == "closed" and implemented else None
    )
    unsuccessful = outcome in ("partial", "backed_out")
    if approved:
        uni.approved_changes.append(i)
    return {
        "id": change_id(i),
        "title": f"{what} for {svc.name}",
        "change_type": ctype,
        "description": f"{what} ({svc.name}).",
        "services": [svc.id],
        "cis": svc.cis[: rng.randint(1, 3)],
        "requested_on": stamp(requested),
        "requested_by": uni.engineers[rng.randrange(len(uni.engineers))],
        "major_impact": False if ctype == "standard" else None,
        "risk": "low" if ctype == "standard" else rng.choices(LEVELS, LEVEL_WEIGHTS)[0],
        "impact_assessment": None if ctype == "standard" else "No customer downtime expected.",
        "decision": ("rejected" if status == "rejected" else "approved") if decided else "pending",
        "approved_by": uni.persons[5][0] if approved else None,
        "approved_on": stamp(approved_on) if approved_on is not None else None,
        "planned_start": stamp(planned) if planned is not None else None,
        "implemented_on": stamp(implemented) if implemented is not None else None,
        "tested": True if done else None,
        "backout_plan": "Revert to the previous image or configuration backup.",
        "outcome": outcome,
        "status": status,
        "pir_done": (ctype != "standard" or unsuccessful) if closed is not None else None,
        "pir_on": day(closed) if closed is not None and ctype != "standard" else None,
        "closed_on": day(closed) if closed is not None else None,
        "notes": "Backed out as planned; re-raised after the vendor fix." if unsuccessful else None,
    }


def problem_item(uni: Universe, rng: random.Random, i: int) -> dict[str, Any]:
    """The i-th problem."""
    svc = uni.services[rng.randrange(len(uni.services))]
    detected = _when(i, uni.n_problems, rng)
    status = rng.choices(
        ("closed", "resolved", "known_error", "investigating", "open"), (55, 10, 15, 10, 10)
    )[0]
    analysed = status in ("closed", "resolved", "known_error")
    fixed = status in ("closed", "resolved")
    incidents = None
    if uni.n_incidents:
        incidents = sorted(
            {incident_id(rng.randrange(uni.n_incidents)) for _ in range(rng.randint(1, 3))}
        )
    symptom = SYMPTOMS[rng.randrange(len(SYMPTOMS))][0]
    return {
        "id": problem_id(i),
        "title": f"Recurring incidents: {symptom.lower()} on {svc.name}",
        "description": f"{symptom} keeps coming back on {svc.name}; "
        "several incidents in a few weeks.",
        "services": [svc.id],
        "incidents": incidents,
        "detected_on": day(detected),
        "priority": rng.choice(("P2", "P3", "P3", "P4")),
        "status": status,
        "root_cause": ROOT_CAUSES[rng.randrange(len(ROOT_CAUSES))] if analysed else None,
        "workaround": "Restart the affected component, then check the monitor."
        if analysed
        else None,
        "change": change_id(rng.choice(uni.approved_changes))
        if fixed and uni.approved_changes
        else None,
        "resolved_on": day(detected + rng.randrange(7, 60) * 1440) if fixed else None,
        "effectiveness_reviewed": True if status == "closed" else None,
        "notes": None if status == "open" else "Analysed with the vendor; see the incidents.",
    }


def split(total: int, parts: int) -> list[int]:
    """``total`` spread evenly over ``parts`` (the first ones get the remainder)."""
    base, extra = divmod(total, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


def record_plan(files: int, records: int) -> list[tuple[str, int]]:
    """(kind, item count) per record file: ~50 % incidents, ~35 % changes, ~15 % problems."""
    n_inc = max(1, round(files * 0.50))
    n_chg = max(1, round(files * 0.35))
    n_prb = max(1, files - n_inc - n_chg)
    n_inc = files - n_chg - n_prb
    kinds = ["incident"] * n_inc + ["change"] * n_chg + ["problem"] * n_prb
    return list(zip(kinds, split(records, files), strict=True))


FOLDERS = {"incident": "incidents", "change": "changes", "problem": "problems"}


# --------------------------------------------------------------------------------------------
# Export rows
# --------------------------------------------------------------------------------------------


def export_facts(uni: Universe, rng: random.Random, rows: int) -> Iterator[IncidentFacts]:
    """The incidents of the ITSM export (numbered like ServiceNow: INC0100001...)."""
    for i in range(rows):
        yield incident_facts(uni, rng, i, rows, f"INC{100_000 + i + 1:07d}")


def csv_text(uni: Universe, facts: Iterator[IncidentFacts]) -> str:
    """The incidents as ServiceNow's incident list export (display values, UTC times)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    names = dict(uni.persons)
    for f in facts:
        writer.writerow(
            (
                f.number,
                f.title,
                f.description,
                SN_PRIORITY[f.priority],
                SN_LEVEL[f.impact],
                SN_LEVEL[f.urgency],
                SN_STATE[f.status],
                f.category,
                csv_time(f.reported),
                "" if f.resolved is None else csv_time(f.resolved),
                "" if f.closed is None else csv_time(f.closed),
                names[uni.engineers[f.assignee]],
                f.service.name,
                uni.ci_titles[f.ci],
                f.problem or "",
                "" if f.sla_met is None else ("true" if f.sla_met else "false"),
                f.resolution or "",
            )
        )
    return buf.getvalue()


def export_item(uni: Universe, f: IncidentFacts) -> dict[str, Any]:
    """The same incident as a CSV row holds, as a YAML item (UTC times, no work log)."""
    item = incident_item(uni, f, None)
    for key, minute in (("reported_at", f.reported), ("resolved_at", f.resolved)):
        item[key] = None if minute is None else Raw(csv_time(minute).replace(" ", "T") + "+00:00")
    if f.closed is not None:
        item["closed_at"] = Raw(csv_time(f.closed).replace(" ", "T") + "+00:00")
    return item


# --------------------------------------------------------------------------------------------
# The repository
# --------------------------------------------------------------------------------------------


@dataclass
class Summary:
    """What was written."""

    files: int = 0
    items: int = 0
    bytes: int = 0
    csv_rows: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def config_text(seed: int, csv: bool) -> str:
    """smscheck.yaml of the generated repository."""
    lines = [
        f"# Synthetic evidence repository: benchmarks/generate.py v{GENERATOR_VERSION}, "
        f"seed {seed}. Do not edit.",
        "organization: Synthetic Services SRL",
        "evidence:",
        "  - evidence/**/*.yaml",
    ]
    if csv:
        lines += ["record_sources:", f"  - path: {CSV_PATH}", f"    mapping: {CSV_MAPPING}"]
    return "\n".join(lines) + "\n"


def generate(
    out: Path,
    files: int,
    records: int,
    seed: int = DEFAULT_SEED,
    services: int = 60,
    csv_rows: int = 0,
    csv_as_yaml: bool = False,
    csv_rows_per_file: int = 200,
) -> Summary:
    """Write a synthetic evidence repository to ``out`` (which must not exist or be empty)."""
    core_items = core_item_count(services)
    record_files = files - CORE_FILES
    if record_files < 3:
        raise ValueError(f"--files must be at least {CORE_FILES + 3} (core files + 3)")
    if records - core_items < record_files:
        raise ValueError(
            f"--records must be at least {core_items + record_files} "
            f"({core_items} core items + one per record file)"
        )
    rng = random.Random(seed)
    uni, core = build_core(rng, services)
    plan = record_plan(record_files, records - core_items)
    for kind, count in plan:
        setattr(uni, f"n_{FOLDERS[kind]}", getattr(uni, f"n_{FOLDERS[kind]}") + count)
    summary = Summary()
    out.mkdir(parents=True, exist_ok=True)

    def write(rel: str, text: str, items: int, kind: str) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        summary.files += 1
        summary.items += items
        summary.bytes += len(data)
        summary.by_kind[kind] = summary.by_kind.get(kind, 0) + items

    (out / "smscheck.yaml").write_text(config_text(seed, csv_rows > 0 and not csv_as_yaml), "utf-8")
    for rel, text in core.items():
        kind = text.split("kind: ", 1)[1].split("\n", 1)[0]
        write(rel, text, text.count("\n  - id: ") or 1, kind)

    done = {"incident": 0, "change": 0, "problem": 0}
    number = {"incident": 0, "change": 0, "problem": 0}
    streams = {k: random.Random(f"{seed}-{k}") for k in done}
    for kind, count in plan:
        number[kind] += 1
        r = streams[kind]
        start = done[kind]
        if kind == "incident":
            items = [
                incident_item(uni, incident_facts(uni, r, i, uni.n_incidents, incident_id(i)), r)
                for i in range(start, start + count)
            ]
        elif kind == "change":
            items = [change_item(uni, r, i) for i in range(start, start + count)]
        else:
            items = [problem_item(uni, r, i) for i in range(start, start + count)]
        done[kind] += count
        folder = FOLDERS[kind]
        write(
            f"evidence/records/{folder}/{folder}-{number[kind]:04d}.yaml",
            evidence_file(kind, items),
            count,
            kind,
        )

    if csv_rows:
        facts = export_facts(uni, random.Random(f"{seed}-export"), csv_rows)
        if csv_as_yaml:
            for k, size in enumerate(split(csv_rows, max(1, -(-csv_rows // csv_rows_per_file)))):
                items = [export_item(uni, next(facts)) for _ in range(size)]
                write(
                    f"evidence/records/exported/incidents-{k + 1:04d}.yaml",
                    evidence_file("incident", items, "Incidents exported from the ITSM tool."),
                    size,
                    "incident",
                )
        else:
            path = out / CSV_PATH
            path.parent.mkdir(parents=True, exist_ok=True)
            data = csv_text(uni, facts).encode("utf-8")
            path.write_bytes(data)
            summary.bytes += len(data)
        summary.csv_rows = csv_rows
    return summary


def copy_example(out: Path) -> Summary:
    """The small size: a copy of the bundled example (examples/northwind)."""
    shutil.copytree(EXAMPLE, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    summary = Summary()
    for path in sorted((out / "evidence").rglob("*.yaml")):
        text = path.read_text("utf-8")
        summary.files += 1
        summary.bytes += len(text.encode("utf-8"))
        summary.items += text.count("\n  - id: ") or 1
    return summary


def check(out: Path, summary: Summary) -> list[str]:
    """Reload every file with PyYAML and compare with what was written; problems found."""
    import csv

    import yaml

    problems: list[str] = []
    ids: set[str] = set()
    items = files = 0
    for path in sorted((out / "evidence").rglob("*.yaml")):
        files += 1
        doc = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        entries = doc.get("items", [doc])
        for entry in entries:
            items += 1
            bad = [k for k in entry if not isinstance(k, str)]
            if bad:
                problems.append(f"{path}: non-text keys {bad}")
            if not isinstance(entry.get("id"), str) or entry["id"] in ids:
                problems.append(f"{path}: missing or duplicate id {entry.get('id')!r}")
            ids.add(str(entry.get("id")))
            for key, value in entry.items():
                if isinstance(value, str) and value.casefold() in _SPECIAL_WORDS:
                    continue
                if isinstance(value, bool) and key not in BOOL_FIELDS:
                    problems.append(f"{path}: {entry['id']}.{key} read as a boolean")
    if files != summary.files or items != summary.items:
        problems.append(
            f"reloaded {files} files and {items} items; wrote {summary.files} and {summary.items}"
        )
    csv_file = out / CSV_PATH
    if csv_file.exists():
        with csv_file.open(encoding="utf-8", newline="") as fh:
            rows = sum(1 for _ in csv.DictReader(fh))
        if rows != summary.csv_rows:
            problems.append(f"{csv_file}: {rows} rows, wrote {summary.csv_rows}")
    return problems


BOOL_FIELDS = frozenset(
    {
        "active",
        "top_management",
        "selection_criteria_met",
        "commits_to_requirements",
        "commits_to_improvement",
        "sla_met",
        "tested",
        "pir_done",
        "major_impact",
        "effectiveness_reviewed",
    }
)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("small", "medium", "large"))
    parser.add_argument("--files", type=int, help="evidence files in total (core included)")
    parser.add_argument("--records", type=int, help="evidence items in total (core included)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--services", type=int, default=60, help="services in the catalogue")
    parser.add_argument("--csv-rows", type=int, default=0, help="incidents in the CSV export")
    parser.add_argument(
        "--csv-as-yaml", action="store_true", help="write the export's incidents as YAML instead"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing --out")
    parser.add_argument("--check", action="store_true", help="reload the output with PyYAML")
    args = parser.parse_args(argv)

    if args.out.exists() and any(args.out.iterdir()):
        if not args.force:
            parser.error(f"{args.out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(args.out)
    started = time.perf_counter()
    if args.size == "small":
        if args.files or args.records or args.csv_rows:
            parser.error("--size small is the bundled example; it takes no other size options")
        summary = copy_example(args.out)
    else:
        files, records = SIZES[args.size] if args.size else (args.files, args.records)
        files = args.files or files
        records = args.records or records
        if not files or not records:
            parser.error("give --size, or --files and --records")
        try:
            summary = generate(
                args.out,
                files,
                records,
                seed=args.seed,
                services=args.services,
                csv_rows=args.csv_rows,
                csv_as_yaml=args.csv_as_yaml,
            )
        except ValueError as exc:
            parser.error(str(exc))
    elapsed = time.perf_counter() - started
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_kind.items()) if v >= 100)
    print(
        f"{args.out}: {summary.files} files, {summary.items} items, "
        f"{summary.bytes / 1e6:.1f} MB, {summary.csv_rows} CSV rows in {elapsed:.1f} s"
        + (f" ({kinds})" if kinds else "")
    )
    if args.check:
        problems = check(args.out, summary)
        for problem in problems[:20]:
            print(f"check: {problem}", file=sys.stderr)
        print(f"check: {'FAILED' if problems else 'ok'} ({len(problems)} problems)")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
