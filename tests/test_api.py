"""The Python API: the README's example runs, names resolve, and output names live in one table."""

from __future__ import annotations

import ast
import email
import re
import shutil
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest

import briefgen
from briefgen.outputs import OUTPUTS
from helpers import FIXTURES, MINIMAL, ROOT, SEEDS


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.partition("## Use it from Python")[2].partition("\n## ")[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert blocks, "README.md has no Python example under 'Use it from Python'"
    return blocks[0]


def test_the_readme_example_runs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(SEEDS / "baby-botox", project / "seeds" / "baby-botox")
    exec(compile(_readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    written = project / "outputs" / "baby-botox"
    assert f"wrote {Path('outputs') / 'baby-botox'}" in printed
    assert (written / "social" / "x.txt").is_file() and (
        written / "social" / "bluesky.txt"
    ).is_file()
    assert not (written / "social" / "mastodon.txt").exists(), "platforms= was not honoured"
    rendered = briefgen.render(briefgen.load("baby-botox"), platforms=["x", "bluesky"])
    on_disk = {p.relative_to(written).as_posix(): p.read_bytes() for p in written.rglob("*.*")}
    assert on_disk == rendered.files


def test_import_is_cheap_and_loads_no_cli_or_server() -> None:
    code = (
        "import sys, briefgen\n"
        "brief = briefgen.load(sys.argv[1])\n"
        "briefgen.check(briefgen.render(brief))\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code, str(MINIMAL)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    assert not {"typer", "click", "rich", "briefgen.cli", "http.server", "smtplib"} & loaded
    assert not {m for m in loaded if m.startswith("briefgen.editor")}
    bare = subprocess.run(
        [sys.executable, "-c", "import sys, briefgen; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [m for m in bare if m.startswith("briefgen")] == ["briefgen"]
    assert not {"jinja2", "pydantic", "typer"} & set(bare)


def test_every_public_name_resolves() -> None:
    for name in briefgen.__all__:
        assert getattr(briefgen, name) is not None, name
    assert issubclass(briefgen.BriefError, briefgen.BriefgenError)
    assert (Path(briefgen.__file__).parent / "py.typed").is_file()
    with pytest.raises(AttributeError):
        briefgen.nothing_here  # noqa: B018


def test_a_brief_is_named_by_folder_file_or_slug(minimal_brief: Path) -> None:
    by_folder = briefgen.load(minimal_brief)
    by_file = briefgen.load(minimal_brief / "brief.yaml")
    by_slug = briefgen.load("minimal")
    assert by_folder.brief == by_file.brief == by_slug.brief
    with pytest.raises(briefgen.UsageError, match="no brief at"):
        briefgen.load("no-such-brief")


def test_bad_input_raises_a_located_briefgen_error(minimal_brief: Path) -> None:
    path = minimal_brief / "brief.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "nonsense: 1\n", encoding="utf-8")
    with pytest.raises(briefgen.BriefError) as caught:
        briefgen.load(minimal_brief)
    assert "unknown key 'nonsense'" in str(caught.value) and caught.value.line is not None


def test_render_options_as_keywords_or_objects() -> None:
    headers = briefgen.EmailHeaders(sender="Desk <desk@example.org>", to="list@example.org")
    options = briefgen.RenderOptions(platforms=("mastodon",), email=headers)
    rendered = briefgen.render(MINIMAL, options=options)
    assert [n for n in rendered.files if n.startswith("social/")] == ["social/mastodon.txt"]
    message = email.message_from_bytes(rendered.files["email.eml"], policy=policy.default)
    assert message["From"] == "Desk <desk@example.org>" and message["To"] == "list@example.org"
    overridden = briefgen.render(MINIMAL, options=options, platforms=["x"])
    assert [n for n in overridden.files if n.startswith("social/")] == ["social/x.txt"]
    with pytest.raises(briefgen.ConfigError, match="unknown platform myspace"):
        briefgen.render(MINIMAL, platforms=["myspace"])


@pytest.mark.parametrize("value", ["desk@example.org\n", "\n", "a@b.example\r\nBcc: c@d.example"])
def test_a_header_with_a_line_break_is_refused_before_rendering(value: str) -> None:
    """Settings refuse such values; the library refuses them too, rather than write a
    message whose headers end early or gain a Bcc."""
    headers = briefgen.EmailHeaders(sender=value)
    with pytest.raises(briefgen.ConfigError, match=r"e-mail header sender .* line break"):
        briefgen.render(MINIMAL, options=briefgen.RenderOptions(email=headers))


def test_check_reports_what_a_template_dropped() -> None:
    brief = briefgen.load(MINIMAL)
    assert briefgen.check(briefgen.render(brief)) == []
    broken = briefgen.render(brief, templates=FIXTURES / "templates" / "dropped-caveat")
    findings = briefgen.check(broken)
    assert findings, "a template that drops a caveat must not pass"
    assert {f.output for f in findings} == {"email.txt"}
    assert all(f.rule and f.message and f.fix for f in findings)


def test_write_is_atomic_and_replaces_the_folder(tmp_path: Path) -> None:
    rendered = briefgen.render(MINIMAL)
    stale = tmp_path / rendered.slug / "stale.txt"
    stale.parent.mkdir(parents=True)
    stale.write_text("old\n", encoding="utf-8")
    folder = briefgen.write(rendered, tmp_path)
    assert folder == tmp_path / rendered.slug and not stale.exists()
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*.*")} == set(rendered.files)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "staging left behind"


def test_every_rendered_file_is_in_the_outputs_table() -> None:
    names = {o.name for o in OUTPUTS}
    assert set(briefgen.render(MINIMAL).files) == names
    assert len(names) == len(OUTPUTS)


def _string_constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_output_names_are_written_in_the_table_only() -> None:
    """No module builds an output's file name by hand: each is spelled in outputs.py alone."""
    fixed = {o.name for o in OUTPUTS if o.kind != "caption"}
    templates = {o.template for o in OUTPUTS if o.template is not None and o.kind != "caption"}
    offenders = []
    src = ROOT / "src" / "briefgen"
    for path in sorted(src.rglob("*.py")):
        if path.name == "outputs.py":
            continue
        for value in _string_constants(path):
            if value in fixed or value in templates or value.startswith("social/"):
                offenders.append(f"{path.relative_to(ROOT)}: {value!r}")
    assert offenders == []
    table = _string_constants(src / "outputs.py")
    assert fixed <= set(table) and any(v.startswith("social/") for v in table)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_the_library_leaves_the_terminal_to_the_cli() -> None:
    """Only cli.py imports Typer or rich; no library module prints or decides an exit code."""
    src = ROOT / "src" / "briefgen"
    offenders = []
    for path in sorted(src.rglob("*.py")):
        if path.name == "cli.py":
            continue
        text = path.read_text(encoding="utf-8")
        if {"typer", "rich", "click"} & _imports(path):
            offenders.append(f"{path.name} imports a terminal library")
        if re.search(r"(?<![\w.])print\(|sys\.exit\(", text):
            offenders.append(f"{path.name} prints or exits")
    assert offenders == []
