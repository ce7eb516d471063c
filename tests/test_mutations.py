"""The guard kills every template mutant an editor could make by mistake (scripts/).

All of them (about 120 full renders and checks) are marked slow, which CI runs; a local run
tries the first mutant of each kind.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

import pytest

from helpers import ROOT


def _script() -> ModuleType:
    path = ROOT / "scripts" / "mutate_templates.py"
    spec = importlib.util.spec_from_file_location("mutate_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_mutant_of_each_kind_fails_check() -> None:
    script = _script()
    first: dict[str, Any] = {}
    for mutant in script.all_mutants(ROOT / "templates"):
        first.setdefault(mutant.kind, mutant)
    assert {
        "delete include",
        "delete reference",
        "swap caveats for claims",
        "hide element",
    } <= set(first)
    survivors = [m for m in first.values() if not script.killed(m, script.BRIEFS)]
    assert survivors == [], "\n".join(f"{m.template}: {m.kind}: {m.detail}" for m in survivors)


@pytest.mark.slow
def test_every_template_mutant_fails_check(capsys: pytest.CaptureFixture[str]) -> None:
    script = _script()
    tried, survivors = script.run()
    kinds = {m.kind for m in script.all_mutants(ROOT / "templates")}
    assert {
        "delete include",
        "delete reference",
        "swap caveats for claims",
        "hide element",
    } <= kinds
    assert tried >= 100, "the mutation script found too few mutants to mean anything"
    assert survivors == [], "\n".join(f"{m.template}: {m.kind}: {m.detail}" for m in survivors)
    print(f"mutants tried: {tried}, killed: {tried}")


def test_a_harmless_edit_is_not_counted_as_a_kill() -> None:
    script = _script()
    source = (ROOT / "templates" / "email.txt.j2").read_text(encoding="utf-8")
    harmless = script.Mutant(
        "email.txt.j2",
        "harmless",
        "reword the footer",
        source.replace("Every statement above", "Each statement above"),
    )
    assert harmless.text != source
    assert not script.killed(harmless, script.BRIEFS)
