"""The action cache: keys follow what an output depends on; the cache is safe and bounded."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import jinja2
import pytest

from briefgen.buildcache import BuildCache, TemplateKeys, digest, template_closure


def _env(*folders: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader([str(f) for f in folders]))


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    (folder / "partials").mkdir(parents=True)
    (folder / "email.txt.j2").write_text('{% include "partials/caveat.j2" %}\n{{ x }}')
    (folder / "partials/caveat.j2").write_text('{% import "partials/util.j2" as u %}{{ u.f() }}')
    (folder / "partials/util.j2").write_text("{% macro f() %}u{% endmacro %}")
    (folder / "social.txt.j2").write_text("{{ x }}")
    return folder


def test_closure_follows_includes_and_imports_transitively(templates: Path) -> None:
    env = _env(templates)
    assert template_closure(env, "email.txt.j2") == [
        "email.txt.j2",
        "partials/caveat.j2",
        "partials/util.j2",
    ]
    assert template_closure(env, "social.txt.j2") == ["social.txt.j2"]


def test_a_computed_include_means_the_closure_is_unknown(templates: Path) -> None:
    (templates / "dynamic.j2").write_text("{% include name %}")
    assert template_closure(_env(templates), "dynamic.j2") is None
    keys = TemplateKeys(_env(templates))
    before = keys.key("dynamic.j2")
    (templates / "social.txt.j2").write_text("changed")
    assert TemplateKeys(_env(templates)).key("dynamic.j2") != before  # every template counts


def test_editing_a_partial_changes_only_the_outputs_that_load_it(templates: Path) -> None:
    before = TemplateKeys(_env(templates))
    email, social = before.key("email.txt.j2"), before.key("social.txt.j2")
    (templates / "partials/util.j2").write_text("{% macro f() %}changed{% endmacro %}")
    after = TemplateKeys(_env(templates))
    assert after.key("email.txt.j2") != email
    assert after.key("social.txt.j2") == social


def test_a_user_template_shadowing_a_builtin_changes_the_key(
    templates: Path, tmp_path: Path
) -> None:
    user = tmp_path / "user"
    user.mkdir()
    plain = TemplateKeys(_env(user, templates)).key("social.txt.j2")
    (user / "social.txt.j2").write_text("{{ x }}")  # same text, other folder
    assert TemplateKeys(_env(user, templates)).key("social.txt.j2") != plain


def test_digest_parts_cannot_run_into_each_other() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest(b"x") == digest("x")


def test_values_round_trip_and_corrupt_entries_are_misses(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.put("k1", {"email.html": b"<p>hi</p>"})
    assert cache.get("k1") == {"email.html": b"<p>hi</p>"}
    assert cache.get("absent") is None
    (tmp_path / "k1.pickle").write_bytes(b"\x80garbage")
    assert cache.get("k1") is None
    cache.put("k2", 1)
    os.replace(tmp_path / "k2.pickle", tmp_path / "k3.pickle")  # an entry under the wrong name
    assert cache.get("k3") is None
    assert (cache.hits, cache.misses) == (1, 3)


def test_no_folder_keeps_nothing_and_never_fails() -> None:
    cache = BuildCache(None)
    cache.put("k", 1)
    assert cache.get("k") is None


def test_the_cache_is_bounded_least_recently_used_first(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, max_bytes=3000)
    for index in range(6):
        cache.put(f"k{index}", b"x" * 900)
        os.utime(tmp_path / f"k{index}.pickle", ns=(index * 10**9, index * 10**9))
    os.utime(tmp_path / "k0.pickle")  # used just now
    cache.prune()
    left = sorted(p.stem for p in tmp_path.glob("*.pickle"))
    assert "k0" in left and "k1" not in left and "k5" in left
    assert sum(p.stat().st_size for p in tmp_path.glob("*.pickle")) <= 3000


def test_reading_marks_an_entry_used_only_when_it_was_not_lately(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.put("fresh", 1)
    cache.put("stale", 2)
    fresh, stale = tmp_path / "fresh.pickle", tmp_path / "stale.pickle"
    minute_ago = time.time() - 60
    day_ago = time.time() - 86400
    os.utime(fresh, (minute_ago, minute_ago))
    os.utime(stale, (day_ago, day_ago))
    assert cache.get("fresh") == 1 and cache.get("stale") == 2
    assert fresh.stat().st_mtime == pytest.approx(minute_ago), "used lately: left alone"
    assert stale.stat().st_mtime > time.time() - 60, "not used for a day: marked as used now"


def test_the_default_cache_is_private_to_the_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = BuildCache.default()
    assert cache.folder == tmp_path / "briefgen" / "actions"
    assert stat.S_IMODE(cache.folder.stat().st_mode) == 0o700


def test_a_new_process_checks_the_size_only_when_nobody_did_lately(tmp_path: Path) -> None:
    for index in range(6):
        (tmp_path / f"old{index}.pickle").write_bytes(b"x" * 900)
    BuildCache(tmp_path, max_bytes=3000).put("new", b"y")  # first check ever: pruned
    assert sum(p.stat().st_size for p in tmp_path.glob("*.pickle")) <= 3000
    for index in range(6):
        (tmp_path / f"more{index}.pickle").write_bytes(b"x" * 900)
    BuildCache(tmp_path, max_bytes=3000).put("newer", b"y")  # checked a moment ago: not now
    assert len(list(tmp_path.glob("more*.pickle"))) == 6
