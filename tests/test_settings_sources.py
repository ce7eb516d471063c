"""Settings read without pydantic-settings when nothing but flags and plain BRIEFGEN_*
variables can set them, and agree with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.errors import ConfigError
from briefgen.settings import Settings, _from_sources, has_files, load_settings


def test_no_sources_means_no_pydantic_settings_import(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from briefgen.settings import load_settings; "
        f"load_settings(Path({str(tmp_path)!r}), jobs=2); "
        "assert 'pydantic_settings' not in sys.modules, 'imported'"
    )
    env = {"PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)


@pytest.mark.parametrize(
    ("files", "env", "expected"),
    [
        ({}, {}, False),
        ({"pyproject.toml": '[project]\nname = "news"\n'}, {}, False),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 99\n"}, {}, False),
        ({"pyproject.toml": "[tool.briefgen]\njobs = 2\n"}, {}, True),
        ({"pyproject.toml": "[tool.briefgen.x]\n"}, {}, True),
        ({"pyproject.toml": "not = toml = at all"}, {}, True),
        ({"briefgen.toml": ""}, {}, True),
        ({}, {"BRIEFGEN_JOBS": "2"}, False),
    ],
)
def test_has_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    env: dict[str, str],
    expected: bool,
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert has_files(tmp_path) is expected


def test_plain_variables_mean_no_pydantic_settings_import(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from briefgen.settings import load_settings; "
        f"s = load_settings(Path({str(tmp_path)!r})); "
        "assert 'pydantic_settings' not in sys.modules, 'imported'; "
        "assert (s.cache, s.jobs, s.strict) == (False, 3, True), s"
    )
    env = {"PATH": "/usr/bin:/bin", "BRIEFGEN_CACHE": "false", "BRIEFGEN_JOBS": "3"}
    env["briefgen_strict"] = "1"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)


@pytest.mark.parametrize(
    "env",
    [
        {"BRIEFGEN_CACHE": "false"},
        {"BRIEFGEN_CACHE": "0", "BRIEFGEN_JOBS": "2", "BRIEFGEN_STRICT": "yes"},
        {"briefgen_out_dir": "elsewhere", "BRIEFGEN_TEMPLATES_DIR": "mine"},
        {"BRIEFGEN_EMAIL_FROM": "News <news@example.org>", "BRIEFGEN_CITATION_STYLE": "apa"},
        {"BRIEFGEN_CAVEAT_SHARE_FLOOR": "0.25", "BRIEFGEN_SMTP_PASSWORD": "not a setting"},
        {"BRIEFGEN_RENDER_TIMEOUT": "2.5", "BRIEFGEN_LINT_RULES": "rules.toml"},
        {"BRIEFGEN_SMTP_USER": "", "BRIEFGEN_LIST_ID": "Briefs <b.example.org>"},
        {"BRIEFGEN_PLATFORMS": '["x", "bluesky"]', "BRIEFGEN_CACHE": "false"},  # JSON
        {"BRIEFGEN_RULES": '{"caveat-share": "off"}'},  # JSON: read by pydantic-settings
    ],
)
def test_variables_give_what_pydantic_settings_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    flags: dict[str, object] = {"jobs": 4} if "BRIEFGEN_JOBS" in env else {}
    read = load_settings(tmp_path, **flags)
    slow = _from_sources()(**flags)
    assert type(read) is Settings
    assert read.model_dump() == {**slow.model_dump(), "root": tmp_path.resolve()}
    assert read.model_fields_set == slow.model_fields_set | {"root"}


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("BRIEFGEN_JOBS", "many", "setting jobs: Input should be a valid integer"),
        ("BRIEFGEN_CACHE", "maybe", "setting cache: Input should be a valid boolean"),
        ("BRIEFGEN_CAVEAT_SHARE_FLOOR", "2", "setting caveat_share_floor: Input should be less"),
        ("BRIEFGEN_EMAIL_TO", "a@b.org\nBcc: c@d.org", "setting email_to: Value error"),
    ],
)
def test_invalid_variables_fail_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path)
    (tmp_path / "briefgen.toml").write_text("", encoding="utf-8")  # now through pydantic-settings
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path)


@pytest.mark.parametrize(
    "flags",
    [
        {},
        {"templates_dir": Path("mine"), "platforms": ["x", "bluesky"], "jobs": 3},
        {"caveat_share_floor": 0.3, "email_from": "News <news@example.org>"},
    ],
)
def test_flags_alone_give_what_pydantic_settings_gives(
    tmp_path: Path, flags: dict[str, object]
) -> None:
    fast = load_settings(tmp_path, **flags)
    slow = _from_sources()(**flags)
    assert type(fast) is Settings
    assert fast.model_dump() == {**slow.model_dump(), "root": tmp_path.resolve()}
    assert fast.model_fields_set == slow.model_fields_set | {"root"}


def test_sources_still_read_and_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.briefgen]\njobs = 5\nout_dir = "o"\nplatform_limits = {x = 100}\n', encoding="utf-8"
    )
    (tmp_path / "briefgen.toml").write_text(
        "jobs = 2\nplatform_limits = {mastodon = 1000}\n", encoding="utf-8"
    )
    monkeypatch.setenv("BRIEFGEN_PLATFORMS", '["x", "mastodon"]')
    settings = load_settings(tmp_path, seeds_dir=Path("briefs"))
    assert type(settings) is Settings
    assert settings.jobs == 2
    assert settings.out_dir == Path("o")
    assert settings.seeds_dir == Path("briefs")
    assert settings.platforms == ["x", "mastodon"]
    assert settings.platform_limits == {"x": 100, "mastodon": 1000}


@pytest.mark.parametrize("from_file", [False, True])
def test_invalid_values_fail_alike(tmp_path: Path, from_file: bool) -> None:
    flags: dict[str, object] = {}
    if from_file:
        (tmp_path / "briefgen.toml").write_text("caveat_share_floor = 2\n", encoding="utf-8")
    else:
        flags["caveat_share_floor"] = 2
    with pytest.raises(ConfigError, match="setting caveat_share_floor: Input should be less"):
        load_settings(tmp_path, **flags)
