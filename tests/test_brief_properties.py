"""Property tests over the brief models: load or fail cleanly; what loads renders and passes.

Each example of the two rendering properties is a full render; a local run tries a few, and
their `..._thoroughly` twins, marked slow (CI runs them), try the full count.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.brief.loader import load_brief
from briefgen.brief.models import Author, PartialDate
from briefgen.errors import BriefgenError
from briefgen.guard.checks import guard
from briefgen.guard.language import Linter
from briefgen.rendering.context import BriefView, build_context
from briefgen.rendering.renderer import render_brief
from briefgen.rendering.templating import date_long, make_environment
from briefgen.settings import load_settings, render_options
from helpers import FIXTURES, MINIMAL, ROOT, SEEDS

ENV = make_environment(None)
OPTIONS = render_options(load_settings(ROOT))
LINTER = Linter()
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


_RENDERS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@settings(_RENDERS, max_examples=15)
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


@pytest.mark.slow
@settings(_RENDERS, max_examples=150)
@given(data=mutated_briefs())
def test_any_brief_loads_or_fails_with_a_located_briefgen_error_thoroughly(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    test_any_brief_loads_or_fails_with_a_located_briefgen_error.hypothesis.inner_test(
        tmp_path, data
    )


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


@settings(_RENDERS, max_examples=6)
@given(data=valid_briefs())
def test_a_brief_that_loads_renders_deterministically_and_passes_the_guard(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    loaded = load_brief(path)
    first = render_brief(loaded, ENV, OPTIONS)
    assert first.files == render_brief(loaded, ENV, OPTIONS).files
    findings = [f for f in guard(first, LINTER) if f.level != "info"]
    assert findings == [], [f"{f.output}: {f.rule}: {f.message}" for f in findings]


@pytest.mark.slow
@settings(_RENDERS, max_examples=40)
@given(data=valid_briefs())
def test_a_brief_that_loads_renders_deterministically_and_passes_the_guard_thoroughly(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    test_a_brief_that_loads_renders_deterministically_and_passes_the_guard.hypothesis.inner_test(
        tmp_path, data
    )


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


# -- format v2: partial dates, authors, publication-stated caveats, expert claims ---------------

V2_FIXTURES = ["publication-caveat", "expert-claim", "partial-dates", "org-author"]


@given(day=st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_partial_dates_agree_with_calendar_dates(day: dt.date) -> None:
    full = PartialDate.parse(day.isoformat())
    assert full == PartialDate.parse(day) == PartialDate(day.year, day.month, day.day)
    assert full.isoformat() == day.isoformat() and full.first_day() == day
    month = PartialDate.parse(day.isoformat()[:7])
    year = PartialDate.parse(day.year)
    assert year <= month <= full and year.isoformat() == f"{day.year:04d}"
    assert (year.precision, month.precision, full.precision) == ("year", "month", "day")


@given(st.text(max_size=12) | st.integers() | st.floats() | st.none() | st.booleans())
def test_partial_dates_parse_or_say_how_to_write_them(value: object) -> None:
    try:
        parsed = PartialDate.parse(value)
    except ValueError as exc:
        assert "use YYYY-MM-DD" in str(exc)
    else:
        assert PartialDate.parse(parsed.isoformat()) == parsed


@pytest.mark.parametrize(
    ("text", "long"),
    [("2022-11-02", "November 2, 2022"), ("2022-11", "November 2022"), ("2022", "2022")],
)
def test_date_long_says_what_is_known(text: str, long: str) -> None:
    assert date_long(PartialDate.parse(text)) == long


@pytest.mark.parametrize(
    ("name", "family", "given", "literal"),
    [
        ("Ginger Wojcik", "Wojcik", "Ginger", None),
        ("Wojcik, Ginger", "Wojcik", "Ginger", None),
        ("Ludwig van Beethoven", "van Beethoven", "Ludwig", None),
        ("Jenny A. Yu", "Yu", "Jenny A.", None),
        ("Madonna", None, None, "Madonna"),
    ],
)
def test_author_names_split_for_citation_styles(
    name: str, family: str | None, given: str | None, literal: str | None
) -> None:
    author = Author.from_name(name)
    assert (author.family, author.given, author.literal) == (family, given, literal)


def _view(name: str) -> BriefView:
    return build_context(load_brief(FIXTURES / "briefs" / name))


def test_publication_stated_caveats_credit_the_publisher() -> None:
    view = _view("publication-caveat")
    by_id = {c.id: c for c in view.caveats}
    assert (by_id["heart"].credit, by_id["heart"].stated_by_publication) == (
        "Sam Doctor, MD",
        False,
    )
    for caveat_id in ("small-survey", "not-advice"):  # `by` absent, `by` a source id
        caveat = by_id[caveat_id]
        assert (caveat.by, caveat.credit, caveat.stated_by_publication) == (
            None,
            "Example Health",
            True,
        )
    assert view.verdict == "Alert for some, a strain on weak hearts"
    assert _view("expert-claim").verdict == _view("expert-claim").title  # the default


def test_expert_claims_are_split_from_fan_claims(tmp_path: Path) -> None:
    view = _view("expert-claim")
    assert [c.id for c in view.expert_claims] == ["short-dips"]
    assert [c.id for c in view.fan_claims] == ["alert"]
    assert view.expert_claims[0].expert and not view.fan_claims[0].expert
    # An expert's claim needs no answering caveat; a fan's does.
    source = (FIXTURES / "briefs" / "expert-claim" / "brief.yaml").read_text(encoding="utf-8")
    for answers, loads in (("[alert]", True), ("[short-dips]", False)):
        folder = tmp_path / answers.strip("[]")
        shutil.copytree(FIXTURES / "briefs" / "expert-claim", folder)
        text = source.replace("answers: [short-dips, alert]", f"answers: {answers}")
        (folder / "brief.yaml").write_text(text, encoding="utf-8")
        if loads:
            assert load_brief(folder).brief.claims[1].id == "short-dips"
        else:
            with pytest.raises(BriefgenError, match="'alert' is not answered"):
                load_brief(folder)


def test_sources_carry_authors_identifiers_and_partial_dates() -> None:
    paper, agency = _view("org-author").sources
    assert [(a.family, a.given) for a in paper.authors] == [("Writer", "Alex"), ("Doctor", "Sam")]
    assert paper.author == "Alex Writer, Sam Doctor"
    assert (paper.doi, paper.pmid, paper.container) == (
        "10.5555/example.2025.001",
        "12345678",  # written as a YAML number, kept as an identifier
        "Example Journal of Cardiology",
    )
    assert paper.periodical == "Example Journal of Cardiology"
    assert [a.literal for a in agency.authors] == ["Example Health Agency"]
    assert agency.periodical == agency.publisher and agency.kind == "web-page"
    dated = _view("partial-dates")
    assert dated.date.isoformat() == "2026-01"
    assert [s.published.isoformat() if s.published else None for s in dated.sources] == [
        "2025-11",
        "2024",
    ]
    assert dated.sources[0].author == "Writer, Alex"  # v1 `author` is shown as written


@pytest.mark.parametrize("name", V2_FIXTURES)
def test_v2_fixtures_render_and_pass_the_guard(name: str) -> None:
    loaded = load_brief(FIXTURES / "briefs" / name)
    rendered = render_brief(loaded, ENV, OPTIONS)
    findings = [f for f in guard(rendered, LINTER) if f.level == "error"]
    assert findings == [], [f"{f.output}: {f.rule}: {f.message}" for f in findings]
    for caveat in build_context(loaded).required_caveats:
        assert caveat.credit in rendered.files["email.txt"].decode("utf-8")


def test_v1_briefs_keep_loading_with_the_same_values() -> None:
    """Every v1 brief loads; its dates are full dates and `author` stays as written."""
    v1 = [SEEDS / "baby-botox", *(FIXTURES / "briefs" / n for n in ("minimal", "hype"))]
    for folder in v1:
        brief = load_brief(folder).brief
        assert brief.date.precision == "day" and brief.verdict is None and brief.waivers == []
        for source in brief.sources:
            assert source.authors is None
            assert source.author_display == source.author
