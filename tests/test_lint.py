"""The language lint's contract: languages and fallback, user rule files, every hit, what is
never linted (quotes of every script, URLs, e-mails, #tags, @handles), and compile-once."""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.errors import ConfigError
from briefgen.guard.lint import (
    Rule,
    explain,
    lint,
    load_rules,
    phrase,
    protected_spans,
    triggers_of,
)
from helpers import FIXTURES

BOOK = load_rules()


def en() -> list[Rule]:
    found = BOOK.for_language("en")
    assert found is not None
    return found[1]


# -- languages --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("EN_us", "en"),
        ("de-CH", "de"),
        ("de-AT", "de"),
        ("fr-CA", "fr"),
        ("es-419", "es"),
        ("es-MX", "es"),
        ("it-IT", "it"),
        ("it-CH", "it"),
        ("pt-BR", "pt"),
        ("pt-PT", "pt"),
    ],
)
def test_regional_tags_fall_back_to_the_language(tag: str, lang: str) -> None:
    found = BOOK.for_language(tag)
    assert found is not None
    assert found[0] == lang
    assert {r.id for r in found[1]} >= {"hype", "absolute-safety", "no-side-effects"}


@pytest.mark.parametrize("tag", ["ja", "ar", "nl-BE", "zh-Hant-TW", "x"])
def test_a_language_without_rules_gets_none(tag: str) -> None:
    assert BOOK.for_language(tag) is None


def test_built_in_rules_are_loaded_once() -> None:
    assert load_rules() is load_rules()


def test_every_built_in_pattern_compiles() -> None:
    """The loader trusts the built-in files (it skips compiling their patterns on every
    start), so this test does the compiling: a broken pattern fails here, not in a newsroom."""
    patterns = [p for lang in BOOK.languages for r in BOOK.rules[lang] for p in r.patterns]
    assert len(patterns) >= 5
    for pattern in patterns:
        re.compile(pattern)
    for lang in BOOK.languages:  # and each compiles into the rule's matcher
        for rule in BOOK.rules[lang]:
            lint(" ".join(rule.terms) or "x", [rule])


def test_lint_compiles_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Patterns are compiled once per rule book (on first use), never per text (hot path)."""
    rules = en()
    text = "Plunges are completely safe, say fans, and “a miracle cure”; see https://x.org."
    for rule in rules:  # the first use compiles
        lint(f"{' '.join(rule.terms)}, {text}", [rule])

    def refuse(*_args: object, **_kwargs: object) -> re.Pattern[str]:
        raise AssertionError("re.compile called while linting")

    monkeypatch.setattr(re, "compile", refuse)
    lint(text, rules)
    lint(text.upper(), rules)


def test_a_500_character_field_is_fast() -> None:
    rules = en()
    field = (
        "Cold-water plunges are popular with athletes and influencers, who say a plunge makes "
        "them alert for hours. Doctors warn that sudden cold can strain the heart in people "
        "with heart disease, and a 2023 review found no clear benefit for recovery. "
    ) * 3
    field = field[:500]
    lint(field, rules)
    runs = 200
    started = time.perf_counter()
    for _ in range(runs):
        lint(field, rules)
    per_field = (time.perf_counter() - started) / runs
    # The budget is 0.2 ms on an idle machine; allow for a busy CI runner.
    assert per_field < 0.002, f"{per_field * 1000:.3f} ms per field"


# -- every hit --------------------------------------------------------------------------------
def test_every_hit_is_reported_with_its_offsets() -> None:
    text = (
        "It is 100% safe, has no side effects and is a miracle cure. "
        "Really: a miracle cure, and completely safe."
    )
    hits = lint(text, en())
    assert [(h.rule.id, text[h.start : h.end]) for h in hits] == [
        ("absolute-safety", "100% safe"),
        ("no-side-effects", "no side effects"),
        ("hype", "miracle cure"),
        ("hype", "miracle cure"),
        ("absolute-safety", "completely safe"),
    ]
    assert all(text[h.start : h.end] in h.excerpt for h in hits)
    assert all(len(h.excerpt) <= 100 for h in hits)


def test_a_rule_alone_finds_what_it_finds_in_its_rule_set() -> None:
    """The guard re-lints single fields with one rule: the hits must not change."""
    text = "It has no side effects and is a miracle cure, not a wonder drug."
    together = [(h.rule.id, h.start) for h in lint(text, en())]
    alone = [(h.rule.id, h.start) for rule in en() for h in lint(text, [rule])]
    assert sorted(alone) == sorted(together)
    assert [rule_id for rule_id, _ in together] == ["no-side-effects", "hype"]


def test_overlapping_matches_of_one_rule_are_one_hit() -> None:
    text = "A serum clinically proven to reverse aging."
    hits = lint(text, en())
    assert [(h.rule.id, text[h.start : h.end]) for h in hits] == [
        ("proven-claim", "clinically proven to reverse"),
        ("cure-claim", "reverse aging"),
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("It is not a miracle cure.", "negated"),
        ("It is safe, but not completely safe.", "negated"),
        ("It is completely safe for most adults.", "qualified"),
        ("It is generally completely safe.", "qualified"),
        ("It is sold as a cure-all.", "framed"),
        ("It is sold online as a cure-all.", "framed"),
        ("It is a cure-all, fans say.", "framed"),
        ("According to the maker, it is completely safe.", "framed"),
        ("Is it a miracle cure?", "asked"),
        ("A fan wrote “a miracle cure” under it.", "not prose"),
        ("It is a miracle cure.", None),
    ],
)
def test_explain_says_why_a_match_is_not_a_hit(text: str, why: str | None) -> None:
    assert [reason for _, reason in explain(text, en())] == [why]


def test_a_clause_boundary_ends_the_negation() -> None:
    assert lint("It is not cheap, but it is a miracle cure.", en())
    assert lint("It is not cheap; it is a miracle cure.", en())
    assert not lint("It is not, as fans claim a miracle cure.", en())


# -- never linted -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "quoted",
    [
        "“a miracle cure”",
        "‘a miracle cure’",
        '"a miracle cure"',
        "'a miracle cure'",
        "«a miracle cure»",
        "« a miracle cure »",
        "»a miracle cure«",
        "‹a miracle cure›",
        "›a miracle cure‹",
        "„a miracle cure“",
        "„a miracle cure”",
        "‚a miracle cure‘",
        "「a miracle cure」",
        "『a miracle cure』",
        "”a miracle cure”",
    ],
)
def test_quotes_of_every_script_are_not_linted(quoted: str) -> None:
    assert lint(f"One fan called it {quoted} online.", en()) == []
    assert lint(f"One fan called it {quoted}. It is a miracle cure.", en())


@pytest.mark.parametrize(
    "text",
    [
        "It's a miracle cure.",
        "The doctors' pick is a miracle cure.",
        "Don't worry: it's a miracle cure, isn't it.",
        "It's 'Sam's' pick and it's a miracle cure.",
    ],
)
def test_apostrophes_do_not_open_a_quotation(text: str) -> None:
    assert [h.rule.id for h in lint(text, en())] == ["hype"]


def test_french_elision_does_not_open_a_quotation() -> None:
    found = BOOK.for_language("fr")
    assert found is not None
    text = "L'huile d'argan est un remède miracle, c'est l'avis d'une influenceuse."
    assert [h.rule.id for h in lint("L'huile d'argan est un remède miracle.", found[1])] == ["hype"]
    assert lint(text, found[1]) == []  # the comma's attribution frames it


@pytest.mark.parametrize(
    "text",
    [
        "See https://example.com/is-it-100-percent-safe-miracle-cure.html for more.",
        "See http://example.com/miracle-cure for more.",
        "See www.example.com/miracle-cure for more.",
        "See example.com/no-side-effects/miracle-cure.html for more.",
        "Write to miracle-cure@example.org for more.",
        "Write to no.side.effects@example.org for more.",
        "The #curealls and #miracle tags trend.",
        "Follow @miracle_cure and @no.side.effects for more.",
    ],
)
def test_urls_emails_hashtags_and_handles_are_not_linted(text: str) -> None:
    assert lint(text, en()) == []


def test_protected_spans_cover_what_is_not_prose() -> None:
    text = "Mail a@b.org, see https://x.org/a and #tag, @handle, «quote» and it's l'eau."
    spans = [text[s:e] for s, e in protected_spans(text)]
    assert sorted(spans) == sorted(["a@b.org", "https://x.org/a", "#tag", "@handle", "«quote»"])


def test_phrases_match_hyphens_spaces_and_apostrophes() -> None:
    pattern = re.compile(phrase("cure-all"), re.IGNORECASE)
    assert all(pattern.search(t) for t in ["a cure-all", "a cure all", "a cureall", "a CURE‑ALL"])
    assert not pattern.search("a secure-allocation")
    assert re.search(phrase("i'm obsessed"), "i’m obsessed")
    assert re.search(phrase("100 % sicher"), "100\u202f% sicher")
    assert re.search(phrase("100% safe"), "100 % safe")
    assert not re.search(phrase("100% safe"), "1100% safe")
    sold = re.compile(phrase("sold … as"))
    assert all(sold.search(t) for t in ["sold as", "sold online as", "sold to fans as"])
    assert not sold.search("sold it to the fans at home as")


# -- user rule files --------------------------------------------------------------------------
def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_user_file_has_rules_per_language(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[en]\n[[en.rule]]\nid = "no-plunge"\nterms = ["plunge", "plunges"]\n'
        'message = "house style: say cold-water immersion"\nfix = "say immersion"\n'
        '[pt]\n[[pt.rule]]\nid = "milagre"\nterms = ["cura milagrosa"]\nmessage = "hype"\n'
        'level = "error"\n[pt.cues]\nnegation_before = ["não", "nem"]\n',
    )
    book = load_rules(path)
    assert book.languages == ["en", "pt"]
    assert book.for_language("de") is None  # the file replaces the built-in rules
    _, english = book.for_language("en-US") or ("", [])
    assert [h.rule.id for h in lint("Plunges are cold. Not one plunge.", english)] == ["no-plunge"]
    lang, portuguese = book.for_language("pt-BR") or ("", [])
    assert lang == "pt"
    hits = lint("É uma cura milagrosa. Não é uma cura milagrosa.", portuguese)
    assert [(h.rule.id, h.rule.level) for h in hits] == [("milagre", "error")]


def test_a_user_file_can_extend_the_built_in_rules(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'extend = true\n[[de.rule]]\nid = "hype"\nterms = ["Superfood"]\nmessage = "m"\n'
        '[[de-ch.rule]]\nid = "eszett"\npatterns = ["ß"]\nmessage = "Schweiz: ss statt ß"\n',
    )
    book = load_rules(path)
    _, german = book.for_language("de") or ("", [])
    ids = [r.id for r in german]
    assert ids.count("hype") == 1 and "absolute-safety" in ids
    assert [h.rule.id for h in lint("Ein Superfood, kein Wundermittel.", german)] == ["hype"]
    lang, swiss = book.for_language("de-CH") or ("", [])
    assert lang == "de-ch"
    hits = lint("Die Straße ist 100 % sicher.", swiss)
    assert [h.rule.id for h in hits] == ["eszett", "absolute-safety"]  # de-CH adds to de
    assert book.for_language("en") is not None


def test_the_first_format_still_loads_as_english(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[rule]]\nid = "no-plunge"\npattern = "\\\\bplunges?\\\\b"\n'
        'message = "house style says cold-water immersion"\nfix = "say immersion"\n',
    )
    book = load_rules(path)
    assert book.languages == ["en"]
    _, rules = book.for_language("en") or ("", [])
    assert [h.rule.id for h in lint("Plunges are popular.", rules)] == ["no-plunge"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[en\n", "cannot read language rules"),
        ('[[en.rule]]\nid = "x"\nmessage = "m"\n', "give 'terms' (phrases) or 'patterns'"),
        ('[[en.rule]]\nid = "x"\npatterns = ["(unclosed"]\nmessage = "m"\n', "not a valid regular"),
        ('[[en.rule]]\nterms = ["a"]\nmessage = "m"\n', "'id' is required"),
        ('[[en.rule]]\nid = "x"\nterms = ["a"]\n', "'message' is required"),
        ('[[en.rule]]\nid = "x"\nterm = ["a"]\nmessage = "m"\n', "unknown key(s) term"),
        ('[[en.rule]]\nid = "x"\nterms = "a"\nmessage = "m"\nlevel = "fatal"\n', "'level' must"),
        ('[[en.rule]]\nid = "x"\nterms = [1]\nmessage = "m"\n', "'terms' must be a list"),
        ('[[en.rule]]\nid = "Bad Id"\nterms = ["a"]\nmessage = "m"\n', "an id is lowercase"),
        (
            '[[en.rule]]\nid = "x"\nterms = ["a"]\nmessage = "m"\n'
            '[[en.rule]]\nid = "x"\nterms = ["b"]\nmessage = "m"\n',
            "used twice",
        ),
        ("[english]\nrule = []\n", "'english' is not a language table"),
        ('extend = "yes"\n', "'extend' must be true or false"),
        ('[en.cues]\nnegation = ["no"]\n', "unknown key(s) negation"),
        ("[en.cues]\nwindow_before = -1\n", "'window_before' must be a whole number"),
    ],
)
def test_a_bad_user_file_is_a_config_error(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_rules(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["briefgen", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_bad_rules_file_in_settings_exits_2_without_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES / "briefs" / "minimal", project / "seeds" / "minimal")
    (project / "rules.toml").write_text('[[en.rule]]\nid = "x"\nmessage = "m"\n', "utf-8")
    (project / "briefgen.toml").write_text('lint_rules = "rules.toml"\n', encoding="utf-8")
    code, out, err = run_cli(["check"], capsys)
    assert code == 2
    assert "rules.toml" in out + err and "Traceback" not in out + err


def test_the_brief_language_picks_the_rules(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A German brief is linted with the German rules (and not with the English ones)."""
    target = project / "seeds" / "minimal"
    shutil.copytree(FIXTURES / "briefs" / "minimal", target)
    brief = target / "brief.yaml"
    text = brief.read_text(encoding="utf-8")
    text = text.replace(
        "takeaway: Plunges may help some people feel alert, but doctors warn about heart strain.",
        "language: de-CH\ntakeaway: Eisbaden ist ein Wundermittel, but doctors warn about heart "
        "strain; a miracle cure, some say.",
    )
    brief.write_text(text, encoding="utf-8")
    code, out, _ = run_cli(["check"], capsys)
    assert "[hype]" in out and "Wundermittel" in out
    assert "miracle cure" not in out
    assert code == 0  # warnings are reported, not blocking


def test_the_documented_example_file_works(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "language-rules.md").read_text(
        encoding="utf-8"
    )
    example = re.search(r"```toml\n(.*?)```", doc, re.DOTALL)
    assert example is not None
    book = load_rules(write(tmp_path, example.group(1)))
    assert book.languages == ["de", "de-ch", "en", "es", "fr", "it", "pt"]
    _, portuguese = book.for_language("pt-BR") or ("", [])
    assert len(lint("É uma cura milagrosa. Não é uma cura milagrosa.", portuguese)) == 1
    _, english = book.for_language("en") or ("", [])
    assert [h.rule.id for h in lint("A plunge is a miracle cure.", english)] == [
        "no-plunge",
        "hype",
    ]


def test_triggers_pick_the_most_shared_runs_first() -> None:
    # "miracle" is in two terms (2 x 6 points), "cure" in two (2 x 4): miracle first; then
    # only "cure-all" is left, and "cure" (4) beats "all" (3).
    assert triggers_of(["miracle cure", "miracle pill", "cure-all"]) == ("cure", "miracle")
    assert triggers_of(["*"]) is None  # a term of wildcards alone has no run to look for


@pytest.mark.parametrize("lang", BOOK.languages)
def test_every_term_contains_one_of_its_rules_triggers(lang: str) -> None:
    """The triggers let the lint skip a rule's regex on a text without them: that is only
    right when every term, lowercased, has one of them inside one of its runs."""
    for rule in BOOK.rules[lang]:
        if not rule.terms:
            continue
        triggers = triggers_of(rule.terms)
        assert triggers is not None, rule.id
        for term in rule.terms:
            runs = re.split(r"\W|_", term.lower())
            assert any(t in run for t in triggers for run in runs), (rule.id, term, triggers)
