"""briefgen against the Node `mjml` CLI, as whole processes, on this machine, in one run.

    .venv/bin/python benchmarks/run.py            # full run (about 10 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats, 100-brief batches (~1 minute)

What it does, all under `benchmarks/.work/` (gitignored):

1. generates synthetic briefs (`synth.py`) into three projects of 1, 100 and 1,000 briefs;
2. installs the pinned `mjml` package with npm into `benchmarks/.work/node/` (once);
3. checks and renders each project once (warm-up: page cache, `__pycache__`, briefgen's
   template and parse caches) and collects the rendered `email.mjml` files for the peer;
4. times, as whole processes, medians of repeated runs, interleaving briefgen and the peer:
   - one brief: cold `briefgen render` (all outputs, into an empty `--out`), the same with its
     outputs already up to date, the same with empty caches (`XDG_CACHE_HOME` empty: the first
     run after installing), `briefgen check`, `briefgen --version`; against
     `mjml email.mjml -o email.html`;
   - 100 and 1,000 briefs: `briefgen render` (into an empty `--out`; outputs up to date; empty
     caches) and `briefgen check` of every brief; against the mjml CLI compiling the same
     emails in one process, and `mjml_batch.js` (the mjml API in one Node process, no CLI);
   - peak RSS of each process (`wait4` rusage) and of whole process trees (sampled);
   - the watch-mode re-render after a template change (`watch_bench.py`);
5. prints the table of ratios and writes it, with the machine and versions, into
   `benchmarks/RESULTS.md` (between the `results` markers; the notes around them are kept).

The child processes run with the caller's environment minus `PYTHONDONTWRITEBYTECODE` and any
`BRIEFGEN_*` variable, so Python caches bytecode as on an ordinary machine and briefgen runs
with its default settings; `XDG_CACHE_HOME` points into `benchmarks/.work/`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
RESULTS = HERE / "RESULTS.md"
MJML_VERSION = "4.18.0"  # the newest 4.x, the line mjml-python (MRML) follows
START, END = "<!-- results:start -->", "<!-- results:end -->"
#: What every `render` and `check` imports before doing any work: the CLI framework, the
#: brief's pydantic models (built at import) and Jinja.
FLOOR = "import typer, jinja2, briefgen.brief.models"

#: The file system's share of a render: the rendered output files of a batch written again,
#: same folders, names and bytes, by a bare Python loop, then one sync (as briefgen does).
WRITE_FLOOR = """
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for top, dirs, names in os.walk(src):
    here = os.path.join(dst, os.path.relpath(top, src))
    os.makedirs(here, exist_ok=True)
    for name in names:
        with open(os.path.join(top, name), "rb") as f:
            data = f.read()
        with open(os.path.join(here, name), "wb") as f:
            f.write(data)
os.sync()
"""

sys.path.insert(0, str(HERE))
from synth import generate  # noqa: E402


# -- processes ---------------------------------------------------------------------------------
@dataclass
class Run:
    """One finished process: wall time, its peak RSS, exit code."""

    seconds: float
    maxrss_kib: int
    code: int
    cpu_seconds: float = 0.0  # user + system, of the process and the children it waited for


def child_env(cache: Path | None = None) -> dict[str, str]:
    """The caller's environment minus bytecode and briefgen settings; a cache folder of our own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE" and not k.upper().startswith("BRIEFGEN_")
    }
    env["NO_COLOR"] = "1"
    env["XDG_CACHE_HOME"] = str(cache or WORK / "cache")
    return env


def run(
    cmd: Sequence[str | Path], cwd: Path, log: Path | None = None, cache: Path | None = None
) -> Run:
    """Run `cmd` to completion; time it and read its rusage with wait4."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(c) for c in cmd], cwd=cwd, env=child_env(cache), stdout=out, stderr=out
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log:
            out.close()  # type: ignore[union-attr]
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, int(usage.ru_maxrss), proc.returncode, cpu)


def checked(cmd: Sequence[str | Path], cwd: Path, what: str, cache: Path | None = None) -> Run:
    log = WORK / "last.log"
    result = run(cmd, cwd, log, cache)
    if result.code != 0:
        tail = log.read_text(errors="replace")[-3000:]
        sys.exit(f"benchmark: {what} failed (exit {result.code}):\n{tail}")
    return result


def settle() -> None:
    """Flush what earlier phases wrote, so their write-back does not slow the next phase."""
    os.sync()
    time.sleep(1)


class Scratch:
    """Fresh, empty folders for runs that must start from nothing; removed after each phase."""

    def __init__(self, name: str) -> None:
        self.root = WORK / name
        shutil.rmtree(self.root, ignore_errors=True)
        self.count = 0

    def new(self) -> Path:
        self.count += 1
        return self.root / str(self.count)

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _tree_rss_kib(root_pid: int) -> int:
    """Sum of the RSS of `root_pid` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat[1])
        rss[pid] = int(stat[21]) * page_kib
    total = 0
    for pid in rss:
        probe = pid
        while probe > 1 and probe != root_pid:
            probe = parents.get(probe, 0)
        if probe == root_pid:
            total += rss[pid]
    return total


def tree_peak_rss(cmd: Sequence[str | Path], cwd: Path) -> int:
    """Peak total RSS (KiB) of a command's whole process tree, sampled every 10 ms."""
    proc = subprocess.Popen(
        [str(c) for c in cmd],
        cwd=cwd,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(proc.pid))
            time.sleep(0.01)

    thread = threading.Thread(target=sample)
    thread.start()
    proc.wait()
    done.set()
    thread.join()
    return peak


# -- measurements ------------------------------------------------------------------------------
@dataclass
class Series:
    """Repeated runs of one command."""

    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def spread(self) -> tuple[float, float]:
        times = [r.seconds for r in self.runs]
        return min(times), max(times)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def rss_mib(self) -> float:
        return max(r.maxrss_kib for r in self.runs) / 1024


def interleaved(
    commands: dict[str, Callable[[], Run]], repeats: int, label: str, calm: bool = False
) -> dict[str, Series]:
    """Run each command `repeats` times, alternating between them, so drift hits all alike;
    with `calm`, flush the previous command's writes first (untimed), so one command's
    write-back does not slow the next one's fsyncs."""
    series = {name: Series() for name in commands}
    for i in range(repeats):
        for name, command in commands.items():
            if calm:
                settle()
            series[name].runs.append(command())
        line = ", ".join(f"{n} {s.runs[-1].seconds * 1000:.0f} ms" for n, s in series.items())
        print(f"  {label} {i + 1}/{repeats}: {line}", flush=True)
    return series


def versions(node_prefix: Path) -> dict[str, str]:
    from importlib.metadata import version

    def out(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "?"

    mjml_pkg = node_prefix / "node_modules" / "mjml" / "package.json"
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{mem_kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        memory = "?"
    commit = out(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = out(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{cpu}, {os.cpu_count()} cores, {memory} RAM",
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": platform.python_version(),
        "briefgen": f"{version('briefgen')} (git {commit}{' + local changes' if dirty else ''})",
        "jinja2 / pydantic / mjml-python / typer": " / ".join(
            version(p) for p in ("jinja2", "pydantic", "mjml-python", "typer")
        ),
        "node": out(["node", "--version"]),
        "mjml (npm)": json.loads(mjml_pkg.read_text())["version"] if mjml_pkg.exists() else "?",
    }


def install_mjml(prefix: Path, version: str) -> Path:
    package = prefix / "node_modules" / "mjml" / "package.json"
    if not package.exists() or json.loads(package.read_text())["version"] != version:
        print(f"installing mjml@{version} with npm into {prefix.relative_to(ROOT)} ...", flush=True)
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(prefix),
                "--no-audit",
                "--no-fund",
                "--silent",
                f"mjml@{version}",
            ],
            check=True,
        )
    cli = prefix / "node_modules" / ".bin" / "mjml"
    if not cli.exists():
        sys.exit(f"benchmark: no mjml CLI at {cli}")
    return cli


def project(count: int) -> Path:
    folder = WORK / f"project-{count}"
    shutil.rmtree(folder, ignore_errors=True)
    generate(count, folder / "seeds")
    return folder


def user_templates(folder: Path) -> Path:
    """A user template folder holding a copy of the X caption template, to edit between runs."""
    user = folder / "user-templates"
    (user / "social").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "templates" / "social" / "x.txt.j2", user / "social" / "x.txt.j2")
    return user


class TemplateEdit:
    """Edits the user's X caption template before each run, as an editor saving it would."""

    def __init__(self, user: Path) -> None:
        self.file = user / "social" / "x.txt.j2"
        self.original = self.file.read_text(encoding="utf-8")
        self.count = 0

    def __call__(self) -> None:
        # Never the same text twice, in this run or another: an edit seen before (with the
        # same code) is a cache hit, not the re-check this row measures.
        self.count += 1
        stamp = f"{self.count} {time.time_ns()}"
        self.file.write_text(f"{{# edit {stamp} #}}\n{self.original}", encoding="utf-8")


def collect_mjml(folder: Path, dest: Path) -> list[Path]:
    """Copy each rendered email.mjml to dest/<slug>.mjml (the CLI names outputs by file name)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    files = []
    for email in sorted((folder / "outputs").glob("*/email.mjml")):
        target = dest / f"{email.parent.name}.mjml"
        shutil.copyfile(email, target)
        files.append(target)
    return files


# -- the run -----------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description="briefgen vs the Node mjml CLI")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 100-brief batches")
    parser.add_argument("--count", type=int, help="briefs in the big batch (default 1000)")
    parser.add_argument("--cold-repeats", type=int, help="repeats of the one-brief runs")
    parser.add_argument("--batch-repeats", type=int, help="repeats of the big-batch runs")
    parser.add_argument("--mjml-version", default=MJML_VERSION)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    count = args.count or (100 if args.quick else 1000)
    cold_repeats = args.cold_repeats or (5 if args.quick else 15)
    batch_repeats = args.batch_repeats or (1 if args.quick else 3)
    watch_repeats = 10 if args.quick else 30
    started = time.perf_counter()

    WORK.mkdir(exist_ok=True)
    briefgen = Path(sys.executable).with_name("briefgen")
    if not briefgen.exists():
        sys.exit(f"benchmark: no briefgen next to {sys.executable}; run ./scripts/install")
    node_prefix = WORK / "node"
    mjml_cli = install_mjml(node_prefix, args.mjml_version)
    batch_js = HERE / "mjml_batch.js"

    sizes = sorted({1, 100, count})
    print(f"generating synthetic briefs ({', '.join(f'{n:,}' for n in sizes)}) ...", flush=True)
    projects = {n: project(n) for n in sizes}

    # Warm-up: fill the page cache and Python's and Jinja's bytecode caches; check every brief
    # passes; render into outputs/ (the up-to-date outputs of the "again" runs); collect the
    # rendered emails for the peer.
    emails: dict[int, list[Path]] = {}
    edits: dict[int, TemplateEdit] = {}
    for n, folder in projects.items():
        checked([briefgen, "check"], folder, f"briefgen check of {n} briefs")
        edits[n] = TemplateEdit(user_templates(folder))
        checked(
            [briefgen, "check", "--templates", edits[n].file.parent.parent],
            folder,
            f"briefgen check --templates of {n} briefs",
        )
        checked([briefgen, "render"], folder, f"briefgen render of {n} briefs")
        emails[n] = collect_mjml(folder, WORK / f"mjml-{n}")
        assert len(emails[n]) == n, (n, len(emails[n]))
        out = WORK / f"mjml-out-{n}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        checked([mjml_cli, *emails[n], "-o", out], folder, f"mjml CLI on {n} emails")
        checked(["node", batch_js, node_prefix, out, *emails[n]], folder, f"mjml_batch.js on {n}")

    one = projects[1]
    brief = next((one / "seeds").iterdir()).relative_to(one)
    one_email = emails[1][0]
    results: dict[str, Series] = {}
    fresh, caches = Scratch("fresh-out"), Scratch("fresh-cache")

    settle()
    print(f"one brief, cold processes ({cold_repeats} repeats) ...", flush=True)
    cold = interleaved(
        {
            "render": lambda: checked(
                [briefgen, "render", brief, "--out", fresh.new()], one, "cold render"
            ),
            "mjml": lambda: checked(
                [mjml_cli, one_email, "-o", WORK / "mjml-out-1" / "email.html"], one, "mjml CLI"
            ),
            "render-again": lambda: checked([briefgen, "render", brief], one, "render again"),
            "render-nocache": lambda: checked(
                [briefgen, "render", brief, "--out", fresh.new()], one, "render", caches.new()
            ),
            "check": lambda: checked([briefgen, "check", brief], one, "cold check"),
            "version": lambda: checked([briefgen, "--version"], one, "briefgen --version"),
            "floor": lambda: checked([sys.executable, "-c", FLOOR], one, "import floor"),
        },
        cold_repeats,
        "cold",
    )
    results.update({f"cold-{k}": v for k, v in cold.items()})
    fresh.clear()
    caches.clear()

    settle()
    print("watch-mode re-render after a template change ...", flush=True)
    watch_out = WORK / "watch-out"
    shutil.rmtree(watch_out, ignore_errors=True)
    proc = subprocess.run(
        [sys.executable, HERE / "watch_bench.py", one, one / brief, watch_out, str(watch_repeats)],
        cwd=one,
        env=child_env(),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"benchmark: watch_bench.py failed:\n{proc.stderr[-3000:]}")
    watch = json.loads(proc.stdout)

    for n in sorted({100, count}):
        settle()
        folder = projects[n]
        out = WORK / f"mjml-out-{n}"
        big = n == count
        repeats = batch_repeats if big else max(batch_repeats, 3)
        print(f"batch of {n:,} briefs ({repeats} repeats) ...", flush=True)
        commands: dict[str, Callable[[], Run]] = {
            "render": lambda f=folder, n=n: checked(
                [briefgen, "render", "--out", fresh.new()], f, f"render {n}"
            ),
            "mjml-cli": lambda f=folder, o=out, n=n: checked(
                [mjml_cli, *emails[n], "-o", o], f, f"mjml CLI {n}"
            ),
            "render-again": lambda f=folder, n=n: checked([briefgen, "render"], f, f"again {n}"),
            "check": lambda f=folder, n=n: checked([briefgen, "check"], f, f"check {n}"),
            "check-edit": lambda f=folder, n=n: (
                edits[n](),
                checked(
                    [briefgen, "check", "--templates", edits[n].file.parent.parent],
                    f,
                    f"check after a template edit {n}",
                ),
            )[1],
            "mjml-api": lambda f=folder, o=out, n=n: checked(
                ["node", batch_js, node_prefix, o, *emails[n]], f, f"mjml_batch.js {n}"
            ),
        }
        commands["write-floor"] = lambda f=folder, n=n: checked(
            [sys.executable, "-c", WRITE_FLOOR, f / "outputs", fresh.new()], f, f"floor {n}"
        )
        if big:
            commands["render-nocache"] = lambda f=folder, n=n: checked(
                [briefgen, "render", "--out", fresh.new()], f, f"render {n}", caches.new()
            )
        batch = interleaved(commands, repeats, f"batch {n}", calm=True)
        results.update({f"batch{n}-{k}": v for k, v in batch.items()})
        fresh.clear()
        caches.clear()

    settle()
    print("peak RSS of whole process trees ...", flush=True)
    big_folder = projects[count]
    tree = {
        "render": tree_peak_rss([briefgen, "render", "--out", fresh.new()], big_folder) / 1024,
        "mjml-cli": tree_peak_rss(
            [mjml_cli, *emails[count], "-o", WORK / f"mjml-out-{count}"], big_folder
        )
        / 1024,
    }
    fresh.clear()

    table = report(results, tree, watch, count, cold_repeats)
    elapsed = time.perf_counter() - started
    info = versions(node_prefix)
    print()
    print(table)
    print(f"\n(whole benchmark: {elapsed / 60:.1f} minutes)")
    if not args.no_write:
        write_results(table, info, args, elapsed)
        print(f"wrote {RESULTS.relative_to(ROOT)}")


def report(
    results: dict[str, Series],
    tree: dict[str, float],
    watch: dict[str, float],
    count: int,
    cold_repeats: int,
) -> str:
    def ms(s: float) -> str:
        return f"{s * 1000:,.0f} ms"

    def sec(s: float) -> str:
        return f"{s:,.2f} s" if s >= 1 else ms(s)

    def target(ratio: float, limit: float, unit: str = "×") -> str:
        met = "met" if ratio <= limit else "**not met**"
        return f"≤ {limit:g}{unit}: {met}"

    rows: list[tuple[str, ...]] = []
    node1 = results["cold-mjml"].median
    peer1 = f"mjml CLI, its email.mjml: {ms(node1)}"
    for key, label, goal in [
        ("render", "**Cold `briefgen render`, 1 brief, all outputs** (empty --out)", True),
        ("render-again", "Cold `briefgen render`, 1 brief, outputs already up to date", False),
        ("render-nocache", "Cold `briefgen render`, 1 brief, empty template cache", False),
        ("check", "Cold `briefgen check`, 1 brief", False),
        ("version", "`briefgen --version` (interpreter and CLI start-up only)", False),
        ("floor", f"`python -c '{FLOOR}'` (imports only, no work)", False),
    ]:
        mine = results[f"cold-{key}"].median
        ratio = mine / node1
        rows.append((label, ms(mine), peer1, f"{ratio:.2f}×", target(ratio, 0.5) if goal else ""))
    for n in sorted({100, count}):
        cli, api = results[f"batch{n}-mjml-cli"].median, results[f"batch{n}-mjml-api"].median
        peer = f"mjml CLI, {n:,} emails in 1 process: {sec(cli)}"
        big = n == count
        scenarios = [
            ("render", f"`briefgen render`, {n:,} briefs, all outputs (empty --out)"),
            ("render-again", f"`briefgen render`, {n:,} briefs, outputs already up to date"),
            ("render-nocache", f"`briefgen render`, {n:,} briefs, empty template cache"),
            ("check", f"`briefgen check`, {n:,} briefs"),
            ("check-edit", f"`briefgen check`, {n:,} briefs, after an edit to the X template"),
        ]
        for key, label in scenarios:
            if f"batch{n}-{key}" not in results:
                continue
            mine = results[f"batch{n}-{key}"].median
            goal = big and key == "render"
            rows.append(
                (
                    f"**{label}**" if goal else label,
                    sec(mine),
                    peer,
                    f"{mine / cli:.2f}×",
                    target(mine / cli, 0.5) if goal else "",
                )
            )
        # Issue 15's targets: ratios to the mjml API compiling the same emails in one process.
        api_peer = f"mjml API in 1 Node process (`mjml_batch.js`), {n:,} emails: {sec(api)}"
        for key, label, limit in [
            ("check-edit", f"`briefgen check`, {n:,} briefs, after an edit to the X template", 0.1),
            ("render-again", f"`briefgen render`, {n:,} briefs, nothing changed", 0.05),
            (
                "render-nocache",
                f"`briefgen render`, {n:,} briefs, from scratch (empty caches)",
                1.0,
            ),
            ("render", f"`briefgen render`, {n:,} briefs, all outputs (empty --out)", 0.0),
            (
                "write-floor",
                f"Writing the same {n:,} output folders with a bare Python loop, one sync "
                "(the file system's floor, no briefgen)",
                0.0,
            ),
        ]:
            if f"batch{n}-{key}" not in results:
                continue
            mine = results[f"batch{n}-{key}"].median
            goal = big and limit > 0
            rows.append(
                (
                    f"**{label}**" if goal else label,
                    sec(mine),
                    api_peer,
                    f"{mine / api:.2f}×",
                    target(mine / api, limit) if goal else "",
                )
            )
    node_rss = results["cold-mjml"].rss_mib
    for label, mib, goal in [
        ("cold render, 1 brief", results["cold-render"].rss_mib, True),
        (
            f"render of {count:,} briefs, largest process",
            results[f"batch{count}-render"].rss_mib,
            True,
        ),
        (
            f"check of {count:,} briefs, largest process",
            results[f"batch{count}-check"].rss_mib,
            True,
        ),
    ]:
        rows.append(
            (
                f"**Peak RSS, {label}**",
                f"{mib:.1f} MiB",
                f"mjml CLI, 1 email: {node_rss:.1f} MiB",
                f"{mib / node_rss:.2f}×",
                target(mib, 60, " MiB") if goal else "",
            )
        )
    rows.append(
        (
            f"Peak RSS, render of {count:,} briefs, whole process tree (sampled)",
            f"{tree['render']:.1f} MiB",
            f"mjml CLI, {count:,} emails: {tree['mjml-cli']:.1f} MiB",
            f"{tree['render'] / tree['mjml-cli']:.2f}×",
            "",
        )
    )
    rows.append(
        (
            "**Watch re-render after a template change** "
            "(`preview --watch`: `PreviewServer.rebuild()`)",
            f"{watch['watch_ms']:.1f} ms",
            "",
            "",
            target(watch["watch_ms"], 50, " ms"),
        )
    )
    rows.append(
        (
            "Re-render after a template change, warm `Renderer`, all outputs written",
            f"{watch['render_ms']:.1f} ms",
            "",
            "",
            "",
        )
    )
    header = ("Measure (median)", "briefgen", "Peer (median)", "Ratio", "Target")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    cold, node = results["cold-render"], results["cold-mjml"]
    big, cli = results[f"batch{count}-render"], results[f"batch{count}-mjml-cli"]
    spread = [
        f"- cold render: {cold_repeats} runs, {ms(cold.spread[0])}–{ms(cold.spread[1])}; "
        f"mjml CLI {ms(node.spread[0])}–{ms(node.spread[1])}",
        f"- render of {count:,}: {len(big.runs)} run(s), {sec(big.spread[0])}–"
        f"{sec(big.spread[1])}; mjml CLI {sec(cli.spread[0])}–{sec(cli.spread[1])}",
        f"- watch re-render: median of {watch['repeats']} edits; slowest edit "
        f"{watch['watch_ms_max']:.1f} ms (warm Renderer: {watch['render_ms_max']:.1f} ms)",
    ]
    for key, label in [
        ("check", "`briefgen check`"),
        ("check-edit", "`briefgen check` after an edit to the X template,"),
        ("render", "`briefgen render`"),
        ("render-nocache", "`briefgen render` from scratch (empty caches),"),
    ]:
        run = results[f"batch{count}-{key}"]
        spread.append(
            f"- CPU time of {label} of {count:,} briefs, all its processes: "
            f"{run.cpu:,.1f} s ({run.cpu / count * 1000:.1f} ms per brief; "
            f"{os.cpu_count()} cores); mjml CLI: {results[f'batch{count}-mjml-cli'].cpu:,.1f} s, "
            f"mjml API: {results[f'batch{count}-mjml-api'].cpu:,.1f} s"
        )
    return "\n".join(lines) + "\n\nRange (min–max) of the repeats, and CPU:\n\n" + "\n".join(spread)


def write_results(
    table: str, info: dict[str, str], args: argparse.Namespace, elapsed: float
) -> None:
    command = "benchmarks/run.py" + (" --quick" if args.quick else "")
    machine = "\n".join(f"- {k}: {v}" for k, v in info.items())
    block = (
        f"{START}\n"
        f"Measured by `.venv/bin/python {command}` on {info['date']} "
        f"(whole run {elapsed / 60:.1f} minutes).\n\n"
        f"{table}\n\n"
        f"Machine and versions:\n\n{machine}\n"
        f"{END}"
    )
    if RESULTS.exists():
        text = RESULTS.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            text = head + block + rest.split(END, 1)[1]
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
    else:
        text = f"# Benchmark results\n\n{block}\n"
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
