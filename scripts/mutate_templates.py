#!/usr/bin/env python3
"""Mutation test of the guard: every editor mistake in every shipped template must fail `check`.

For each template it makes the edits an editor could make by mistake (delete a partial include,
delete a caveat / source / link field reference, swap caveats for claims, comment out or hide a
block), puts the mutant in a user template folder (searched before the built-in one) and runs
`briefgen check` on the test briefs. A mutant is killed when check fails. Prints a table and
exits 1 if any mutant survives. It uses only briefgen's public API (`load`, `Renderer`,
`Checker`), as any project's own script would.

    .venv/bin/python scripts/mutate_templates.py [--verbose]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import briefgen

ROOT = Path(__file__).resolve().parent.parent
BRIEFS = [
    ROOT / "seeds" / "baby-botox",
    ROOT / "tests" / "fixtures" / "briefs" / "minimal",
    ROOT / "tests" / "fixtures" / "briefs" / "standalone",
    # Right to left, translated, and a claim answered only by a caveat shown in full before
    # (so the email's short back-reference is what answers it).
    ROOT / "tests" / "fixtures" / "briefs" / "arabic",
    # A claim by an expert, shown under what experts say (it needs no answering caveat).
    ROOT / "tests" / "fixtures" / "briefs" / "expert-claim",
]
#: Templates the guard does not police (pages for editors, not outputs for readers).
EXEMPT = re.compile(r"^preview")

_INCLUDE = re.compile(r"\{%-?\s*include\s+\"partials/[^\"]+\"\s*-?%\}")
_EXPRESSION = re.compile(r"\{\{-?(?:(?!\}\}).)*-?\}\}", re.DOTALL)
#: References the guard promises to protect; a stat's own credit line is not one of them, nor
#: a source's authors and dates, whose form belongs to the citation style (AMA, APA).
_GUARDED = re.compile(
    r"caveat\.(?:text|short)|\bs\.(?:caveats|warning|credit)\(|caveats\(brief|"
    r"caption_link|caption_publishers|claim\.text|"
    r"source\.(?:publisher|title|url|container|cite)"
)
#: In the email and citations the expert's name is guarded too; captions promise only the
#: short forms, a credit and a link.
_GUARDED_FULL = re.compile(r"caveat\.(?:by\.(?:display|described|name)|credit)\b|\bs\.experts\(")


@dataclass(frozen=True)
class Mutant:
    """One mistaken edit of one template."""

    template: str
    kind: str
    detail: str
    text: str


def _guarded(code: str, social: bool) -> bool:
    """Whether `code` holds a reference the guard protects in this kind of template."""
    found = _GUARDED.search(code) or (not social and _GUARDED_FULL.search(code))
    return bool(found) and "stat" not in code


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def mutants_of(name: str, text: str) -> Iterator[Mutant]:
    """Every mutant of the template `name` whose source is `text`."""
    markup = name.removesuffix(".j2").endswith((".html", ".mjml"))
    social = name.startswith("social/") or name == "partials/social.j2"
    for match in _INCLUDE.finditer(text):
        where = f"line {_line(text, match.start())}: {match.group()}"
        yield Mutant(name, "delete include", where, text[: match.start()] + text[match.end() :])
        if markup:
            commented = f"<!-- {match.group()} -->"
            yield Mutant(
                name,
                "comment out include",
                where,
                text[: match.start()] + commented + text[match.end() :],
            )
    for match in _EXPRESSION.finditer(text):
        expression = match.group()
        line = text[text.rfind("\n", 0, match.start()) + 1 : text.find("\n", match.end())]
        guarded = _guarded(expression, social)
        # A figure's own credit and the preheader are not promised by the guard.
        if guarded and "mj-preview" not in line:
            where = f"line {_line(text, match.start())}: {' '.join(match.group().split())[:70]}"
            yield Mutant(
                name, "delete reference", where, text[: match.start()] + text[match.end() :]
            )
    for old, new, kind in (
        ("brief.required_caveats", "brief.claims", "swap caveats for claims"),
        ("caveat.text", "claim.text", "swap caveat for claim"),
        ("caveat.text", "caveat.short", "swap caveat text for its short form"),
    ):
        for match in re.finditer(re.escape(old), text):
            where = f"line {_line(text, match.start())}: {old} → {new}"
            yield Mutant(name, kind, where, text[: match.start()] + new + text[match.end() :])
    if markup:
        for match in re.finditer(r'<(div|li|ol|ul|span|p)\b(?: style="([^"]*)")?', text):
            end = text.find("\n", match.end())
            rest = text[match.end() : end if end != -1 else len(text)]
            if not (_guarded(rest, social) or _INCLUDE.search(rest) or match.group(1) == "ol"):
                continue  # hiding an element the guard does not protect changes nothing it promises
            hidden = f'<{match.group(1)} style="display:none;{match.group(2) or ""}"'
            where = f"line {_line(text, match.start())}: hide <{match.group(1)}>"
            yield Mutant(
                name, "hide element", where, text[: match.start()] + hidden + text[match.end() :]
            )


def all_mutants(folder: Path) -> list[Mutant]:
    """Mutants of every template under `folder`, in a stable order."""
    found: list[Mutant] = []
    for path in sorted(folder.rglob("*.j2")):
        name = path.relative_to(folder).as_posix()
        if not EXEMPT.search(name):
            found.extend(mutants_of(name, path.read_text(encoding="utf-8")))
    return found


def fails(briefs: list[Path], templates: Path | None = None) -> bool:
    """Whether any of `briefs` fails the guard (an error), or cannot be rendered, with
    `templates`. Warnings and notes do not block publishing, so they kill no mutant."""
    renderer = briefgen.Renderer(briefgen.RenderOptions(templates_dir=templates))
    checker = briefgen.Checker()
    for path in briefs:
        try:
            findings = checker.check(renderer.render(briefgen.load(path)))
            if any(f.level == "error" for f in findings):
                return True
        except briefgen.BriefgenError:
            return True
    return False


def killed(mutant: Mutant, briefs: list[Path]) -> bool:
    """Whether `briefgen check` fails with the mutant in place."""
    with tempfile.TemporaryDirectory(prefix="briefgen-mutant-") as tmp:
        target = Path(tmp) / mutant.template
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(mutant.text, encoding="utf-8")
        return fails(briefs, Path(tmp))


def run(briefs: list[Path] | None = None, verbose: bool = False) -> tuple[int, list[Mutant]]:
    """Try every mutant; return how many were tried and the survivors."""
    chosen = briefs or BRIEFS
    if fails(chosen):
        raise SystemExit("the unmutated templates fail check; fix them first")
    mutants = all_mutants(ROOT / "templates")  # the built-in templates, as shipped
    survivors = []
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        verdicts = list(pool.map(killed, mutants, [chosen] * len(mutants)))
    for mutant, dead in zip(mutants, verdicts, strict=True):
        if not dead:
            survivors.append(mutant)
        if verbose or not dead:
            status = "killed " if dead else "SURVIVED"
            print(f"{status} {mutant.template}: {mutant.kind}: {mutant.detail}")
    return len(mutants), survivors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list killed mutants too")
    args = parser.parse_args()
    tried, survivors = run(verbose=args.verbose)
    print(
        f"mutants tried: {tried}, killed: {tried - len(survivors)}, "
        f"survived: {len(survivors)} ({(tried - len(survivors)) / tried:.0%} killed)"
    )
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
