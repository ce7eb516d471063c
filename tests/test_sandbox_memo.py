"""The sandbox remembers its answers per type and attribute, and they stay Jinja's answers."""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Any

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefgen.rendering.templating import make_environment


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
