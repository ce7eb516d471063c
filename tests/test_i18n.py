"""Briefs render in their own language: translated template words, local dates and quotation
marks, right-to-left Arabic, and catalogs that are complete."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from pytest_regressions.file_regression import FileRegressionFixture
from ruamel.yaml import YAML

from briefgen.brief.loader import load_brief
from briefgen.guard.htmltext import visible_text
from briefgen.pipeline import render_briefs
from briefgen.rendering import locales
from briefgen.rendering.citations import csl_locale
from briefgen.rendering.dates import _table, format_date
from briefgen.rendering.renderer import RenderedBrief, render_brief
from briefgen.rendering.templating import make_environment
from briefgen.report import exit_code
from briefgen.settings import load_settings, render_options
from helpers import FIXTURES, MINIMAL, ROOT, SEEDS, TEMPLATES

BRIEFS = FIXTURES / "briefs"
#: Briefs written for these tests (tests/fixtures/briefs/<name>), by name: their slugs. Their
#: outputs are snapshots here.
WRITTEN = {
    "french": "jeune-sec",
    "german": "oelziehen",
    "japanese": "japanese",
    "arabic": "raw-milk-ar",
}
#: Real-story briefs (tests/fixtures/real/<slug>), by language; their outputs are snapshots in
#: test_real_corpus.
REAL_STORIES = {"spanish": "carne-cruda", "italian": "latte-crudo", "portuguese": "dieta-do-ovo"}
#: Each language fixture's slug, and its folder.
LANGUAGE_FIXTURES = {**WRITTEN, **REAL_STORIES}
FOLDERS = {name: BRIEFS / name for name in WRITTEN} | {
    name: FIXTURES / "real" / slug for name, slug in REAL_STORIES.items()
}
WRITTEN_FOR_TESTS = sorted(WRITTEN)
OUTPUTS = [
    "email.mjml",
    "email.html",
    "email.txt",
    "citations.md",
    "citations.html",
    "social.csv",
    "social.json",
    *(
        f"social/{p}.txt"
        for p in ("bluesky", "facebook", "instagram", "linkedin", "mastodon", "threads")
    ),
    "social/tiktok.txt",
    "social/x.txt",
]
_WORD = re.compile(r"[^\W\d_]{2,}")


def _po(lang: str) -> Any:
    with (TEMPLATES / "locale" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _template_messages() -> set[str]:
    """Every message the shipped templates use, found by Babel's extractor with Jinja's (and
    the few words the render context adds)."""
    found = extract_from_dir(
        str(TEMPLATES),
        method_map=[("**.j2", "jinja2")],
        options_map={
            "**.j2": {
                "extensions": "jinja2.ext.i18n",
                "newstyle_gettext": "true",
                "trim_blocks": "true",
                "lstrip_blocks": "true",
            }
        },
    )
    in_code = extract_from_dir(
        str(ROOT / "src" / "briefgen" / "rendering"), method_map=[("context.py", "python")]
    )
    return {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in [*found, *in_code]
    }


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The language fixtures, rendered once with the shipped templates."""
    out = tmp_path_factory.mktemp("out")
    briefs = [FOLDERS[name] for name in LANGUAGE_FIXTURES]
    report = render_briefs(briefs, load_settings(ROOT), out)
    assert exit_code(report) == 0, [str(r.error) for r in report.results] + report.findings
    return out


# -- catalogs -------------------------------------------------------------------------------------


def test_the_extractor_finds_the_template_words() -> None:
    messages = _template_messages()
    assert {"TL;DR", "The claim:", "Relied on for:", "%(who)s warns:"} <= messages


@pytest.mark.parametrize("lang", locales.SHIPPED)
def test_every_template_message_has_a_translation(lang: str) -> None:
    catalog = _po(lang)
    for msgid in sorted(_template_messages()):
        key = next((m.id for m in catalog if m.id and (m.id == msgid or m.id[0] == msgid)), None)
        assert key is not None, f"{lang}: no entry for {msgid!r}"
        message = catalog[key]
        assert not message.fuzzy, f"{lang}: {msgid!r} is fuzzy"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"{lang}: {msgid!r} is not translated"
        if isinstance(message.id, tuple):
            assert len(strings) == catalog.num_plurals, f"{lang}: {msgid!r} lacks plural forms"
        for placeholder in re.findall(r"%\(\w+\)s", msgid):
            assert all(placeholder in s for s in strings), f"{lang}: {msgid!r} lost {placeholder}"


def test_the_message_template_lists_what_the_templates_use() -> None:
    with (TEMPLATES / "locale" / "messages.pot").open("rb") as handle:
        pot = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert pot == _template_messages(), "run the pybabel extract command in templates/README.md"


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "A warns:", "A warn:"),
        ("de", "A warnt:", "A warnen:"),
        ("fr", "A met en garde :", "A mettent en garde :"),
        ("es", "A advierte:", "A advierten:"),
        ("it", "A avverte:", "A avvertono:"),
        ("pt-BR", "A alerta:", "A alertam:"),
        ("pt-PT", "A alerta:", "A alertam:"),
        ("ar", "A يحذّر:", "A يحذّران:"),
    ],
)
def test_verbs_agree_with_the_number_of_experts(lang: str, one: str, two: str) -> None:
    active = locales.resolve(lang, [TEMPLATES])
    with locales.activated(active):
        forms = [
            locales.ngettext_("%(who)s warns:", "%(who)s warn:", n) % {"who": "A"} for n in (1, 2)
        ]
    assert forms == [one, two]


# -- language resolution --------------------------------------------------------------------------


def _catalog(folder: Path, lang: str, tldr: str) -> None:
    target = folder / "locale" / lang / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {lang}\\n"\n\nmsgid "TL;DR"\nmsgstr "{tldr}"\n',
        encoding="utf-8",
    )


def test_a_regional_tag_falls_back_to_its_language(tmp_path: Path) -> None:
    assert locales.resolve("de-CH", [TEMPLATES]).catalog == "de"
    assert locales.resolve("fr_CA", [TEMPLATES]).catalog == "fr"
    _catalog(tmp_path, "pt", "Resumo")
    assert locales.resolve("pt-BR", [tmp_path, TEMPLATES]).catalog == "pt"
    _catalog(tmp_path, "pt_BR", "Em resumo")
    brazil = locales.resolve("pt-BR", [tmp_path, TEMPLATES])
    assert brazil.catalog == "pt_BR" and brazil.translations.gettext("TL;DR") == "Em resumo"
    assert locales.resolve("pt-PT", [tmp_path, TEMPLATES]).catalog == "pt"


def _brief_in(tmp_path: Path, language: str) -> Path:
    folder = tmp_path / f"brief-{language}"
    shutil.copytree(MINIMAL, folder)
    path = folder / "brief.yaml"
    path.write_text(f"language: {language}\n" + path.read_text(encoding="utf-8"), "utf-8")
    return folder


def _render(folder: Path, templates: Path | None = None) -> RenderedBrief:
    return render_brief(
        load_brief(folder), make_environment(templates), render_options(load_settings(ROOT))
    )


def test_a_language_without_a_catalog_falls_back_to_english_with_a_notice(tmp_path: Path) -> None:
    dutch = _render(_brief_in(tmp_path, "nl"))
    assert "TL;DR" in dutch.text and "The claim:" in dutch.text
    [(rule, message)] = dutch.notices
    assert rule == "no-catalog" and "'nl'" in message
    for language in ("en", "en-GB", "de-CH", "ar"):
        assert _render(_brief_in(tmp_path, language)).notices == []


def test_an_editor_fixes_a_translation_by_dropping_a_po_into_their_folder(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    _catalog(templates, "fr", "Résumé express")
    french = _render(BRIEFS / "french", templates)
    assert "RÉSUMÉ EXPRESS\n==============" in french.text
    # Messages the editor's catalog lacks stay in the editor's source language (English)...
    assert "The claim:" in french.text
    # ... and the guard still finds the tl;dr by the translated heading.
    assert french.tldr_heading == "Résumé express"


# -- dates and quotation marks --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(_table()))
def test_the_date_table_agrees_with_babel(name: str) -> None:
    for day in (dt.date(2026, 11, 22), dt.date(2024, 2, 1), dt.date(2023, 7, 9)):
        assert format_date(day, name) == babel_format_date(day, "long", locale=name)
        partial = _Partial(day.year, day.month, None)
        assert format_date(partial, name) == format_skeleton("yMMMM", day, locale=name)


@dataclass(frozen=True)
class _Partial:
    """A brief's partial date, as brief.models.PartialDate has it."""

    year: int
    month: int | None
    day: int | None


@pytest.mark.parametrize(
    ("tag", "day", "expected"),
    [
        ("de", dt.date(2026, 11, 22), "22. November 2026"),
        ("de-CH", dt.date(2026, 11, 22), "22. November 2026"),
        ("fr", dt.date(2026, 11, 22), "22 novembre 2026"),
        ("ja", dt.date(2026, 11, 22), "2026年11月22日"),
        ("ar", dt.date(2026, 11, 22), "22 نوفمبر 2026"),
        ("en", dt.date(2026, 11, 22), "November 22, 2026"),
        ("en-NZ", dt.date(2026, 11, 22), "22 November 2026"),  # not in the table: Babel
        ("th", dt.date(2026, 11, 22), babel_format_date(dt.date(2026, 11, 22), "long", "th")),
        ("xx", dt.date(2026, 11, 22), "November 22, 2026"),  # unknown to CLDR: English
        ("fr", _Partial(2022, 11, None), "novembre 2022"),
        ("de", _Partial(2022, None, None), "2022"),
        ("en", None, ""),
    ],
)
def test_dates_are_written_as_the_locale_writes_them(tag: str, day: Any, expected: str) -> None:
    assert format_date(day, tag) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "\u201cx\u201d"),
        ("de-CH", "\u201ex\u201c"),
        ("fr", "\u00ab\u202fx\u202f\u00bb"),
        ("ja", "\u300cx\u300d"),
        ("ar", "\u00abx\u00bb"),
        ("nl", "\u201cx\u201d"),
    ],
)
def test_template_quotation_marks_follow_the_locale(tag: str, expected: str) -> None:
    with locales.activated(locales.Active(tag)):
        assert locales.quote("x") == expected


# -- rendered outputs -----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", WRITTEN_FOR_TESTS)
@pytest.mark.parametrize("name", OUTPUTS)
def test_snapshot(
    rendered: Path, fixture: str, name: str, file_regression: FileRegressionFixture
) -> None:
    path = rendered / LANGUAGE_FIXTURES[fixture] / name
    file_regression.check(
        path.read_text(encoding="utf-8"),
        basename=f"{fixture}_{name.replace('/', '_').rsplit('.', 1)[0]}",
        extension="." + name.rsplit(".", 1)[1],
        newline="",
    )


def _brief_strings(folder: Path) -> list[str]:
    """Every string the brief itself provides (and its source texts' titles)."""
    data = YAML(typ="safe").load((folder / "brief.yaml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            found.extend([str(value), str(value).rstrip(".")])

    walk(data)
    return sorted(found, key=len, reverse=True)


def _reader_text(path: Path) -> str:
    body = path.read_text(encoding="utf-8")
    return visible_text(body) if path.suffix == ".html" else body


def _catalog_words(lang: str) -> set[str]:
    words: set[str] = set()
    for message in _po(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            words |= {w.casefold() for w in _WORD.findall(re.sub(r"%\(\w+\)s", " ", string))}
    return words


#: The CSL terms a citation entry can use (citations.py), and AMA's literal "Published".
_CSL_TERMS = ["accessed", "retrieved", "from", "in", "no date", "et-al", "online"] + [
    f"month-{m:02d}" for m in range(1, 13)
]


def _csl_words(lang: str) -> set[str]:
    """The words of the citation terms in `lang`'s CSL locale (and English's "published")."""
    loc = csl_locale(lang)
    words = {"published"} if loc.english else set()
    for name in _CSL_TERMS:
        for form in ("long", "short"):
            words |= {w.casefold() for w in _WORD.findall(loc.term(name, form))}
    return words


@pytest.mark.parametrize(
    ("fixture", "lang"),
    [
        ("french", "fr"),
        ("german", "de"),
        ("arabic", "ar"),
        ("spanish", "es"),
        ("italian", "it"),
        ("portuguese", "pt"),
    ],
)
def test_no_english_template_word_in_a_translated_render(
    rendered: Path, fixture: str, lang: str
) -> None:
    english = _catalog_words("en") - _catalog_words(lang)
    assert {"claim", "warns", "caveat", "relied"} <= english
    english |= _csl_words("en") - _csl_words(lang)
    assert {"accessed", "published", "retrieved"} <= english
    folder = rendered / LANGUAGE_FIXTURES[fixture]
    strings = _brief_strings(FOLDERS[fixture])
    for path in sorted(p for p in folder.rglob("*") if p.suffix in {".txt", ".html", ".md"}):
        text = _squash(_reader_text(path))
        # The brief's own words stay as written, whatever their language.
        for value in map(_squash, strings):
            text = text.replace(value, " ")
        leftover = {w for w in _WORD.findall(text) if w.casefold() in english}
        assert not leftover, f"{path.name}: English template words {sorted(leftover)}"
        assert "n.d." not in text, f"{path.name}: English citation term n.d."


def test_japanese_captions_end_sentences_with_japanese_marks(rendered: Path) -> None:
    """The full stops and colons the templates add are 。 and ： in Japanese (a Latin "." after
    each caveat once slipped into every Japanese caption)."""
    folder = rendered / LANGUAGE_FIXTURES["japanese"] / "social"
    strings = _brief_strings(BRIEFS / "japanese")
    captions = sorted(folder.glob("*.txt"))
    assert len(captions) >= 7
    for path in captions:
        text = re.sub(r"https?://\S+", " ", path.read_text(encoding="utf-8"))
        for value in strings:  # the brief's own punctuation stays as the editor wrote it
            text = text.replace(value, " ")
        assert not re.search(r"[.:]", text), f"{path.name}: Latin punctuation in {text!r}"
        assert "。" in text, path.name


def test_japanese_text_has_no_space_after_full_width_punctuation(rendered: Path) -> None:
    """Templates put a space after each label and sentence, as Latin scripts need; Japanese
    punctuation carries its own spacing, so that space is a gap (「注意： 耐性」 once). A link
    keeps the space before it, for every platform's linker."""
    folder = rendered / LANGUAGE_FIXTURES["japanese"]
    paths = [folder / "email.txt", folder / "citations.md", *sorted(folder.glob("social/*.txt"))]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        gaps = re.findall(r"[。、：] (?!https?://).{0,8}", text)
        assert not gaps, f"{path.name}: {gaps}"
    assert "\uff1a https://" in (folder / "email.txt").read_text(encoding="utf-8")
    linkedin = (folder / "social" / "linkedin.txt").read_text(encoding="utf-8")
    assert "\u51fa\u5178\uff1aHealthline\u3002" in linkedin  # 出典：Healthline。
    # A credit a template adds sits in Japanese parentheses: 。（ジェニー・ユー, MD）
    assert "\u3002\uff08\u30b8\u30a7\u30cb\u30fc\u30fb\u30e6\u30fc, MD\uff09" in linkedin
    assert "(" not in re.sub(r"https?://\S+", "", linkedin)


def test_an_editors_own_space_after_a_japanese_full_stop_is_no_lost_caveat(
    tmp_path: Path,
) -> None:
    """The guard compares text as it is rendered: a caveat written "…。 次…" is kept although
    the space is closed up in the outputs."""
    folder = tmp_path / "japanese"
    shutil.copytree(BRIEFS / "japanese", folder)
    path = folder / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    spaced = "\u53ef\u80fd\u6027\u304c\u3042\u308a\u307e\u3059\u3002 \u6ce8\u610f\u3002"
    old = "\u53ef\u80fd\u6027\u304c\u3042\u308a\u307e\u3059\u3002"  # 可能性があります。
    assert old in text
    path.write_text(text.replace(old, spaced, 1), encoding="utf-8")
    report = render_briefs([folder], load_settings(ROOT), tmp_path / "out")
    assert exit_code(report) == 0, [f.message for f in report.findings]
    email = (tmp_path / "out" / "japanese" / "email.txt").read_text(encoding="utf-8")
    assert spaced.replace(" ", "") in email


def test_translated_renders_have_local_dates_and_quotation_marks(rendered: Path) -> None:
    french = (rendered / "jeune-sec" / "email.txt").read_text(encoding="utf-8")
    assert "22 novembre 2026" in french and "Consulté le 22 novembre 2026." in french
    assert "\u00ab\u202fLe corps se nettoie" in french  # a quote the template adds
    assert "le « jeûne sec » :" in french  # the brief's own marks stay as written
    german = (rendered / "oelziehen" / "citations.md").read_text(encoding="utf-8")
    # The CSL de-CH locale's term "accessed" (as citeproc-js prints it in AMA).
    assert "Zugegriffen 22. November 2026." in german
    # AMA sets an article's title without quotation marks (as citeproc-js does); the
    # quotations the email template adds take German marks.
    assert "Brunner L. Ölziehen: Was ist dran am Trend aus den sozialen Medien? *" in german
    german_email = (rendered / "oelziehen" / "email.txt").read_text(encoding="utf-8")
    assert "\u201eFluorid schützt die Zähne, das Öl nicht\u201c" in german_email
    x_caption = (rendered / "oelziehen" / "social" / "x.txt").read_text(encoding="utf-8")
    assert "Martin Keller, Dr. med. dent. und Sandra Huber, Prof. Dr. warnen:" in x_caption
    japanese = (rendered / "japanese" / "email.txt").read_text(encoding="utf-8")
    assert "2026年11月21日" in japanese
    # The AMA entry's date in the ja-JP CSL locale (its title unquoted, as citeproc-js sets it).
    assert "misinformation? Healthline. 2022年11月2日." in japanese
    arabic = (rendered / "raw-milk-ar" / "email.txt").read_text(encoding="utf-8")
    assert "22 نوفمبر 2026" in arabic


def test_the_arabic_email_is_right_to_left(rendered: Path) -> None:
    folder = rendered / "raw-milk-ar"
    html = (folder / "email.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="ar" dir="rtl"', html)
    assert "direction:ltr" not in html
    assert re.search(r'class="tldr"[^>]*>.*?border-right:6px solid', html, re.S)
    assert "border-left:" not in html
    citations = (folder / "citations.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in citations
    text = (folder / "email.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if any(ch.isalnum() for ch in line)]
    assert lines and all(line.startswith("\u200f") for line in lines)
    # Latin-led lines (names, URLs, "[1]") are the ones a client would otherwise flip.
    assert any(line.startswith("\u200f[1]") for line in lines)


def test_left_to_right_emails_carry_no_direction_marks(rendered: Path) -> None:
    for slug in ("jeune-sec", "oelziehen", "japanese"):
        folder = rendered / slug
        assert "\u200f" not in (folder / "email.txt").read_text(encoding="utf-8")
        assert 'dir="ltr"' in (folder / "email.html").read_text(encoding="utf-8")


# -- the email reads once -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seed brief, rendered once."""
    out = tmp_path_factory.mktemp("seed")
    report = render_briefs([SEEDS / "baby-botox"], load_settings(ROOT), out)
    assert exit_code(report) == 0
    yield out / "baby-botox"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u200f", ""))


@pytest.mark.parametrize(
    "folder", ["seed", "french", "german", "arabic", "japanese", "minimal", "hype"]
)
def test_each_caveat_is_printed_in_full_at_most_twice(folder: str) -> None:
    brief = SEEDS / "baby-botox" if folder == "seed" else BRIEFS / folder
    loaded = load_brief(brief)
    result = render_brief(loaded, make_environment(None), render_options(load_settings(ROOT)))
    text = _squash(result.text)
    body = _squash(visible_text(result.html))
    for caveat in loaded.brief.caveats:
        full = _squash(caveat.text)
        shown = 2 if caveat.required else 1  # the tl;dr states each required caveat
        assert text.count(full) == shown, caveat.id
        assert body.count(full) == shown, caveat.id
        for claim in loaded.brief.claims:
            if claim.id in caveat.answers:  # every claim it answers still names it
                assert _squash(caveat.short) in text or full in text


def test_the_email_has_headings_a_story_link_and_no_slug(seed_out: Path) -> None:
    html = (seed_out / "email.html").read_text(encoding="utf-8")
    text = (seed_out / "email.txt").read_text(encoding="utf-8")
    assert html.count("<h1") == 1 and html.count("<h2") >= 4
    assert "baby-botox" not in visible_text(html) and '"baby-botox"' not in text
    assert "Relied on for" not in html and "Relied on for" not in text
    assert '<meta name="color-scheme" content="light dark"' in html
    assert "prefers-color-scheme: dark" in html
    preheader = re.search(r'<div style="display:none;[^"]*">(.*?)</div>', html, re.S)
    assert preheader is not None and preheader.group(1).count("&zwnj;") >= 40


def test_the_full_story_link_is_in_the_email_when_the_brief_has_one(rendered: Path) -> None:
    html = (rendered / "jeune-sec" / "email.html").read_text(encoding="utf-8")
    assert 'href="https://actu-sante.example/fr/jeune-sec-tiktok"' in html
    assert "Lire l’article complet" in visible_text(html)
