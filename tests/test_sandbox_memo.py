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
