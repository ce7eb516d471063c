"""Differential test: briefgen's AMA and APA entries against citeproc-js, the CSL reference.

citeproc-js (npm `citeproc`) is installed once into a cached folder and run under node with
the official style files shipped in `briefgen/data/csl/`. Every fixture brief's sources must
come out with exactly citeproc-js's text (and the same italics), plus a corpus of generated
items over every kind, author shape, partial date, container and DOI, and of titles with
question marks, quotes and apostrophes.

citeproc-js's answers are kept in the cached folder too, under a hash of everything they
depend on (the runner, node's version, the style and locale files, the items): a later run
asks node again only about what changed.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from briefgen.brief.loader import load_brief
from briefgen.rendering.citations import CSL_TYPES, STYLES, cite, csl_item, locale_tag
from briefgen.rendering.context import build_context
from helpers import FIXTURES, ROOT, SEEDS
from npm import npm_install

CITEPROC_VERSION = "2.4.63"
DATA = ROOT / "src" / "briefgen" / "data" / "csl"
# Resolved at import, before the autouse fixture points HOME at a temporary folder.
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "briefgen-tests"
    / f"citeproc-{CITEPROC_VERSION}"
)

RUNNER = r"""
const CSL = require("citeproc");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const byId = Object.fromEntries(input.items.map((it) => [it.id, it]));
const sys = {
  retrieveLocale: (lang) => input.locales[lang] || input.locales["en-US"],
  retrieveItem: (id) => byId[id],
};
// One engine for both formats: building it (compiling the style) is most of citeproc-js's
// time, and the output format is only a setting of the engine.
const engine = new CSL.Engine(sys, input.style, input.lang, true);
const out = {};
for (const format of ["text", "html"]) {
  engine.setOutputFormat(format);
  out[format] = {};
  // input.groups: lists of ids cited together (one brief), each its own bibliography.
  for (const group of input.groups) {
    engine.updateItems(group);
    const [meta, entries] = engine.makeBibliography();
    meta.entry_ids.forEach((ids, i) => { out[format][ids[0]] = entries[i]; });
  }
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def citeproc() -> Path:
    """node_modules holding citeproc-js, installed with npm on first use."""
    return npm_install(f"citeproc@{CITEPROC_VERSION}", CACHE, "citeproc/package.json")


# AMA spells some dates as month, day, year date-parts, which citeproc-js keeps in that US
# order under any locale ("novembre 22, 2026"), and prints the literal "Published online".
# briefgen writes those dates in the locale's text form and uses the locale's term "online"
# instead, so under a non-English locale it is held to citeproc-js on the style with exactly
# those two changes.
_AMA_US_DATE = re.compile(
    r'<date variable="(\w+)">\s*<date-part name="month" suffix=" "/>\s*'
    r'<date-part name="day" suffix=", "/>\s*<date-part name="year"/>\s*</date>'
)


def _style_xml(style: str, lang: str) -> str:
    xml = (DATA / f"{STYLES[style]}.csl").read_text(encoding="utf-8")
    if style == "ama" and locale_tag(lang) != "en-US":
        xml, dates = _AMA_US_DATE.subn(r'<date variable="\1" form="text"/>', xml)
        assert dates >= 3
        literal = '<text value="Published online"/>'
        assert literal in xml
        xml = xml.replace(literal, '<text term="online" text-case="capitalize-first"/>')
    return xml


def reference(
    modules: Path, style: str, groups: list[list[dict[str, Any]]], lang: str = "en-US"
) -> dict[str, Any]:
    """citeproc-js's text and HTML entry of every item, by id; each group one bibliography,
    under the CSL locale briefgen picks for `lang` (the shipped locale file)."""
    items = [item for group in groups for item in group]
    tag = locale_tag(lang)
    payload = {
        "style": _style_xml(style, lang),
        "lang": tag,
        "locales": {
            name: (DATA / f"locales-{name}.xml").read_text(encoding="utf-8")
            for name in {tag, "en-US"}
        },
        "items": items,
        "groups": [[item["id"] for item in group] for group in groups],
    }
    request = json.dumps(payload, sort_keys=True)
    key = hashlib.sha256(f"{RUNNER}\0{_node_version()}\0{request}".encode()).hexdigest()
    answer = modules.parent / "answers" / f"{key}.json"
    try:
        cached: dict[str, Any] = json.loads(answer.read_text(encoding="utf-8"))
        return cached
    except (OSError, ValueError):
        pass
    result = subprocess.run(
        ["node", "-e", RUNNER],
        input=request,
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(modules)},
        timeout=600,
        check=True,
    )
    out: dict[str, Any] = json.loads(result.stdout)
    # Written whole, then renamed: another test worker may be reading the same answer.
    answer.parent.mkdir(parents=True, exist_ok=True)
    partial = answer.with_name(f".{answer.name}.{os.getpid()}")
    partial.write_text(result.stdout, encoding="utf-8")
    partial.replace(answer)
    return out


@functools.cache
def _node_version() -> str:
    done = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _their_text(style: str, entry: str) -> str:
    text = entry.rstrip("\n")
    return re.sub(r"^\d+\. ", "", text) if style == "ama" else text


def _their_html(entry: str) -> str:
    inner = re.search(r'<div class="csl-right-inline">(.*)</div>', entry)
    body = inner.group(1) if inner else re.sub(r"</?div[^>]*>", "", entry).strip()
    return html.unescape(body)


def _our_html(markup: str) -> str:
    return html.unescape(re.sub(r"</?a\b[^>]*>", "", markup))


def _fixture_briefs() -> list[Path]:
    folders = [SEEDS / "baby-botox", *sorted((FIXTURES / "briefs").iterdir())]
    real = FIXTURES / "real"
    if real.is_dir():
        folders += sorted(p for p in real.iterdir() if (p / "brief.yaml").exists())
    return [f for f in folders if (f / "brief.yaml").exists()]


def _assert_same(
    style: str, ours: dict[str, Any], theirs: dict[str, Any], lang: str = "en-US"
) -> None:
    text_diffs = []
    html_diffs = []
    for item_id, item in ours.items():
        mine = cite(item, style, lang)
        if mine.text != _their_text(style, theirs["text"][item_id]):
            text_diffs.append((item_id, mine.text, _their_text(style, theirs["text"][item_id])))
        if _our_html(str(mine.html)) != _their_html(theirs["html"][item_id]):
            html_diffs.append((item_id, str(mine.html), theirs["html"][item_id]))
    assert text_diffs == [], lang
    assert html_diffs == [], lang


def _briefs_by_locale() -> dict[str, list[Path]]:
    by_locale: dict[str, list[Path]] = {}
    for folder in _fixture_briefs():
        language = load_brief(folder).brief.language
        by_locale.setdefault(locale_tag(language), []).append(folder)
    return by_locale


@pytest.mark.parametrize("style", list(STYLES))
def test_every_fixture_briefs_sources_match_citeproc_js(citeproc: Path, style: str) -> None:
    """Each brief in its own language: citeproc-js runs with that brief's CSL locale."""
    by_locale = _briefs_by_locale()
    assert {"en-US", "fr-FR", "de-CH", "ja-JP", "ar", "es-ES", "pt-BR"} <= set(by_locale)
    for lang, folders in sorted(by_locale.items()):
        groups = []
        for folder in folders:
            loaded = load_brief(folder)
            brief = build_context(loaded)
            groups.append([{**csl_item(s), "id": f"{folder.name}/{s.id}"} for s in brief.sources])
        theirs = reference(citeproc, style, groups, lang)
        ours = {item["id"]: item for group in groups for item in group}
        _assert_same(style, ours, theirs, lang)


AUTHORS: dict[str, list[dict[str, str]] | None] = {
    "none": None,
    "person": [{"family": "Wojcik", "given": "Ginger"}],
    "organisation": [{"literal": "World Health Organization"}],
    "two": [
        {"family": "de Guingand", "given": "Deborah L."},
        {"family": "Smith-Ryan", "given": "Abbie E."},
    ],
    "eight": [{"family": f"Family{i}", "given": f"Given{i} Q."} for i in range(8)],
}
DATES: dict[str, list[int] | None] = {
    "none": None,
    "year": [2023],
    "month": [2023, 5],
    "day": [2023, 5, 7],
}
TITLES = [
    "Weighted vests for women: the trend and the hype",
    "Is raw milk safe to drink?",
    "Stop doing this!",
    "A title that ends with a period.",
    "What is the 'sleepy girl mocktail' and can it actually help you sleep?",
    "He said \"no 'way' really\" today",
    "It's the 90's 'trend'",
    "Is milk ‘raw’ or “fresh”?",
    "TikTokers are touting beef tallow, but ‘you don’t know what you’re getting,' doctor warns",
    "AAFPRS annual survey of members (2022 trends), press release",
    "#BabyBotox on TikTok: what is it and why are more young people getting it?",
    "Face aux mille vertus du ricin : prudence ! « Et puis quoi » ?",
]


def _corpus() -> list[dict[str, Any]]:
    items = []
    types = sorted({csl_type for csl_type, _ in CSL_TYPES.values()})
    genres = {csl_type: genre for csl_type, genre in CSL_TYPES.values() if genre}
    # Every type x author x date; accessed, container and DOI vary with the item's number, so
    # each of their 8 combinations meets every type.
    for n, (csl_type, author, date) in enumerate(itertools.product(types, AUTHORS, DATES)):
        accessed, container, doi = bool(n & 1), bool(n & 2), bool(n & 4)
        item: dict[str, Any] = {
            "id": f"{n}",
            "type": csl_type,
            "title": TITLES[n % len(TITLES)],
            "URL": f"https://example.org/{n}",
        }
        if csl_type != "report" or container:
            item["container-title"] = "Nutrients" if container else "Healthline"
        if csl_type == "report" or container:
            item["publisher"] = "MDPI"
        if csl_type in genres:
            item["genre"] = genres[csl_type]
        if AUTHORS[author]:
            item["author"] = AUTHORS[author]
        if DATES[date]:
            item["issued"] = {"date-parts": [DATES[date]]}
        if accessed:
            item["accessed"] = {"date-parts": [[2026, 11, 21]]}
        if doi:
            item["DOI"] = "10.3390/nu13030877"
            item["PMID"] = "32549301"
        items.append(item)
    return items


LOCALES = [
    "en-US",
    "fr-FR",
    "de-CH",
    "es-ES",
    "pt-BR",
    "it-IT",
    "ja-JP",
    "ar",
]


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("style", list(STYLES))
def test_every_kind_author_date_and_title_shape_matches_citeproc_js(
    citeproc: Path, style: str, lang: str
) -> None:
    items = _corpus()
    # Each item alone, as APA would otherwise add year suffixes (2023a) across them.
    theirs = reference(citeproc, style, [[item] for item in items], lang)
    _assert_same(style, {item["id"]: item for item in items}, theirs, lang)
