"""Property tests over the brief models: load or fail cleanly; what loads renders and passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.brief.loader import load_brief
from briefgen.errors import BriefgenError
from briefgen.guard.checks import guard
from briefgen.guard.lint import load_rules
from briefgen.rendering.renderer import render_brief
from briefgen.rendering.templating import make_environment
from briefgen.settings import load_settings, render_options
from helpers import MINIMAL, ROOT

ENV = make_environment(None)
OPTIONS = render_options(load_settings(ROOT))
RULES = load_rules()
BASE: dict[str, Any] = json.loads(
    json.dumps(load_brief(MINIMAL).brief.model_dump(mode="json", exclude_none=True))
)
for _source in BASE["sources"]:
    _source.pop("text", None)

_ANY_TEXT = st.text(max_size=60)
_VALUES = st.one_of(
    _ANY_TEXT,
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(_ANY_TEXT, max_size=3),
    st.dictionaries(_ANY_TEXT, _ANY_TEXT, max_size=2),
    st.sampled_from(
        [
            "javascript:x",
            "../../etc",
            "2026-13-45",
            "a" * 600,
            "<script>",
            "{{ x }}",
            "line\nbreak",
            "doc",
            "paper",
            "alert",
            "\ufeff",
            "\u2028",
        ]
    ),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated_briefs(draw: st.DrawFn) -> dict[str, Any]:
    data = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["set", "delete", "unknown"]))
        if action == "set":
            parent[path[-1]] = draw(_VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "shrot", "Caveats"]))] = draw(_VALUES)
    return data


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=mutated_briefs())
def test_any_brief_loads_or_fails_with_a_located_briefgen_error(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    try:
        loaded = load_brief(path)
    except BriefgenError as exc:
        assert str(exc).startswith(str(path)) or str(exc).startswith("brief.yaml")
        assert "\n" not in exc.message
        return
    rendered = render_brief(loaded, ENV, OPTIONS)
    assert rendered.files == render_brief(loaded, ENV, OPTIONS).files


_WORD = st.sampled_from(
    [
        "cold",
        "water",
        "heart",
        "sleep",
        "trend",
        "doctor",
        "skin",
        "study",
        "ベビー",
        "café",
        "niño",
        "😀",
        "people",
        "may",
        "risk",
        "dose",
    ]
)


def _phrase(low: int, high: int) -> st.SearchStrategy[str]:
    return st.lists(_WORD, min_size=low, max_size=high).map(" ".join)


@st.composite
def valid_briefs(draw: st.DrawFn) -> dict[str, Any]:
    n_sources = draw(st.integers(1, 3))
    sources = [
        {
            "id": f"s{i}",
            "publisher": draw(_phrase(1, 2)).title(),
            "title": draw(_phrase(2, 8)),
            "url": f"https://example.org/{i}",
            "author": draw(st.one_of(st.none(), _phrase(2, 2))),
            "published": draw(st.one_of(st.none(), st.just("2025-05-06"))),
        }
        for i in range(n_sources)
    ]
    people = [
        {"id": "e0", "name": "Ana Expert", "expert": True},
        {"id": "e1", "name": "Bo Expert", "credentials": "PhD", "expert": True},
        {"id": "p0", "name": "Cy Creator"},
    ]
    claims = [
        {
            "id": f"c{i}",
            "text": draw(_phrase(3, 10)) + ".",
            "by": "p0",
            "source": f"s{draw(st.integers(0, n_sources - 1))}",
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    caveats = [
        {
            "id": f"k{i}",
            "text": draw(_phrase(10, 20)) + ".",
            "short": draw(_phrase(1, 3))[:25],
            "by": f"e{i % 2}",
            "source": f"s{draw(st.integers(0, n_sources - 1))}",
            "answers": [c["id"] for c in claims],
            "required": i == 0 or draw(st.booleans()),
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    brief = {
        "slug": "generated",
        "title": draw(_phrase(3, 8)),
        "topic": draw(_phrase(1, 3)),
        "date": "2026-02-03",
        "summary": draw(_phrase(5, 15)) + ".",
        "takeaway": draw(_phrase(5, 15)) + ".",
        "sources": sources,
        "people": people,
        "claims": claims,
        "caveats": caveats,
        "hashtags": draw(
            st.lists(st.sampled_from(["health", "skin", "sleep"]), max_size=3, unique=True)
        ),
    }
    for source in sources:
        if source["author"] is None:
            del source["author"]
        if source["published"] is None:
            del source["published"]
    return brief


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=valid_briefs())
def test_a_brief_that_loads_renders_deterministically_and_passes_the_guard(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    loaded = load_brief(path)
    first = render_brief(loaded, ENV, OPTIONS)
    assert first.files == render_brief(loaded, ENV, OPTIONS).files
    findings = guard(first, RULES, 0.15)
    assert findings == [], [f"{f.output}: {f.rule}: {f.message}" for f in findings]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xef\xbb\xbf",
        b"- a\n",
        b"42\n",
        b"{a: 1, a: 2}\n",
        b"\xff\xfe",
        b"slug: [\n",
        b"!!python/object:os.system x\n",
    ],
)
def test_degenerate_files_fail_cleanly(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "brief.yaml"
    path.write_bytes(raw)
    with pytest.raises(BriefgenError):
        load_brief(path)
