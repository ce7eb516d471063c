"""Validated briefs kept between processes are the validated briefs, and spare a cold start
building pydantic's validator; `texts` finds every string the JSON dump has."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen import diskcache
from briefgen.brief.loader import load_brief
from briefgen.brief.models import texts
from briefgen.errors import BriefError
from helpers import FIXTURES, SEEDS

BRIEFS = sorted(
    [*(FIXTURES / "briefs").iterdir(), *(FIXTURES / "real").iterdir(), *SEEDS.iterdir()]
)
BRIEFS = [folder for folder in BRIEFS if (folder / "brief.yaml").is_file()]


@pytest.fixture
def memos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    diskcache._memo_dir.cache_clear()
    diskcache._parsed_dir.cache_clear()
    yield tmp_path / "cache" / "briefgen" / "models"
    diskcache._memo_dir.cache_clear()
    diskcache._parsed_dir.cache_clear()


@pytest.mark.parametrize("folder", BRIEFS, ids=lambda p: p.name)
def test_a_kept_brief_is_the_validated_brief(memos: Path, folder: Path) -> None:
    first = load_brief(folder)
    assert len(list(memos.glob("*.pickle"))) == 1
    again = load_brief(folder)
    assert again.brief == first.brief
    assert again.brief.model_dump() == first.brief.model_dump()
    assert again.source_texts == first.source_texts


def test_an_invalid_brief_fails_alike_and_is_not_kept(memos: Path, tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    text = (SEEDS / "baby-botox" / "brief.yaml").read_text(encoding="utf-8")
    (folder / "brief.yaml").write_text(text.replace("slug: baby-botox", "slug: Baby Botox"))
    messages = []
    for _ in range(2):
        with pytest.raises(BriefError) as raised:
            load_brief(folder)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert "is not a valid id" in messages[0]
    assert not list(memos.glob("*.pickle"))


def test_a_kept_brief_builds_no_validator(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from briefgen.brief.loader import load_brief; "
        "from briefgen.brief.models import Brief; "
        "load_brief(Path(sys.argv[1])); print(Brief.__pydantic_complete__)"
    )
    env = {"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path)}
    built = [
        subprocess.run(
            [sys.executable, "-c", code, str(SEEDS / "baby-botox")],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert built == ["True", "False"]  # validated (and built) once, then read back


def _walk(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


@pytest.mark.parametrize("folder", BRIEFS, ids=lambda p: p.name)
def test_texts_are_the_strings_of_the_json_dump(folder: Path) -> None:
    brief = load_brief(folder).brief
    assert sorted(texts(brief)) == sorted(_walk(brief.model_dump(mode="json")))
