"""Watch-mode re-render: time re-rendering a brief after each change to a template.

`briefgen preview --watch` polls the brief's folder and the template folders and, on a change,
calls `PreviewServer.rebuild()`: render and guard the brief and write the preview page. This
script builds that server (without starting its HTTP and polling threads), copies the built-in
`email.mjml.j2` into a user templates folder and edits it N times (a visible word in the footer
changes each time, so each rebuild must pick the change up), timing `rebuild()` from its start:
the time to notice a save (up to `watch.POLL_SECONDS`) is not included. For comparison it also
times a warm `pipeline.Batch` re-rendering and writing all outputs (`render` without the
preview page). Prints the timings as JSON on stdout.

    python benchmarks/watch_bench.py <project root> <brief folder> <out folder> [repeats]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from briefgen.editor.watch import PreviewServer
from briefgen.pipeline import Batch
from briefgen.rendering.templating import builtin_templates_dir
from briefgen.settings import load_settings
from briefgen.writer import write_outputs

FOOTER = "Every statement above is credited to its source."


def edits(template: Path, original: str, repeats: int, step: Callable[[int], None]) -> list[float]:
    """Edit the template `repeats` times, timing `step(n)` after each edit, in ms."""
    times = []
    mtime = template.stat().st_mtime_ns
    for n in range(repeats):
        template.write_text(original.replace(FOOTER, f"{FOOTER} Edit {n}."), encoding="utf-8")
        mtime += 1_000_000_000  # a distinct mtime per edit, however coarse the file system's
        os.utime(template, ns=(mtime, mtime))
        start = time.perf_counter()
        step(n)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    root, brief, out = (Path(a).resolve() for a in sys.argv[1:4])
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    templates = root / "watch-templates"
    shutil.rmtree(templates, ignore_errors=True)
    templates.mkdir(parents=True)
    original = (builtin_templates_dir() / "email.mjml.j2").read_text(encoding="utf-8")
    assert FOOTER in original, "the email template's footer changed; update watch_bench.py"
    template = templates / "email.mjml.j2"
    template.write_text(original, encoding="utf-8")
    settings = load_settings(root, templates_dir=templates)
    result: dict[str, object] = {"repeats": repeats}

    server = PreviewServer(brief, settings, out_dir=out / "preview")
    server.rebuild()  # warm: modules imported, templates compiled

    def rebuild(n: int) -> None:
        preview = server.rebuild()
        assert preview.status == "passed", preview.summary
        assert f"Edit {n}." in preview.html, "the change was not picked up"

    times = edits(template, original, repeats, rebuild)
    result["watch_ms"] = statistics.median(times)
    result["watch_ms_max"] = max(times)

    # A Batch fixes its cache keys when it is made (one batch run); a warm renderer that sees
    # each edit renders without the cache.
    renderer = Batch.from_settings(load_settings(root, templates_dir=templates, cache=False))
    renderer.check(brief / "brief.yaml")  # warm

    def render(n: int) -> None:
        checked = renderer.check(brief / "brief.yaml")
        assert checked.rendered is not None and checked.status == "passed", checked
        files = checked.rendered.files
        assert f"Edit {n}.".encode() in files["email.html"], "the change was not picked up"
        write_outputs(out / "outputs", checked.rendered.slug, files)

    times = edits(template, original, repeats, render)
    result["render_ms"] = statistics.median(times)
    result["render_ms_max"] = max(times)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
