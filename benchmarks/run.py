"""Benchmark smscheck against its floors and a peer tool; write docs/performance.md.

For each repository size (small = the bundled example, medium, large; generated under
benchmarks/out/ by generate.py, reused while the generator is unchanged) the commands below run
as whole processes, interleaved in shuffled order, ``--repeat`` rounds; wall time and peak RSS of
each child come from ``os.wait4``:

- floors: ``python -c pass``, ``python -c "import yaml"``, ``bare_parse.py`` (CSafeLoader, every
  document kept, GC off);
- ``smscheck validate``, ``smscheck gap-report -f html``, ``smscheck gap-report -f json``;
- the peer ``check-jsonschema --schemafile <smscheck schema evidence> <files>`` (from its own
  venv, ``--check-jsonschema PATH``; skipped, and said so, when absent);
- on small also ``smscheck --help``, ``check-jsonschema --version``, the pre-commit path
  (``validate`` with a kept cache folder after one file changed) and the floors under it.

Then, per size, the warm run: ``validate``, change one evidence file, ``validate`` again (and a
third time unchanged), all with one cache folder. Every other smscheck run gets a fresh, empty
cache folder (the environment variables of ``--cache-env``), so it is cold. The ``csv`` group
compares ``validate --structure-only`` of a small repository alone, with a 100,000-row CSV export
and with the same rows as YAML. ``--profile`` adds a cProfile of ``validate --structure-only`` on
the medium repository. Targets are ratios within one run; see the issue and
shared/reference/perf-baseline.md. No timed assertions live in the test suite.

    python benchmarks/run.py --check-jsonschema /path/to/venv/bin/check-jsonschema
    python benchmarks/run.py --sizes small,medium --no-doc
    python benchmarks/run.py --from-results benchmarks/out/results.json   # the doc only

Every run saves its raw samples to benchmarks/out/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AS_OF = "2026-11-15"
GROUPS = ("small", "medium", "large", "csv")
DEFAULT_REPEAT = {"small": 5, "medium": 3, "large": 1, "csv": 3}
CSV_ROWS = 100_000
CSV_BASE = ("--files", "20", "--records", "2000")


# --------------------------------------------------------------------------------------------
# Measuring one process
# --------------------------------------------------------------------------------------------


@dataclass
class Sample:
    """One run of one command."""

    wall: float
    cpu: float
    rss_mb: float
    rc: int


@dataclass
class Command:
    """A command of a group, and the exit codes that mean it did its work."""

    name: str
    argv: list[str]
    cwd: Path
    ok_codes: tuple[int, ...] = (0,)
    smscheck: bool = False
    samples: list[Sample] = field(default_factory=list)
    last_output: str = ""
    cache: Path | None = None  # a cache folder kept between runs (default: a fresh one each)
    before: Callable[[], None] | None = None  # runs (unmeasured) before each sample

    def median(self) -> float:
        """Median wall time in seconds (NaN without samples)."""
        return statistics.median(s.wall for s in self.samples) if self.samples else float("nan")

    def peak_mb(self) -> float:
        """Largest peak RSS over the runs, MB."""
        return max((s.rss_mb for s in self.samples), default=float("nan"))


class Runner:
    """Runs commands with a fresh cache folder each (unless told which to use)."""

    def __init__(
        self, work: Path, cache_env: Sequence[str], verbose: bool, gnu_time: str | None
    ) -> None:
        self.work = work
        self.cache_env = list(cache_env)
        self.verbose = verbose
        self.gnu_time = gnu_time
        self.counter = 0

    def run(self, cmd: Command, cache: Path | None = None) -> Sample:
        """Run ``cmd`` once; keep its output (the last 2,000 characters)."""
        self.counter += 1
        cache = cache or cmd.cache
        if cmd.before is not None:
            cmd.before()
        fresh = cache is None
        cache = cache or self.work / f"cache-{self.counter}"
        cache.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        # NOTE: a sandbox may set PYTHONDONTWRITEBYTECODE; users' machines keep .pyc files, and
        # without them every run would byte-compile smscheck's modules again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update({name: str(cache) for name in self.cache_env})
        out_path = self.work / "last-output.txt"
        rss_path = self.work / "last-rss.txt"
        argv = cmd.argv
        if self.gnu_time:
            # A small C parent: the child's peak RSS is its own, not inflated by this process
            # (a child forked from Python starts with Python's high-water mark).
            argv = [self.gnu_time, "-f", "%M", "-o", str(rss_path), *argv]
        with out_path.open("wb") as out:
            started = time.perf_counter()
            proc = subprocess.Popen(
                argv, cwd=cmd.cwd, env=env, stdout=out, stderr=subprocess.STDOUT
            )
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss_kb = float(usage.ru_maxrss)
        if self.gnu_time:
            rss_kb = float(rss_path.read_text().split()[-1])
        if fresh:
            shutil.rmtree(cache, ignore_errors=True)
        with out_path.open("rb") as fh:
            fh.seek(max(0, out_path.stat().st_size - 2000))
            cmd.last_output = fh.read().decode("utf-8", "replace")
        sample = Sample(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            rss_mb=rss_kb / 1024,
            rc=proc.returncode,
        )
        if self.verbose:
            print(
                f"    {cmd.name:<16} {wall:8.3f} s {sample.rss_mb:8.1f} MB  exit {sample.rc}",
                flush=True,
            )
        return sample


# --------------------------------------------------------------------------------------------
# Repositories
# --------------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """A generated repository and what it holds."""

    name: str
    root: Path
    options: list[str]
    files: int = 0
    items: int = 0
    bytes: int = 0
    csv_rows: int = 0
    generate_s: float = 0.0
    reused: bool = False


_ITEM = re.compile(rb"^(?:  - id: |id: )", re.MULTILINE)


def measure_corpus(corpus: Corpus) -> None:
    """Count files, items, bytes and CSV rows of ``corpus``."""
    corpus.files = corpus.items = corpus.bytes = corpus.csv_rows = 0
    for path in sorted((corpus.root / "evidence").rglob("*.yaml")):
        data = path.read_bytes()
        corpus.files += 1
        corpus.bytes += len(data)
        corpus.items += len(_ITEM.findall(data))
    for path in sorted((corpus.root / "exports").glob("*.csv")):
        data = path.read_bytes()
        corpus.bytes += len(data)
        corpus.csv_rows += max(0, data.count(b"\n") - 1)


def prepare(corpus: Corpus, python: str, seed: int, force: bool) -> None:
    """Generate ``corpus`` unless a stamp says the same generator and options made it."""
    source = (HERE / "generate.py").read_bytes()
    if corpus.options == ["--size", "small"]:
        digest = hashlib.sha256()
        example = REPO / "examples" / "northwind"
        for path in sorted(example.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(example)).encode() + path.read_bytes())
        source += digest.digest()
    key = hashlib.sha256(source + json.dumps([corpus.options, seed]).encode()).hexdigest()
    stamp = corpus.root.with_name(corpus.root.name + ".stamp.json")
    fresh = corpus.root.is_dir() and stamp.exists()
    if not force and fresh and json.loads(stamp.read_text()).get("key") == key:
        corpus.reused = True
        measure_corpus(corpus)
        return
    print(f"  generating {corpus.name}: generate.py {' '.join(corpus.options)}", flush=True)
    started = time.perf_counter()
    argv = [python, str(HERE / "generate.py"), *corpus.options, "--seed", str(seed)]
    subprocess.run([*argv, "--out", str(corpus.root), "--force"], check=True)
    corpus.generate_s = time.perf_counter() - started
    stamp.write_text(json.dumps({"key": key, "generate_s": corpus.generate_s}))
    measure_corpus(corpus)


def evidence_paths(root: Path) -> list[str]:
    """The evidence files of a repository, relative to it (as given to check-jsonschema)."""
    return sorted(str(p.relative_to(root)) for p in (root / "evidence").rglob("*.yaml"))


def file_to_change(root: Path) -> Path:
    """A typical record file: the middle one of the incident records, else of all files."""
    files = sorted((root / "evidence").rglob("*.yaml"))
    records = [p for p in files if "incident" in p.name] or files
    return records[len(records) // 2]


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------


@dataclass
class Group:
    """Commands measured together, interleaved, in one run."""

    name: str
    repeat: int
    commands: list[Command]
    corpus: Corpus | None = None
    warm: dict[str, Any] = field(default_factory=dict)
    corpora: list[Corpus] = field(default_factory=list)  # the csv group's three repositories

    def get(self, name: str) -> Command | None:
        """The command called ``name``, if it ran and has samples."""
        for cmd in self.commands:
            if cmd.name == name and cmd.samples:
                return cmd
        return None


@dataclass
class Tools:
    """Paths of everything the benchmark runs."""

    python: str
    smscheck: str
    cjs: str | None
    schema: Path
    work: Path
    cache_env: list[str]


def size_group(
    name: str, corpus: Corpus, tools: Tools, repeat: int, medium: Corpus | None = None
) -> Group:
    """The commands of one repository size.

    With ``medium`` (for large), ``validate (medium)`` runs in the same rounds, so the
    large-vs-medium ratio does not depend on how the machine drifted between two groups.
    """
    root = str(corpus.root)
    py, sms = tools.python, tools.smscheck
    html, js = str(tools.work / f"{name}.html"), str(tools.work / f"{name}.json")
    here = corpus.root
    cmds = [
        Command("python -c pass", [py, "-c", "pass"], here),
        Command("import yaml", [py, "-c", "import yaml"], here),
        Command("bare parse", [py, str(HERE / "bare_parse.py"), root], here),
        Command(
            "validate",
            [sms, "validate", root, "--as-of", AS_OF],
            here,
            (0, 1),
            smscheck=True,
        ),
        Command(
            "gap-report html",
            [sms, "gap-report", root, "-f", "html", "-o", html, "--as-of", AS_OF],
            here,
            smscheck=True,
        ),
        Command(
            "gap-report json",
            [sms, "gap-report", root, "-f", "json", "-o", js, "--as-of", AS_OF],
            here,
            smscheck=True,
        ),
    ]
    if medium is not None:
        cmds.append(
            Command(
                "validate (medium)",
                [sms, "validate", str(medium.root), "--as-of", AS_OF],
                medium.root,
                (0, 1),
                smscheck=True,
            )
        )
    if tools.cjs:
        files = evidence_paths(corpus.root)
        cmds.append(
            Command(
                "check-jsonschema",
                [tools.cjs, "--schemafile", str(tools.schema), *files],
                here,
                (0, 1),
            )
        )
    if name == "small":
        cmds.append(Command("smscheck --help", [sms, "--help"], here, smscheck=True))
        if tools.cjs:
            cmds.append(Command("check-jsonschema --version", [tools.cjs, "--version"], here))
        cmds += pre_commit_commands(corpus, tools)
    return Group(name, repeat, cmds, corpus)


def pre_commit_commands(corpus: Corpus, tools: Tools) -> list[Command]:
    """The pre-commit path on the small repository, and the floors under it.

    ``validate (pre-commit)`` runs on a copy with a cache folder kept between its runs, and
    before each run one evidence file changes (a comment appended): what a hook meets when a
    commit touches one file. The floors: ``CLI floor`` is ``validate`` stopping at an invalid
    ``--as-of`` (exit 2) after importing its pipeline and settings model; ``import floor``
    imports what every validate run needs; ``import pydantic`` is pydantic's own share.
    """
    copy = tools.work / "small-pre-commit"
    cache = tools.work / "small-pre-commit-cache"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(corpus.root, copy)
    target = file_to_change(copy)
    validate = [tools.smscheck, "validate", str(copy), "--as-of", AS_OF]
    edits = [0]

    def edit_one_file() -> None:
        if edits[0] == 0:  # the first time: fill the cache as an earlier commit would
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env.update({name: str(cache) for name in tools.cache_env})
            subprocess.run(validate, cwd=copy, env=env, capture_output=True, check=False)
        edits[0] += 1
        with target.open("a", encoding="utf-8") as handle:
            handle.write(f"# edited by benchmarks/run.py ({edits[0]})\n")

    py = tools.python
    imports = "import sms_check.pipeline, sms_check.checks, sms_check.engine, sms_check.evidence"
    return [
        Command(
            "validate (pre-commit)",
            validate,
            copy,
            (0, 1),
            smscheck=True,
            cache=cache,
            before=edit_one_file,
        ),
        Command(
            "CLI floor",
            [tools.smscheck, "validate", str(copy), "--as-of", "not-a-date"],
            copy,
            (2,),
            smscheck=True,
        ),
        Command("import floor", [py, "-c", imports], copy),
        Command("import pydantic", [py, "-c", "import pydantic.main"], copy),
    ]


def csv_group(base: Corpus, csv: Corpus, as_yaml: Corpus, tools: Tools, repeat: int) -> Group:
    """validate --structure-only: a repository alone, with the CSV export, with it as YAML."""
    py, sms = tools.python, tools.smscheck
    cmds = [Command("python -c pass", [py, "-c", "pass"], base.root)]
    for label, corpus in (("base", base), ("with CSV", csv), ("with YAML", as_yaml)):
        cmds.append(
            Command(
                f"validate {label}",
                [sms, "validate", str(corpus.root), "--structure-only", "--as-of", AS_OF],
                corpus.root,
                (0, 1),
                smscheck=True,
            )
        )
    for label, corpus in (("CSV", csv), ("YAML", as_yaml)):
        cmds.append(
            Command(
                f"bare parse {label}",
                [py, str(HERE / "bare_parse.py"), str(corpus.root)],
                corpus.root,
            )
        )
    return Group("csv", repeat, cmds, None, corpora=[base, csv, as_yaml])


def run_rounds(group: Group, runner: Runner, seed: int, peer_rounds: int | None) -> None:
    """``group.repeat`` rounds, every command once per round, in shuffled order.

    The peer's file validation runs only in the first ``peer_rounds`` rounds, when given.
    """
    shuffle = random.Random(f"{seed}-{group.name}")
    for round_no in range(group.repeat):
        order = list(group.commands)
        shuffle.shuffle(order)
        if peer_rounds is not None and round_no >= peer_rounds:
            order = [c for c in order if c.name != "check-jsonschema"]
        print(f"  {group.name}: round {round_no + 1}/{group.repeat}", flush=True)
        for cmd in order:
            cmd.samples.append(runner.run(cmd))


def run_warm(group: Group, runner: Runner, tools: Tools) -> None:
    """Cold run, one file changed, warm run, warm run unchanged: one cache folder."""
    corpus = group.corpus
    assert corpus is not None
    cache = tools.work / f"warm-cache-{group.name}"
    shutil.rmtree(cache, ignore_errors=True)
    validate = Command(
        "validate",
        [tools.smscheck, "validate", str(corpus.root), "--as-of", AS_OF],
        corpus.root,
        (0, 1),
        smscheck=True,
    )
    target = file_to_change(corpus.root)
    original = target.read_bytes()
    cold: list[float] = []
    changed: list[float] = []
    unchanged: list[float] = []
    print(f"  {group.name}: warm runs (change {target.relative_to(corpus.root)})", flush=True)
    try:
        for round_no in range(group.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(runner.run(validate, cache).wall)
            target.write_bytes(original + f"# edited by benchmarks/run.py ({round_no})\n".encode())
            changed.append(runner.run(validate, cache).wall)
            unchanged.append(runner.run(validate, cache).wall)
            target.write_bytes(original)
    finally:
        target.write_bytes(original)
        size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
        shutil.rmtree(cache, ignore_errors=True)
    group.warm = {
        "file": str(target.relative_to(corpus.root)),
        "cold": statistics.median(cold),
        "changed": statistics.median(changed),
        "unchanged": statistics.median(unchanged),
        "cache_bytes": size,
        "runs": group.repeat,
    }


def profile(corpus: Corpus, tools: Tools) -> str:
    """cProfile of ``validate --structure-only`` on ``corpus`` (cold cache): where time goes.

    Two views: smscheck, yaml and pydantic functions by cumulative time, and the 15 functions
    with the most time of their own.
    """
    import io
    import pstats

    stats_path = tools.work / "validate.prof"
    cache = tools.work / "profile-cache"
    argv = [tools.python, "-m", "cProfile", "-o", str(stats_path), "-m", "sms_check"]
    argv += ["validate", str(corpus.root), "--structure-only", "--as-of", AS_OF]
    env = dict(os.environ, **{name: str(cache) for name in tools.cache_env})
    subprocess.run(argv, stdout=subprocess.DEVNULL, env=env, check=False)
    shutil.rmtree(cache, ignore_errors=True)
    if not stats_path.exists():
        return "(the profiled run failed)"
    buf = io.StringIO()
    stats = pstats.Stats(str(stats_path), stream=buf)
    stats.sort_stats("cumulative").print_stats(r"sms_check/|/yaml/|/pydantic", 25)
    stats.sort_stats("tottime").print_stats(15)
    noise = ("List reduced", "Ordered by", str(stats_path))
    lines = []
    for line in buf.getvalue().splitlines():
        if line.strip() and not any(n in line for n in noise):
            lines.append(re.sub(r"/\S*/(?:site-packages|src)/", "", line.rstrip()))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The machine
# --------------------------------------------------------------------------------------------


def machine(tools: Tools) -> dict[str, str]:
    """CPU, cores, memory, OS, interpreter and library versions."""
    info: dict[str, str] = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
        info["CPU"] = model.group(1).strip() if model else platform.processor()
    except OSError:
        info["CPU"] = platform.processor() or "unknown"
    info["cores"] = str(os.cpu_count())
    try:
        mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        info["memory"] = f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "unknown"
    except OSError:
        info["memory"] = "unknown"
    info["OS"] = f"{platform.system()} {platform.release()}"
    snippet = (
        "import importlib.metadata as m, platform, yaml\n"
        "v = {'Python': platform.python_version()}\n"
        "for p in ('smscheck', 'PyYAML', 'pydantic', 'pydantic-core', 'typer', 'click',"
        " 'jinja2', 'rich', 'jsonschema'):\n"
        "    try: v[p] = m.version(p)\n"
        "    except m.PackageNotFoundError: v[p] = 'absent'\n"
        "v['libyaml'] = yaml._yaml.get_version_string() if yaml.__with_libyaml__ else 'absent'\n"
        "import json; print(json.dumps(v))\n"
    )
    out = subprocess.run([tools.python, "-c", snippet], capture_output=True, text=True)
    info.update(json.loads(out.stdout) if out.returncode == 0 else {})
    if tools.cjs:
        out = subprocess.run([tools.cjs, "--version"], capture_output=True, text=True)
        info["check-jsonschema"] = out.stdout.strip().rsplit(" ", 1)[-1]
        peer_py = Path(tools.cjs).with_name("python")
        snippet = (
            "import importlib.metadata as m\n"
            "try: import _ruamel_yaml; c = 'C extension'\n"
            "except ImportError: c = 'no C extension'\n"
            "print(m.version('ruamel.yaml'), c)"
        )
        out = subprocess.run([str(peer_py), "-c", snippet], capture_output=True, text=True)
        if out.returncode == 0:
            info["ruamel.yaml (peer)"] = out.stdout.strip()
    return info


def revision() -> str:
    """``git describe --always --dirty`` of the smscheck work tree ('' outside git)."""
    try:
        rev = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return rev.stdout.strip()


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


@dataclass
class Target:
    """One target of the issue, with what was measured."""

    text: str
    measured: str
    limit: str
    met: bool | None  # None: not measured in this run
    note: str = ""


def ratio(a: Command | None, b: Command | None) -> float | None:
    """a / b of median wall times, or None when either did not run."""
    if a is None or b is None or not b.median():
        return None
    return a.median() / b.median()


def fmt(x: float | None, digits: int = 2) -> str:
    """A ratio for the tables."""
    return "n/a" if x is None else f"{x:.{digits}f}x"


def _secs(*cmds: Command | None) -> str:
    """'a s vs b s (n runs)' for a note."""
    shown = [c for c in cmds if c is not None]
    if len(shown) != len(cmds):
        return ""
    runs = min(len(c.samples) for c in shown)
    text = " vs ".join(f"{c.median():.2f} s" for c in shown)
    return f"{text} ({runs} run{'s' if runs != 1 else ''})"


def targets(groups: dict[str, Group], parsed_mb: dict[str, float]) -> list[Target]:
    """Evaluate the issue's targets on what ran."""
    out: list[Target] = []
    small, medium, g = groups.get("small"), groups.get("medium"), groups.get("large")

    def add(text: str, value: float | None, limit: str, ok: bool, note: str = "") -> None:
        out.append(Target(text, fmt(value), limit, None if value is None else ok, note))

    def get(group: Group | None, name: str) -> Command | None:
        return group.get(name) if group else None

    help_, pass_ = get(small, "smscheck --help"), get(small, "python -c pass")
    r = ratio(help_, pass_)
    add(
        "`smscheck --help` vs `python -c pass`",
        r,
        "<= 10x",
        r is not None and r <= 10,
        _secs(help_, pass_),
    )
    val, peer_v = get(small, "validate"), get(small, "check-jsonschema --version")
    hook = get(small, "validate (pre-commit)")
    r = ratio(hook or val, peer_v)
    note = _secs(hook or val, peer_v)
    if hook and val and peer_v:
        note += f"; cold cache: {ratio(val, peer_v):.2f}x"
    floor = get(small, "CLI floor")
    if floor and peer_v:
        note += f"; the CLI floor alone: {ratio(floor, peer_v):.2f}x"
    add(
        "`smscheck validate` (small; pre-commit path: warm cache, one file changed) vs "
        "`check-jsonschema --version`",
        r,
        "< 1x",
        r is not None and r < 1,
        note,
    )
    val, bare, peer = get(g, "validate"), get(g, "bare parse"), get(g, "check-jsonschema")
    r = ratio(val, bare)
    add(
        "large, cold: `validate` vs bare CSafeLoader parse",
        r,
        "<= 1.3x",
        r is not None and r <= 1.3,
        _secs(val, bare),
    )
    r = ratio(peer, val)
    add(
        "large, cold: check-jsonschema vs `validate`",
        r,
        ">= 8x",
        r is not None and r >= 8,
        _secs(peer, val),
    )
    r = None
    note = ""
    if g and g.warm:
        w = g.warm
        r = w["changed"] / w["cold"]
        note = f"{w['changed']:.1f} s vs {w['cold']:.1f} s; nothing changed: {w['unchanged']:.1f} s"
    add("large, warm (one file changed) vs cold", r, "<= 0.1x", r is not None and r <= 0.1, note)
    c = groups.get("csv")
    r = None
    note = ""
    base, csv, yml = (get(c, f"validate {x}") for x in ("base", "with CSV", "with YAML"))
    if base and csv and yml and yml.median() > base.median():
        r = (csv.median() - base.median()) / (yml.median() - base.median())
        note = (
            f"{r:.4f}: +{csv.median() - base.median():.2f} s vs "
            f"+{yml.median() - base.median():.2f} s over the base repository; after reading, "
            "both do the same work (validating and indexing, reference checks, shard "
            "summaries), which `benchmarks/phases.py` splits out"
        )
    add(
        "100,000-row CSV export vs the same records as YAML",
        r,
        "<= 0.2x",
        r is not None and r <= 0.2,
        note,
    )
    r = None
    note = ""
    if val and parsed_mb.get("large"):
        r = val.peak_mb() / parsed_mb["large"]
        note = f"{val.peak_mb():.0f} MB vs {parsed_mb['large']:.0f} MB"
    add(
        "large: peak memory of `validate` vs parsed data",
        r,
        "<= 2x",
        r is not None and r <= 2,
        note,
    )
    # the medium run interleaved with large's rounds, else the medium group's own
    med_val, med_bare = (
        get(g, "validate (medium)") or get(medium, "validate"),
        get(medium, "bare parse"),
    )
    r = ratio(val, med_val)
    note = ""
    if r is not None and g and g.corpus and medium and medium.corpus:
        floor = ratio(bare, med_bare)
        records = (g.corpus.items + g.corpus.csv_rows) / max(1, medium.corpus.items)
        note = f"{records:.0f}x the records"
        if g.corpus.csv_rows:
            note += f" (with the {g.corpus.csv_rows:,} CSV rows)"
        if floor is not None:
            note += f"; the bare parse grew {floor:.1f}x (medium measured in its own group)"
        if get(g, "validate (medium)") is not None:
            note += "; medium's `validate` here ran interleaved with large's rounds"
    add(
        "`validate` large vs medium (10x the records)", r, "<= 11x", r is not None and r <= 11, note
    )
    return out


def parsed_size(group: Group) -> float | None:
    """RSS of the bare parse minus RSS of ``import yaml``: the parsed data, MB."""
    bare, floor = group.get("bare parse"), group.get("import yaml")
    if not bare or not floor:
        return None
    return max(0.0, bare.peak_mb() - floor.peak_mb())


def summary_line(cmd: Command) -> str:
    """The last 'smscheck:' line of a command's output."""
    lines = [ln for ln in cmd.last_output.splitlines() if ln.startswith("smscheck:")]
    return lines[-1] if lines else cmd.last_output.strip().splitlines()[-1:][0][:200]


def render(
    groups: dict[str, Group],
    info: dict[str, str],
    tools: Tools,
    argv: Sequence[str],
    started: dt.datetime,
    elapsed: float,
    prof: str,
    notes: Sequence[str] = (),
) -> str:
    """docs/performance.md; ``notes`` are added below the introduction."""
    parsed = {name: p for name, g in groups.items() if (p := parsed_size(g)) is not None}
    tlist = targets(groups, parsed)
    lines: list[str] = [
        "# Performance",
        "",
        "<!-- generated by `python benchmarks/run.py`; do not edit by hand -->",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC in one run of {elapsed / 60:.0f} minutes. "
        "Whole-process wall times (median of the rounds, commands interleaved in shuffled "
        "order) and peak resident memory (largest over the rounds). **Compare ratios, not "
        "seconds**: the machine is a noisy 2-vCPU VM where the same command varies by "
        "±20 % and whole rounds drift by up to 40 % (shared/reference/perf-baseline.md).",
        *[f"\n{note}" for note in notes],
        "",
        "## Targets",
        "",
        "| target | measured | limit | met | details |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for t in tlist:
        verdict = "not measured" if t.met is None else ("**yes**" if t.met else "**no**")
        lines.append(f"| {t.text} | {t.measured} | {t.limit} | {verdict} | {t.note} |")
    lines += ["", "## Machine", "", "| | |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    if not tools.cjs:
        lines += ["", "check-jsonschema was not given (`--check-jsonschema PATH`): skipped."]
    lines += [
        "",
        "## Repositories",
        "",
        "| size | evidence files | items | MB on disk | CSV rows | generated by |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    corpora: list[Corpus] = []
    for g in groups.values():
        corpora += [g.corpus] if g.corpus else g.corpora
    for c in corpora:
        lines.append(
            f"| {c.name} | {c.files:,} | {c.items:,} | {c.bytes / 1e6:.1f} | {c.csv_rows:,} | "
            f"`generate.py {' '.join(c.options)}` |"
        )
    lines += [
        "",
        "Items are counted over all evidence files (core set included). Records are ~50 % "
        "incidents, ~35 % changes, ~15 % problems, every one valid under the evidence model "
        "with references to existing items only; `validate --structure-only` reports 0 "
        "structural findings on every generated repository.",
    ]
    for name in ("small", "medium", "large"):
        if name in groups:
            lines += table(groups[name], parsed.get(name))
            if name == "small":
                lines += pre_commit_notes(groups[name])
    if "csv" in groups:
        lines += table(groups["csv"], None)
        lines += [
            "",
            "The CSV ratio is (with CSV - base) / (with YAML - base): the time the 100,000 rows "
            "add when they come from the CSV export, against the time the same incidents add "
            "as YAML evidence files (written with the same fields, no work log).",
        ]
    lines += ["", "## Warm runs", ""]
    warm = [g for g in groups.values() if g.warm]
    if warm:
        lines += [
            "One cache folder (`" + "`, `".join(tools.cache_env) + "` point at it): "
            "`validate` cold, then again after one evidence file changed (a comment appended), "
            "then again with nothing changed. A warm run parses and judges only the changed "
            "file: the others come back from their cached summaries (partial outcomes of the "
            "per-item checks, and for large files stubs carrying only the fields the other "
            "checks read; src/sms_check/shards.py).",
            "",
            "| size | file changed | cold s | changed s | unchanged s | changed / cold | "
            "cache size |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for g in warm:
            w = g.warm
            lines.append(
                f"| {g.name} | `{w['file']}` | {w['cold']:.2f} | {w['changed']:.2f} | "
                f"{w['unchanged']:.2f} | {w['changed'] / w['cold']:.2f}x | "
                f"{w['cache_bytes'] / 1e6:.1f} MB |"
            )
        if all(g.warm["cache_bytes"] == 0 for g in warm):
            lines += [
                "",
                "Nothing was written to the cache folder: smscheck has no cache of parsed and "
                "validated files yet, so a warm run costs what a cold one does.",
            ]
    else:
        lines.append("Not measured in this run.")
    lines += ["", "## Memory", ""]
    if parsed:
        lines.append(
            "Parsed data is estimated as the peak RSS of the bare parse minus that of "
            '`python -c "import yaml"`.'
        )
        lines += [
            "",
            "| size | parsed data MB | validate peak MB | ratio |",
            "| --- | ---: | ---: | ---: |",
        ]
        for name, mb in parsed.items():
            v = groups[name].get("validate")
            if v and mb:
                lines.append(f"| {name} | {mb:.0f} | {v.peak_mb():.0f} | {v.peak_mb() / mb:.2f}x |")
    if prof:
        lines += [
            "",
            "## Profile",
            "",
            "`python -m cProfile -m sms_check validate <medium> --structure-only` with a cold "
            "cache: smscheck, yaml and pydantic functions by cumulative time, then the functions "
            "with the most time of their own. cProfile inflates pure-Python calls (the YAML "
            "constructor most), so read it for shares, not seconds.",
            "",
            "```",
            prof,
            "```",
        ]
    lines += [
        "",
        "## Method",
        "",
        "- Every command is a whole process started by `benchmarks/run.py`; its wall time is "
        "measured around `subprocess.Popen` and `os.wait4`. Peak RSS comes from GNU "
        "`/usr/bin/time -f %M`, which starts the command (a child forked from Python would "
        "carry the harness's own high-water mark); without it, from `os.wait4`.",
        "- Floors in the same rounds: `python -c pass` (interpreter start), "
        '`python -c "import yaml"`, and `benchmarks/bare_parse.py`, which loads every evidence '
        "file with `yaml.CSafeLoader`, keeps every document, has the garbage collector "
        "disabled, and reads CSV record sources with the `csv` module (rows kept).",
        "- check-jsonschema runs from its own virtual environment (it is not a dependency of "
        "smscheck) on the evidence files, against `smscheck schema evidence`; it exits 1 when "
        "a file fails the schema, which still means it did all its work.",
        "- Every smscheck run except the warm runs and `validate (pre-commit)` gets a new, "
        "empty folder in "
        + ", ".join(f"`{v}`" for v in tools.cache_env)
        + ", so it is cold whatever cache smscheck keeps there; those two keep one folder "
        "across their runs.",
        f"- `--as-of {AS_OF}` on every smscheck run, so the findings do not depend on the date.",
        "- Warm page cache and existing `.pyc` files, as for a pre-commit hook run repeatedly.",
        "",
        "## Reproduce",
        "",
        "```",
        *peer_setup(tools.cjs),
        " ".join(["python", "benchmarks/run.py", *argv]),
        "```",
        "",
        "`python` is the interpreter smscheck is installed in (or pass `--python`); "
        "check-jsonschema lives in a virtual environment of its own. "
        "Repositories are generated under `benchmarks/out/` (git-ignored) and reused while "
        "`benchmarks/generate.py` and its options are unchanged; `--sizes small,medium` runs a "
        "subset and `--repeat N` or `--repeat large=3` overrides the rounds (defaults: small 5, "
        "medium 3, large 1, csv 3); `--peer-rounds 1` runs check-jsonschema in the first round "
        "only. With large=3 a full run takes about 45 minutes on a 2-vCPU machine, most of it "
        "on the large repository (check-jsonschema alone ~11 minutes a round).",
        "",
    ]
    return "\n".join(lines)


def peer_setup(cjs: str | None) -> list[str]:
    """How to install the peer where this run found it."""
    if not cjs or Path(cjs).parent.name != "bin":
        return ["python -m venv /tmp/peer && /tmp/peer/bin/pip install check-jsonschema"]
    venv = Path(cjs).parent.parent
    return [f"python -m venv {venv} && {venv}/bin/pip install check-jsonschema"]


def pre_commit_notes(g: Group) -> list[str]:
    """What the pre-commit rows of the small group mean, and the floor they rest on."""
    hook, peer = g.get("validate (pre-commit)"), g.get("check-jsonschema --version")
    cli, imports = g.get("CLI floor"), g.get("import floor")
    pyd = g.get("import pydantic")
    if not hook:
        return []
    lines = [
        "",
        "`validate (pre-commit)` is the path a pre-commit hook takes on a developer's machine: "
        "a cache folder kept from earlier runs and one evidence file changed since the last "
        "(a comment appended before every run). `validate`, `gap-report` and the other rows "
        "above run with an empty cache folder. A `validate` whose arguments are all plain long "
        "options is parsed by smscheck itself (`src/sms_check/entry.py`): importing typer and "
        "building its pydantic adapters cost about 70 ms of such a run; `--help`, short options "
        "and everything else still go through typer.",
    ]
    if cli and imports and peer:
        lines += [
            "",
            f"Floors under it: `CLI floor` ({cli.median():.2f} s, {ratio(cli, peer):.2f}x "
            "`check-jsonschema --version`) is `smscheck validate` stopping at an invalid "
            "`--as-of` once it has imported its pipeline and settings model; "
            f"`import floor` ({imports.median():.2f} s) imports the pipeline, the check "
            "vocabulary, the engine and the loader and does nothing else"
            + (
                f"; `import pydantic` ({pyd.median():.2f} s) is pydantic's own share of both."
                if pyd
                else "."
            ),
        ]
    return lines


def table(g: Group, parsed: float | None) -> list[str]:
    """The results of one group."""
    floor, bare = g.get("python -c pass"), g.get("bare parse")
    title = {"csv": "CSV export vs YAML (`validate --structure-only`)"}.get(g.name, g.name)
    lines = [
        "",
        f"## {title}",
        "",
        f"{g.repeat} round(s).",
        "",
        "| command | runs | median s | min-max s | x pass | x bare parse | peak MB | exit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for cmd in g.commands:
        if not cmd.samples:
            continue
        walls = [s.wall for s in cmd.samples]
        codes = ",".join(sorted({str(s.rc) for s in cmd.samples}))
        if any(s.rc not in cmd.ok_codes for s in cmd.samples):
            codes += " (failed)"
        lines.append(
            f"| `{cmd.name}` | {len(walls)} | {cmd.median():.3f} | "
            f"{min(walls):.3f}-{max(walls):.3f} | "
            f"{fmt(ratio(cmd, floor), 1)} | "
            f"{'medium' if cmd.name.endswith('(medium)') else fmt(ratio(cmd, bare))} | "
            f"{cmd.peak_mb():.0f} | "
            f"{codes} |"
        )
    said = [c for c in g.commands if c.smscheck and c.samples and c.name.startswith("validate")]
    if said:
        lines += [""]
        lines += [f"- `{c.name}` said: `{summary_line(c)}`" for c in said]
    return lines


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def _corpus(data: dict[str, Any]) -> Corpus:
    return Corpus(**{**data, "root": Path(data["root"])})


def _group(data: dict[str, Any]) -> Group:
    commands = [
        Command(
            name=c["name"],
            argv=c["argv"],
            cwd=Path(c["cwd"]),
            ok_codes=tuple(c["ok_codes"]),
            smscheck=c["smscheck"],
            samples=[Sample(**x) for x in c["samples"]],
            last_output=c["last_output"],
        )
        for c in data["commands"]
    ]
    return Group(
        name=data["name"],
        repeat=data["repeat"],
        commands=commands,
        corpus=_corpus(data["corpus"]) if data["corpus"] else None,
        warm=data["warm"],
        corpora=[_corpus(c) for c in data["corpora"]],
    )


def rerender(results: Path, doc_path: Path, print_only: bool) -> int:
    """docs/performance.md again from a saved results.json (e.g. after changing the layout)."""
    saved = json.loads(results.read_text())
    groups = {name: _group(data) for name, data in saved["groups"].items()}
    tools = Tools("", "", saved["cjs"], Path(), Path(), saved["cache_env"])
    started = dt.datetime.fromisoformat(saved["started"])
    doc = render(
        groups,
        saved["machine"],
        tools,
        saved["argv"],
        started,
        saved["elapsed"],
        saved["profile"],
        saved.get("notes", []),
    )
    if print_only:
        print(doc)
    else:
        doc_path.write_text(doc)
        print(f"wrote {doc_path} from {results}")
    return 0


def per_size(text: str) -> dict[str, int]:
    """``N`` (every size) or ``SIZE=N,...`` as {size: N}."""
    text = text.strip()
    if not text:
        return {}
    if text.isdigit():
        return dict.fromkeys(GROUPS, max(1, int(text)))
    out: dict[str, int] = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if name.strip() not in GROUPS or not value.strip().isdigit():
            raise ValueError(f"'{part}': write N or SIZE=N with SIZE one of {', '.join(GROUPS)}")
        out[name.strip()] = max(1, int(value))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(GROUPS), help="any of " + ",".join(GROUPS))
    parser.add_argument(
        "--repeat",
        default="",
        help="rounds: N for every size, or SIZE=N,... (default small=5,medium=3,large=1,csv=3)",
    )
    parser.add_argument(
        "--peer-rounds",
        default="",
        help="run check-jsonschema on the files in the first N rounds only (N or SIZE=N,...)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out", help="generated repositories")
    parser.add_argument("--python", default=sys.executable, help="interpreter of smscheck")
    parser.add_argument("--smscheck", help="smscheck executable (default: next to --python)")
    parser.add_argument("--check-jsonschema", dest="cjs", help="check-jsonschema executable")
    parser.add_argument("--csv-rows", type=int, default=CSV_ROWS, help="rows of the CSV export")
    parser.add_argument("--no-large-csv", action="store_true", help="large without the CSV")
    parser.add_argument("--seed", type=int, default=20000)
    parser.add_argument("--cache-env", default="XDG_CACHE_HOME,SMSCHECK_CACHE_DIR")
    parser.add_argument("--profile", action="store_true", help="cProfile validate on medium")
    parser.add_argument("--force", action="store_true", help="regenerate the repositories")
    parser.add_argument("--doc", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--no-doc", action="store_true", help="print, do not write the doc")
    parser.add_argument(
        "--no-gnu-time", action="store_true", help="peak RSS from os.wait4, not /usr/bin/time"
    )
    parser.add_argument(
        "--from-results",
        type=Path,
        help="write the doc again from a results.json of an earlier run (measures nothing)",
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(args_in)

    if args.from_results:
        return rerender(args.from_results, args.doc, args.no_doc)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in GROUPS]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; use {', '.join(GROUPS)}")
    try:
        repeat = {**DEFAULT_REPEAT, **per_size(args.repeat)}
        peer_rounds = per_size(args.peer_rounds)
    except ValueError as exc:
        parser.error(str(exc))
    smscheck = args.smscheck or str(Path(args.python).with_name("smscheck"))
    cjs = args.cjs or shutil.which("check-jsonschema")
    if cjs and not Path(cjs).exists():
        print(f"check-jsonschema not found at {cjs}: skipped", file=sys.stderr)
        cjs = None
    if not cjs:
        print("check-jsonschema not given or not found: its measurements are skipped")
    cache_env = [v.strip() for v in args.cache_env.split(",") if v.strip()]
    out: Path = args.out.resolve()
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    schema = work / "evidence.schema.json"
    with schema.open("w") as fh:
        subprocess.run([smscheck, "schema", "evidence"], stdout=fh, check=True)
    tools = Tools(args.python, smscheck, cjs, schema, work, cache_env)
    gnu_time = None if args.no_gnu_time else shutil.which("time", path="/usr/bin:/bin")
    runner = Runner(work, cache_env, not args.quiet, gnu_time)
    started = dt.datetime.now(dt.UTC)
    start_rev = revision()
    t0 = time.perf_counter()

    print("preparing repositories", flush=True)
    corpora: dict[str, Corpus] = {}
    for size in ("small", "medium", "large"):
        if size in sizes:
            opts = ["--size", size]
            if size == "large" and not args.no_large_csv:
                opts += ["--csv-rows", str(args.csv_rows)]
            corpora[size] = Corpus(size, out / size, opts)
    csv_corpora: list[Corpus] = []
    if "csv" in sizes:
        rows = ["--csv-rows", str(args.csv_rows)]
        csv_corpora = [
            Corpus("csv: base", out / "csv-base", list(CSV_BASE)),
            Corpus("csv: with CSV", out / "csv-csv", [*CSV_BASE, *rows]),
            Corpus("csv: with YAML", out / "csv-yaml", [*CSV_BASE, *rows, "--csv-as-yaml"]),
        ]
    for corpus in [*corpora.values(), *csv_corpora]:
        prepare(corpus, args.python, args.seed, args.force)

    groups: dict[str, Group] = {}
    for size, corpus in corpora.items():
        medium = corpora.get("medium") if size == "large" else None
        groups[size] = size_group(size, corpus, tools, repeat[size], medium)
    if "csv" in sizes:
        base, with_csv, as_yaml = csv_corpora
        groups["csv"] = csv_group(base, with_csv, as_yaml, tools, repeat["csv"])

    for name, group in groups.items():
        print(f"measuring {name}", flush=True)
        run_rounds(group, runner, args.seed, peer_rounds.get(name))
        if name != "csv":
            run_warm(group, runner, tools)
    prof = ""
    if args.profile and "medium" in corpora:
        print("profiling validate --structure-only on medium", flush=True)
        prof = profile(corpora["medium"], tools)

    elapsed = time.perf_counter() - t0
    info = machine(tools)
    end_rev = revision()
    if start_rev or end_rev:
        info["smscheck revision"] = (
            start_rev if start_rev == end_rev else f"{start_rev} at the start, {end_rev} at the end"
        )
    shown_args = [a for a in args_in if a not in ("--quiet", "--no-doc", "--force")]
    doc = render(groups, info, tools, shown_args, started, elapsed, prof)
    saved = {
        "started": started.isoformat(),
        "elapsed": elapsed,
        "argv": shown_args,
        "machine": info,
        "profile": prof,
        "cjs": tools.cjs,
        "cache_env": tools.cache_env,
        "groups": {n: asdict(g) for n, g in groups.items()},
    }
    (out / "results.json").write_text(json.dumps(saved, indent=1, default=str))
    if args.no_doc:
        print(doc)
    else:
        args.doc.write_text(doc)
        print(f"wrote {args.doc}")
    for t in targets(groups, {n: p for n, g in groups.items() if (p := parsed_size(g))}):
        verdict = "not measured" if t.met is None else ("met" if t.met else "NOT met")
        print(f"  {t.text}: {t.measured} (limit {t.limit}): {verdict}")
    failed = [
        f"{g.name}/{c.name}"
        for g in groups.values()
        for c in g.commands
        if any(s.rc not in c.ok_codes for s in c.samples)
    ]
    if failed:
        print("commands that failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
