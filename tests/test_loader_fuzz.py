"""Loader fuzz (issue 11): mutants of the seed brief load, or fail with one located line.

Every mutant ends in a loaded brief (whose render context builds) or a `LocatedError`
naming the file, whose message is one line; nothing else is raised and no load takes
10 s. Mutants are seeded by their number, so a failure names the mutant to replay:
`mutant(n)`. The default run checks DEFAULT_COUNT of them; selecting slow tests
(`-m slow`, or `-m "slow or not slow"`) checks FULL_COUNT in all.
"""

from __future__ import annotations

import random
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefgen.brief.loader import load_brief
from briefgen.errors import BriefgenError, LocatedError
from briefgen.rendering.context import build_context
from helpers import SEEDS

SEED = SEEDS / "baby-botox"
SEED_TEXT = (SEED / "brief.yaml").read_text(encoding="utf-8")
DEFAULT_COUNT = 40
FULL_COUNT = 1500
TIME_LIMIT = 10

TAGS = [
    "!!int",
    "!!float",
    "!!bool",
    "!!omap",
    "!!binary",
    "!!set",
    "!!str",
    "!!null",
    "!!timestamp",
    "!!python/object:os.system",
    "!shout",
    "!",
    "!<tag:example.org,2026:x>",
]
ODD_TEXT = [
    "\x00",
    "\\0",
    "\ud800",
    "\\ud800",
    "\\udfff",
    "\u200f",
    "\u202e",
    "\u2028",
    "\u0085",
    "\ufeff",
    "\x1b[31m",
    "\U0001f489",
    "e\u0301",
    "\t",
    "\r",
    " #babybotox",
    "#",
    ": ",
    "- ",
    "? ",
    "'",
    '"',
    "|",
    ">",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "<<: ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
]
DATES = [
    "2026-02-30",
    "15/Apr/2022",
    "2022",
    "2022-11",
    "2022-13",
    "0000-01-01",
    "99999",
    "2022-11-02T10:00:00Z",
    "2022-11-02 10:00",
    '"2022-11"',
    "1e3",
    "-2022",
    "2022-1-2",
]

Mutation = Callable[[random.Random, list[str]], list[str]]


def _line(rng: random.Random, lines: list[str]) -> int:
    return rng.randrange(len(lines)) if lines else 0


def _delete(rng: random.Random, lines: list[str]) -> list[str]:
    index = _line(rng, lines)
    return lines[:index] + lines[index + 1 :]


def _duplicate(rng: random.Random, lines: list[str]) -> list[str]:
    index = _line(rng, lines)
    return lines[: index + 1] + lines[index:]


def _swap(rng: random.Random, lines: list[str]) -> list[str]:
    a, b = _line(rng, lines), _line(rng, lines)
    lines = list(lines)
    if lines:
        lines[a], lines[b] = lines[b], lines[a]
    return lines


def _indent(rng: random.Random, lines: list[str]) -> list[str]:
    index = _line(rng, lines)
    lines = list(lines)
    if lines:
        change = rng.choice(["  ", " ", "\t", "    ", "-1", "-2", "-all"])
        if change.startswith("-"):
            keep = "" if change == "-all" else lines[index][int(change[1:]) :]
            lines[index] = keep if change != "-all" else lines[index].lstrip()
        else:
            lines[index] = change + lines[index]
    return lines


def _value_position(rng: random.Random, lines: list[str]) -> tuple[int, int] | None:
    """A line with `key: value` and the column where the value starts."""
    candidates = [i for i, line in enumerate(lines) if ": " in line]
    if not candidates:
        return None
    index = rng.choice(candidates)
    return index, lines[index].index(": ") + 2


def _tag(rng: random.Random, lines: list[str]) -> list[str]:
    found = _value_position(rng, lines)
    if found is None:
        return lines
    index, column = found
    lines = list(lines)
    lines[index] = f"{lines[index][:column]}{rng.choice(TAGS)} {lines[index][column:]}"
    return lines


def _anchor(rng: random.Random, lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, 3)):
        found = _value_position(rng, lines)
        if found is None:
            break
        index, column = found
        mark = rng.choice(["&a ", "&b ", "*a", "*b", "&a [x] ", "<<: *a"])
        if mark.startswith("*"):
            lines[index] = lines[index][:column] + mark
        else:
            lines[index] = lines[index][:column] + mark + lines[index][column:]
    return lines


def _odd_text(rng: random.Random, lines: list[str]) -> list[str]:
    index = _line(rng, lines)
    lines = list(lines)
    if lines:
        line = lines[index]
        at = rng.randint(0, len(line))
        lines[index] = line[:at] + rng.choice(ODD_TEXT) + line[at:]
    return lines


def _huge(rng: random.Random, lines: list[str]) -> list[str]:
    found = _value_position(rng, lines)
    if found is None:
        return lines
    index, column = found
    size = rng.choice([600, 6000, 100_000, 1_100_000])
    filler = rng.choice(["x", "ab ", "1", "\u00e9", "[", "- "])
    lines = list(lines)
    lines[index] = lines[index][:column] + (filler * size)[:size]
    return lines


def _deep(rng: random.Random, lines: list[str]) -> list[str]:
    depth = rng.choice([10, 39, 41, 200, 5000])
    opener, closer = rng.choice([("[", "]"), ("{a: ", "}"), ("- ", "")])
    nested = opener * depth + "x" + closer * depth
    at = _line(rng, lines)
    return [*lines[:at], f"deep: {nested}", *lines[at:]]


def _date(rng: random.Random, lines: list[str]) -> list[str]:
    keys = [i for i, line in enumerate(lines) if line.lstrip().startswith(("date:", "published:"))]
    if not keys:
        return lines
    index = rng.choice(keys)
    key = lines[index].split(":")[0]
    lines = list(lines)
    lines[index] = f"{key}: {rng.choice(DATES)}"
    return lines


def _cut(rng: random.Random, lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    at = rng.randint(0, len(text))
    return text[:at].split("\n")


MUTATIONS: list[Mutation] = [
    _delete,
    _duplicate,
    _swap,
    _indent,
    _tag,
    _anchor,
    _odd_text,
    _huge,
    _deep,
    _date,
    _cut,
]


def mutant(number: int) -> tuple[bytes, str]:
    """Mutant `number` of the seed brief, as bytes, and what was done to it."""
    rng = random.Random(f"briefgen-loader-fuzz-{number}")
    lines = SEED_TEXT.splitlines()
    done = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        mutation = rng.choice(MUTATIONS)
        lines = mutation(rng, lines)
        done.append(mutation.__name__.lstrip("_"))
    raw = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
    if rng.random() < 0.08:  # binary garbage: random bytes somewhere
        at = rng.randint(0, len(raw))
        raw = raw[:at] + rng.randbytes(rng.randint(1, 64)) + raw[at:]
        done.append("garbage")
    return raw, "+".join(done)


class _TookTooLong(Exception):
    pass


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise _TookTooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _outcome(folder: Path, number: int) -> str | None:
    """None when mutant `number` ends well; else what went wrong."""
    raw, done = mutant(number)
    (folder / "brief.yaml").write_bytes(raw)
    started = time.perf_counter()
    try:
        with _time_limit(TIME_LIMIT):
            try:
                build_context(load_brief(folder))
            except BriefgenError as exc:
                message = str(exc)
                if not isinstance(exc, LocatedError) or not exc.path:
                    return f"mutant {number} ({done}): {type(exc).__name__} without a file"
                if "\n" in message or "\r" in message or not message.startswith(exc.path):
                    return f"mutant {number} ({done}): not one located line: {message!r}"
    except _TookTooLong:
        return f"mutant {number} ({done}): took more than {TIME_LIMIT} s"
    except Exception as exc:
        return f"mutant {number} ({done}): {type(exc).__name__}: {exc}"[:300]
    elapsed = time.perf_counter() - started
    if elapsed > TIME_LIMIT:
        return f"mutant {number} ({done}): took {elapsed:.1f} s"
    return None


def _run(tmp_path: Path, numbers: range) -> None:
    folder = tmp_path / "fuzz"
    shutil.copytree(SEED, folder)
    failures = [f for n in numbers if (f := _outcome(folder, n)) is not None]
    assert not failures, f"{len(failures)} of {len(numbers)} mutants failed:\n" + "\n".join(
        failures[:15]
    )


def test_mutants_are_varied() -> None:
    """The fuzz exercises each mutation, and some mutants still load."""
    kinds = {part for n in range(DEFAULT_COUNT) for part in mutant(n)[1].split("+")}
    assert kinds >= {m.__name__.lstrip("_") for m in MUTATIONS} | {"garbage"}
    assert mutant(7) == mutant(7)


def test_loader_fuzz(tmp_path: Path, project: Path) -> None:
    _run(tmp_path, range(DEFAULT_COUNT))


@pytest.mark.slow
def test_loader_fuzz_full(tmp_path: Path, project: Path, request: pytest.FixtureRequest) -> None:
    """The remaining mutants; only when slow tests are selected (`-m slow`)."""
    if "slow" not in str(request.config.getoption("markexpr") or ""):
        pytest.skip(f"the full fuzz ({FULL_COUNT} mutants) runs with -m slow")
    _run(tmp_path, range(DEFAULT_COUNT, FULL_COUNT))
