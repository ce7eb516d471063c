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


def test_hype_inside_a_quote_is_allowed() -> None:
    from briefgen.guard.lint import lint, load_rules

    rules = load_rules()
    assert lint("One creator said “I'm obsessed” with it.", rules) == []
    assert [h.rule.id for h in lint("Everyone is obsessed with it.", rules)] == ["hype-obsessed"]
    assert lint("It is technically safe.", rules) == []
    assert [h.rule.id for h in lint("It is safe.", rules)] == ["unqualified-safe"]


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
