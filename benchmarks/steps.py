"""The effect of each change: time the same workloads at several git revisions, in one run.

    .venv/bin/python benchmarks/steps.py REV[:nocache] REV ...

Each revision's `src/` and `templates/` are exported with `git archive` into
`benchmarks/.work/steps/<rev>/` (the working tree is not touched) and run with the project's
`.venv` and `PYTHONPATH` pointing there. `REV:nocache` runs with briefgen's caches turned off
(`XDG_CACHE_HOME` set to a relative path, which briefgen refuses), to time the state before
the caches existed. Measured, as medians: cold `briefgen render` of one brief into an empty
`--out`; `briefgen check` and `briefgen render` (empty `--out`) of the 100-brief project; and
the watch-mode re-render (`watch_bench.py`); issue 15's workloads on the 100-brief project: a
`check` right after an edit to the X caption template (in the project's `user-templates/`), a
`render` into an up-to-date folder, and a `render` with empty caches. Run `run.py` first: it
generates the projects.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
STEPS = WORK / "steps"


def export(rev: str) -> Path:
    folder = STEPS / rev
    if not (folder / "src").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev, "src", "templates"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def env_for(folder: Path, cache: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE" and not k.upper().startswith("BRIEFGEN_")
    }
    env.update(PYTHONPATH=str(folder / "src"), XDG_CACHE_HOME=cache, NO_COLOR="1")
    return env


#: CPU seconds (user + system) of every process `timed` ran, by the wall time it returned.
CPU: dict[float, float] = {}


def timed(cmd: list[str], cwd: Path, env: dict[str, str], repeats: int) -> float:
    """Median wall time of `repeats` runs; their median CPU time goes into `CPU`."""
    times, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    wall = statistics.median(times)
    CPU[wall] = statistics.median(cpus)
    return wall


def both(wall: float) -> str:
    """Wall time and, in brackets, CPU time: the CPU time is the steadier on a shared VM."""
    return f"{wall:.2f} s ({CPU.get(wall, float('nan')):.2f} s)"


def main() -> None:
    revs = sys.argv[1:] or ["HEAD"]
    one, hundred = WORK / "project-1", WORK / "project-100"
    if not (one / "seeds").is_dir() or not (hundred / "seeds").is_dir():
        sys.exit("run benchmarks/run.py first: it generates the projects")
    brief = next((one / "seeds").iterdir())
    python = sys.executable
    rows = []
    for spec in revs:
        rev, _, mode = spec.partition(":")
        folder = export(rev)
        cache = "relative-path-no-cache" if mode == "nocache" else str(folder / "cache")
        env = env_for(folder, cache)
        render = [python, "-m", "briefgen.cli", "render"]
        check = [python, "-m", "briefgen.cli", "check"]
        out = folder / "out"
        for project in (one, hundred):  # warm-up: bytecode and caches
            subprocess.run(check, cwd=project, env=env, check=True, capture_output=True)
        shutil.rmtree(out, ignore_errors=True)
        os.sync()
        cold = timed([*render, str(brief), "--out", str(out / "cold")], one, env, 9)
        checked = timed(check, hundred, env, 3)
        batch = []
        for i in range(3):
            target = out / f"batch-{i}"
            batch.append(timed([*render, "--out", str(target)], hundred, env, 1))
        watch = subprocess.run(
            [python, str(HERE / "watch_bench.py"), str(one), str(brief), str(out / "w"), "15"],
            cwd=one,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        rebuild = json.loads(watch.stdout)["watch_ms"]
        x = hundred / "user-templates" / "social" / "x.txt.j2"
        original = x.read_text(encoding="utf-8")
        edit_check = [*check, "--templates", "user-templates"]
        subprocess.run(edit_check, cwd=hundred, env=env, check=True, capture_output=True)
        edited = []
        try:
            for _ in range(3):
                # A new edit each time: an edit seen before would be a cache hit.
                x.write_text(f"{{# edit {time.time_ns()} #}}\n{original}", encoding="utf-8")
                edited.append(timed(edit_check, hundred, env, 1))
        finally:
            x.write_text(original, encoding="utf-8")
        up_to_date = timed([*render, "--out", str(out / "batch-0")], hundred, env, 3)
        scratch = []
        for i in range(3):
            fresh_env = {**env, "XDG_CACHE_HOME": str(folder / f"scratch-{i}")}
            target = out / f"scratch-{i}"
            scratch.append(timed([*render, "--out", str(target)], hundred, fresh_env, 1))
            shutil.rmtree(folder / f"scratch-{i}", ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        row = (
            spec,
            cold * 1000,
            checked,
            statistics.median(batch),
            rebuild,
            statistics.median(edited),
            up_to_date,
            statistics.median(scratch),
        )
        CPU[row[3]] = statistics.median(CPU[t] for t in batch)
        CPU[row[5]] = statistics.median(CPU[t] for t in edited)
        CPU[row[7]] = statistics.median(CPU[t] for t in scratch)
        rows.append(row)
        print(
            f"{spec:>16}: cold render {row[1]:5.0f} ms, check 100 {row[2]:5.2f} s, "
            f"render 100 {row[3]:5.2f} s, watch {row[4]:5.1f} ms, check after an X edit "
            f"{row[5]:5.2f} s, render up to date {row[6]:5.2f} s, from scratch {row[7]:5.2f} s",
            flush=True,
        )
    print(
        "\n| Revision | Cold render, 1 brief | Check, 100 | Render, 100 | Watch re-render "
        "| Check, 100, after an X edit | Render, 100, up to date | Render, 100, empty caches |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for spec, cold_ms, check_s, render_s, watch_ms, edit_s, again_s, scratch_s in rows:
        cells = [f"`{spec}`", f"{cold_ms:.0f} ms", both(check_s), both(render_s)]
        cells += [f"{watch_ms:.1f} ms", both(edit_s), both(again_s), both(scratch_s)]
        print("| " + " | ".join(cells) + " |")
    print("\nWall time, and in brackets CPU time (user + system, every process of the run).")


if __name__ == "__main__":
    main()
