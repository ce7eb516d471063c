"""Captions fit each platform by its own rules, or fail loudly; they never lose a caveat."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.brief.loader import LoadedBrief, load_brief
from briefgen.brief.models import Brief
from briefgen.errors import ConfigError
from briefgen.guard.checks import guard
from briefgen.guard.language import Linter
from briefgen.guard.levels import make_policy
from briefgen.pipeline import render_briefs
from briefgen.rendering.captions import render_caption
from briefgen.rendering.platforms import PLATFORMS, count, measure
from briefgen.rendering.renderer import render_brief
from briefgen.rendering.templating import make_environment
from briefgen.settings import load_settings, render_options
from helpers import FIXTURES, ROOT, SEEDS

ENV = make_environment(None)
RULES = Linter()
NO_SHARE_FLOOR = make_policy({}, RULES.levels(), caveat_share_floor=0.0)


def _render(brief: Brief, **overrides: Any) -> tuple[Any, list[Any]]:
    loaded = LoadedBrief(brief=brief, path=Path("generated/brief.yaml"))
    rendered = render_brief(loaded, ENV, render_options(load_settings(ROOT, **overrides)))
    return rendered, guard(rendered, RULES, NO_SHARE_FLOOR)


def _seed_data() -> dict[str, Any]:
    return load_brief(SEEDS / "baby-botox").brief.model_dump()


def test_japanese_brief_with_emoji_fits_everywhere_and_keeps_caveats() -> None:
    loaded = load_brief(FIXTURES / "briefs" / "japanese")
    rendered = render_brief(loaded, ENV, render_options(load_settings(ROOT)))
    assert [f for f in guard(rendered, RULES) if f.level != "info"] == []
    for caption in rendered.captions:
        assert caption.fits and measure(caption.platform, caption.text.rstrip("\n")).fits
        for caveat in loaded.brief.caveats:
            assert caveat.short in caption.text
        assert "https://news.example/ja/baby-botox" in caption.text


def test_a_caption_that_cannot_fit_fails_naming_platform_count_limit_and_field() -> None:
    data = _seed_data()
    data["title"] = "baby Botox " * 30  # short captions lead with the title (no verdict)
    rendered, findings = _render(Brief.model_validate(data))
    fits = [f for f in findings if f.rule == "fits"]
    assert {f.output for f in fits} >= {"social/x.txt", "social/bluesky.txt"}
    x = next(f for f in fits if f.output == "social/x.txt")
    caption = next(c for c in rendered.captions if c.platform == "x")
    assert caption.variant is None
    assert f"{caption.count} weighted characters, over X's limit of 280" in x.message
    assert "shorten title (329 chars)" in x.fix
    assert x.line is None or x.file.endswith("brief.yaml")


def test_auto_fit_falls_back_to_a_tighter_variant_and_records_it(tmp_path: Path) -> None:
    data = _seed_data()
    data["summary"] = "A long summary of the trend. " * 14
    rendered, findings = _render(Brief.model_validate(data))
    assert [f for f in findings if f.rule == "fits"] == []
    variants = {c.platform: c.variant for c in rendered.captions}
    assert variants["mastodon"] == "with_figure"
    assert variants["threads"] == "with_figure"
    manifest = json.loads(rendered.files["manifest.json"])
    assert manifest["captions"]["mastodon"]["variant"] == "with_figure"
    assert manifest["captions"]["x"] == {
        "variant": "with_figure",
        "count": rendered.captions[0].count,
        "limit": 280,
        "unit": "weighted characters",
        "dropped_hashtags": ["botox"],
        "note": "hashtags not carried: #botox",
    }


def test_mastodon_limit_is_configurable_per_server() -> None:
    data = _seed_data()
    data["summary"] = "A long summary of the trend. " * 14
    rendered, _ = _render(Brief.model_validate(data), platform_limits={"mastodon": 1000})
    mastodon = next(c for c in rendered.captions if c.platform == "mastodon")
    assert (mastodon.variant, mastodon.limit) == ("full", 1000)


def test_platform_flag_and_disabled_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SEEDS / "baby-botox", tmp_path / "seeds" / "baby-botox")
    monkeypatch.chdir(tmp_path)
    report = render_briefs([], load_settings(tmp_path, platforms=["x", "bluesky"]))
    assert report.status == "passed"
    social = tmp_path / "outputs" / "baby-botox" / "social"
    assert sorted(p.name for p in social.iterdir()) == ["bluesky.txt", "x.txt"]
    (tmp_path / "briefgen.toml").write_text(
        'disabled_platforms = ["facebook", "tiktok"]\n', encoding="utf-8"
    )
    report = render_briefs([], load_settings(tmp_path))
    assert report.status == "passed"
    assert sorted(p.stem for p in social.iterdir()) == sorted(
        set(PLATFORMS) - {"facebook", "tiktok"}
    )
    with pytest.raises(ConfigError, match="unknown platform myspace"):
        render_briefs([], load_settings(tmp_path, platforms=["myspace"]))


def test_scheduler_exports_match_the_captions() -> None:
    rendered, _ = _render(load_brief(SEEDS / "baby-botox").brief)
    files = rendered.files
    rows = list(csv.DictReader(io.StringIO(files["social.csv"].decode())))
    assert [r["platform"] for r in rows] == list(PLATFORMS)
    posts = json.loads(files["social.json"])["posts"]
    for row, post, caption in zip(rows, posts, rendered.captions, strict=True):
        assert row["text"] == post["text"] == caption.text.rstrip("\n")
        assert (int(row["count"]), int(row["limit"])) == (caption.count, caption.limit)
        assert row["link"] == post["link"] == rendered.context.caption_link


# -- property tests ----------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "baby",
        "Botox",
        "trend",
        "skin",
        "doctor",
        "ベビー",
        "ボトックス",
        "美容",
        "注意",
        "😀",
        "💉",
        "👩‍👩‍👧",
        "👍🏽",
        "🏳️‍🌈",
        "שלום",
        "مرحبا",
        "Ünïcödé",
        "x" * 12,
        "2026",
        "&",
        "<b>",
    ]
)
_PHRASE = st.lists(_PIECES, min_size=1, max_size=12).map(" ".join)
_SHORT = st.lists(_PIECES, min_size=1, max_size=6).map(" ".join).map(lambda s: s[:40].strip())
_URL = st.builds(
    lambda path, n: f"https://news.example/{'/'.join([path] * n)}",
    st.sampled_from(["a", "brief", "very-long-path-segment", "ja-ベビー"]),
    st.integers(1, 12),
)


#: What varies in a caption; each example is a full render of the seed.
_CAPTION_INPUTS = {
    "topic": _PHRASE,
    "shorts": st.lists(_SHORT.filter(bool), min_size=1, max_size=3),
    "publisher": _PHRASE,
    "link": st.one_of(st.none(), _URL),
    "url": _URL,
}
_RENDERS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(_RENDERS, max_examples=8)
@given(**_CAPTION_INPUTS)
def test_every_caption_fits_or_fails_loudly_and_keeps_its_caveats(
    topic: str, shorts: list[str], publisher: str, link: str | None, url: str
) -> None:
    data = _seed_data()
    data["topic"] = topic
    data["link"] = link
    data["sources"][0]["publisher"] = publisher
    data["sources"][0]["url"] = url
    caveat = data["caveats"][0]
    data["caveats"] = [
        {**caveat, "id": f"c{i}", "short": short, "text": f"Caveat {i}: {short}."}
        for i, short in enumerate(shorts)
    ]
    data["claims"][0]["id"] = "prevents-lines"
    for item in data["caveats"]:
        item["answers"] = [c["id"] for c in data["claims"]]
    rendered, findings = _render(Brief.model_validate(data))
    link_shown = link or rendered.context.caption_link
    overflowing = {f.output for f in findings if f.rule == "fits"}
    for caption in rendered.captions:
        output = f"social/{caption.platform}.txt"
        if caption.fits:
            # what is posted: the text without the file's trailing newline
            assert measure(caption.platform, caption.text.rstrip("\n"), caption.limit).fits
            assert output not in overflowing
        else:
            assert output in overflowing
        assert link_shown in caption.text
        for short in shorts:
            assert " ".join(short.split()).casefold() in " ".join(caption.text.split()).casefold()


@pytest.mark.slow
@settings(_RENDERS, max_examples=60)
@given(**_CAPTION_INPUTS)
def test_every_caption_fits_or_fails_loudly_and_keeps_its_caveats_thoroughly(
    topic: str, shorts: list[str], publisher: str, link: str | None, url: str
) -> None:
    """The property above over 60 examples (slow: CI runs it)."""
    test_every_caption_fits_or_fails_loudly_and_keeps_its_caveats.hypothesis.inner_test(
        topic, shorts, publisher, link, url
    )


# -- balance: words, credits, verdict, counts ---------------------------------------------------

SHORT_PLATFORMS = ["x", "bluesky", "tiktok", "threads"]


def _briefs() -> list[Path]:
    return [SEEDS / "baby-botox", *sorted((FIXTURES / "briefs").iterdir())]


@pytest.mark.parametrize("folder", _briefs(), ids=lambda p: p.name)
def test_template_words_fit_any_health_story(folder: Path) -> None:
    rendered = render_brief(load_brief(folder), ENV, render_options(load_settings(ROOT)))
    for caption in rendered.captions:
        for text in [caption.text, *(t for _, t in caption.variants)]:
            assert "before you book" not in text.casefold()
            assert "✨" not in text
            assert "what to know" not in text


def _three_experts() -> dict[str, Any]:
    data = _seed_data()
    data["people"] += [
        {"id": "ann", "name": "Ann Lee", "credentials": "RD", "expert": True},
        {"id": "bo", "name": "Bo Chan", "credentials": "PhD", "expert": True},
    ]
    extra = [
        {**data["caveats"][0], "id": "sugar", "short": "watch the sugar", "by": "ann"},
        {**data["caveats"][0], "id": "dose", "short": "dose varies", "by": "bo"},
    ]
    data["caveats"] += extra
    return data


def test_experts_are_joined_and_the_verb_agrees() -> None:
    rendered, findings = _render(Brief.model_validate(_three_experts()))
    assert [f for f in findings if f.rule == "fits"] == []
    mastodon = next(c for c in rendered.captions if c.platform == "mastodon")
    assert "Jenny Yu, MD, Ann Lee, RD and Bo Chan, PhD warn:" in mastodon.text
    assert " warns:" not in mastodon.text
    one, _ = _render(Brief.model_validate(_seed_data()))
    assert "Jenny Yu, MD warns:" in next(c for c in one.captions if c.platform == "mastodon").text


def test_a_caveat_stated_by_the_publication_is_credited_to_the_publisher() -> None:
    rendered, _ = _render(Brief.model_validate(_seed_data()))
    tolerance = rendered.context.caveats[0]
    stated = dataclasses.replace(
        tolerance, by=None, credit="Healthline", stated_by_publication=True
    )
    brief = dataclasses.replace(rendered.context, caveats=(stated, *rendered.context.caveats[1:]))
    texts = {p: render_caption(ENV, p, brief).text for p in PLATFORMS}
    assert "Healthline warns: may build tolerance." in texts["mastodon"]
    assert "Jenny Yu, MD warns: more doses can atrophy muscles." in texts["mastodon"]
    assert "• May build tolerance. (Healthline)" in texts["instagram"]


@pytest.mark.parametrize("platform", SHORT_PLATFORMS)
def test_short_captions_lead_with_the_verdict_and_keep_required_caveats(platform: str) -> None:
    rendered, _ = _render(Brief.model_validate(_seed_data()))
    brief = dataclasses.replace(rendered.context, verdict="Doctors are wary, with good reason")
    caption = render_caption(ENV, platform, brief)
    assert caption.fits
    assert caption.text.startswith("Doctors are wary, with good reason.")
    for caveat in brief.required_caveats:
        assert caveat.short in caption.text
    without = render_caption(ENV, platform, rendered.context)  # no verdict: the title leads
    assert without.text.startswith(rendered.context.title)


def test_counts_equal_the_text_in_csv_and_json() -> None:
    rendered, _ = _render(Brief.model_validate(_seed_data()))
    files = rendered.files
    rows = list(csv.DictReader(io.StringIO(files["social.csv"].decode())))
    posts = json.loads(files["social.json"])["posts"]
    for row, post, caption in zip(rows, posts, rendered.captions, strict=True):
        assert row["text"] == post["text"] == caption.text.rstrip("\n")
        assert int(row["count"]) == post["count"] == count(caption.platform, row["text"])
        assert (post["limit"], post["unit"]) == (caption.limit, PLATFORMS[caption.platform].unit)


def test_hashtags_dropped_to_fit_are_reported() -> None:
    data = _seed_data()
    data["hashtags"] = ["babybotox", "skincare", "botox", "tiktok", "beauty", "derm", "aging"]
    rendered, _ = _render(Brief.model_validate(data))
    instagram = next(c for c in rendered.captions if c.platform == "instagram")
    assert instagram.dropped_hashtags == ("derm", "aging")
    manifest = json.loads(rendered.files["manifest.json"])
    assert manifest["captions"]["instagram"]["dropped_hashtags"] == ["derm", "aging"]
    assert "#derm #aging" in manifest["captions"]["instagram"]["note"]
    linkedin = next(c for c in rendered.captions if c.platform == "linkedin")
    assert linkedin.dropped_hashtags == ()
