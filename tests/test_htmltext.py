"""The guard's HTML tokenizer reads every document as the stdlib's `html.parser` does.

`htmltext._tokenize` replaced `html.parser` for speed (the compiled email is most of the
guard's time); the stdlib stays as the reference: same visible text, sections and links on
every output of every fixture and real brief, on hostile markup, and on generated tag soup.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefgen
from briefgen.guard import htmltext
from helpers import FIXTURES, SEEDS

BRIEFS = [
    SEEDS / "baby-botox",
    *sorted(p for p in (FIXTURES / "briefs").iterdir() if (p / "brief.yaml").exists()),
    *sorted(p for p in (FIXTURES / "real").iterdir() if (p / "brief.yaml").exists()),
]


def _read(markup: str) -> tuple[object, ...]:
    reader = htmltext._VisibleText()
    htmltext._tokenize(markup, reader)
    return (reader.parts, [(s.css_class, s.parts) for s in reader.sections], reader.links)


def _reference(markup: str) -> tuple[object, ...]:
    reader = htmltext.parse_reference(markup)
    return (reader.parts, [(s.css_class, s.parts) for s in reader.sections], reader.links)


@pytest.mark.parametrize("brief", BRIEFS, ids=lambda p: p.name)
def test_every_rendered_document_reads_as_html_parser_reads_it(brief: Path) -> None:
    try:
        rendered = briefgen.render(brief)
    except briefgen.BriefgenError:
        pytest.skip("this fixture is meant not to render")
    for markup in (rendered.html, rendered.mjml, rendered.citations_html):
        assert _read(markup) == _reference(markup)


HOSTILE = [
    '<p style="display:none">hidden</p><p>shown &amp; told</p>',
    "<div hidden>gone</div><div>kept</div>",
    "<a href=\"https://x.test/?a=1&amp;b=2\">link</a> <a href='/q?x=>y'>quoted &gt;</a>",
    "<!--[if mso | IE]><table><tr><td>mso</td></tr></table><![endif]--><p>all</p>",
    "<!--[if !mso]><!--><p>modern</p><!--<![endif]-->",
    "<style>p > a { color: red }</style><script>if (a < b) {}</script><p>after</p>",
    "a < b and c<d e> f</d>",
    "<br/>one<br />two<img src=x alt='y'/>three<p/>four",
    '<P CLASS=Upper>Case</P><Mj-Section css-class="tldr">x</Mj-Section>',
    '<p title="a" title="b" style=\'opacity:0;\'>dup</p><p>&#8217;&nbsp;&hellip;</p>',
    "<!DOCTYPE html><?xml version='1.0'?><p>declared</p>",
    "<p>unclosed <b>bold <i>both</p> after",
    "<p>trailing <!-- comment never closed",
    '<a href="https://x.test" style="visibility : hidden">invisible link</a>',
]


@pytest.mark.parametrize("markup", HOSTILE)
def test_hostile_markup_reads_as_html_parser_reads_it(markup: str) -> None:
    assert _read(markup) == _reference(markup)


_NAMES = st.sampled_from(["p", "a", "div", "span", "br", "mj-section", "mj-text", "style", "td"])
_ATTRS = st.lists(
    st.tuples(
        st.sampled_from(["href", "style", "hidden", "css-class", "class", "title"]),
        st.sampled_from(['"x"', "'y z'", "v", '"display:none"', "'opacity:0'", '"a&amp;b"', '">"']),
    ),
    max_size=3,
)
_TEXT = st.text(alphabet="ab &;<>#x\n", max_size=12).map(
    lambda t: t.replace("<", "&lt;") if "<" in t and t.index("<") < len(t) - 1 else t
)


@st.composite
def _soup(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["open", "close", "void", "text", "comment", "entity"]))
        name = draw(_NAMES)
        if kind == "open":
            attrs = "".join(f" {k}={v}" for k, v in draw(_ATTRS))
            pieces.append(f"<{name}{attrs}>")
        elif kind == "close":
            pieces.append(f"</{name}>")
        elif kind == "void":
            pieces.append(f"<{name}/>")
        elif kind == "comment":
            pieces.append("<!-- " + draw(st.sampled_from(["c", "<p>x</p>", "[if mso]"])) + " -->")
        elif kind == "entity":
            pieces.append(draw(st.sampled_from(["&amp;", "&#8217;", "&nbsp;", "&bogus;", "&"])))
        else:
            pieces.append(draw(_TEXT))
    return "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(_soup())
def test_generated_tag_soup_reads_as_html_parser_reads_it(markup: str) -> None:
    assert _read(markup) == _reference(markup)
