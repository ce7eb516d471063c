"""Sources as CSL-JSON and their entries in AMA and APA: what an editor and Zotero see."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from briefgen.brief.loader import load_brief
from briefgen.rendering.citations import cite, csl_item, csl_json
from briefgen.rendering.renderer import render_brief
from briefgen.rendering.templating import make_environment
from briefgen.settings import load_settings, render_options
from helpers import ROOT, SEEDS

ENV = make_environment()
# The item types of CSL 1.0.2 (csl-data.json), which reference managers import.
CSL_ITEM_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
}  # fmt: skip


def _source(**fields: Any) -> SimpleNamespace:
    base: dict[str, Any] = {
        "id": "s",
        "publisher": "Healthline",
        "title": "Is raw milk safe?",
        "url": "https://example.org/milk",
        "author": None,
        "published": None,
        "accessed": None,
        "kind": "article",
    }
    return SimpleNamespace(**{**base, **fields})


def _seed(style: str = "ama") -> Any:
    return render_brief(
        load_brief(SEEDS / "baby-botox"),
        ENV,
        render_options(load_settings(ROOT, citation_style=style)),
    )


def _valid_csl_json(items: list[dict[str, Any]]) -> None:
    for item in items:
        assert isinstance(item["id"], str) and item["type"] in CSL_ITEM_TYPES
        for name in item.get("author", []):
            assert set(name) <= {"family", "given", "literal"} and name
        for key in ("issued", "accessed"):
            if key in item:
                (parts,) = item[key]["date-parts"]
                assert 1 <= len(parts) <= 3 and all(isinstance(p, int) for p in parts)
        assert all(isinstance(item[k], str) for k in ("title", "URL"))


def test_citations_json_is_valid_csl_json_of_every_source() -> None:
    rendered = _seed()
    items = json.loads(rendered.files["citations.json"])
    _valid_csl_json(items)
    assert [i["id"] for i in items] == ["healthline", "mmm-online", "aafprs"]
    healthline = items[0]
    assert healthline["author"] == [{"family": "Wojcik", "given": "Ginger"}]
    assert healthline["issued"] == {"date-parts": [[2022, 11, 2]]}
    assert healthline["container-title"] == "Healthline"
    assert items[2]["type"] == "report" and items[2]["genre"] == "Press release"


@pytest.mark.parametrize(
    ("author", "name"),
    [
        ("Ginger Wojcik", {"family": "Wojcik", "given": "Ginger"}),
        ("Wojcik, Ginger", {"family": "Wojcik", "given": "Ginger"}),
        ("Ludwig van Beethoven", {"family": "van Beethoven", "given": "Ludwig"}),
        ("@hayleejoe", {"literal": "@hayleejoe"}),
    ],
)
def test_a_one_string_author_becomes_family_and_given(author: str, name: dict[str, str]) -> None:
    assert csl_item(_source(author=author))["author"] == [name]


def test_v2_authors_partial_dates_doi_pmid_and_container() -> None:
    source = _source(
        kind="study",
        publisher="MDPI",
        container="Nutrients",
        authors=(
            SimpleNamespace(family="Smith-Ryan", given="Abbie E.", literal=None),
            SimpleNamespace(family=None, given=None, literal="World Health Organization"),
        ),
        published=SimpleNamespace(year=2021, month=3, day=None),
        doi="10.3390/nu13030877",
        pmid="33802090",
    )
    item = csl_item(source)
    assert item["type"] == "article-journal"
    assert item["author"] == [
        {"family": "Smith-Ryan", "given": "Abbie E."},
        {"literal": "World Health Organization"},
    ]
    assert item["issued"] == {"date-parts": [[2021, 3]]}
    assert (item["container-title"], item["publisher"]) == ("Nutrients", "MDPI")
    assert (item["DOI"], item["PMID"]) == ("10.3390/nu13030877", "33802090")
    ama = cite(item, "ama").text
    assert ama.startswith("Smith-Ryan AE, World Health Organization. ")
    assert "Nutrients. Published online March 2021. doi:10.3390/nu13030877" in ama
    assert "Smith-Ryan, A. E., & World Health Organization. (2021)." in cite(item, "apa").text


@pytest.mark.parametrize("style", ["ama", "apa"])
@pytest.mark.parametrize("title", ["Is raw milk safe?", "Stop doing this!", "It ends here."])
def test_a_titles_own_mark_is_never_followed_by_a_period(style: str, title: str) -> None:
    text = cite(csl_item(_source(title=title, kind="web-page")), style).text
    assert title in text
    assert title + "." not in text and title[:-1] + ".." not in text


def test_nested_quotes_alternate_and_no_kind_tags() -> None:
    item = csl_item(_source(title="He said \"it's 'fine'\" on TikTok"))
    text = cite(item, "ama").text
    assert "He said “it’s ‘fine’” on TikTok" in text
    assert "(article)" not in text


def test_the_style_setting_switches_every_source_list() -> None:
    ama, apa = _seed("ama"), _seed("apa")
    assert "Wojcik G. Baby Botox" in ama.text and "Wojcik G. Baby Botox" in ama.citations_md
    assert "Wojcik, G. (2022, November 2). Baby Botox" in apa.text
    assert "Wojcik, G. (2022, November 2)." in apa.citations_html
    assert "?." not in ama.text + ama.citations_md + apa.text + apa.citations_md


def test_entries_reach_templates_as_text_html_and_markdown() -> None:
    rendered = _seed()
    source = rendered.context.sources[1]
    assert source.cite.text.startswith("#BabyBotox on TikTok")  # type: ignore[attr-defined]
    assert str(source.cite.md).startswith("\\#BabyBotox")  # type: ignore[attr-defined]
    assert f'<a href="{source.url}"' in str(source.cite.html)  # type: ignore[attr-defined]
    assert "<i>MM+M</i>" in str(source.cite.html)  # type: ignore[attr-defined]
    assert f"<{source.url}>" in rendered.citations_md


def test_a_bad_style_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="ama, apa"):
        cite(csl_item(_source()), "mla")


def test_csl_json_keeps_text_as_written() -> None:
    text = csl_json([_source(title="Ünïcödé & <b>", publisher="Example <i>Health</i>")])
    assert json.loads(text)[0]["title"] == "Ünïcödé & <b>" and text.endswith("\n")


def test_the_setting_refuses_an_unknown_style(tmp_path: Path) -> None:
    from briefgen.errors import ConfigError

    with pytest.raises((ConfigError, ValueError)):
        load_settings(tmp_path, citation_style="mla")


@pytest.mark.parametrize("style", ["ama", "apa"])
def test_locales_kept_between_processes_are_the_parsed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, style: str
) -> None:
    """Each shipped CSL locale, merged with the style's overrides, comes back from the
    private cache exactly as parsing the XML gives it."""
    import sys

    from briefgen import diskcache
    from briefgen.rendering import citations

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    diskcache._memo_dir.cache_clear()
    try:
        for tag in sorted(citations.LOCALE_FILES):
            xml = (citations._DATA / f"locales-{tag}.xml").read_bytes()
            parsed = citations._parse_locale(tag, style, xml)
            for _ in range(2):  # parsed and kept, then read back
                citations._load_locale.cache_clear()
                assert citations._load_locale(tag, style) == parsed
        kept = list((tmp_path / "briefgen" / "csl").glob("*.pickle"))
        assert len(kept) == len(citations.LOCALE_FILES)
    finally:
        citations._load_locale.cache_clear()
        diskcache._memo_dir.cache_clear()
