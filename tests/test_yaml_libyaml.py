"""The libyaml parse gives what the ruamel parse gives, or leaves the text to ruamel."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.brief import yamlsource
from helpers import ROOT
from test_loader_fuzz import mutant

BRIEFS = sorted([*(ROOT / "seeds").rglob("*.yaml"), *(ROOT / "tests" / "fixtures").rglob("*.yaml")])


def _reference(text: str) -> tuple[object, object]:
    doc = yamlsource._load_with_ruamel(Path("brief.yaml"), text)
    return doc.data, doc.positions


def test_every_brief_of_the_repository_parses_alike() -> None:
    fast = 0
    for path in BRIEFS:
        text = path.read_text(encoding="utf-8")
        parsed = yamlsource.parse_with_libyaml(text)
        if parsed is not None:
            fast += 1
            assert parsed == _reference(text), path
    assert fast >= len(BRIEFS) * 0.9, "most briefs take the fast path"


@pytest.mark.parametrize(
    "start",
    [0, *(pytest.param(n, marks=pytest.mark.slow) for n in range(40, 400, 40))],
)
def test_mutants_parse_alike_or_go_to_ruamel(start: int) -> None:
    for number in range(start, start + 40):
        raw, _ = mutant(number)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        parsed = yamlsource.parse_with_libyaml(text)
        if parsed is not None:
            assert parsed == _reference(text), number


@pytest.mark.parametrize(
    "text, value",
    [
        ("a: true\n", True),
        ("a: False\n", False),
        ("a:\n", None),
        ("a: ~\n", None),
        ("a: 12\n", 12),
        ("a: -3\n", -3),
        ("a: 1.5\n", 1.5),
        ("a: 2026-11-21\n", "2026-11-21"),
        ("a: 2026-11\n", "2026-11"),
        ("a: 'yes'\n", "yes"),
        ('a: "12"\n', "12"),
        ("a: |\n  two\n  lines\n", "two\nlines\n"),
        ("a: plain words # a comment\n", "plain words"),
        ("a: [x, 'y']\n", ["x", "y"]),
        ("a: yes\n", "yes"),  # YAML 1.1 reads a boolean, 1.2 (ruamel) text
        ("a: on\n", "on"),
        ("a: 12:30\n", "12:30"),  # 1.1: a sexagesimal number
        ("a: 30%\n", "30%"),
    ],
)
def test_values_as_ruamel_reads_them(text: str, value: object) -> None:
    parsed = yamlsource.parse_with_libyaml(text)
    assert parsed is not None
    assert parsed[0] == {"a": value}
    assert parsed == _reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: &x 1\n",
        "a: !!str 1\n",
        "a: !shout x\n",
        "a: 1\na: 2\n",
        "a: 0x10\n",
        "a: 012\n",
        "a: 1e3\n",
        "a: .inf\n",
        "a: +1\n",
        "a: 1_000\n",
        "<<: {b: 1}\n",
        "a: Why #babybotox\n",
        "a:\n\t- x\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "- a\n",
        "just text\n",
        "1: a\n",
        "? [a]\n: b\n",
        "a: " + "9" * 5000 + "\n",
        'a: "\\ud800"\n',
        "a: [b\n",
        "a: b: c\n",
    ],
)
def test_what_ruamel_must_judge_is_left_to_it(text: str) -> None:
    assert yamlsource.parse_with_libyaml(text) is None
