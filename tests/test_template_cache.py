"""Compiled templates are reused across environments and processes, never once stale."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from briefgen.rendering import templating
from briefgen.rendering.templating import TemplateCache, make_environment


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    TemplateCache._in_memory.clear()
    yield tmp_path / "cache" / "briefgen" / "templates"
    TemplateCache._in_memory.clear()


def test_a_new_environment_takes_compiled_code_from_memory(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_environment().get_template("email.txt.j2")
    assert len(list(cache.glob("*.jinja"))) >= 1

    def no_disk(self: jinja2.FileSystemBytecodeCache, bucket: jinja2.bccache.Bucket) -> None:
        raise AssertionError("read from disk")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "load_bytecode", no_disk)
    second = make_environment().get_template("email.txt.j2")
    assert second is not first
    assert second.blocks.keys() == first.blocks.keys()


def test_a_changed_template_is_compiled_again(cache: Path, tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    page = mine / "page.txt.j2"
    page.write_text("one {{ n }}\n", encoding="utf-8")
    assert make_environment(mine).get_template("page.txt.j2").render(n=1) == "one 1\n"
    page.write_text("two {{ n }}\n", encoding="utf-8")
    os.utime(page, ns=(page.stat().st_mtime_ns + 10**9,) * 2)
    assert make_environment(mine).get_template("page.txt.j2").render(n=2) == "two 2\n"


def test_a_new_process_reads_the_compiled_code(cache: Path, tmp_path: Path) -> None:
    make_environment().get_template("email.mjml.j2")
    code = (
        "import jinja2, sys\n"
        "from briefgen.rendering.templating import make_environment\n"
        "def refuse(*args, **kwargs): raise AssertionError('compiled again')\n"
        "jinja2.Environment.compile = refuse\n"
        "make_environment().get_template('email.mjml.j2')\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_no_cache_folder_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    assert templating.template_cache_dir() is None
    assert make_environment().bytecode_cache is None
