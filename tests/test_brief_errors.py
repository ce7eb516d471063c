"""Bad briefs: each gives one clear error naming file, line and column, and writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from briefgen.brief.loader import find_briefs, load_brief
from briefgen.errors import BriefError, UsageError
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
    (
        "dangling person",
        "    by: doc\n",
        "    by: dr-who\n",
        "'dr-who' is not a person or source id",
        32,
    ),
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
    # format v2 and loader faults (issue 11): one line, a position, what to do
    ("impossible date", "date: 2026-01-15", "date: 2026-02-30", "use YYYY-MM-DD", 4),
    ("malformed date", "date: 2026-01-15", "date: 15/Apr/2022", "use YYYY-MM-DD", 4),
    ("quoted bad date", "date: 2026-01-15", 'date: "2026-13"', "month 13 does not exist", 4),
    ("date with time", "date: 2026-01-15", "date: 2026-01-15 10:00:00", "use YYYY-MM-DD", 4),
    ("year out of range", "date: 2026-01-15", "date: 20261", "use YYYY-MM-DD", 4),
    ("tag int", "topic: cold plunges", 'topic: !!int "x"', "YAML tag !!int is not allowed", 3),
    ("tag float", "topic: cold plunges", 'topic: !!float "x"', "YAML tag !!float", 3),
    ("tag bool", "topic: cold plunges", "topic: !!bool maybe", "YAML tag !!bool", 3),
    ("tag omap", "topic: cold plunges", "topic: x\nhashtags: !!omap [a: 1]", "!!omap", 4),
    ("tag binary", "topic: cold plunges", "topic: !!binary aGVsbG8=", "!!binary", 3),
    ("tag set", "topic: cold plunges", "topic: !!set {a, b}", "!!set", 3),
    ("unknown tag", "topic: cold plunges", "topic: !shout cold plunges", "!shout", 3),
    ("tag on a key", "topic: cold plunges", "!!str topic: cold plunges", "!!str", 3),
    (
        "alias on a plain value",
        "topic: cold plunges",
        "topic: &t cold plunges\nlink: *t",
        "anchors and aliases",
        3,
    ),
    (
        "duplicate anchor",
        "topic: cold plunges",
        "topic: &t cold plunges\nhashtags: &t [a]",
        "anchors and aliases",
        3,
    ),
    (
        "hashtag eaten by a comment",
        "topic: cold plunges",
        "topic: cold plunges #wellness trend",
        "quote the value",
        3,
    ),
    (
        "hashtag as the whole value",
        "topic: cold plunges",
        "topic: cold plunges\nhashtags: #babybotox",
        "this value is empty: ' #' starts a YAML comment",
        4,
    ),
    (
        "author and authors",
        "    author: A. Writer\n",
        "    author: A. Writer\n    authors: [B. Other]\n",
        "either `author`",
        8,
    ),
    (
        "author entry of unknown shape",
        "    author: A. Writer\n",
        "    authors: [{famly: Writer}]\n",
        "missing required key 'sources[0].authors[0].family'",
        12,
    ),
    ("bad doi", "    author: A. Writer\n", "    doi: doi:10.1/x\n", "sources[0].doi", 12),
    ("bad pmid", "    author: A. Writer\n", "    pmid: PMC123\n", "sources[0].pmid", 12),
    ("unknown kind", "    author: A. Writer\n", "    kind: blog\n", "sources[0].kind", 12),
    ("long verdict", "topic: cold plunges", "topic: x\nverdict: " + "v" * 121, "120", 4),
    (
        "waiver without reason",
        "topic: cold plunges",
        "topic: x\nwaivers: [{rule: hype}]",
        "missing required key 'waivers[0].reason'",
        4,
    ),
    (
        "waiver on a field the brief lacks",
        "topic: cold plunges",
        "topic: x\nwaivers:\n  - rule: hype\n    field: claims[3].text\n    reason: reviewed",
        "is not a field of this brief",
        6,
    ),
    (
        "only a publication-stated required caveat",
        "    by: doc\n",
        "    by: paper\n",
        "no required caveat is given by an expert",
        None,
    ),
    (
        "unknown key with a hyphen",
        "topic: cold plunges",
        "topic: x\nyaml-language-server: $schema=x.json",
        "unknown key 'yaml-language-server'",
        4,
    ),
    ("merge key", "topic: cold plunges", "topic: x\n<<: {title: y}", "merge keys", None),
    ("lone surrogate", "topic: cold plunges", 'topic: "cold \\ud800 plunges"', "surrogate", 3),
    ("nul byte", "topic: cold plunges", "topic: cold \0 plunges", "#x0000", 3),
    ("nul escape", "topic: cold plunges", 'topic: "cold \\0 plunges"', "line breaks", 3),
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


def test_duplicate_anchor_prints_nothing_but_the_error(
    minimal_brief: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """ruamel warns about a reused anchor on stderr (8 lines); a brief gets one error instead."""
    path = minimal_brief / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("topic: cold plunges", "topic: &t cold plunges\nhashtags: &t [a]"),
        encoding="utf-8",
    )
    with pytest.raises(BriefError, match="anchors and aliases"):
        load_brief(minimal_brief)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


@pytest.mark.parametrize(
    "value",
    [
        '"Why #babybotox is trending"',  # quoted: the hashtag is text
        "cold plunges  # a real comment, with a space",
        "cold plunges #",
        "https://example.org/#section",  # no space before '#': not a comment
        "'cold #plunges'",
    ],
)
def test_hashtag_rule_leaves_real_comments_and_quoted_text_alone(
    minimal_brief: Path, value: str
) -> None:
    path = minimal_brief / "brief.yaml"
    text = path.read_text(encoding="utf-8").replace("topic: cold plunges", f"topic: {value}")
    path.write_text(text, encoding="utf-8")
    assert load_brief(minimal_brief).brief.topic


def test_hashtag_comment_in_a_list_item_is_refused(minimal_brief: Path) -> None:
    path = minimal_brief / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("topic: cold plunges\n", "topic: cold plunges\nhashtags:\n  - a #b\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefError, match="quote the value") as caught:
        load_brief(minimal_brief)
    assert (caught.value.line, caught.value.column) == (5, 7)


def test_rtl_marks_and_right_to_left_text_load(minimal_brief: Path) -> None:
    path = minimal_brief / "brief.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "topic: cold plunges", "topic: \u200fالغطس البارد\u200e (cold plunges)"
    )
    path.write_text(text, encoding="utf-8")
    assert load_brief(minimal_brief).brief.topic.startswith("\u200fالغطس")


def test_a_bad_date_fails_its_brief_only(project: Path, minimal_brief: Path) -> None:
    """One brief with 2026-02-30 in a batch: exit 2, one located line, the other brief checked."""
    from typer.testing import CliRunner

    from briefgen.cli import app

    broken = project / "seeds" / "broken"
    shutil.copytree(minimal_brief, broken)
    path = broken / "brief.yaml"
    text = path.read_text(encoding="utf-8").replace("slug: minimal", "slug: broken")
    path.write_text(text.replace("date: 2026-01-15", "date: 2026-02-30"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(broken), str(minimal_brief)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "2026-02-30" in line]
    assert len(lines) == 1 and "brief.yaml:4:1:" in lines[0] and "use YYYY-MM-DD" in lines[0]
    assert "1 passed" in result.output


def _unprivileged() -> list[str] | None:
    """A command prefix under which file modes are obeyed, or None when there is none.

    Root reads any file; `setpriv` drops the capabilities that let it (DAC override).
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"] if setpriv else None


def _check_denied(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: file modes are not obeyed")
    code = "from briefgen.cli import main; main()"
    return subprocess.run(
        [*prefix, sys.executable, "-c", code, "check", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("locked", "args", "named"),
    [
        # Each a `briefgen check` process of its own: a local run keeps one, and the two tests
        # below simulate an unreadable source text and briefs folder in process; CI runs all.
        pytest.param(
            "seeds/minimal/sources",
            ["seeds/minimal"],
            "brief.yaml:13:5: cannot read source text",
            marks=pytest.mark.slow,
        ),
        ("seeds/minimal/brief.yaml", ["seeds/minimal"], "cannot read brief: Permission denied"),
        pytest.param(
            "seeds/minimal",
            [],
            "cannot read the folder seeds/minimal: permission denied",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "seeds",
            [],
            "cannot read the briefs folder seeds: permission denied",
            marks=pytest.mark.slow,
        ),
    ],
    ids=["sources folder", "brief file", "brief folder in a batch", "briefs folder"],
)
def test_unreadable_paths_are_exit_2_naming_the_path(
    project: Path, minimal_brief: Path, locked: str, args: list[str], named: str
) -> None:
    target = project / locked
    mode = target.stat().st_mode
    target.chmod(0)
    try:
        result = _check_denied(project, *args)
    finally:
        target.chmod(mode)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    assert named in output


def test_unreadable_files_are_named(minimal_brief: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "paper.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(BriefError, match="cannot read source text: Permission denied"):
        load_brief(minimal_brief)


def test_unreadable_briefs_folder_is_named(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = project / "seeds"
    seeds.mkdir()

    def iterdir(self: Path) -> Any:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", iterdir)
    with pytest.raises(UsageError, match="cannot read the briefs folder seeds: permission denied"):
        find_briefs(seeds)
