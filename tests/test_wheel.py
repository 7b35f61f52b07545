"""The catalog works from an installed wheel, not only from the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_and_loads_the_catalog(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("smscheck-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "sms_check/requirements/iso20000-1-2018/pack.yaml" in names
    assert "sms_check/templates/report.html.j2" in names
    assert "sms_check/schemas/evidence.schema.json" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import sms_check, sys\n"
        "from sms_check.requirements import load_catalog, lint\n"
        "assert sms_check.__file__.startswith(sys.argv[1]), sms_check.__file__\n"
        "catalog = load_catalog([])\n"
        "assert not lint(catalog), lint(catalog)[:3]\n"
        "print(len(catalog.requirements))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", probe, str(site)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 230
