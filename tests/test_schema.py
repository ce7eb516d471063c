"""The committed JSON Schema equals `briefgen schema` and judges briefs as briefgen does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from briefgen.brief.models import MODEL_OF_LIST, Brief
from briefgen.brief.schema import FIELD_HELP, SCHEMA_PATH, brief_schema
from briefgen.brief.yamlsource import load_yaml_mapping
from briefgen.cli import app
from helpers import FIXTURES, ROOT, SEEDS


def _as_json(value: Any) -> Any:
    """YAML data as an editor's YAML server sees it: dates are strings."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


def _data(brief: Path) -> Any:
    return _as_json(load_yaml_mapping(brief).data)


def test_committed_schema_is_in_sync() -> None:
    printed = CliRunner().invoke(app, ["schema"])
    assert printed.exit_code == 0
    committed = (ROOT / SCHEMA_PATH).read_text(encoding="utf-8")
    assert printed.stdout == committed, (
        "schema/brief.schema.json is stale: run `briefgen schema > schema/brief.schema.json`"
    )


def test_schema_is_a_valid_2020_12_schema() -> None:
    schema = brief_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_seed_brief_names_the_committed_schema() -> None:
    first = (SEEDS / "baby-botox" / "brief.yaml").read_text(encoding="utf-8").splitlines()[0]
    ref = first.removeprefix("# yaml-language-server: $schema=")
    assert ref != first
    assert (SEEDS / "baby-botox" / ref).resolve() == (ROOT / SCHEMA_PATH).resolve()


VALID_BRIEFS = [
    SEEDS / "baby-botox" / "brief.yaml",
    *sorted((FIXTURES / "briefs").glob("*/brief.yaml")),
]


@pytest.mark.parametrize("brief", VALID_BRIEFS, ids=[p.parent.name for p in VALID_BRIEFS])
def test_schema_accepts_valid_briefs(brief: Path) -> None:
    jsonschema.Draft202012Validator(brief_schema()).validate(_data(brief))


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["caveats"][0].update(requird=True), "requird"),  # a typo must not pass
        (lambda d: d.update(slug="Baby Botox"), "Baby Botox"),
        (lambda d: d["sources"][0].update(kind="blog"), "blog"),
        (lambda d: d.pop("caveats"), "caveats"),
        (lambda d: d["caveats"][0].update(short="x" * 41), "x" * 41),
        (lambda d: d.update(date="2026-1-5"), "2026-1-5"),
        (lambda d: d.update(verdict="v" * 121), "v" * 121),
        (lambda d: d["sources"][0].update(authors=["Jenny Yu"]), "should not be valid"),
        (lambda d: d["sources"][1].update(authors=[{"organisation": "WHO"}]), "organisation"),
        (lambda d: d["sources"][1].update(doi="doi:10.1/x"), "doi:10.1/x"),
        (lambda d: d.update(waivers=[{"rule": "hype"}]), "reason"),
    ],
)
def test_schema_refuses_what_briefgen_refuses(change: Any, complaint: str) -> None:
    data = _data(SEEDS / "baby-botox" / "brief.yaml")
    change(data)
    errors = list(jsonschema.Draft202012Validator(brief_schema()).iter_errors(data))
    assert errors, "the schema accepted a broken brief"
    assert any(complaint in e.message for e in errors), [e.message for e in errors]
    with pytest.raises(ValueError):
        Brief.model_validate(data)


def test_every_field_has_help_for_editors() -> None:
    schema = brief_schema()
    nodes = {"Brief": schema, **schema["$defs"]}
    models = {"Brief": Brief} | {m.__name__: m for m in MODEL_OF_LIST.values()}
    for name, model in models.items():
        assert set(FIELD_HELP[name]) == set(model.model_fields), name
        for field, prop in nodes[name]["properties"].items():
            assert prop.get("description"), f"{name}.{field} has no description"


@pytest.mark.parametrize("value", ["2022", "2022-11", "2022-11-02", 2022])
def test_schema_takes_partial_dates_as_briefgen_does(value: object) -> None:
    data = _data(SEEDS / "baby-botox" / "brief.yaml")
    data["date"] = value
    jsonschema.Draft202012Validator(brief_schema()).validate(data)
    assert Brief.model_validate(data).date.isoformat() == str(value)
