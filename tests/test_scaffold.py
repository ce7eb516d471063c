"""`briefgen new` writes a complete, commented brief that loads as is and is locked by the guard."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from briefgen.brief.loader import load_brief
from briefgen.brief.models import MODEL_OF_LIST, Brief
from briefgen.brief.schema import SCHEMA_PATH, brief_schema, schema_json
from briefgen.brief.yamlsource import load_yaml_mapping
from briefgen.cli import app, exit_code_of
from briefgen.editor.scaffold import SOURCE_TEXT, new_brief
from briefgen.errors import UsageError
from briefgen.pipeline import check_briefs
from briefgen.settings import Settings

DAY = dt.date(2026, 3, 4)


def _scaffold(project: Path) -> Path:
    return new_brief("cold-plunges", project / "seeds", project, DAY).brief


def test_new_writes_brief_source_stub_and_schema(project: Path) -> None:
    result = CliRunner().invoke(app, ["new", "cold-plunges"])
    assert result.exit_code == 0, result.output
    brief = project / "seeds" / "cold-plunges" / "brief.yaml"
    assert "wrote seeds/cold-plunges/brief.yaml" in result.output
    assert (brief.parent / SOURCE_TEXT).is_file()
    assert (project / SCHEMA_PATH).read_text(encoding="utf-8") == schema_json()
    first = brief.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/brief.schema.json"


def test_scaffold_loads_as_is_with_every_field(project: Path) -> None:
    brief = _scaffold(project)
    loaded = load_brief(brief)
    assert loaded.brief.slug == "cold-plunges"
    assert loaded.brief.date.isoformat() == DAY.isoformat()
    text = brief.read_text(encoding="utf-8")
    models = [Brief, *MODEL_OF_LIST.values()]
    for model in models:
        for field in model.model_fields:
            # every field of the contract is there, with a comment explaining it
            assert re.search(rf"^\s*(?:#\s*)?(?:- )?{field}:.*  # \S", text, re.M), field
    # commented-out optional fields (v2: authors, doi, pmid, container, verdict, waivers)
    # are valid once uncommented
    uncommented = re.sub(r"^(\s*)# (\s*(?:- )?[a-z]+:)", r"\1\2", text, flags=re.M)
    brief.write_text(re.sub(r"^    author: .*\n", "", uncommented, flags=re.M), encoding="utf-8")
    filled = load_brief(brief).brief
    assert filled.verdict and filled.waivers[0].rule == "hype" and filled.link
    assert [a.family for a in filled.sources[0].author_list] == ["Family", "Author"]
    assert filled.sources[0].pmid == "12345678" and filled.sources[0].doi
    # the optional fields that are there were filled in, not left to defaults
    assert loaded.brief.sources[0].author and loaded.brief.stats and loaded.brief.hashtags


def test_scaffold_validates_against_the_schema(project: Path) -> None:
    import json

    data = load_yaml_mapping(_scaffold(project)).data
    as_json = json.loads(json.dumps(data, default=lambda v: v.isoformat()))
    jsonschema.Draft202012Validator(brief_schema()).validate(as_json)


def test_guard_fails_until_placeholders_are_replaced(project: Path, settings: Settings) -> None:
    """A scaffold can be previewed at once but never rendered with placeholder quotes."""
    brief = _scaffold(project)
    report = check_briefs([brief], settings)
    assert report.status == "failed"
    fidelity = {f.message.split(":")[0] for f in report.findings if f.rule == "fidelity"}
    assert fidelity == {"claims[0] 'claim-one'", "caveats[0] 'caveat-one'", "stats[0] 'stat-one'"}


def test_filled_in_scaffold_passes_the_guard(project: Path, settings: Settings) -> None:
    brief = _scaffold(project)
    (brief.parent / SOURCE_TEXT).write_text(
        "A survey found 1 in 3 people tried it. One fan said the proponent's exact words, "
        "copied from the source. A doctor said the expert's exact words, copied from the "
        "source.\n",
        encoding="utf-8",
    )
    text = brief.read_text(encoding="utf-8").replace(
        "What proponents say the trend does, in one sentence.", "Fans say it helps."
    )
    brief.write_text(text, encoding="utf-8")
    report = check_briefs([brief], settings)
    assert [f for f in report.findings if f.rule == "fidelity"] == []


def test_new_refuses_to_overwrite(project: Path) -> None:
    brief = _scaffold(project)
    brief.write_text("# my work\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["new", "cold-plunges"])
    assert isinstance(result.exception, UsageError)  # main() prints it on one line, exit 2
    assert exit_code_of(result.exception) == 2
    assert "seeds/cold-plunges/brief.yaml already exists" in str(result.exception)
    assert brief.read_text(encoding="utf-8") == "# my work\n"


def test_new_keeps_an_existing_source_text_and_schema(project: Path) -> None:
    (project / "seeds" / "cold-plunges" / "sources").mkdir(parents=True)
    (project / "seeds" / "cold-plunges" / SOURCE_TEXT).write_text("mine\n", encoding="utf-8")
    (project / "schema").mkdir()
    (project / SCHEMA_PATH).write_text("{}\n", encoding="utf-8")
    scaffold = new_brief("cold-plunges", project / "seeds", project, DAY)
    assert scaffold.files == (scaffold.brief,)
    assert (project / "seeds" / "cold-plunges" / SOURCE_TEXT).read_text() == "mine\n"
    assert (project / SCHEMA_PATH).read_text() == "{}\n"


@pytest.mark.parametrize(
    "slug", ["Cold", "cold_plunges", "cold-", "cold--plunges", "a" * 65, "../x"]
)
def test_new_refuses_bad_slugs(project: Path, slug: str) -> None:
    result = CliRunner().invoke(app, ["new", slug])
    assert isinstance(result.exception, UsageError)
    assert exit_code_of(result.exception) == 2
    assert "is not a valid slug" in str(result.exception)
    assert not (project / "seeds").exists()


def test_schema_reference_follows_the_seeds_folder(project: Path) -> None:
    brief = new_brief("x", project / "briefs" / "health", project, DAY).brief
    first = brief.read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith("$schema=../../../schema/brief.schema.json")
    assert (brief.parent / "../../../schema/brief.schema.json").resolve().is_file()
