"""Watch-mode re-render: time re-rendering a brief after each change to a template.

This is what `briefgen preview --watch` does per change: a warm `pipeline.Renderer` (one Jinja
environment, `auto_reload=True`) re-renders and guards the brief, then its outputs are written.
The script copies the built-in `email.mjml.j2` into a user templates folder, edits it N times
(a visible word in the footer changes each time, so each re-render must pick the change up) and
prints the timings as JSON on stdout.

    python benchmarks/watch_bench.py <project root> <brief folder> <out folder> [repeats]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from briefgen.pipeline import Renderer
from briefgen.settings import load_settings
from briefgen.templating import builtin_templates_dir
from briefgen.writer import write_outputs

FOOTER = "Every statement above is credited to its source."


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

    renderer = Renderer(load_settings(root, templates_dir=templates))
    first = renderer.check(brief / "brief.yaml")  # warm: templates compiled, modules imported
    assert first.rendered is not None and first.exit_code == 0, first
    render_ms, total_ms = [], []
    mtime = template.stat().st_mtime_ns
    for n in range(repeats):
        template.write_text(original.replace(FOOTER, f"{FOOTER} Edit {n}."), encoding="utf-8")
        mtime += 1_000_000_000  # a distinct mtime per edit, however coarse the file system's
        os.utime(template, ns=(mtime, mtime))
        start = time.perf_counter()
        result = renderer.check(brief / "brief.yaml")
        rendered = time.perf_counter()
        assert result.rendered is not None and result.exit_code == 0, result
        files = result.rendered.files()
        write_outputs(out, result.rendered.slug, files)
        done = time.perf_counter()
        assert f"Edit {n}." in files["email.html"].decode(), "the change was not picked up"
        render_ms.append((rendered - start) * 1000)
        total_ms.append((done - start) * 1000)
    json.dump(
        {
            "repeats": repeats,
            "check_ms": statistics.median(render_ms),
            "rerender_ms": statistics.median(total_ms),
            "rerender_ms_max": max(total_ms),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
