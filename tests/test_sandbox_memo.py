"""The sandbox remembers its answers per type and attribute, and they stay Jinja's answers."""

from __future__ import annotations

import datetime as dt
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefgen.rendering.templating import builtin_templates_dir, make_environment


class Disguised:
    """An object claiming another class (as mocks and proxies do)."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return list


def _function() -> None:
    pass


OBJECTS: list[Any] = [
    [],
    {},
    set(),
    deque(),
    (),
    "text",
    dt.date(2026, 1, 1),
    _function,
    [].append,
    str,
    (i for i in ()),
    Disguised(),
]
ATTRIBUTES = [
    "append",
    "clear",
    "pop",
    "keys",
    "items",
    "upper",
    "mro",
    "__code__",
    "__globals__",
    "gi_frame",
    "__class__",
    "_private",
    "year",
    "__self__",
    "__func__",
    "index",
]


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: type(o).__name__)
def test_answers_are_jinjas_asked_twice(obj: Any) -> None:
    env = make_environment()
    plain = ImmutableSandboxedEnvironment()
    for _ in range(2):
        for attr in ATTRIBUTES:
            value = getattr(obj, attr, None)
            expected = plain.is_safe_attribute(obj, attr, value)
            assert env.is_safe_attribute(obj, attr, value) is expected, (obj, attr)


def test_templates_still_cannot_mutate_or_reach_internals() -> None:
    env = make_environment()
    for source in ("{{ x.append(1) }}", "{{ x.__class__ }}", "{{ f.__globals__ }}"):
        with pytest.raises(Exception, match=r"unsafe|not safely callable"):
            env.from_string(source).render(x=[], f=_function)


class _View:
    """A brief-like view: attributes a template reads again and again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.items = list(text)

    def shout(self) -> str:
        return self.text.upper()


def test_repeated_lookups_keep_every_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second and later reads of an attribute take a shorter path; it keeps the caps."""
    from jinja2.exceptions import SecurityError

    from briefgen.rendering import templating

    env = make_environment()
    source = "{% for i in range(3) %}{{ v.text }}{{ v.shout() }}{{ v.items|length }}{% endfor %}"
    assert env.from_string(source).render(v=_View("ab")) == "abAB2" * 3
    monkeypatch.setattr(templating, "MAX_LENGTH", 5)
    for template in ("{{ v.text }}", "{{ v.items }}", "{{ v.text.ljust(3) }}"):
        with pytest.raises(SecurityError, match="longer than 5"):
            env.from_string(template).render(v=_View("x" * 6))
    with pytest.raises(SecurityError, match="argument"):
        env.from_string("{{ v.text.count(w) }}").render(v=_View("x"), w="y" * 6)
    monkeypatch.setattr(templating, "MAX_LENGTH", 10_000_000)
    with pytest.raises(SecurityError, match="wider than"):
        env.from_string("{{ v.text.ljust(10**9) }}").render(v=_View("x"))
    with pytest.raises(SecurityError, match="__class__"):  # str.format stays sandboxed
        env.from_string("{{ v.text.format(v) }}").render(v=_View("{0.__class__}"))
    with templating.render_deadline(-1), pytest.raises(templating.RenderTimeout):
        env.from_string("{{ v.text }}").render(v=_View("x"))


MACROS = """\
{% macro show(x) %}[{{ x if x is string else x.n }}:{{ _("Via") }}]{% endmacro %}
{% macro wrap() %}<{{ caller() }}>{% endmacro %}
{% macro count() %}{{ ns.n }}{% endmacro %}
"""


def test_macro_calls_are_reused_only_when_nothing_else_can_differ(tmp_path: Path) -> None:
    """A macro of a module imported without context, called again with the same plain
    arguments, gives its first text; a namespace argument, a `{% call %}` block, a module
    imported with context or another language still run it again."""
    from briefgen.rendering import locales

    (tmp_path / "m.j2").write_text(MACROS, encoding="utf-8")
    env = make_environment(tmp_path)
    cases = {
        '{% import "m.j2" as m %}{{ m.show("a") }}{{ m.show("a") }}{{ m.show("b") }}': (
            "[a:Via][a:Via][b:Via]"
        ),
        '{% import "m.j2" as m %}{% set ns = namespace(n=1) %}'
        "{{ m.show(ns) }}{% set ns.n = 2 %}{{ m.show(ns) }}": "[1:Via][2:Via]",
        '{% import "m.j2" as m %}{% call m.wrap() %}a{% endcall %}'
        "{% call m.wrap() %}b{% endcall %}": "<a><b>",
        '{% set ns = namespace(n=1) %}{% import "m.j2" as m with context %}'
        "{{ m.count() }}{% set ns.n = 2 %}{{ m.count() }}": "12",
    }
    for source, expected in cases.items():
        for _ in range(2):
            assert env.from_string(source).render().replace("\n", "") == expected, source
    german = locales.resolve("de", [builtin_templates_dir()])
    source = '{% import "m.j2" as m %}{{ m.show("a") }}'
    with locales.activated(german):
        assert env.from_string(source).render().strip() == "[a:Quelle:]"
    assert env.from_string(source).render().strip() == "[a:Via]"
    assert env._made, "calls of pure macros are reused"
