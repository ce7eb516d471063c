"""Bad briefs: each gives one clear error naming file, line and column, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.brief.loader import load_brief
from briefgen.errors import BriefError
from briefgen.pipeline import render_briefs
from briefgen.settings import Settings

# (case, text to replace, replacement, expected message fragment, expected line)
CASES = [
    (
        "unknown key",
        "    short: can strain the heart\n",
        "    short: can strain the heart\n    shrot: typo\n",
        "unknown key 'shrot'",
        32,
    ),
    (
        "dangling source",
        "    source: paper\n    answers",
        "    source: papr\n    answers",
        "'papr' is not a source id",
        34,
    ),
    ("dangling person", "    by: doc\n", "    by: dr-who\n", "'dr-who' is not a person id", 32),
    ("dangling answer", "answers: [alert]", "answers: [alret]", "'alret' is not a claim id", 35),
    (
        "unanswered claim",
        "answers: [alert]",
        "answers: []",
        "claim 'alert' is not answered by any caveat",
        23,
    ),
    (
        "bad url",
        "url: https://example.org/cold",
        "url: javascript:alert(1)",
        "must be an http(s) URL",
        11,
    ),
    (
        "url with credentials",
        "url: https://example.org/cold",
        "url: https://u:p@example.org/cold",
        "must not carry a user name or password",
        11,
    ),
    ("bad slug", "slug: minimal", "slug: ../../etc", "is not a valid id", 1),
    (
        "long short form",
        "short: can strain the heart",
        "short: can strain the heart of anyone who is not careful",
        "at most 40 characters",
        31,
    ),
    (
        "duplicate id",
        "  - id: fan\n    name: Pat Fan",
        "  - id: doc\n    name: Pat Fan",
        "duplicate id 'doc' in people",
        20,
    ),
    ("missing field", "topic: cold plunges\n", "", "missing required key 'topic'", 1),
    (
        "caveat not by an expert",
        "    by: doc\n",
        "    by: fan\n",
        "required caveat 'heart': 'fan' is not an expert",
        32,
    ),
    (
        "duplicate key",
        "topic: cold plunges\n",
        "topic: cold plunges\ntopic: again\n",
        "duplicate key",
        4,
    ),
    ("not a mapping", None, "- just\n- a list\n", "must be a YAML mapping", 1),
    ("empty", None, "", "brief is empty", 1),
    ("yaml syntax", "topic: cold plunges", "topic: [cold plunges", "YAML:", None),
    ("number as text", "topic: cold plunges", "topic: 42", "valid string", 3),
    (
        "header injection",
        'title: "Cold plunges: what the research says"',
        'title: "Cold plunges\\r\\nBcc: all@example.org"',
        "single line",
        2,
    ),
    ("alias", "topic: cold plunges", "topic: &t cold plunges\nhashtags: [a]\nx: *t", None, None),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "message", "line"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_brief_is_refused_with_location(
    minimal_brief: Path,
    settings: Settings,
    case: str,
    old: str | None,
    new: str,
    message: str | None,
    line: int | None,
) -> None:
    path = minimal_brief / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    if old is not None:
        assert old in text, case
        text = text.replace(old, new, 1)
    else:
        text = new
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        load_brief(minimal_brief)
    error = caught.value
    assert error.path.endswith("brief.yaml")
    if message is not None:
        assert message in str(error)
    if line is not None:
        assert error.line == line, str(error)
    assert error.column is not None or error.line is None
    out = settings.root / "outputs"
    report = render_briefs([minimal_brief], settings, out)
    assert report.status == "error"
    assert not out.exists() or not any(out.iterdir())


def test_bom_is_accepted(minimal_brief: Path) -> None:
    path = minimal_brief / "brief.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_brief(minimal_brief).brief.slug == "minimal"


def test_invalid_utf8_names_line_and_column(minimal_brief: Path) -> None:
    path = minimal_brief / "brief.yaml"
    path.write_bytes(path.read_bytes().replace(b"cold plunges\n", b"cold \xff plunges\n", 1))
    with pytest.raises(BriefError, match="not valid UTF-8") as caught:
        load_brief(minimal_brief)
    assert (caught.value.line, caught.value.column) == (3, 13)
