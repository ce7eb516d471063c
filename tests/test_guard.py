"""`briefgen check`: the guard catches lost caveats and sources, misquotes, hype and imbalance."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from briefgen.cli import main
from briefgen.guard.htmltext import visible_links, visible_text
from helpers import FIXTURES, ROOT, tree

BRIEFS = FIXTURES / "briefs"
TEMPLATES = FIXTURES / "templates"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the real entry point; return (exit code, stdout, stderr)."""
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


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_seed_and_fixture_briefs_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        [
            "check",
            "seeds/baby-botox",
            "tests/fixtures/briefs/minimal",
            "tests/fixtures/briefs/standalone",
        ],
        capsys,
    )
    assert code == 0
    assert out.strip() == "3 briefs: 3 passed"


CASES = {
    "misquote": (["tests/fixtures/briefs/misquote"], 1),
    "hype": (["tests/fixtures/briefs/hype"], 0),
    "hype-strict": (["tests/fixtures/briefs/hype", "--strict"], 1),
    "dropped-caveat": (
        ["tests/fixtures/briefs/minimal", "--templates", "tests/fixtures/templates/dropped-caveat"],
        1,
    ),
    "syntax-error": (
        ["tests/fixtures/briefs/minimal", "--templates", "tests/fixtures/templates/syntax-error"],
        2,
    ),
    "undefined": (
        ["tests/fixtures/briefs/minimal", "--templates", "tests/fixtures/templates/undefined"],
        2,
    ),
    "sandbox": (
        ["tests/fixtures/briefs/minimal", "--templates", "tests/fixtures/templates/sandbox"],
        2,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_report_snapshot(
    case: str, capsys: pytest.CaptureFixture[str], file_regression: FileRegressionFixture
) -> None:
    args, expected = CASES[case]
    code, out, _ = run_cli(["check", *args], capsys)
    assert code == expected
    file_regression.check(out, basename=f"check_{case}", extension=".txt")


def test_misquote_shows_the_closest_passage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["check", "tests/fixtures/briefs/misquote"], capsys)
    assert code == 1
    assert "tests/fixtures/briefs/misquote/brief.yaml:33:" in out
    assert (
        "quote is not in source 'paper'; closest passage: “sudden cold can strain the heart" in out
    )
    assert "value “3 in 5” is not in source 'paper'" in out


def test_template_errors_name_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    for case, line, words in (
        ("syntax-error", 4, "template syntax"),
        ("undefined", 3, "subtitle"),
        ("sandbox", 2, "not allowed in a template"),
    ):
        code, out, _ = run_cli(
            [
                "check",
                "tests/fixtures/briefs/minimal",
                "--templates",
                f"tests/fixtures/templates/{case}",
            ],
            capsys,
        )
        assert code == 2
        assert f"tests/fixtures/templates/{case}/email.txt.j2:{line}:" in out
        assert words in out


def test_json_format_is_stable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["check", "tests/fixtures/briefs/misquote", "seeds/baby-botox", "--format", "json"], capsys
    )
    assert code == 1
    data = json.loads(out)
    assert data["version"] == 1 and data["exit_code"] == 1
    failed, passed = data["briefs"]
    assert (failed["status"], passed["status"]) == ("failed", "passed")
    finding = failed["findings"][0]
    assert set(finding) == {
        "brief",
        "output",
        "rule",
        "level",
        "message",
        "fix",
        "file",
        "line",
        "field",
        "waived",
    }
    assert finding["rule"] == "fidelity" and finding["line"] == 33
    assert finding["level"] == "error" and finding["field"] == "caveats[0].quote"
    assert finding["waived"] is None
    assert (failed["errors"], failed["warnings"], passed["errors"]) == (2, 0, 0)


def test_github_format_annotates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["check", "tests/fixtures/briefs/misquote", "--format", "github"], capsys
    )
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(
        "::error file=tests/fixtures/briefs/misquote/brief.yaml,line=33,title=briefgen fidelity::"
    )


def test_render_refuses_to_write_what_fails_the_guard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run_cli(["render", "tests/fixtures/briefs/minimal", "--out", str(out)], capsys)[0] == 0
    before = tree(out)
    code, _, err = run_cli(
        [
            "render",
            "tests/fixtures/briefs/minimal",
            "--out",
            str(out),
            "--templates",
            "tests/fixtures/templates/dropped-caveat",
        ],
        capsys,
    )
    assert code == 1
    assert "[balance] caveat 'heart' is missing from the body" in err
    assert tree(out) == before


def test_caveat_floor_is_configurable_and_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(BRIEFS / "minimal", tmp_path / "seeds" / "minimal")
    (tmp_path / "briefgen.toml").write_text("caveat_share_floor = 0.9\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(["check"], capsys)
    assert code == 0
    assert "warning: " in out and "[caveat-share]" in out and "under the floor of 90%" in out
    assert out.splitlines()[-1] == "1 brief: 1 passed; 0 errors, 1 warning"
    assert run_cli(["check", "--strict"], capsys)[0] == 1


def test_language_rules_are_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(BRIEFS / "minimal", tmp_path / "seeds" / "minimal")
    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nid = "no-plunge"\npattern = "\\\\bplunges?\\\\b"\n'
        'message = "house style says cold-water immersion"\nfix = "say immersion"\n',
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.briefgen]\nlint_rules = "rules.toml"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(["check"], capsys)
    assert code == 0
    assert "warning: " in out
    assert "[no-plunge] summary: house style says cold-water immersion: …" in out
    assert "[no-plunge] takeaway: house style says cold-water immersion: …" in out


def english_hits(text: str) -> list[str]:
    """The ids of the English language rules `text` trips, in order (ids belong to the data)."""
    from briefgen.guard.language import Linter

    linter = Linter()
    rules = linter.for_language("en")
    assert rules is not None
    return [hit.rule for hit in linter.lint(text, rules)]


#: The rule that flags "a miracle", whatever the rule data calls it.
[MIRACLE] = english_hits("It is a miracle for focus.")
#: What the hype fixture's takeaway trips: its only findings.
HYPE = english_hits(
    "Plunges are completely safe and a miracle for focus, with no side effects, though "
    "doctors warn about heart strain."
)
#: The hype fixture's first finding, as the reports list it.
FIRST_HYPE = HYPE[0]


def test_hype_inside_a_quote_is_allowed() -> None:
    assert english_hits("One creator said “I'm obsessed” with it.") == []
    assert len(english_hits("I'm obsessed with it.")) == 1
    assert english_hits("It is technically safe.") == []
    assert len(english_hits("It is completely safe.")) == 1


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Seen</p><!-- Hidden caveat -->",
        '<p title="Hidden caveat">Seen</p>',
        '<p>Seen</p><div style="display:none">Hidden caveat</div>',
        '<p>Seen</p><div style="display: none" style="">Hidden caveat</div>',
        '<div style="display:none;max-height:0px;">Hidden caveat</div><p>Seen</p>',
        "<head><title>Hidden caveat</title></head><p>Seen</p>",
        "<p>Seen</p><span hidden>Hidden caveat</span>",
        '<p>Seen</p><p style="visibility:hidden">Hidden caveat</p>',
    ],
)
def test_only_visible_text_counts(markup: str) -> None:
    text = visible_text(markup)
    assert "Seen" in text
    assert "Hidden caveat" not in text


def test_first_of_duplicate_attributes_wins_as_in_browsers() -> None:
    assert visible_text('<div style="display:none" style="color:red">Hidden</div>') == ""
    assert visible_links('<a href="https://a.example" href="https://b.example">x</a>') == [
        "https://a.example"
    ]
    assert visible_links('<div style="display:none"><a href="https://a.example">x</a></div>') == []


# -- levels, settings and strict ----------------------------------------------------------------


def brief_copy(
    tmp_path: Path, replace: dict[str, str] | None = None, name: str = "minimal"
) -> Path:
    """A copy of a fixture brief under tmp_path/seeds/, with text replaced in its brief.yaml."""
    folder = tmp_path / "seeds" / name
    shutil.copytree(BRIEFS / name, folder)
    path = folder / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return folder


def findings_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    """Exit code and every finding of `check --format json` on `args`."""
    code, out, _ = run_cli(["check", *args, "--format", "json"], capsys)
    data = json.loads(out)
    return code, [f for brief in data["briefs"] for f in brief["findings"]]


def test_one_table_gives_each_rule_its_default_level() -> None:
    from briefgen.guard.language import Linter
    from briefgen.guard.levels import RULES, make_policy

    errors = {r for r, info in RULES.items() if info.level == "error"}
    assert errors == {"caveats-kept", "sources-kept", "fidelity", "fits", "balance", "email-size"}
    assert {r for r, info in RULES.items() if info.level == "info"} == {
        "not-linted",
        "dropped-hashtags",
    }
    policy = make_policy({}, Linter().levels())
    assert policy.level("caveat-share") == policy.level("unused-waiver") == "warning"
    assert {policy.level(rule) for rule in HYPE} == {"warning"}
    assert policy.level("fidelity") == "error"


def test_rule_levels_are_set_in_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(BRIEFS / "hype", tmp_path / "seeds" / "hype")
    monkeypatch.chdir(tmp_path)
    off = next(rule for rule in HYPE if rule != MIRACLE)
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.briefgen.rules]\n"{MIRACLE}" = "error"\n"{off}" = "off"\n', encoding="utf-8"
    )
    code, findings = findings_of([], capsys)
    assert code == 1
    assert {(f["rule"], f["level"]) for f in findings} == {(MIRACLE, "error")} | {
        (rule, "warning") for rule in HYPE if rule not in (MIRACLE, off)
    }
    (tmp_path / "pyproject.toml").write_text(
        '[tool.briefgen]\ncaveat_share_floor = 0.99\n[tool.briefgen.rules]\ncaveat-share = "off"\n',
        encoding="utf-8",
    )
    assert "caveat-share" not in {f["rule"] for f in findings_of([], capsys)[1]}


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ('hyp = "off"', "unknown rule id 'hyp'"),
        (f'"{MIRACLE}" = "loud"', "unknown level 'loud' (use error, warning or off)"),
        ('caveats-kept = "warning"', "'caveats-kept' is an invariant and stays an error"),
        ('fidelity = "off"', "'fidelity' is an invariant"),
    ],
)
def test_a_bad_rules_table_is_a_clear_config_error(
    table: str,
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shutil.copytree(BRIEFS / "minimal", tmp_path / "seeds" / "minimal")
    (tmp_path / "briefgen.toml").write_text(f"[rules]\n{table}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["check"], capsys)
    assert code == 2
    assert err.startswith("briefgen: error: setting rules.") and words in err
    assert "Traceback" not in out + err


def test_warnings_are_written_and_strict_makes_them_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hype = str(BRIEFS / "hype")
    out = tmp_path / "out"
    code, stdout, _ = run_cli(["render", hype, "--out", str(out)], capsys)
    assert code == 0 and (out / "hype" / "email.html").is_file()
    assert stdout.count("\nwarning: ") + stdout.startswith("warning: ") == len(HYPE)
    assert stdout.splitlines()[-1] == f"1 brief: 1 rendered; 0 errors, {len(HYPE)} warnings"
    strict_out = tmp_path / "strict"
    code, _, err = run_cli(["render", hype, "--out", str(strict_out), "--strict"], capsys)
    assert code == 1 and not strict_out.exists()
    assert "1 brief: 0 rendered, 1 failed the guard" in err
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefgen.toml").write_text("strict = true\n", encoding="utf-8")
    assert run_cli(["check", hype], capsys)[0] == 1
    assert run_cli(["check", str(BRIEFS / "minimal")], capsys)[0] == 0


def test_every_report_format_carries_the_level(capsys: pytest.CaptureFixture[str]) -> None:
    briefs = ["tests/fixtures/briefs/hype", "tests/fixtures/briefs/misquote"]
    code, text, _ = run_cli(["check", *briefs], capsys)
    assert code == 1
    lines = text.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["warning"] * len(HYPE) + ["error"] * 2
    assert lines[-1] == (
        "2 briefs: 1 passed, 1 failed the guard (tests/fixtures/briefs/misquote/brief.yaml); "
        f"2 errors, {len(HYPE)} warnings"
    )
    code, github, _ = run_cli(["check", *briefs, "--format", "github"], capsys)
    commands = [line.split(" ")[0] for line in github.splitlines()[:-1]]
    assert commands == ["::warning"] * len(HYPE) + ["::error"] * 2
    assert github.splitlines()[0].startswith(
        f"::warning file=tests/fixtures/briefs/hype/brief.yaml,line=6,title=briefgen {FIRST_HYPE}::"
    )
    code, findings = findings_of(briefs, capsys)
    assert [f["level"] for f in findings] == ["warning"] * len(HYPE) + ["error"] * 2


# -- language findings ---------------------------------------------------------------------------


def test_a_field_is_linted_once_and_every_hit_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = brief_copy(
        tmp_path,
        {
            "text: Fans say a plunge makes them alert for hours.": "text: A plunge is a "
            "miracle for focus, and after weeks of daily plunges in icy lakes and rivers "
            "it is a miracle for sleep.",
        },
    )
    code, findings = findings_of([str(folder)], capsys)
    assert code == 0
    language = [f for f in findings if f["rule"] == MIRACLE]
    assert len(language) == 2, "one finding per hit in the field, not one per output"
    for finding in language:
        assert (finding["field"], finding["output"], finding["level"]) == (
            "claims[0].text",
            "brief",
            "warning",
        )
        assert finding["file"].endswith("brief.yaml") and finding["line"] == 24
    assert len({f["message"] for f in language}) == 2, "each hit shows its own excerpt"


def test_a_language_without_rules_gets_one_info_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = brief_copy(tmp_path, {"date: 2026-01-15": "date: 2026-01-15\nlanguage: ja"})
    code, out, _ = run_cli(["check", str(folder)], capsys)
    assert code == 0
    info = [line for line in out.splitlines() if line.startswith("info:")]
    assert len(info) == 1
    assert "[not-linted] not linted: no language rules for ja" in info[0]
    assert out.splitlines()[-1] == "1 brief: 1 passed; 0 errors, 0 warnings, 1 note"
    assert run_cli(["check", str(folder), "--strict"], capsys)[0] == 0, "a note never fails"


def _hype_templates(tmp_path: Path) -> Path:
    """A template folder whose email adds hype words of its own, in both email templates."""
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in ("email.txt.j2", "email.mjml.j2"):
        text = (ROOT / "templates" / name).read_text(encoding="utf-8")
        new = text.replace("credited to its source.", "credited to its source. A miracle read.")
        assert new != text
        text = new
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_template_words_are_linted_once_per_template_in_the_briefs_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = _hype_templates(tmp_path)
    english = brief_copy(tmp_path)
    code, findings = findings_of([str(english), "--templates", str(templates)], capsys)
    assert code == 0
    hype = [f for f in findings if f["rule"] == MIRACLE]
    assert sorted(Path(f["file"]).name for f in hype) == ["email.mjml.j2", "email.txt.j2"]
    assert all(f["field"] is None and "template words" in f["message"] for f in hype)
    japanese = tmp_path / "fi"
    shutil.copytree(english, japanese)
    brief = japanese / "brief.yaml"
    brief.write_text(
        brief.read_text(encoding="utf-8").replace("slug: minimal", "slug: minimal\nlanguage: ja"),
        encoding="utf-8",
    )
    code, findings = findings_of([str(japanese), "--templates", str(templates)], capsys)
    assert code == 0
    assert [f["rule"] for f in findings] == ["not-linted"]


# -- caveat share, expert claims, balance ----------------------------------------------------------


def test_a_one_claim_brief_with_a_long_summary_does_not_trip_the_caveat_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_summary = " ".join(["Cold-water plunges are popular with athletes and influencers."] * 12)
    folder = brief_copy(
        tmp_path,
        {
            "summary: Cold-water plunges are popular with athletes and influencers.": (
                f"summary: {long_summary}"
            )
        },
    )
    code, findings = findings_of([str(folder)], capsys)
    assert code == 0 and findings == []


def test_claims_that_drown_their_caveats_get_a_caveat_share_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim = "Fans say a plunge makes them alert for hours"
    long_claim = claim + ", " + ", ".join(["sharper at work and calmer at home"] * 8) + "."
    folder = brief_copy(tmp_path, {f"text: {claim}.": f"text: {long_claim}"})
    code, findings = findings_of([str(folder)], capsys)
    assert code == 0
    [share] = findings
    assert share["rule"] == "caveat-share" and share["level"] == "warning"
    assert "under the floor of 25%" in share["message"]


def _caveats_apart(tmp_path: Path) -> Path:
    """Email templates that show every caveat under "More caveats", none in a claim's section."""
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in ("email.txt.j2", "email.mjml.j2"):
        text = (ROOT / "templates" / name).read_text(encoding="utf-8")
        moved = text.replace("{% for caveat in claim.caveats %}", "{% for caveat in [] %}")
        moved = moved.replace("brief.unanswering_caveats", "brief.caveats")
        assert moved.count("brief.caveats") == 2
        (folder / name).write_text(moved, encoding="utf-8")
    return folder


def test_an_expert_claim_needs_no_answering_caveat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = str(_caveats_apart(tmp_path))
    by_fan = brief_copy(tmp_path / "fan")
    code, findings = findings_of([str(by_fan), "--templates", templates], capsys)
    assert code == 1
    assert [(f["rule"], f["output"]) for f in findings] == [
        ("balance", "email.html"),
        ("balance", "email.txt"),
    ]
    assert "claim 'alert' stands without its answering caveat (heart)" in findings[0]["message"]
    by_expert = brief_copy(
        tmp_path / "expert",
        {
            "    by: fan\n": "    by: doc\n",
            'quote: "I feel awake for hours"': 'quote: "sudden cold can strain the heart"',
        },
    )
    code, findings = findings_of([str(by_expert), "--templates", templates], capsys)
    assert (code, findings) == (0, [])


def test_a_short_form_with_its_expert_answers_once_the_caveat_was_shown_in_full() -> None:
    from briefgen.brief.loader import load_brief
    from briefgen.guard.checks import _answers, _fold
    from briefgen.rendering.context import build_context

    caveat = build_context(load_brief(BRIEFS / "minimal" / "brief.yaml")).caveats[0]
    section = _fold("The claim: alert for hours. Sam Doctor: can strain the heart.")
    assert _answers(section, caveat, in_full_elsewhere=True)
    assert not _answers(section, caveat, in_full_elsewhere=False)
    assert not _answers(_fold("The claim: alert. It can strain the heart."), caveat, True)
    assert _answers(_fold(caveat.text), caveat, in_full_elsewhere=False)


# -- sources kept, email size ----------------------------------------------------------------------


def test_sources_kept_does_not_depend_on_author_or_date_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """AMA writes "Writer A", APA "Writer, A."; each style passes, and an entry that is not
    the style's (here: title and URL only) fails naming the citation it should show."""
    monkeypatch.chdir(tmp_path)
    brief = str(BRIEFS / "minimal")
    for style in ("ama", "apa"):
        (tmp_path / "briefgen.toml").write_text(f'citation_style = "{style}"\n', encoding="utf-8")
        assert run_cli(["check", brief], capsys)[0] == 0, style
    folder = tmp_path / "templates" / "partials"
    folder.mkdir(parents=True)
    text = (ROOT / "templates" / "partials" / "citations.txt.j2").read_text(encoding="utf-8")
    own = text.replace("source.cite.text", 'source.title ~ ". " ~ source.url')
    assert own != text
    (folder / "citations.txt.j2").write_text(own, encoding="utf-8")
    code, findings = findings_of([brief, "--templates", str(tmp_path / "templates")], capsys)
    assert code == 1
    assert any(
        f["rule"] == "sources-kept" and f["output"] == "email.txt" and "citation" in f["message"]
        for f in findings
    )


def test_a_source_with_a_formatted_citation_is_checked_by_that_text() -> None:
    from types import SimpleNamespace

    from briefgen.guard.checks import _fold, _missing_parts

    source = SimpleNamespace(
        title="Cold water and the heart",
        publisher="Example Health",
        url="https://example.org/cold",
        container=None,
        cite=SimpleNamespace(text="Writer A. Cold water and the heart. Example Health."),
    )
    shown = _fold("1. Writer A. Cold water and the heart. Example Health. Published 2022.")
    assert _missing_parts(shown, source) == []  # type: ignore[arg-type]
    assert _missing_parts(_fold("Cold water and the heart. Example Health."), source) == [  # type: ignore[arg-type]
        "its citation: Writer A. Cold water and the heart. Example Health."
    ]
    source.cite = SimpleNamespace(text="Writer A. Cold-water plunges and the heart.")
    wrapped = _fold("Writer A. Cold-\n water plunges and the heart.")  # wrapped at the hyphen
    assert _missing_parts(wrapped, source) == []  # type: ignore[arg-type]
    source.cite = None
    assert _missing_parts(_fold("Cold water and the heart. JAMA"), source) == [  # type: ignore[arg-type]
        "publisher",
        "url",
    ]


def test_an_email_over_100_kb_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    text = (ROOT / "templates" / "email.mjml.j2").read_text(encoding="utf-8")
    padded = text.replace(
        "</mj-body>",
        "<mj-section><mj-column><mj-text>{% for i in range(2000) %}<p>{{ brief.summary }}</p>"
        "{% endfor %}</mj-text></mj-column></mj-section></mj-body>",
    )
    (folder / "email.mjml.j2").write_text(padded, encoding="utf-8")
    code, findings = findings_of([str(BRIEFS / "minimal"), "--templates", str(folder)], capsys)
    assert code == 1
    [size] = [f for f in findings if f["rule"] == "email-size"]
    assert size["level"] == "error" and "Gmail clips" in size["message"]
    assert size["file"].endswith("email.mjml.j2")


# -- waivers -------------------------------------------------------------------------------------


def _waive(monkeypatch: pytest.MonkeyPatch, *waivers: tuple[str, str | None, str]) -> None:
    """Give every checked brief these `waivers:` (rule, field, reason).

    The brief model gains `waivers:` in the format work; the guard reads them through
    `brief_waivers`, which is the one seam this replaces.
    """
    from briefgen.guard import checks
    from briefgen.guard.levels import WaiverSpec

    specs = [WaiverSpec(i, rule, field, reason) for i, (rule, field, reason) in enumerate(waivers)]
    monkeypatch.setattr(checks, "brief_waivers", lambda brief: specs)


REASON = "the creator's own word, kept as reported; reviewed by the health desk"


def test_a_waived_warning_shows_its_reason_in_every_format(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _waive(monkeypatch, (MIRACLE, "takeaway", REASON))
    hype = "tests/fixtures/briefs/hype"
    code, out, _ = run_cli(["check", hype, "--strict"], capsys)
    assert code == 1, "the two other warnings still fail under --strict"
    waived = [line for line in out.splitlines() if f"[{MIRACLE}]" in line]
    assert len(waived) == HYPE.count(MIRACLE) >= 1
    for line in waived:
        assert line.startswith("warning (waived): ") and line.endswith(f"Waived: {REASON}")
    left = len(HYPE) - len(waived)
    assert out.splitlines()[-1].endswith(f"0 errors, {left} warnings, {len(waived)} waived")
    code, findings = findings_of([hype], capsys)
    miracle = next(f for f in findings if f["rule"] == MIRACLE)
    assert (miracle["level"], miracle["waived"], miracle["field"]) == (
        "warning",
        REASON,
        "takeaway",
    )
    _, github, _ = run_cli(["check", hype, "--format", "github"], capsys)
    notice = next(line for line in github.splitlines() if f"briefgen {MIRACLE}" in line)
    assert notice.startswith("::notice ") and f"Waived: {REASON}" in notice.replace("%2C", ",")
    out_dir = tmp_path / "out"
    assert run_cli(["render", hype, "--out", str(out_dir)], capsys)[0] == 0
    manifest = json.loads((out_dir / "hype" / "manifest.json").read_text(encoding="utf-8"))
    assert [(w["rule"], w["field"], w["waived"]) for w in manifest["waived"]] == [
        (MIRACLE, "takeaway", REASON)
    ] * len(waived)


def test_waivers_of_every_warning_let_strict_pass(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    others = [rule for rule in dict.fromkeys(HYPE) if rule != MIRACLE]
    _waive(monkeypatch, (MIRACLE, None, REASON), *((rule, "takeaway", REASON) for rule in others))
    code, out, _ = run_cli(["check", "tests/fixtures/briefs/hype", "--strict"], capsys)
    assert code == 0, out
    assert out.splitlines()[-1] == f"1 brief: 1 passed; 0 errors, 0 warnings, {len(HYPE)} waived"


def test_a_waiver_that_matches_nothing_or_names_an_error_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _waive(
        monkeypatch,
        (MIRACLE, "summary", REASON),
        ("fidelity", None, "we trust the reporter"),
        ("hyp", None, REASON),
    )
    code, findings = findings_of(["tests/fixtures/briefs/misquote"], capsys)
    assert code == 1
    unused = [f for f in findings if f["rule"] == "unused-waiver"]
    assert [f["level"] for f in unused] == ["warning"] * 3
    messages = [f["message"] for f in unused]
    assert messages[0] == f"waivers[0] ({MIRACLE}) matches no '{MIRACLE}' finding in summary"
    assert "errors cannot be waived" in messages[1]
    assert "names no known rule 'hyp'" in messages[2]
    fidelity = [f for f in findings if f["rule"] == "fidelity"]
    assert fidelity and all(f["level"] == "error" and f["waived"] is None for f in fidelity)


@pytest.mark.skipif(
    "waivers" not in __import__("briefgen.brief.models").brief.models.Brief.model_fields,
    reason="brief.yaml gains `waivers:` with the format work (brief-v2.md)",
)
def test_waivers_written_in_the_brief_are_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "hype"
    shutil.copytree(BRIEFS / "hype", folder)
    with (folder / "brief.yaml").open("a", encoding="utf-8") as brief:
        brief.write(f'waivers:\n  - rule: {MIRACLE}\n    field: takeaway\n    reason: "{REASON}"\n')
    code, findings = findings_of([str(folder)], capsys)
    assert code == 0
    assert [f["waived"] for f in findings if f["rule"] == MIRACLE] == [REASON] * HYPE.count(MIRACLE)


def test_what_rendering_notices_is_a_finding_at_its_rules_level() -> None:
    from briefgen.brief.loader import load_brief
    from briefgen.guard.checks import guard
    from briefgen.guard.language import Linter
    from briefgen.rendering.renderer import render_brief
    from briefgen.rendering.templating import make_environment
    from briefgen.settings import load_settings, render_options

    rendered = render_brief(
        load_brief(BRIEFS / "minimal" / "brief.yaml"),
        make_environment(None),
        render_options(load_settings(ROOT)),
    )
    rendered.notices = [("no-catalog", "no translations for language 'xx'")]  # type: ignore[attr-defined]
    [notice] = guard(rendered, Linter())
    assert (notice.rule, notice.level, notice.output) == ("no-catalog", "warning", "brief")
    assert notice.message == "no translations for language 'xx'"


def test_a_caveat_is_credited_to_its_person_or_else_its_publication() -> None:
    from types import SimpleNamespace

    from briefgen.guard.checks import _answers, _fold, credit_of

    person = SimpleNamespace(name="Sam Doctor", expert=True)
    stated = SimpleNamespace(
        by=None, credit="Example Health", text="The survey was small.", short="a small survey"
    )
    assert credit_of(SimpleNamespace(by=person, credit="Sam Doctor, MD")) == "Sam Doctor"  # type: ignore[arg-type]
    assert credit_of(stated) == "Example Health"  # type: ignore[arg-type]
    assert credit_of(SimpleNamespace(by=None, credit="")) is None  # type: ignore[arg-type]
    assert credit_of(SimpleNamespace(by=None)) is None  # type: ignore[arg-type]
    section = _fold("The claim: … Example Health notes a small survey.")
    assert _answers(section, stated, in_full_elsewhere=True)  # type: ignore[arg-type]
    assert not _answers(_fold("The claim: … a small survey."), stated, True)  # type: ignore[arg-type]


def test_hashtags_cut_to_fit_a_caption_are_named_in_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tags = "hashtags: [plunge, cold, sleep, focus, heart, winter, swim]"
    folder = brief_copy(tmp_path, {"slug: minimal": f"slug: minimal\n{tags}"})
    code, findings = findings_of([str(folder)], capsys)
    notes = {f["output"]: f for f in findings if f["rule"] == "dropped-hashtags"}
    assert code == 0
    assert (
        "carries 5 of the brief's 7 hashtags (5 allowed); left out: #winter #swim"
        in (notes["social/instagram.txt"]["message"])
    )
    assert notes["social/instagram.txt"]["level"] == "info"
    assert set(notes) == {"social/instagram.txt"}  # X keeps two by design: no news
    assert run_cli(["check", str(folder), "--strict"], capsys)[0] == 0, "a note never fails"


def test_an_expert_claim_is_shown_as_what_experts_say_not_what_fans_claim() -> None:
    import briefgen

    rendered = briefgen.render(BRIEFS / "expert-claim")
    assert [f for f in briefgen.check(rendered) if f.level == "error"] == []
    text = rendered.text
    experts, fans = text.index("WHAT EXPERTS SAY"), text.index("WHAT FANS CLAIM")
    expert_claim = text.index("A cardiologist says a short dip is fine")
    fan_claim = text.index("Fans say a plunge makes them alert")
    assert experts < expert_claim < fans < fan_claim
    assert "The claim: A cardiologist" not in text
    html = rendered.html
    assert (
        html.index("What experts say")
        < html.index("A cardiologist says")
        < html.index("What fans claim")
    )
