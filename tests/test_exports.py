"""Records from ITSM tool exports (CSV, JSON, JSON Lines) as evidence: record_sources."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sms_check.cli import app
from sms_check.config import Settings, load_settings
from sms_check.evidence import EvidenceIndex, load_evidence
from sms_check.exports import mapping_names, read_record_sources
from sms_check.exports.rows import RowCells
from sms_check.exports.sources import RecordSource, load_mapping
from sms_check.results import Finding

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-15"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exports"
REPO = FIXTURES / "repo"
DOC = ROOT / "docs" / "record-exports.md"
runner = CliRunner()

# columns of the fixture export, as a spreadsheet numbers them
COLUMN = {"opened_at": 2, "priority": 5, "business_service": 12, "cmdb_ci": 13, "made_sla": 20}


def copy_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    return root


def edit_csv(path: Path, changes: dict[tuple[str, str], str]) -> None:
    """Set cells by (number, column); the file keeps its quoting and line ends."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for row in rows[1:]:
        for (number, column), value in changes.items():
            if row[0] == number:
                row[header.index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)


def load(root: Path) -> EvidenceIndex:
    settings, _ = load_settings(root)
    return load_evidence(
        root, settings.evidence, settings.max_file_bytes, record_sources=settings.record_sources
    )


def only(problems: list[Finding], kind: str) -> Finding:
    found = [p for p in problems if p.kind == kind]
    assert len(found) == 1, problems
    return found[0]


def write_repo(tmp_path: Path, config: str, files: dict[str, str] | None = None) -> Path:
    """The fixture's YAML evidence, a smscheck.yaml and export files."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "evidence", root / "evidence")
    (root / "smscheck.yaml").write_text(config, encoding="utf-8")
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8", newline="")
    return root


def with_sample(tmp_path: Path, sample: str, sources: str) -> Path:
    root = write_repo(tmp_path, f"record_sources:\n{sources}")
    (root / "exports").mkdir()
    shutil.copy(FIXTURES / sample, root / "exports" / sample)
    return root


def load_sample(tmp_path: Path, sample: str, sources: str) -> EvidenceIndex:
    """Load a sample export with the fixture's YAML evidence; it must load cleanly."""
    index = load(with_sample(tmp_path, sample, sources))
    assert not index.problems, index.problems
    return index


# --- the example repository ------------------------------------------------------------------


def test_example_repository_with_a_servicenow_csv_validates() -> None:
    result = runner.invoke(app, ["validate", str(REPO), "--structure-only", "--as-of", AS_OF])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 structural finding(s)" in result.stdout


def test_example_rows_become_incidents() -> None:
    index = load(REPO)
    assert not index.problems
    incidents = index.of_kind("incident")
    assert len(incidents) == 40
    first = incidents[0]
    assert first.location.path == "exports/incidents.csv"
    assert (first.location.line, first.id) == (2, "INC0010001")
    assert incidents[1].location.line == 4  # the description of row 2 spans two lines
    model = first.model
    assert model.priority == "P2"
    assert model.status == "closed"
    assert model.services == ["SVC-HOSTING"]  # by name: 'Managed hosting'
    assert model.cis == ["CI-DC1-CLUSTER"]  # by title: 'dc1-vcluster01'
    assert model.assigned_to == "P-ENG1"  # by name: 'Dan Pop'
    # Europe/Bucharest in May is UTC+3
    assert model.reported_at.isoformat() == "2026-05-04T08:00:00+03:00"
    mail = next(i for i in incidents if i.model.services == ["SVC-MAIL"])
    assert mail.id == "INC0010004"  # 'Email' -> SVC-MAIL through the value map
    assert "exports/incidents.csv" in index.files
    by_status = {i.model.status for i in incidents}
    assert by_status == {"closed", "resolved", "in_progress", "on_hold", "new"}


# --- row problems: located at their row, other rows still load -------------------------------


def test_bad_date_is_located_at_its_row_and_column(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    edit_csv(root / "exports/incidents.csv", {("INC0010007", "opened_at"): "31/02/2026 10:00"})
    index = load(root)
    problem = only(index.problems, "structure/export-date")
    assert problem.message == (
        "row 8: column 'opened_at' has '31/02/2026 10:00', which is not a date and time in the "
        "format YYYY-MM-DD HH:MM:SS (e.g. 2026-03-05 14:30:00)"
    )
    assert str(problem.location) == f"exports/incidents.csv:10:{COLUMN['opened_at']}"
    assert problem.item_id == "INC0010007"
    assert len(index.problems) == 1
    assert len(index.of_kind("incident")) == 39
    assert "INC0010007" not in index.by_id


def test_bad_date_names_a_custom_format_in_words(tmp_path: Path) -> None:
    config = (REPO / "smscheck.yaml").read_text(encoding="utf-8")
    config += '    timestamp_format: "%d/%m/%Y %H:%M"\n'
    root = copy_repo(tmp_path)
    (root / "smscheck.yaml").write_text(config, encoding="utf-8")
    path = root / "exports/incidents.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    for row in rows[1:]:
        for n in (1, 14, 15, 21):
            if row[n]:
                row[n] = dt.datetime.fromisoformat(row[n]).strftime("%d/%m/%Y %H:%M")
    rows[17][1] = "31/02/2026 10:00"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    index = load(root)
    problem = only(index.problems, "structure/export-date")
    assert problem.message.endswith(
        "column 'opened_at' has '31/02/2026 10:00', which is not a date and time in the format "
        "DD/MM/YYYY HH:MM (e.g. 05/03/2026 14:30)"
    )
    assert len(index.of_kind("incident")) == 39


def test_unknown_value_in_a_value_map(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    edit_csv(root / "exports/incidents.csv", {("INC0010004", "priority"): "0 - Apocalyptic"})
    index = load(root)
    problem = only(index.problems, "structure/export-value")
    assert problem.message == (
        "row 5: column 'priority' has '0 - Apocalyptic', which smscheck cannot translate into "
        "a priority of an incident (P1, P2, P3, P4); add it under values: {priority: {...}} of "
        "record_sources[0] in smscheck.yaml"
    )
    assert str(problem.location) == f"exports/incidents.csv:6:{COLUMN['priority']}"
    assert len(index.of_kind("incident")) == 39


def test_every_problem_of_a_row_is_reported(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    edit_csv(
        root / "exports/incidents.csv",
        {("INC0010004", "priority"): "urgent!", ("INC0010004", "made_sla"): "perhaps"},
    )
    problems = load(root).problems
    assert [(p.kind, p.location.column) for p in problems] == [
        ("structure/export-value", COLUMN["priority"]),
        ("structure/export-value", COLUMN["made_sla"]),
    ]
    assert "column 'made_sla' has 'perhaps', which is not yes or no" in problems[1].message
    assert "values: {sla_met: {...}}" in problems[1].message


def test_missing_required_column_reads_no_row(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    path = root / "exports/incidents.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"opened_at"', '"u_opened"', 1), encoding="utf-8")
    index = load(root)
    problem = only(index.problems, "structure/export-column")
    assert problem.message == (
        "the export has no column 'opened_at', which gives 'reported_at' of every incident; "
        "export it too, or name the column that holds it under columns: {reported_at: ...} of "
        "record_sources[0] in smscheck.yaml; no row of this file was read"
    )
    assert str(problem.location) == "exports/incidents.csv:1"
    assert len(index.problems) == 1
    assert index.of_kind("incident") == []


def test_missing_column_named_in_the_configuration_is_reported(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    config = (root / "smscheck.yaml").read_text(encoding="utf-8")
    (root / "smscheck.yaml").write_text(config + "    columns: {category: u_category}\n")
    index = load(root)
    problem = only(index.problems, "structure/export-column")
    assert "has no column 'u_category', which gives 'category'" in problem.message
    assert "no row" not in problem.message
    assert len(index.of_kind("incident")) == 40  # an optional field: the rows load without it


def test_dangling_reference_is_located_at_the_row_and_the_column(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    edit_csv(
        root / "exports/incidents.csv", {("INC0010007", "business_service"): "Quantum computing"}
    )
    index = load(root)
    problem = only(index.problems, "structure/dangling-reference")
    assert problem.message == (
        "incident 'INC0010007': 'services' refers to service 'Quantum computing', "
        "which does not exist"
    )
    assert str(problem.location) == f"exports/incidents.csv:10:{COLUMN['business_service']}"
    assert len(index.of_kind("incident")) == 40


def test_dangling_problem_reference(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    edit_csv(root / "exports/incidents.csv", {("INC0010003", "problem_id"): "PRB0049999"})
    problem = only(load(root).problems, "structure/dangling-reference")
    assert "'problem' refers to problem 'PRB0049999', which does not exist" in problem.message
    assert str(problem.location) == "exports/incidents.csv:5:19"


def test_empty_required_cell(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    edit_csv(root / "exports/incidents.csv", {("INC0010004", "opened_at"): " "})
    problem = only(load(root).problems, "structure/export-empty")
    assert problem.message == (
        "row 5: column 'opened_at' is empty, but every incident needs 'reported_at'"
    )
    assert str(problem.location) == "exports/incidents.csv:6:2"


def test_a_list_cell_is_split_and_each_entry_checked(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    edit_csv(
        root / "exports/incidents.csv",
        {("INC0010004", "cmdb_ci"): "dc1-vcluster01, bk-vault01, no-such-ci"},
    )
    index = load(root)
    problem = only(index.problems, "structure/dangling-reference")
    assert "'cis' refers to configuration_item 'no-such-ci'" in problem.message
    assert index.by_id["INC0010004"].model.cis[:2] == [
        "CI-DC1-CLUSTER",
        "CI-BACKUP-VAULT",
    ]


def test_invalid_id_and_duplicate_id_are_located(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    edit_csv(
        root / "exports/incidents.csv",
        {("INC0010004", "number"): "INC 4", ("INC0010005", "number"): "INC0010001"},
    )
    index = load(root)
    invalid = only(index.problems, "structure/invalid-id")
    assert str(invalid.location) == "exports/incidents.csv:6:1"
    duplicate = only(index.problems, "structure/duplicate-id")
    assert str(duplicate.location) == "exports/incidents.csv:7:1"
    assert "already used by a incident item at exports/incidents.csv:2" in duplicate.message


def test_rows_are_read_one_at_a_time(tmp_path: Path) -> None:
    """A problem on the last row is only seen once the reader gets there (streaming)."""
    root = copy_repo(tmp_path)
    edit_csv(root / "exports/incidents.csv", {("INC0010040", "opened_at"): "yesterday"})
    settings, _ = load_settings(root)
    index = load_evidence(root, settings.evidence)
    rows = read_record_sources(root, settings.record_sources, index)
    kind, data, location, cells = next(rows)
    assert (kind, data["id"], str(location)) == (
        "incident",
        "INC0010001",
        "exports/incidents.csv:2",
    )
    assert cells.get("reported_at") == (2, 2)
    assert not index.problems
    assert len(list(rows)) == 38
    assert [p.kind for p in index.problems] == ["structure/export-date"]


def test_row_cells_answer_like_a_mapping() -> None:
    cells = RowCells(7, {"id": 1, "services": 12})
    assert cells.get("services") == (7, 12)
    assert cells.get("title", (7, 0)) == (7, 0)
    assert cells["id"] == (7, 1)
    assert "services" in cells and "title" not in cells
    assert bool(cells) and len(cells) == 2 and list(cells) == ["id", "services"]
    with pytest.raises(KeyError):
        cells["title"]


def test_a_row_in_another_encoding_is_reported_and_the_others_load(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    path = root / "exports/incidents.csv"
    data = path.read_bytes()
    # a cp1252 export: 'Café' in the caller of INC0010004 (row 5, line 6)
    path.write_bytes(
        data.replace(
            b'"INC0010004","2026-05-13 11:39:00","Mailbox cannot be opened","Customer Contact"',
            b'"INC0010004","2026-05-13 11:39:00","Mailbox cannot be opened","Caf\xe9 Contact"',
        )
    )
    index = load(root)
    problem = only(index.problems, "structure/export-encoding")
    assert problem.message == (
        "row 5: column 'caller_id' has 'Caf\\xe9 Contact', which is not utf-8-sig text; if the "
        "file was saved in another encoding, set encoding: (e.g. cp1252) of record_sources[0] "
        "in smscheck.yaml"
    )
    assert str(problem.location) == "exports/incidents.csv:6:4"
    assert len(index.of_kind("incident")) == 39


def test_the_encoding_setting_reads_other_encodings(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    path = root / "exports/incidents.csv"
    path.write_bytes(
        path.read_text(encoding="utf-8").replace("Customer Contact", "Café").encode("cp1252")
    )
    config = (root / "smscheck.yaml").read_text(encoding="utf-8")
    (root / "smscheck.yaml").write_text(config + "    encoding: cp1252\n")
    index = load(root)
    assert not index.problems
    assert len(index.of_kind("incident")) == 40


# --- options: defaults, wildcard, where, encodings, delimiters -------------------------------


def test_defaults_wildcard_and_own_columns(tmp_path: Path) -> None:
    export = (
        "Ref;Opened;Text;Prio;State;Svc\n"
        "HD-1;2026-07-01 08:00;Printer offline;high;Open;Service desk\n"
        "HD-2;2026-07-02 09:30;Portal slow;low;Waiting on vendor;Managed hosting\n"
    )
    config = """\
record_sources:
  - path: exports/helpdesk.csv
    kind: incident
    delimiter: ";"
    timestamp_format: "%Y-%m-%d %H:%M"
    timezone: America/New_York
    columns: {id: Ref, reported_at: Opened, description: Text, priority: Prio, status: State,
              services: Svc}
    values:
      priority: {high: P2, low: P4}
      status: {Open: new, "*": on_hold}
    defaults: {impact: medium, urgency: medium}
"""
    root = write_repo(tmp_path, config, {"exports/helpdesk.csv": export})
    index = load(root)
    assert not index.problems
    first, second = index.of_kind("incident")
    assert (first.model.priority, first.model.status, first.model.impact) == (
        "P2",
        "new",
        "medium",
    )
    assert second.model.status == "on_hold"
    assert first.model.reported_at.isoformat() == "2026-07-01T08:00:00-04:00"
    assert first.field_location("impact") == first.location  # a default has no cell


def test_a_value_already_in_the_model_needs_no_map(tmp_path: Path) -> None:
    export = "id,description,impact,urgency,priority,status,reported_at\n"
    export += "X-1,Broken,HIGH,low,p1,In_Progress,2026-07-01T08:00:00Z\n"
    config = "record_sources:\n  - {path: exports/x.csv, kind: incident}\n"
    index = load(write_repo(tmp_path, config, {"exports/x.csv": export}))
    assert not index.problems
    model = index.of_kind("incident")[0].model
    assert (model.impact, model.priority, model.status) == ("high", "P1", "in_progress")
    assert model.reported_at == dt.datetime(2026, 7, 1, 8, tzinfo=dt.UTC)


def test_where_keeps_matching_rows_only(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    config = (root / "smscheck.yaml").read_text(encoding="utf-8")
    (root / "smscheck.yaml").write_text(config + "    where: {category: [software]}\n")
    index = load(root)
    assert not index.problems
    assert len(index.of_kind("incident")) == 20  # every other row is 'Software'


# --- ready mappings on sample exports ---------------------------------------------------------

SAMPLES = {
    "servicenow-incident": "servicenow-incident.csv",
    "servicenow-change_request": "servicenow-change_request.csv",
    "servicenow-problem": "servicenow-problem.csv",
    "servicenow-sc_req_item": "servicenow-sc_req_item.csv",
    "jira-service-management": "jira-service-management.csv",
}


def test_every_ready_mapping_has_a_sample_and_loads_cleanly() -> None:
    from sms_check import yamlio

    assert set(mapping_names()) == set(SAMPLES)
    folder = ROOT / "src" / "sms_check" / "exports" / "mappings"
    for name in mapping_names():
        _, problems = yamlio.load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
        assert not problems, (name, problems)
        ready = load_mapping(name)
        for kind in ready.kinds:
            RecordSource(path="x.csv", mapping=name, kind=kind)  # merges and checks the fields


def _documented(name: str, kind: str) -> list[list[str]]:
    """The column lists documented for a ready mapping and kind in docs/record-exports.md."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"#### `{name}`: `{kind}`\n")
    end = text.find("\n#", start + 1)
    section = text[start : end if end > 0 else None]
    columns = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 2:
            columns.append(re.findall(r"`([^`]+)`", cells[1]))
    return columns


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_documentation_lists_every_column_of_the_ready_mapping(name: str) -> None:
    ready = load_mapping(name)
    for kind, mapping in ready.kinds.items():
        expected = [[c] if isinstance(c, str) else list(c or []) for c in mapping.columns.values()]
        assert _documented(name, kind) == expected, f"{name}: {kind}"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_export_has_every_documented_column(name: str) -> None:
    with (FIXTURES / SAMPLES[name]).open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    ready = load_mapping(name)
    for kind in ready.kinds:
        for columns in _documented(name, kind):
            for column in columns:
                assert column in header, f"{SAMPLES[name]} lacks '{column}' ({kind})"
        for column in ready.kinds[kind].where:
            assert column in header


def test_servicenow_incident_sample(tmp_path: Path) -> None:
    index = load_sample(
        tmp_path,
        "servicenow-incident.csv",
        "  - {path: exports/servicenow-incident.csv, mapping: servicenow-incident,\n"
        '     values: {services: {"Email": SVC-MAIL}}}\n',
    )
    items = {i.id: i.model for i in index.of_kind("incident")}
    assert list(items) == ["INC0020001", "INC0020002", "INC0020003", "INC0020004"]
    one, two, three, four = items.values()
    assert (one.priority, one.major, one.status, one.sla_met) == ("P1", True, "closed", True)
    assert one.resolution.startswith("Restarted")
    assert two.description == "Backup job failed"  # from short_description
    assert two.problem == "PRB0040001"
    assert (three.priority, three.status, three.major) == ("P4", "closed", False)
    assert (four.status, four.services, four.assigned_to) == ("on_hold", ["SVC-MAIL"], "P-SDM")


def test_servicenow_change_problem_and_request_samples(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path,
        "record_sources:\n"
        "  - {path: exports/problems.csv, mapping: servicenow-problem}\n"
        "  - {path: exports/changes.csv, mapping: servicenow-change_request,\n"
        '     values: {services: {"Email": SVC-MAIL}}}\n'
        "  - {path: exports/requests.csv, mapping: servicenow-sc_req_item}\n",
    )
    (root / "exports").mkdir()
    shutil.copy(FIXTURES / "servicenow-problem.csv", root / "exports/problems.csv")
    shutil.copy(FIXTURES / "servicenow-change_request.csv", root / "exports/changes.csv")
    shutil.copy(FIXTURES / "servicenow-sc_req_item.csv", root / "exports/requests.csv")
    index = load(root)
    assert not index.problems  # the problem's rfc refers to a change of a later source
    changes = {i.id: i.model for i in index.of_kind("change")}
    normal, standard, emergency = changes.values()
    assert (normal.change_type, normal.risk, normal.decision, normal.outcome, normal.status) == (
        "normal",
        "medium",
        "approved",
        "partial",
        "closed",
    )
    assert normal.closed_on == dt.date(2026, 6, 12)
    assert (standard.decision, standard.status) == ("approved", "scheduled")
    assert (emergency.risk, emergency.decision, emergency.status) == ("high", "rejected", "closed")
    problems = {i.id: i.model for i in index.of_kind("problem") if i.id.startswith("PRB00401")}
    first, second, legacy = problems.values()
    assert (first.status, first.change, first.detected_on) == (
        "resolved",
        "CHG0030001",
        dt.date(2026, 6, 1),
    )
    assert (second.status, legacy.status) == ("investigating", "closed")
    requests = {i.id: i.model for i in index.of_kind("service_request")}
    complete, running, incomplete = requests.values()
    assert (complete.status, complete.service, complete.description) == (
        "fulfilled",
        "SVC-DESK",
        "New mailbox",
    )
    assert (running.status, incomplete.status) == ("in_progress", "closed")


def test_jira_service_management_sample_holds_four_kinds(tmp_path: Path) -> None:
    sources = "".join(
        f"  - {{path: exports/jira-service-management.csv, mapping: jira-service-management, "
        f"kind: {kind}, timezone: Europe/Bucharest}}\n"
        for kind in ("incident", "service_request", "change", "problem")
    )
    root = with_sample(tmp_path, "jira-service-management.csv", sources)
    index = load(root)
    assert not index.problems
    incident = index.by_id["ITSM-101"].model
    assert (incident.priority, incident.impact, incident.urgency, incident.status) == (
        "P1",
        "high",
        "high",
        "resolved",
    )
    assert incident.tags == ["customer-facing", "p1"]  # two 'Labels' columns
    assert incident.reported_at.isoformat() == "2026-07-01T09:15:00+03:00"
    assert incident.description == "The portal returns HTTP 503."
    assert index.by_id["ITSM-102"].model.reported_at.hour == 14  # 2:40 PM
    assert index.by_id["ITSM-103"].model.service == "SVC-MAIL"
    assert index.by_id["ITSM-104"].model.status == "new"
    change = index.by_id["ITSM-105"].model
    assert (change.status, change.decision, change.change_type) == (
        "approved",
        "approved",
        "normal",
    )
    problem = index.by_id["ITSM-106"].model
    assert (problem.status, problem.detected_on) == ("investigating", dt.date(2026, 7, 6))
    assert "ITSM-107" not in index.by_id  # a Task: no kind takes it
    assert [
        len(index.of_kind(k)) for k in ("incident", "service_request", "change", "problem")
    ] == [
        2,
        2,
        1,
        3,  # with the two problems of the YAML evidence
    ]


def test_jira_unknown_status_is_reported_with_its_row(tmp_path: Path) -> None:
    root = with_sample(
        tmp_path,
        "jira-service-management.csv",
        "  - {path: exports/jira-service-management.csv, mapping: jira-service-management,"
        " kind: incident}\n",
    )
    path = root / "exports/jira-service-management.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Work in progress", "Triage"))
    problem = only(load(root).problems, "structure/export-value")
    assert problem.message.startswith(
        "row 3: column 'Status' has 'Triage', which smscheck cannot translate into a status of "
        "an incident (new, in_progress, on_hold, resolved, closed)"
    )
    assert str(problem.location) == "exports/jira-service-management.csv:3:5"


# --- JSON and JSON Lines ----------------------------------------------------------------------


def test_servicenow_json_export_with_display_values(tmp_path: Path) -> None:
    index = load_sample(
        tmp_path,
        "servicenow-incident.json",
        "  - {path: exports/servicenow-incident.json, mapping: servicenow-incident}\n",
    )
    first, second = index.of_kind("incident")
    assert str(first.location) == "exports/servicenow-incident.json:3:5"
    assert (second.model.priority, second.model.status) == ("P3", "in_progress")
    assert second.model.services == ["SVC-BACKUP"]  # {"display_value": "Managed backup"}
    assert second.model.assigned_to == "P-ENG2"
    assert first.field_location("priority").line == 3


def test_json_bad_value_is_located_at_its_key(tmp_path: Path) -> None:
    root = with_sample(
        tmp_path,
        "servicenow-incident.json",
        "  - {path: exports/servicenow-incident.json, mapping: servicenow-incident}\n",
    )
    path = root / "exports/servicenow-incident.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"2 - High"', '"9 - Whenever"'))
    index = load(root)
    problem = only(index.problems, "structure/export-value")
    assert problem.message.startswith("record 1: key 'priority' has '9 - Whenever'")
    line = path.read_text(encoding="utf-8").splitlines()[2]
    assert (problem.location.line, problem.location.column) == (3, line.index('"priority"') + 1)
    assert [i.id for i in index.of_kind("incident")] == ["INC0020102"]


def test_invalid_json_is_reported(tmp_path: Path) -> None:
    config = "record_sources:\n  - {path: exports/x.json, mapping: servicenow-incident}\n"
    root = write_repo(tmp_path, config, {"exports/x.json": '{"records": [\n  {"number": 1,\n'})
    problem = only(load(root).problems, "structure/export-json")
    assert problem.message.startswith("the JSON is not valid from here on")
    root = write_repo(tmp_path / "b", config, {"exports/x.json": '{"result": []}'})
    problem = only(load(root).problems, "structure/export-json")
    assert "has no key 'records'" in problem.message


def test_json_lines_with_nested_keys_and_lists(tmp_path: Path) -> None:
    config = """\
record_sources:
  - path: exports/helpdesk-incidents.jsonl
    kind: incident
    timezone: Europe/Bucharest
    columns: {id: key, title: fields.summary, description: fields.summary,
              priority: fields.priority, status: fields.status, reported_at: fields.created,
              services: fields.services, impact: fields.impact, urgency: fields.urgency,
              major: fields.major}
"""
    root = write_repo(tmp_path, config)
    (root / "exports").mkdir()
    lines = (FIXTURES / "helpdesk-incidents.jsonl").read_text(encoding="utf-8")
    (root / "exports/helpdesk-incidents.jsonl").write_text(lines + "not json\n\n[1]\n")
    index = load(root)
    first, second = index.of_kind("incident")
    assert (first.id, first.model.major, str(first.location)) == (
        "HD-1",
        False,
        "exports/helpdesk-incidents.jsonl:1:1",
    )
    assert second.model.services == ["SVC-HOSTING", "SVC-BACKUP"]
    assert second.model.major is True
    assert [(p.kind, p.location.line) for p in index.problems] == [
        ("structure/export-json", 3),
        ("structure/not-a-mapping", 5),
    ]


def test_json_lines_in_another_encoding(tmp_path: Path) -> None:
    config = (
        "record_sources:\n  - {path: exports/x.jsonl, kind: incident,"
        " defaults: {impact: low, urgency: low, priority: P4, status: new}}\n"
    )
    root = write_repo(tmp_path, config)
    (root / "exports").mkdir()
    good = '{"id": "X-1", "description": "ok", "reported_at": "2026-07-01T08:00:00Z"}\n'
    bad = '{"id": "X-2", "description": "Café", "reported_at": "2026-07-01T08:00:00Z"}\n'
    (root / "exports/x.jsonl").write_bytes(good.encode() + bad.encode("cp1252"))
    index = load(root)
    problem = only(index.problems, "structure/export-encoding")
    assert problem.message.startswith('line 2 has \'{"id": "X-2", "description": "Caf\\xe9"')
    assert (problem.location.line, problem.location.column) == (2, 34)
    assert [i.id for i in index.of_kind("incident")] == ["X-1"]


# --- configuration errors: exit 2, one line ---------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "{path: exports/incidents.csv, mapping: servicenow-incidnet}",
            "smscheck.yaml:3:35: 'record_sources.0.mapping': 'servicenow-incidnet' is not a ready "
            "mapping; did you mean 'servicenow-incident'?",
        ),
        (
            "{path: exports/incidents.csv, kind: incidnt, columns: {id: number}}",
            "'record_sources.0.kind': 'incidnt' is not a kind of evidence smscheck knows; "
            "did you mean 'incident'?",
        ),
        (
            "{path: exports/nope.csv, mapping: servicenow-incident}",
            "smscheck.yaml: record_sources[0]: 'exports/nope.csv' does not exist in the repository",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident, columns: {servces: x}}",
            "'record_sources.0': columns: 'servces' is not a field of an incident; "
            "did you mean 'services'?",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident, kind: change}",
            "mapping 'servicenow-incident' is for incident records, not change",
        ),
        (
            "{path: exports/incidents.csv, mapping: jira-service-management}",
            "mapping 'jira-service-management' covers several kinds (incident, service_request, "
            "change, problem); say which one this export holds with kind:",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident,"
            " columns: {description: null}}",
            "every incident needs 'description': name its column under columns:",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident, columns: {actions: x}}",
            "columns: 'actions' of an incident holds nested entries",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident,"
            " values: {priority: {'1 - Critical': P0}}}",
            "values: priority: '1 - Critical' becomes 'P0', which is not a priority of an "
            "incident; use one of P1, P2, P3, P4",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident, timezone: Mars/Olympus}",
            "'record_sources.0.timezone': 'Mars/Olympus' is not a time zone",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident, date_format: '%Y-%q'}",
            "'record_sources.0.date_format': '%Y-%q' is not a usable format",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident, encoding: klingon}",
            "'klingon' is not a text encoding Python knows",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident, defaults: {impact: big}}",
            "defaults: 'impact' cannot be 'big'",
        ),
        (
            "{path: exports/incidents.txt, kind: incident, columns: {id: a, description: b,"
            " impact: c, urgency: d, priority: e, status: f, reported_at: g}}",
            "cannot tell the format of 'exports/incidents.txt' from its extension",
        ),
        (
            "{path: exports/incidents.csv, mapping: servicenow-incident, colums: {}}",
            "'record_sources.0.colums': unknown setting",
        ),
    ],
)
def test_configuration_errors_exit_2_with_one_line(
    tmp_path: Path, source: str, message: str
) -> None:
    root = copy_repo(tmp_path)
    (root / "smscheck.yaml").write_text(f"organization: X\nrecord_sources:\n  - {source}\n")
    result = runner.invoke(app, ["validate", str(root), "--structure-only"])
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("smscheck: error: smscheck.yaml")
    assert message in lines[0]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.csv", "'../outside.csv' points outside the evidence repository (no '..')"),
        ("exports/../../outside.csv", "points outside the evidence repository"),
        ("/etc/passwd", "'/etc/passwd' must be a path relative to the repository root"),
        ("~/incidents.csv", "must be a path relative to the repository root"),
        ("C:/exports/incidents.csv", "must be a path relative to the repository root"),
    ],
)
def test_a_path_escaping_the_repository_is_refused(tmp_path: Path, path: str, message: str) -> None:
    root = copy_repo(tmp_path)
    (tmp_path / "outside.csv").write_text("number\n")
    config = f"record_sources:\n  - {{path: '{path}', mapping: servicenow-incident}}\n"
    (root / "smscheck.yaml").write_text(config)
    result = runner.invoke(app, ["validate", str(root), "--structure-only"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_a_link_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    outside = tmp_path / "outside.csv"
    shutil.copy(root / "exports/incidents.csv", outside)
    (root / "exports/link.csv").symlink_to(outside)
    (root / "smscheck.yaml").write_text(
        "record_sources:\n  - {path: exports/link.csv, mapping: servicenow-incident}\n"
    )
    result = runner.invoke(app, ["validate", str(root), "--structure-only"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "smscheck: error: smscheck.yaml: record_sources[0]: 'exports/link.csv' is a link to a "
        "place outside the evidence repository; copy the export into the repository"
    )


# --- documentation and import cost -------------------------------------------------------------


def test_full_example_of_the_documentation_is_valid_configuration() -> None:
    from sms_check import yamlio

    text = DOC.read_text(encoding="utf-8")
    block = text.split("## A record source in full", 1)[1].split("```yaml\n", 1)[1]
    data, problems = yamlio.load(block.split("```", 1)[0])
    assert not problems
    settings = Settings.model_validate(data)
    (source,) = settings.record_sources
    assert source.mapping == "servicenow-incident"


def test_reading_the_configuration_does_not_import_the_reader() -> None:
    code = (
        "import sys, sms_check.config; "
        "print(sorted(m for m in sys.modules if m.startswith(('sms_check.exports.reader', "
        "'sms_check.model', 'pandas', 'sms_check.evidence'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.replace("'", '"')) == []
