"""The effect of each change: time the same workloads at several git revisions, in one run.

    .venv/bin/python benchmarks/steps.py REV[:nocache] REV ...

Each revision's `src/` and `templates/` are exported with `git archive` into
`benchmarks/.work/steps/<rev>/` (the working tree is not touched) and run with the project's
`.venv` and `PYTHONPATH` pointing there. `REV:nocache` runs with briefgen's caches turned off
(`XDG_CACHE_HOME` set to a relative path, which briefgen refuses), to time the state before
the caches existed. Measured, as medians: cold `briefgen render` of one brief into an empty
`--out`; `briefgen check` and `briefgen render` (empty `--out`) of the 100-brief project; and
the watch-mode re-render (`watch_bench.py`). Run `run.py` first: it generates the projects.
"""

from __future__ import annotations

import json
import os
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


def timed(cmd: list[str], cwd: Path, env: dict[str, str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
        shutil.rmtree(out, ignore_errors=True)
        row = (spec, cold * 1000, checked, statistics.median(batch), rebuild)
        rows.append(row)
        print(
            f"{spec:>16}: cold render {row[1]:5.0f} ms, check 100 {row[2]:5.2f} s, "
            f"render 100 {row[3]:5.2f} s, watch {row[4]:5.1f} ms",
            flush=True,
        )
    print("\n| Revision | Cold render, 1 brief | Check, 100 | Render, 100 | Watch re-render |")
    print("|---|---|---|---|---|")
    for spec, cold_ms, check_s, render_s, watch_ms in rows:
        cells = [f"`{spec}`", f"{cold_ms:.0f} ms", f"{check_s:.2f} s", f"{render_s:.2f} s"]
        print("| " + " | ".join([*cells, f"{watch_ms:.1f} ms"]) + " |")


if __name__ == "__main__":
    main()
