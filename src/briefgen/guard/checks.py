"""The guard: every rendered output keeps the caveats and sources, stays balanced and faithful."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from briefgen.brief.loader import LoadedBrief
from briefgen.brief.models import Brief, Caveat, Claim, texts
from briefgen.guard.fidelity import contains_value, match_quote
from briefgen.guard.finding import Finding as Finding
from briefgen.guard.finding import RawFinding
from briefgen.guard.htmltext import (
    mjml_sections,
    squash,
    text_sections,
    tldr_index,
    visible_links,
    visible_text,
)
from briefgen.guard.language import Linter
from briefgen.guard.levels import DEFAULT_POLICY, Policy, brief_waivers, settle
from briefgen.outputs import (
    BRIEF,
    CITATIONS_HTML,
    CITATIONS_MD,
    EMAIL,
    EMAIL_HTML,
    EMAIL_TEXT,
    FULL_OUTPUTS,
    caption_output,
    caption_unit,
    unit_of,
    units,
)
from briefgen.paths import display_path
from briefgen.rendering.captions import Caption
from briefgen.rendering.context import BriefView, CaveatView, ClaimView, SourceView
from briefgen.rendering.locales import close_up
from briefgen.rendering.platforms import PLATFORMS
from briefgen.rendering.renderer import RenderedBrief
from briefgen.rendering.templating import md_unescape

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
#: A word is a run of letters, except in scripts written without spaces, where it is a character.
_WORDS = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:['’][^\W{_CJK}]+)*")
#: Gmail clips an email whose HTML is over about 102 KB; stay under 100 KB.
EMAIL_SIZE_LIMIT = 100_000


_PLAIN = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "\u202f": " "}
    # Right-to-left text email: the marks at line starts are invisible (locales.mark_rtl_lines).
    | {"\u200f": None, "\u200e": None}
)


def _fold_text(text: str) -> str:
    """Comparable form: whitespace folded (none after full-width punctuation, as `close_up`
    renders it), curly quotes and dashes made plain, case folded."""
    return close_up(squash(text.translate(_PLAIN))).casefold()


#: Needles (a caveat, a claim, a title) are folded once and remembered; the texts of whole
#: outputs are not (each is folded once per brief by `Guard.text`), so the memo stays small.
_fold_needle = lru_cache(maxsize=4096)(_fold_text)
_NEEDLE_LENGTH = 2048


def _fold(text: str) -> str:
    """`_fold_text`, remembered for needles."""
    return _fold_needle(text) if len(text) <= _NEEDLE_LENGTH else _fold_text(text)


def _has(haystack: str, needle: str) -> bool:
    return _fold(needle) in haystack


def reader_text(rendered: RenderedBrief, output: str) -> str:
    """What a reader sees in one guarded output, unfolded."""
    if output == EMAIL_HTML.name:
        return visible_text(rendered.html)
    if output == EMAIL_TEXT.name:
        return squash(rendered.text)
    if output == CITATIONS_MD.name:
        return squash(md_unescape(rendered.citations_md))
    if output == CITATIONS_HTML.name:
        return visible_text(rendered.citations_html)
    for caption in rendered.captions:
        if caption_output(caption.platform).name == output:
            return squash(caption.text)
    raise KeyError(output)


def reader_texts(rendered: RenderedBrief) -> dict[str, str]:
    """What a reader sees in each output, unfolded."""
    names = [o.name for o in FULL_OUTPUTS]
    names += [caption_output(c.platform).name for c in rendered.captions]
    return {name: reader_text(rendered, name) for name in names}


#: Where a value sits in brief.yaml, e.g. ("claims", 2, "text").
Loc = tuple[str | int, ...]


def dotted(path: Loc) -> str:
    """`("claims", 2, "text")` → `claims[2].text`, as editors name a brief field."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def credit_of(caveat: CaveatView) -> str | None:
    """Who a caveat is credited to: its person, else the publication that states it (v2
    `CaveatView.credit`); None for a v1 caveat with no `by`, which outputs show uncredited."""
    if caveat.by is not None:
        return caveat.by.name
    credit = getattr(caveat, "credit", None)
    return str(credit) if credit else None


def _is_expert_claim(claim: ClaimView) -> bool:
    """A claim by an expert (v2): it needs no answering caveat."""
    expert = getattr(claim, "expert", None)
    if isinstance(expert, bool):
        return expert
    return claim.by is not None and claim.by.expert


def brief_finding(
    loaded: LoadedBrief, output: str, rule: str, message: str, fix: str, loc: Loc
) -> Finding:
    """A finding about a field of the brief, at that field's line."""
    return Finding(
        str(loaded.path),
        output,
        rule,
        message,
        fix,
        str(loaded.path),
        loaded.line_of(*loc),
        field=dotted(loc),
    )


class Guard:
    """Runs every rule over one rendered brief, one unit (`briefgen.outputs`) at a time.

    Each unit's findings depend only on that unit's outputs and the brief, so the incremental
    build keeps them with the unit and guards again only the units it renders again.
    """

    def __init__(self, rendered: RenderedBrief, linter: Linter | None, policy: Policy) -> None:
        self.rendered = rendered
        self.brief: BriefView = rendered.context
        self.loaded = rendered.loaded
        self.linter = linter
        self.policy = policy
        self.findings: list[Finding] = []
        self.unit = BRIEF
        self._reader_texts: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self._variants: list[tuple[str, str, str]] | None = None

    def units(self) -> list[str]:
        """Every unit of the rendered brief, the brief's own last."""
        return [*units(c.platform for c in self.rendered.captions), BRIEF]

    def add(
        self,
        output: str,
        rule: str,
        message: str,
        fix: str,
        *,
        in_brief: Loc | None = None,
        file: str | None = None,
    ) -> None:
        if in_brief is not None:
            self.findings.append(brief_finding(self.loaded, output, rule, message, fix, in_brief))
            return
        where = file or str(display_path(Path(self.rendered.template_files.get(output, output))))
        self.findings.append(Finding(str(self.loaded.path), output, rule, message, fix, where))

    def reader_text(self, output: str) -> str:
        """The reader-visible text of `output`, made once."""
        known = self._reader_texts.get(output)
        if known is None:
            known = self._reader_texts[output] = reader_text(self.rendered, output)
        return known

    def text(self, output: str) -> str:
        """The folded reader-visible text of `output`, made once."""
        known = self._texts.get(output)
        if known is None:
            known = self._texts[output] = _fold_text(self.reader_text(output))
        return known

    def mine(self, outputs: Iterable[str]) -> list[str]:
        """Those of `outputs` that the unit being guarded renders."""
        return [o for o in outputs if unit_of(o) == self.unit]

    @property
    def variants(self) -> list[tuple[str, str, str]]:
        """(output, label, folded text) of every variant of the unit's caption, used or not."""
        if self._variants is None:
            self._variants = []
            for caption in self.rendered.captions:
                output = caption_output(caption.platform).name
                if unit_of(output) != self.unit:
                    continue
                variants = caption.variants or ((caption.variant or "default", caption.text),)
                for name, text in variants:
                    label = f"{caption.platform} caption (variant '{name}')"
                    self._variants.append((output, label, _fold(text)))
        return self._variants

    @property
    def brief_strings(self) -> list[str]:
        """The brief's own strings, blanked out of outputs to lint the words templates add."""
        derived = self.loaded.derived
        found: list[str] | None = derived.get("brief_strings")
        if found is None:
            found = derived["brief_strings"] = _brief_strings(self.loaded.brief)
        return found

    def checks(self) -> list[Callable[[], None]]:
        """The rule checks, in the order the report lists their findings."""
        return [
            self.caveats_kept,
            self.sources_kept,
            self.balance,
            self.caveat_share,
            self.fidelity,
            self.language,
            self.fits,
            self.email_size,
            self.dropped_hashtags,
            self.render_notices,
        ]

    def raw(self, unit: str) -> list[RawFinding]:
        """The findings about one unit, before levels and waivers."""
        self.unit, self._variants = unit, None
        found: list[RawFinding] = []
        for index, check in enumerate(self.checks()):
            self.findings = []
            check()
            found += [(index, f) for f in self.findings]
        self.findings = []
        return found

    def run(self) -> list[Finding]:
        """All findings, in rule order, with levels and the brief's waivers applied."""
        raw = {unit: self.raw(unit) for unit in self.units()}
        return settle_findings(self.loaded, raw, self.policy)

    # -- caveats kept -------------------------------------------------------------------------
    def caveats_kept(self) -> None:
        full_outputs = self.mine(o.name for o in FULL_OUTPUTS)
        for caveat in self.brief.required_caveats:
            credit = credit_of(caveat)
            for output in full_outputs:
                text = self.text(output)
                if not _has(text, caveat.text):
                    self.add(
                        output,
                        "caveats-kept",
                        f"required caveat '{caveat.id}' ({credit}) is not in the visible text: "
                        f"“{caveat.text}”",
                        "keep the caveat block (partials/caveat.*) and `caveat.text` in "
                        "the template",
                    )
                elif credit and not _has(text, credit):
                    self.add(
                        output,
                        "caveats-kept",
                        f"required caveat '{caveat.id}' is shown without who states it, {credit}",
                        "keep `caveat.by` (or the publisher) next to the caveat in the template",
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

    # -- sources kept -------------------------------------------------------------------------
    def sources_kept(self) -> None:
        """Each source is cited by what finds it again (title, publisher, URL), in any style.

        Authors and dates are left to the citation style (AMA writes "Wojcik G", APA
        "Wojcik, G."); when the renderer gives a source its formatted entry (`cite`), that
        entry is what must appear.
        """
        for output in self.mine(o.name for o in FULL_OUTPUTS):
            text = self.text(output)
            markdown = self.rendered.citations_md if output == CITATIONS_MD.name else None
            for source in self.brief.sources:
                missing = _missing_parts(text, source, markdown)
                if missing:
                    self.add(
                        output,
                        "sources-kept",
                        f"source [{source.n}] '{source.id}' is not fully cited "
                        f"(missing {', '.join(missing)})",
                        "keep the citation block (partials/citations.*) in the template",
                    )
        for output, markup in (
            (EMAIL_HTML.name, self.rendered.html),
            (CITATIONS_HTML.name, self.rendered.citations_html),
        ):
            if unit_of(output) != self.unit:
                continue
            hrefs = set(visible_links(markup))
            for source in self.brief.sources:
                doi = getattr(source, "doi", None)
                working = {source.url} | ({f"https://doi.org/{doi}"} if doi else set())
                if not working & hrefs:  # a DOI's resolver link stands for the URL (AMA)
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
    def _email_sections(self) -> list[tuple[str, str | None, list[str], str]]:
        """(output, tl;dr, body sections, how to mark a tl;dr) of both emails, folded."""
        html_sections = [(s.css_class, _fold(s.text)) for s in mjml_sections(self.rendered.mjml)]
        html_tldr = next((t for css, t in html_sections if "tldr" in css.split()), None)
        html_body = [t for css, t in html_sections if "tldr" not in css.split()]
        plain_sections = text_sections(self.rendered.text)
        txt_sections = [_fold(t) for t in plain_sections]
        txt_index = tldr_index(plain_sections, self.rendered.tldr_heading)
        txt_tldr = txt_sections[txt_index] if txt_index is not None else None
        txt_body = [t for i, t in enumerate(txt_sections) if i != txt_index]
        return [
            (EMAIL_HTML.name, html_tldr, html_body, '<mj-section css-class="tldr">'),
            (EMAIL_TEXT.name, txt_tldr, txt_body, "a TL;DR heading underlined with ==="),
        ]

    def balance(self) -> None:
        if self.unit != EMAIL:
            return
        for output, tldr, body, fix in self._email_sections():
            self._claims_answered(output, body)
            self._caveats_in_body(output, body)
            self._tldr_states_caveats(output, tldr, fix)

    def caveat_share(self) -> None:
        """Warn when the caveats get little room next to the fans' claims they answer.

        Measured on the email body as the caveats' share of the words of claims and caveats
        (each mention counted, short forms too), not of every word: headings, the summary and
        the sources are the same for any story, and counting them failed short, balanced briefs.
        """
        fan_claims = [c for c in self.brief.claims if not _is_expert_claim(c)]
        if not fan_claims or self.unit != EMAIL:
            return
        sections = [
            _fold(s.text)
            for s in mjml_sections(self.rendered.mjml)
            if not {"tldr", "citations"} & set(s.css_class.split())
        ]
        body = " ".join(sections)
        caveat_words, body = _count_words(
            body, [c.text for c in self.brief.caveats] + [c.short for c in self.brief.caveats]
        )
        claim_words, _ = _count_words(body, [c.text for c in fan_claims])
        if not claim_words:
            return
        share = caveat_words / (caveat_words + claim_words)
        floor = self.policy.caveat_share_floor
        if share < floor:
            self.add(
                EMAIL_HTML.name,
                "caveat-share",
                f"caveats are {share:.0%} of the words of claims and caveats in the email "
                f"body, under the floor of {floor:.0%}",
                "give each claim's caveat room next to it, or shorten the claims",
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
            credit = credit_of(caveat)
            if not _has(tldr, caveat.text) or (credit and not _has(tldr, credit)):
                self.add(
                    output,
                    "balance",
                    f"the tl;dr does not state required caveat '{caveat.id}' with "
                    f"{credit or 'its source'}",
                    "list brief.required_caveats with who states them in the tl;dr section",
                )

    def _caveats_in_body(self, output: str, sections: list[str]) -> None:
        for caveat in self.brief.caveats:
            holding = [s for s in sections if _fold(caveat.text) in s]
            # A publication-stated caveat is credited in the tl;dr and by its citation; in the
            # body only a person's name is required next to it.
            credit = caveat.by.name if caveat.by is not None else None
            if not holding:
                self.add(
                    output,
                    "balance",
                    f"caveat '{caveat.id}' is missing from the body of the email "
                    "(the tl;dr alone does not count)",
                    "show every caveat in full once after the claims it answers "
                    "(or under More caveats)",
                )
            elif credit and not any(_has(s, credit) for s in holding):
                self.add(
                    output,
                    "balance",
                    f"caveat '{caveat.id}' is shown in the body without who states it ({credit})",
                    "keep caveat.by (or the publisher) next to the caveat in partials/caveat.*",
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
            if _is_expert_claim(claim):
                continue
            in_full = {c.id for c in claim.caveats if any(_fold(c.text) in s for s in sections)}
            if not any(_answers(s, c, c.id in in_full) for s in holding for c in claim.caveats):
                answers = ", ".join(c.id for c in claim.caveats)
                self.add(
                    output,
                    "balance",
                    f"claim '{claim.id}' stands without its answering caveat ({answers}) "
                    "in the same section",
                    "render claim.caveats inside the claim's section (in full, or the short "
                    "form with who states it)",
                )

    # -- fidelity -------------------------------------------------------------------------------
    def fidelity(self) -> None:
        if self.unit != BRIEF:
            return
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
        """Lint each brief field once, then the words each template adds, once per template.

        Both in the brief's language only: English rules say nothing about a French email.
        """
        if self.linter is None:
            return
        tag = self.brief.language
        rules = self.linter.for_language(tag)
        if rules is None:
            if self.unit != BRIEF:
                return
            self.add(
                "brief",
                "not-linted",
                f"not linted: no language rules for {tag}",
                f"add rules for {tag} to the language rules (setting lint_rules) to lint it",
                in_brief=("language",),
            )
            return
        if self.unit == BRIEF:
            for loc, text in _brief_texts(self.loaded.brief):
                for hit in self.linter.lint(text, rules):
                    self.add(
                        "brief",
                        hit.rule,
                        f"{dotted(loc)}: {hit.message}: …{hit.excerpt}…",
                        hit.fix,
                        in_brief=loc,
                    )
            return
        from_brief = self.brief_strings
        by_template: dict[str, list[str]] = {}
        guarded = [o.name for o in FULL_OUTPUTS]
        guarded += [caption_output(c.platform).name for c in self.rendered.captions]
        for output in self.mine(guarded):
            text = self.reader_text(output)
            template = str(display_path(Path(self.rendered.template_files.get(output, output))))
            by_template.setdefault(template, []).append(output)
            if len(by_template[template]) > 1:
                continue  # one template, one lint (email.html and email.mjml share theirs)
            for hit in self.linter.lint(_blank(text, from_brief), rules):
                self.add(
                    output,
                    hit.rule,
                    f"template words: {hit.message}: …{hit.excerpt}…",
                    f"{hit.fix} (the words come from the template)".lstrip(),
                    file=template,
                )

    # -- fits -----------------------------------------------------------------------------------
    def fits(self) -> None:
        for caption in self.rendered.captions:
            if not caption.fits and caption_unit(caption.platform) == self.unit:
                fields = sorted(_fields_in(self.brief, caption), key=lambda f: -f[2])
                self.add(
                    caption_output(caption.platform).name,
                    "fits",
                    f"{caption.platform} caption does not fit even in its tightest variant: "
                    + "; ".join(caption.problems),
                    _shorten_hint(fields),
                    in_brief=fields[0][0] if fields else ("topic",),
                )

    # -- what rendering noticed ------------------------------------------------------------------
    def render_notices(self) -> None:
        """Findings the renderer reports as `notices` (rule id, message), e.g. `no-catalog`."""
        if self.unit != BRIEF:
            return
        for rule, message in self.rendered.notices:
            self.add(
                "brief",
                str(rule),
                str(message),
                "see templates/README.md",
                in_brief=("language",),
            )

    # -- hashtags a caption had to drop --------------------------------------------------------
    def dropped_hashtags(self) -> None:
        """A note when a platform's own hashtag limit (Instagram: five) cut the brief's
        hashtags: the editor should know which were left out. A template that carries fewer
        by design (X keeps two) is no news, so only platforms with such a limit are noted."""
        total = len(self.brief.hashtags)
        for caption in self.rendered.captions:
            limit = PLATFORMS[caption.platform].max_hashtags
            dropped = caption.dropped_hashtags
            mine = caption_unit(caption.platform) == self.unit
            if mine and limit is not None and total > limit and dropped:
                self.add(
                    caption_output(caption.platform).name,
                    "dropped-hashtags",
                    f"{caption.platform} caption carries {total - len(dropped)} of the brief's "
                    f"{total} hashtags ({limit} allowed); left out: "
                    + " ".join("#" + t for t in dropped),
                    "order `hashtags` in the brief with the ones to keep first",
                    in_brief=("hashtags",),
                )

    # -- email size -----------------------------------------------------------------------------
    def email_size(self) -> None:
        size = len(self.rendered.html.encode())
        if size > EMAIL_SIZE_LIMIT and self.unit == EMAIL:
            self.add(
                EMAIL_HTML.name,
                "email-size",
                f"{EMAIL_HTML.name} is {size / 1000:.1f} KB, over {EMAIL_SIZE_LIMIT // 1000} KB: "
                "Gmail clips an email over about 102 KB and hides the rest, sources included",
                "shorten the brief (summary, claims, stats) or trim the email template",
            )


def _answers(section: str, caveat: CaveatView, in_full_elsewhere: bool) -> bool:
    """Whether a section answers with `caveat`: in full, or, once the body has shown it in
    full, by its short form with who states it (an email reads each caveat in full once)."""
    if _fold(caveat.text) in section:
        return True
    credit = credit_of(caveat)
    return (
        in_full_elsewhere
        and bool(credit)
        and _has(section, caveat.short)
        and _has(section, credit or "")
    )


def _missing_parts(text: str, source: SourceView, markdown: str | None = None) -> list[str]:
    """What of a source's citation is missing from a folded output text.

    With a formatted entry (`cite`), that entry is compared without spaces, since wrapping the
    text email may break a line after a hyphen; in Markdown (`markdown`: the raw file), its
    `.md` form, whose italics and <links> are markup.
    """
    cite = getattr(source, "cite", None)
    cite_text = getattr(cite, "text", None)
    if isinstance(cite_text, str) and cite_text:
        cite_md = getattr(cite, "md", None)
        if markdown is not None and cite_md:
            found = str(cite_md) in markdown
        else:
            found = _fold(cite_text).replace(" ", "") in text.replace(" ", "")
        return [] if found else [f"its citation: {cite_text}"]
    publishers = [str(p) for p in (source.publisher, getattr(source, "container", None)) if p]
    kept = {
        "title": _has(text, source.title),
        "publisher": any(_has(text, name) for name in publishers),
        "url": _has(text, source.url),
    }
    return [name for name, found in kept.items() if not found]


def _count_words(text: str, phrases: list[str]) -> tuple[int, str]:
    """Words of every mention of `phrases` in folded `text`, and the text with them taken out."""
    words = 0
    for phrase in sorted({_fold(p) for p in phrases if p.strip()}, key=len, reverse=True):
        mentions = text.count(phrase)
        if mentions:
            words += len(_WORDS.findall(phrase)) * mentions
            text = text.replace(phrase, " ")
    return words, text


def _blank(text: str, strings: Sequence[str]) -> str:
    """`text` with the brief's own `strings` (longest first) blanked, in any case, as a
    template may upper-case them: what is left are the words the template adds.

    Plain searches in the lower-cased text rather than one pattern of every string: compiling
    such a pattern cost tens of milliseconds a brief.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer (İ): match by pattern
        for string in strings:
            text = re.sub(re.escape(string), lambda m: " " * len(m.group()), text, flags=re.I)
        return text
    blanked = list(text)
    for string in strings:
        needle = string.lower()
        start = lowered.find(needle)
        while start >= 0:
            end = start + len(needle)
            blanked[start:end] = " " * (end - start)
            lowered = lowered[:start] + "\0" * (end - start) + lowered[end:]
            start = lowered.find(needle, end)
    return "".join(blanked)


def _brief_strings(brief: Brief) -> list[str]:
    """Every string in the brief (3+ characters, whitespace folded), longest first."""
    found: set[str] = set()
    for value in texts(brief):
        squashed = squash(value)
        for form in (squashed, squashed.rstrip(".!?…")):
            if len(form) >= 3:
                found.add(form)
    return sorted(found, key=lambda v: (-len(v), v))


def _brief_texts(brief: Brief) -> list[tuple[Loc, str]]:
    """Every free-text field of the brief with its path, for pointing a finding at it.

    Quotes are left out: a quote may say what the brief may not.
    """
    found: list[tuple[Loc, str]] = [
        (("title",), brief.title),
        (("topic",), brief.topic),
        (("summary",), brief.summary),
        (("takeaway",), brief.takeaway),
    ]
    verdict = getattr(brief, "verdict", None)
    if isinstance(verdict, str) and verdict:
        found.append((("verdict",), verdict))
    for group in ("claims", "caveats", "stats"):
        for index, item in enumerate(getattr(brief, group)):
            found.append(((group, index, "text"), item.text))
    found += [(("caveats", i, "short"), c.short) for i, c in enumerate(brief.caveats)]
    return found


def _fields_in(brief: BriefView, caption: Caption) -> list[tuple[tuple[str | int, ...], str, int]]:
    """Brief fields whose text appears in the caption, as (path, name, length)."""
    found: list[tuple[tuple[str | int, ...], str, int]] = []
    folded = _fold(caption.text)
    for name in ("verdict", "title", "topic"):  # short captions lead with verdict or title
        value = getattr(brief, name, None)
        if name == "verdict" and value == brief.title:
            continue  # no verdict of its own: the title stands in, and is named below
        if isinstance(value, str) and value and _has(folded, value):
            found.append(((name,), name, len(value)))
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


def settle_findings(
    loaded: LoadedBrief, raw: Mapping[str, Sequence[RawFinding]], policy: Policy
) -> list[Finding]:
    """The report of a brief from its units' raw findings (by unit, in unit order): by rule
    check, then unit; with levels, the brief's waivers, and a warning for each unused waiver."""
    ordered = sorted(
        (
            (index, position, finding)
            for position, found in enumerate(raw.values())
            for index, finding in found
        ),
        key=lambda item: (item[0], item[1]),
    )
    findings = [finding for _, _, finding in ordered]
    waiving = settle(findings, policy, brief_waivers(loaded.brief))
    unused = [
        brief_finding(
            loaded,
            "brief",
            "unused-waiver",
            f"waivers[{waiver.index}] ({waiver.rule}) {why}",
            "delete the waiver, or correct its rule and field",
            ("waivers", waiver.index),
        )
        for waiver, why in waiving.unused
    ]
    return waiving.findings + settle(unused, policy, []).findings


def guard(
    rendered: RenderedBrief, linter: Linter | None = None, policy: Policy = DEFAULT_POLICY
) -> list[Finding]:
    """Every guard finding of one rendered brief, each with its level (empty: nothing to say)."""
    return Guard(rendered, linter, policy).run()
