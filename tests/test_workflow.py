"""Git workflow: baselines ("new gaps only"), diff, and the pre-commit hook with the real tool."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sms_check.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

PACK = """\
pack: {id: own, title: Own requirements}
requirements:
  - id: OWN-SLA-1
    clause: A.1
    clause_title: Agreements
    title: Every live service has an SLA
    statement: Each live service is covered by an agreed SLA.
    evidence: [service, sla]
    automation: automated
    severity: major
    checks:
      - type: cross_reference
        kind: service
        where: {status: live}
        referenced_by: {kind: sla, field: services}
"""
CONFIG = "organization: Git SRL\ninclude_bundled_catalog: false\nrequirement_packs: [pack.yaml]\n"
SERVICES = """\
kind: service
items:
  - {id: SVC-1, name: Hosting}
  - {id: SVC-2, name: Desk}
"""
SLAS = """\
kind: sla
items:
  - {id: SLA-1, customer: IP-1, services: [SVC-1, SVC-2]}
"""
PARTIES = "kind: interested_party\nitems:\n  - {id: IP-1, party_type: customer, name: Bank}\n"


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def _write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "evidence-repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _write(
        repo,
        {
            "smscheck.yaml": CONFIG,
            "pack.yaml": PACK,
            "evidence/services.yaml": SERVICES,
            "evidence/slas.yaml": SLAS,
            "evidence/parties.yaml": PARTIES,
        },
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "clean evidence")
    return repo


def _validate(repo: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", str(repo), "--as-of", "2026-11-15", *args])
    return result.exit_code, result.stdout


def _snapshot(repo: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()
    }


def test_regression_is_new_and_baseline_at_head_passes(repo: Path) -> None:
    _write(repo, {"evidence/services.yaml": SERVICES + "  - {id: SVC-3, name: Backup}\n"})
    _git(repo, "commit", "-qam", "add a service without SLA")
    code, out = _validate(repo)
    assert code == 1
    code, out = _validate(repo, "--baseline", "HEAD~1")
    assert code == 1
    assert "new: evidence/services.yaml:5:5: major: [OWN-SLA-1] service 'SVC-3'" in out
    assert out.splitlines()[-1].startswith("smscheck: 1 new or worse, 0 fixed")
    code, out = _validate(repo, "--baseline", "HEAD")
    assert code == 0, out
    assert "0 new or worse" in out


def test_fixed_finding_is_reported_as_fixed(repo: Path) -> None:
    _write(repo, {"evidence/slas.yaml": SLAS.replace("[SVC-1, SVC-2]", "[SVC-1]")})
    _git(repo, "commit", "-qam", "regression")
    _write(repo, {"evidence/slas.yaml": SLAS})  # fixed in the working tree, not committed
    before = _snapshot(repo)
    status_before = _git(repo, "status", "--porcelain")
    code, out = _validate(repo, "--baseline", "HEAD")
    assert code == 0
    assert "fixed: evidence/services.yaml:4:5: major: [OWN-SLA-1] service 'SVC-2'" in out
    # the user's work tree and index are untouched by reading the baseline through git
    assert _snapshot(repo) == before
    assert _git(repo, "status", "--porcelain") == status_before


def test_diff_between_revisions_as_markdown_and_json(repo: Path) -> None:
    _write(repo, {"evidence/services.yaml": SERVICES + "  - {id: SVC-3, name: Backup}\n"})
    _git(repo, "commit", "-qam", "regression")
    result = runner.invoke(
        app, ["diff", "HEAD~1", "HEAD", "--root", str(repo), "--format", "markdown"]
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("### smscheck: 1 new, 0 fixed since `HEAD~1`")
    result = runner.invoke(app, ["diff", "HEAD", "HEAD~1", "--root", str(repo), "-f", "json"])
    assert result.exit_code == 0
    assert '"fixed": [' in result.stdout


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    code, _ = _validate(repo, "--baseline", "no-such-rev")
    assert code == 2


def test_findings_match_by_fingerprint_not_line(repo: Path) -> None:
    _write(repo, {"evidence/slas.yaml": SLAS.replace("[SVC-1, SVC-2]", "[SVC-1]")})
    _git(repo, "commit", "-qam", "gap")
    _write(repo, {"evidence/services.yaml": "# moved down\n\n" + SERVICES})
    code, out = _validate(repo, "--baseline", "HEAD")
    assert code == 0, out
    assert "0 new or worse, 0 fixed, 1 unchanged" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_pre_commit_hook_agrees_with_validate(repo: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pre_commit",
                "try-repo",
                str(ROOT),
                "smscheck-validate",
                "--all-files",
            ],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )

    clean = hook()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert _validate(repo)[0] == 0
    _write(repo, {"evidence/services.yaml": SERVICES + "  - {id: SVC-1, name: Duplicate}\n"})
    _git(repo, "commit", "-qam", "broken")
    broken = hook()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "structure/duplicate-id" in broken.stdout
    assert _validate(repo)[0] == 1
