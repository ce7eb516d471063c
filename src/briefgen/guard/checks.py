"""The guard: every rendered output keeps the caveats and sources, stays balanced and faithful."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen.brief.models import Brief, Caveat, Claim
from briefgen.guard.fidelity import contains_value, match_quote
from briefgen.guard.htmltext import (
    mjml_sections,
    squash,
    text_sections,
    tldr_index,
    visible_links,
    visible_text,
)
from briefgen.guard.lint import Hit, Rule, lint
from briefgen.paths import display_path
from briefgen.rendering.captions import Caption
from briefgen.rendering.context import BriefView, CaveatView
from briefgen.rendering.dates import format_date
from briefgen.rendering.renderer import RenderedBrief
from briefgen.rendering.templating import md_unescape

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
#: A word is a run of letters, except in scripts written without spaces, where it is a character.
_WORDS = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:['’][^\W{_CJK}]+)*")


@dataclass(frozen=True)
class Finding:
    """One guard failure: where, which rule, what is wrong and how to fix it."""

    brief: str
    output: str
    rule: str
    message: str
    fix: str
    file: str
    line: int | None = None

    def as_dict(self) -> dict[str, object]:
        """The stable JSON form (see README, `check --format json`)."""
        return {
            "brief": self.brief,
            "output": self.output,
            "rule": self.rule,
            "message": self.message,
            "fix": self.fix,
            "file": self.file,
            "line": self.line,
        }


_PLAIN = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "\u202f": " "}
    # Right-to-left text email: the marks at line starts are invisible (locales.mark_rtl_lines).
    | {"\u200f": None, "\u200e": None}
)


def _fold(text: str) -> str:
    """Comparable form: whitespace folded, curly quotes and dashes made plain, case folded."""
    return squash(text.translate(_PLAIN)).casefold()


def _has(haystack: str, needle: str) -> bool:
    return _fold(needle) in haystack


def _mentions(reading: str, caveat: CaveatView) -> int:
    """How often `reading` states `caveat`: in full, or by its short form where it answers
    another claim after being shown in full (a back-reference stands for the caveat)."""
    full = reading.count(_fold(caveat.text))
    short = _fold(caveat.short)
    again = reading.count(short) - full * _fold(caveat.text).count(short)
    return full + (min(again, len(caveat.answers) - 1) if full and again > 0 else 0)


def _answers(section: str, caveat: CaveatView, body: list[str]) -> bool:
    """A section answers with `caveat`: its full text, or its short form with who said it
    when another section of the `body` shows it in full."""
    full = _fold(caveat.text)
    if full in section:
        return True
    credit = caveat.by.name if caveat.by else caveat.source.publisher
    shown = any(full in other for other in body if other is not section)
    return shown and _has(section, caveat.short) and _has(section, credit)


@dataclass
class _Outputs:
    """Each output's reader-visible text, folded for comparison."""

    texts: dict[str, str]
    raw: dict[str, str]


def reader_texts(rendered: RenderedBrief) -> dict[str, str]:
    """What a reader sees in each output, unfolded."""
    texts = {
        "email.html": visible_text(rendered.html),
        "email.txt": squash(rendered.text),
        "citations.md": squash(md_unescape(rendered.citations_md)),
        "citations.html": visible_text(rendered.citations_html),
    }
    for caption in rendered.captions:
        texts[f"social/{caption.platform}.txt"] = squash(caption.text)
    return texts


class Guard:
    """Runs every rule over one rendered brief and collects findings."""

    def __init__(self, rendered: RenderedBrief, rules: list[Rule], caveat_floor: float) -> None:
        self.rendered = rendered
        self.brief: BriefView = rendered.context
        self.loaded = rendered.loaded
        self.language_rules = rules
        self.caveat_floor = caveat_floor
        raw = reader_texts(rendered)
        self.outputs = _Outputs({k: _fold(v) for k, v in raw.items()}, raw)
        self.findings: list[Finding] = []
        self.variants = self._caption_variants()

    def add(
        self,
        output: str,
        rule: str,
        message: str,
        fix: str,
        *,
        in_brief: tuple[str | int, ...] | None = None,
    ) -> None:
        if in_brief is not None:
            file, line = str(self.loaded.path), self.loaded.line_of(*in_brief)
        else:
            file = str(display_path(Path(self.rendered.template_files.get(output, output))))
            line = None
        self.findings.append(Finding(str(self.loaded.path), output, rule, message, fix, file, line))

    def run(self) -> list[Finding]:
        """All findings, in rule order."""
        checks: list[Callable[[], None]] = [
            self.caveats_kept,
            self.sources_kept,
            self.balance,
            self.fidelity,
            self.language,
            self.fits,
        ]
        for check in checks:
            check()
        return self.findings

    # -- caveats kept -------------------------------------------------------------------------
    def caveats_kept(self) -> None:
        full_outputs = ("email.html", "email.txt", "citations.md", "citations.html")
        for caveat in self.brief.required_caveats:
            expert = caveat.by.name if caveat.by else ""
            for output in full_outputs:
                text = self.outputs.texts[output]
                if not _has(text, caveat.text):
                    self.add(
                        output,
                        "caveats-kept",
                        f"required caveat '{caveat.id}' ({expert}) is not in the visible text: "
                        f"“{caveat.text}”",
                        "keep the caveat block (partials/caveat.*) and `caveat.text` in "
                        "the template",
                    )
                elif expert and not _has(text, expert):
                    self.add(
                        output,
                        "caveats-kept",
                        f"required caveat '{caveat.id}' is shown without its expert, {expert}",
                        "keep `caveat.by` next to the caveat in the template",
                    )
            for output, label, text in self.variants:
                if not _has(text, caveat.short):
                    self.add(
                        output,
                        "caveats-kept",
                        f"{label} lost required caveat '{caveat.id}' (short form “{caveat.short}”)",
                        "every variant block must keep s.caveats(brief) or `caveat.short`",
                    )
        people = [p.name for p in self.loaded.brief.people]
        for output, label, text in self.variants:
            if not any(_has(text, name) for name in people):
                continue
            for caveat in self.brief.required_caveats:
                if caveat.by and not _has(text, caveat.by.name):
                    self.add(
                        output,
                        "caveats-kept",
                        f"{label} names people but not {caveat.by.name}, whose caveat "
                        f"'{caveat.id}' it carries",
                        "attribute each caveat to its expert (s.warning(brief)), or name no one",
                    )

    def _caption_variants(self) -> list[tuple[str, str, str]]:
        """(output, label, folded text) of every variant of every caption, used or not."""
        found = []
        for caption in self.rendered.captions:
            output = f"social/{caption.platform}.txt"
            variants = caption.variants or ((caption.variant or "default", caption.text),)
            for name, text in variants:
                found.append(
                    (output, f"{caption.platform} caption (variant '{name}')", _fold(text))
                )
        return found

    # -- sources kept -------------------------------------------------------------------------
    def sources_kept(self) -> None:
        for output in ("email.html", "email.txt", "citations.md", "citations.html"):
            text = self.outputs.texts[output]
            for source in self.brief.sources:
                parts = {"publisher": source.publisher, "title": source.title, "url": source.url}
                if source.author:
                    parts["author"] = source.author
                missing = [name for name, value in parts.items() if not _has(text, value)]
                for name, day in (("date", source.published), ("accessed date", source.accessed)):
                    if day is not None and not (
                        _has(text, format_date(day, self.brief.language))
                        or _has(text, day.isoformat())
                    ):
                        missing.append(name)
                if missing:
                    self.add(
                        output,
                        "sources-kept",
                        f"source [{source.n}] '{source.id}' is not fully cited "
                        f"(missing {', '.join(missing)})",
                        "keep the citation block (partials/citations.*) in the template",
                    )
        for output, markup in (
            ("email.html", self.rendered.html),
            ("citations.html", self.rendered.citations_html),
        ):
            hrefs = set(visible_links(markup))
            for source in self.brief.sources:
                if source.url not in hrefs:
                    self.add(
                        output,
                        "sources-kept",
                        f"source [{source.n}] '{source.id}' has no working link "
                        f"(no visible <a href> to {source.url})",
                        'keep <a href="{{ source.url }}"> in the citation block',
                    )
        links = [self.brief.link] if self.brief.link else []
        links += [s.url for s in self.brief.sources]
        for output, label, text in self.variants:
            if not any(_has(text, p) for p in self.brief.publishers):
                self.add(
                    output,
                    "sources-kept",
                    f"{label} credits no publisher",
                    "keep s.credit(brief) in every variant block",
                )
            if not any(_has(text, link) for link in links):
                self.add(
                    output,
                    "sources-kept",
                    f"{label} carries no link",
                    "keep `brief.caption_link` in every variant block",
                )

    # -- balance --------------------------------------------------------------------------------
    def balance(self) -> None:
        html_sections = [(s.css_class, _fold(s.text)) for s in mjml_sections(self.rendered.mjml)]
        html_tldr = next((t for css, t in html_sections if "tldr" in css.split()), None)
        html_body = [t for css, t in html_sections if "tldr" not in css.split()]
        plain_sections = text_sections(self.rendered.text)
        txt_sections = [_fold(t) for t in plain_sections]
        txt_index = tldr_index(plain_sections, self.rendered.tldr_heading)
        txt_tldr = txt_sections[txt_index] if txt_index is not None else None
        txt_body = [t for i, t in enumerate(txt_sections) if i != txt_index]
        for output, tldr, body, fix in (
            ("email.html", html_tldr, html_body, '<mj-section css-class="tldr">'),
            ("email.txt", txt_tldr, txt_body, "a TL;DR heading underlined with ==="),
        ):
            self._claims_answered(output, body)
            self._caveats_in_body(output, body)
            self._tldr_states_caveats(output, tldr, fix)
        reading = " ".join(t for css, t in html_sections if "citations" not in css.split())
        words = len(_WORDS.findall(reading))
        caveat_words = sum(
            len(_WORDS.findall(c.text)) * _mentions(reading, c) for c in self.brief.caveats
        )
        share = caveat_words / words if words else 0.0
        if share < self.caveat_floor:
            self.add(
                "email.html",
                "balance",
                f"caveats are {share:.0%} of the email's words (sources aside), under the "
                f"floor of {self.caveat_floor:.0%}",
                "show every caveat after the claims it answers, or trim other text",
            )

    def _tldr_states_caveats(self, output: str, tldr: str | None, fix: str) -> None:
        if tldr is None:
            self.add(
                output,
                "balance",
                "the email has no tl;dr section",
                f"keep {fix} at the top of the email",
            )
            return
        for caveat in self.brief.required_caveats:
            expert = caveat.by.name if caveat.by else ""
            if not _has(tldr, caveat.text) or (expert and not _has(tldr, expert)):
                self.add(
                    output,
                    "balance",
                    f"the tl;dr does not state required caveat '{caveat.id}' with "
                    f"{expert or 'its source'}",
                    "list brief.required_caveats with caveat.by in the tl;dr section",
                )

    def _caveats_in_body(self, output: str, sections: list[str]) -> None:
        for caveat in self.brief.caveats:
            holding = [s for s in sections if _fold(caveat.text) in s]
            if not holding:
                self.add(
                    output,
                    "balance",
                    f"caveat '{caveat.id}' is missing from the body of the email "
                    "(the tl;dr alone does not count)",
                    "show every caveat after the claims it answers (or under More caveats)",
                )
            elif caveat.by and not any(_has(s, caveat.by.name) for s in holding):
                self.add(
                    output,
                    "balance",
                    f"caveat '{caveat.id}' is shown in the body without who said it "
                    f"({caveat.by.name})",
                    "keep caveat.by next to the caveat in partials/caveat.*",
                )

    def _claims_answered(self, output: str, sections: list[str]) -> None:
        for claim in self.brief.claims:
            holding = [s for s in sections if _fold(claim.text) in s]
            if not holding:
                self.add(
                    output,
                    "balance",
                    f"claim '{claim.id}' is not in the email",
                    "show every claim with the caveats that answer it",
                )
                continue
            if not any(_answers(s, c, sections) for s in holding for c in claim.caveats):
                answers = ", ".join(c.id for c in claim.caveats)
                self.add(
                    output,
                    "balance",
                    f"claim '{claim.id}' stands without its answering caveat ({answers}) "
                    "in the same section",
                    "render claim.caveats inside the claim's section",
                )

    # -- fidelity -------------------------------------------------------------------------------
    def fidelity(self) -> None:
        texts = self.loaded.source_texts
        brief = self.loaded.brief
        quoted: list[tuple[str, int, Claim | Caveat]] = [
            ("claims", i, c) for i, c in enumerate(brief.claims)
        ] + [("caveats", i, c) for i, c in enumerate(brief.caveats)]
        for group, index, item in quoted:
            if item.quote is None or item.source not in texts:
                continue
            match = match_quote(item.quote, texts[item.source])
            if not match.found:
                closest = (
                    f"closest passage: “{match.closest}”"
                    if match.closest
                    else "nothing like it in the source"
                )
                self.add(
                    "brief",
                    "fidelity",
                    f"{group}[{index}] '{item.id}': quote is not in source "
                    f"'{item.source}'; {closest}",
                    "copy the quote verbatim from the source (use … for omissions, "
                    "[brackets] for insertions)",
                    in_brief=(group, index, "quote"),
                )
        for index, stat in enumerate(brief.stats):
            if stat.source in texts and not contains_value(stat.value, texts[stat.source]):
                self.add(
                    "brief",
                    "fidelity",
                    f"stats[{index}] '{stat.id}': value “{stat.value}” is not in source "
                    f"'{stat.source}'",
                    "write the figure exactly as the source states it",
                    in_brief=("stats", index, "value"),
                )

    # -- language -------------------------------------------------------------------------------
    def language(self) -> None:
        fields = _brief_texts(self.loaded.brief)
        in_fields: dict[tuple[str, tuple[str | int, ...]], tuple[Hit, list[str]]] = {}
        for output, text in self.outputs.raw.items():
            for hit in lint(text, self.language_rules):
                loc = next((loc for loc, value in fields if lint(value, [hit.rule])), None)
                if loc is None:
                    self.add(
                        output,
                        "language",
                        f"{hit.rule.message} ({hit.rule.id}): …{hit.excerpt}…",
                        hit.rule.fix + " (the words come from the template)",
                    )
                    continue
                in_fields.setdefault((hit.rule.id, loc), (hit, []))[1].append(output)
        for (_, loc), (hit, outputs) in in_fields.items():
            field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc)
            field = field.replace(".[", "[")
            self.add(
                ", ".join(dict.fromkeys(outputs)),
                "language",
                f"{field}: {hit.rule.message} ({hit.rule.id}): …{hit.excerpt}…",
                hit.rule.fix,
                in_brief=loc,
            )

    # -- fits -----------------------------------------------------------------------------------
    def fits(self) -> None:
        for caption in self.rendered.captions:
            if not caption.fits:
                fields = sorted(_fields_in(self.brief, caption), key=lambda f: -f[2])
                self.add(
                    f"social/{caption.platform}.txt",
                    "fits",
                    f"{caption.platform} caption does not fit even in its tightest variant: "
                    + "; ".join(caption.problems),
                    _shorten_hint(fields),
                    in_brief=fields[0][0] if fields else ("topic",),
                )


def _brief_texts(brief: Brief) -> list[tuple[tuple[str | int, ...], str]]:
    """Every free-text field of the brief with its path, for pointing a finding at it."""
    found: list[tuple[tuple[str | int, ...], str]] = [
        (("title",), brief.title),
        (("topic",), brief.topic),
        (("summary",), brief.summary),
        (("takeaway",), brief.takeaway),
    ]
    for group in ("claims", "caveats", "stats"):
        for index, item in enumerate(getattr(brief, group)):
            found.append(((group, index, "text"), item.text))
    found += [(("caveats", i, "short"), c.short) for i, c in enumerate(brief.caveats)]
    return found


def _fields_in(brief: BriefView, caption: Caption) -> list[tuple[tuple[str | int, ...], str, int]]:
    """Brief fields whose text appears in the caption, as (path, name, length)."""
    found: list[tuple[tuple[str | int, ...], str, int]] = []
    folded = _fold(caption.text)
    if _has(folded, brief.topic):
        found.append((("topic",), "topic", len(brief.topic)))
    for index, caveat in enumerate(brief.caveats):
        if caveat.required and _has(folded, caveat.short):
            found.append(
                (
                    ("caveats", index, "short"),
                    f"caveats[{index}].short ('{caveat.id}')",
                    len(caveat.short),
                )
            )
    for index, source in enumerate(brief.sources):
        if _has(folded, source.publisher):
            found.append(
                (
                    ("sources", index, "publisher"),
                    f"sources[{index}].publisher",
                    len(source.publisher),
                )
            )
    if brief.link and _has(folded, brief.link):
        found.append((("link",), "link", len(brief.link)))
    return found


def _shorten_hint(fields: list[tuple[tuple[str | int, ...], str, int]]) -> str:
    """Which brief fields to shorten, longest first."""
    if not fields:
        return "shorten the tightest variant of the template"
    named = ", ".join(f"{name} ({length} chars)" for _, name, length in fields[:3])
    return f"shorten {named} in the brief"


def guard(rendered: RenderedBrief, rules: list[Rule], caveat_floor: float) -> list[Finding]:
    """Every guard failure of one rendered brief (empty when it passes)."""
    return Guard(rendered, rules, caveat_floor).run()
