"""Generate synthetic briefs of realistic size and variety for the benchmarks.

Each brief gets its own folder `<dest>/<slug>/` with `brief.yaml` and `sources/*.txt`, modelled
on the seed (`seeds/baby-botox/`): 1-4 sources (most with their text), 2-7 people, 0-5 claims,
1-6 caveats (1-2 required, by experts), 0-6 figures, hashtags, some accents, curly quotes, CJK
and emoji. Every quote and figure is copied verbatim into its source's text, every claim is
answered by a caveat and captions are kept short enough to fit, so every brief passes
`briefgen check`. The same `seed` always gives the same briefs.

    python benchmarks/synth.py 1000 /tmp/briefs
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from pathlib import Path

TOPICS = [
    ("baby Botox", "botox"),
    ("cold plunges", "coldplunge"),
    ("mouth taping", "mousetape"),
    ("gua sha", "guasha"),
    ("raw milk", "rawmilk"),
    ("creatine for teens", "creatine"),
    ("red-light masks", "redlight"),
    ("castor-oil packs", "castoroil"),
    ("sleepy-girl mocktails", "sleepymocktail"),
    ("beef-tallow skin care", "tallow"),
    ("nasal tanning sprays", "nasaltan"),
    ("retinol for kids", "retinol"),
    ("lymphatic drainage", "lymphatic"),
    ("blue-light glasses", "bluelight"),
    ("microneedling at home", "microneedling"),
    ("oil pulling", "oilpulling"),
    ("berberine as ‘nature’s Ozempic’", "berberine"),
    ("Matcha-Detox", "matcha"),
    ("Kältetherapie", "kaelte"),
    ("抹茶 detox teas", "matchatea"),
]
FIRST = [
    "Jenny",
    "Amara",
    "José",
    "Zoë",
    "Łukasz",
    "Mei",
    "Aiyana",
    "Oluwaseun",
    "Søren",
    "Priya",
    "Chloé",
    "Mateus",
    "Hiroshi",
    "Fatima",
    "Noah",
    "Ingrid",
    "Tomás",
    "Leila",
    "Dmitri",
    "Ana",
]
LAST = [
    "Yu",
    "Okafor",
    "Núñez",
    "Müller",
    "Kowalski",
    "Chen",
    "Running Bear",
    "Adeyemi",
    "Ørsted",
    "Raman",
    "Lefèvre",
    "Silva",
    "Tanaka",
    "Haddad",
    "Levi",
    "Berg",
    "García",
    "Farahani",
    "Ivanov",
    "Costa",
]
CREDENTIALS = ["MD", "PhD", "RD", "MD, PhD", "DNP", "PharmD", "MPH"]
EXPERT_ROLES = [
    "dermatologist at a university hospital",
    "professor of sports medicine",
    "registered dietitian and researcher",
    "pediatrician and public-health adviser",
    "toxicologist at a poison control center",
    "sleep researcher",
    "clinical pharmacist",
    "board-certified plastic surgeon",
]
FAN_ROLES = [
    "creator on TikTok",
    "wellness influencer",
    "beauty YouTuber",
    "podcast host",
    "personal trainer on Instagram",
    "spa owner",
]
HANDLES = ["@glowwithgrace", "@coach_tomás", "@skinbyzoe", "@biohack.ben", "@wellness_mei"]
PUBLISHERS = [
    ("Healthline", "healthline.example.com"),
    ("MM+M", "mmm-online.example.com"),
    ("STAT", "statnews.example.com"),
    ("The Verge", "theverge.example.com"),
    ("Le Monde", "lemonde.example.fr"),
    ("Süddeutsche", "sueddeutsche.example.de"),
    ("NHS", "nhs.example.uk"),
    ("KFF Health", "kffhealthnews.example.org"),
    ("Vox", "vox.example.com"),
    ("Wired", "wired.example.com"),
]
KINDS = ["article", "newsletter", "press-release", "study", "video", "social"]
CLAIM_TEXTS = [
    "Regular use is said to {verb} within weeks.",
    "Fans say it helps {verb} without a visit to a clinic.",
    "Creators claim a few minutes a day is enough to {verb}.",
    "Supporters say starting early will {verb} for years.",
    "It is promoted as a cheap way to {verb} at home.",
]
VERBS = [
    "smooth fine lines",
    "boost energy",
    "improve sleep",
    "reduce puffiness",
    "speed up recovery",
    "calm inflammation",
    "sharpen focus",
    "clear skin",
]
CAVEAT_TEXTS = [
    "Small studies so far do not show a lasting effect, and the results that exist come from "
    "short trials with few participants, so the benefit may be smaller than it looks online.",
    "Using it more often or in larger amounts can cause irritation, and people with {condition} "
    "should talk to a doctor before they try it at home.",
    "The products sold online are not checked for purity, so the dose on the label may not be the "
    "dose in the bottle, which makes side effects harder to predict.",
    "Starting young may mean years of cost and upkeep for an effect that fades when you stop, "
    "and some changes can be hard to undo later.",
    "It can interact with common medicines, including {medicine}, so a pharmacist should check "
    "what else you take before you start.",
    "Critics say the trend adds pressure to chase a perfect look, which can feed anxiety in "
    "teenagers who see it every day in their feeds.",
]
SHORTS = [
    "little evidence yet",
    "can irritate; ask a doctor",
    "dose may not match label",
    "effect fades when you stop",
    "may interact with medicines",
    "adds pressure on teens",
]
CONDITIONS = ["eczema", "asthma", "diabetes", "heart disease", "a bleeding disorder"]
MEDICINES = ["blood thinners", "antidepressants", "birth-control pills", "statins"]
FILLER = [
    "The trend has spread quickly across short-video apps, where before-and-after clips "
    "collect millions of views.",
    "Clinics report more questions from patients who saw the videos, many of them in their "
    "twenties.",
    "Researchers caution that most of the evidence so far comes from small or short studies.",
    "Prices vary widely, from a few dollars for kits sold online to hundreds at a clinic.",
    "Regulators have not approved the practice for this use, and labels differ between countries.",
    "Doctors interviewed for this story said they were not paid by any of the brands involved.",
    "Some creators disclose sponsorships; others do not, which makes claims hard to weigh.",
    "Dermatologists and dietitians alike say they would like to see larger, longer trials.",
    "The company behind one popular kit did not respond to a request for comment.",
    "Café owners in Paris and Zürich now advertise versions of it on their menus — 🌿 included.",
    "In Tokyo, shops sell it as 健康 (health) products next to green tea and cosmetics.",
]
STAT_VALUES = [
    ("{n} percent", "of people surveyed said they had tried it in the past year"),
    ("{n}%", "of clinics reported more appointments linked to the trend"),
    ("{m} million", "views of videos tagged with the trend"),
    ("{m} billion", "views of related clips on TikTok"),
    ("Nearly {n}%", "of dermatologists surveyed expect more requests next year"),
    ("1 in {k}", "adults under 30 said a video had convinced them to try it"),
    ("Three-quarters", "of pharmacists surveyed had been asked about it"),
]
_WORD_LIST = """
the a of to and in it is that for on with as was at by this from they be or have an people skin
dose face week study trial video doctor patient result year month clinic routine effect muscle
cream light cold water sleep energy focus body home
"""
WORDS = _WORD_LIST.split()


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _quote_sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(7, 18))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), "it’s")
    return " ".join(words)


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def make_brief(index: int, rng: random.Random) -> tuple[str, str, dict[str, str]]:
    """One brief: (slug, brief.yaml text, {source file name: text})."""
    topic, tag = TOPICS[index % len(TOPICS)]
    slug = f"synth-{index:05d}-{tag}"
    date = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(330))

    n_sources = rng.randint(1, 4)
    publishers = rng.sample(PUBLISHERS, n_sources)
    sources = []
    for i, (publisher, host) in enumerate(publishers):
        sources.append(
            {
                "id": f"src-{i + 1}",
                "publisher": publisher,
                "title": f"{topic[:1].upper()}{topic[1:]}: what the evidence says, part {i + 1}",
                "url": f"https://{host}/{date.year}/{slug}-{i + 1}",
                "author": _person_name(rng) if rng.random() < 0.6 else None,
                "published": (date - dt.timedelta(days=rng.randrange(400))).isoformat()
                if rng.random() < 0.7
                else None,
                "accessed": date.isoformat(),
                "kind": rng.choice(KINDS),
                "has_text": i == 0 or rng.random() < 0.7,
            }
        )
    with_text = [s for s in sources if s["has_text"]]
    passages: dict[str, list[str]] = {str(s["id"]): [] for s in with_text}

    n_experts = rng.randint(1, 3)
    people = []
    for i in range(n_experts):
        people.append(
            {
                "id": f"expert-{i + 1}",
                "name": _person_name(rng),
                "credentials": rng.choice(CREDENTIALS),
                "role": rng.choice(EXPERT_ROLES),
                "expert": True,
            }
        )
    for i in range(rng.randint(1, 4)):
        handle = rng.random() < 0.4
        people.append(
            {
                "id": f"fan-{i + 1}",
                "name": rng.choice(HANDLES) if handle else _person_name(rng),
                "credentials": None,
                "role": rng.choice(FAN_ROLES),
                "expert": False,
            }
        )
    fans = [p for p in people if not p["expert"]]
    experts = [p for p in people if p["expert"]]

    def quoted(source_id: str) -> str | None:
        if source_id not in passages or rng.random() < 0.25:
            return None
        quote = _quote_sentence(rng)
        passages[source_id].append(quote)
        return quote

    n_claims = rng.randint(0, 5)
    claims = []
    for i in range(n_claims):
        source = rng.choice(sources)
        claims.append(
            {
                "id": f"claim-{i + 1}",
                "text": rng.choice(CLAIM_TEXTS).format(verb=rng.choice(VERBS)),
                "by": rng.choice(fans)["id"],
                "quote": quoted(str(source["id"])),
                "source": source["id"],
            }
        )

    n_caveats = rng.randint(max(1, min(n_claims, 2)), 6)
    n_required = min(n_caveats, rng.randint(1, 2))
    texts = rng.sample(range(len(CAVEAT_TEXTS)), n_caveats)
    # Required caveats cite the first source, so captions credit few publishers and stay short.
    caveats = []
    for i, t in enumerate(texts):
        required = i < n_required
        source = sources[0] if required else rng.choice(sources)
        caveats.append(
            {
                "id": f"caveat-{i + 1}",
                "text": CAVEAT_TEXTS[t].format(
                    condition=rng.choice(CONDITIONS), medicine=rng.choice(MEDICINES)
                ),
                "short": SHORTS[t],
                "by": rng.choice(experts)["id"] if required else rng.choice(people)["id"],
                "quote": quoted(str(source["id"])),
                "source": source["id"],
                "answers": [],
                "required": required,
            }
        )
    # Every claim is answered by at least one caveat; some caveats answer several claims.
    for claim in claims:
        answering = rng.sample(caveats, rng.randint(1, min(2, len(caveats))))
        for caveat in answering:
            caveat["answers"].append(claim["id"])

    stats = []
    for i in range(rng.randint(0, 6)):
        source = rng.choice(with_text)
        template, text = rng.choice(STAT_VALUES)
        value = template.format(
            n=rng.randint(11, 89),
            m=f"{rng.randint(2, 99)}.{rng.randint(1, 9)}",
            k=rng.randint(3, 9),
        )
        passages[str(source["id"])].append(f"{value} {text}")
        stats.append({"id": f"stat-{i + 1}", "value": value, "text": text, "source": source["id"]})

    title = topic[:1].upper() + topic[1:]
    summary = " ".join(rng.sample(FILLER, rng.randint(2, 4)))
    takeaway = (
        f"Experts say the evidence for {topic} is thin and the risks are real; "
        "talk to a clinician before you try it."
    )
    lines = [
        "# Synthetic brief generated by benchmarks/synth.py",
        f"slug: {slug}",
        f"title: {_q(f'{title}: the trend, and what experts want you to know')}",
        f"topic: {_q(topic)}",
        f"date: {date.isoformat()}",
        "language: en",
        f"summary: >-\n  {summary}",
        f"takeaway: {_q(takeaway)}",
        f"hashtags: [{tag}, health{', wellness' if rng.random() < 0.5 else ''}]",
        "",
        "sources:",
    ]
    for s in sources:
        lines += [f"  - id: {s['id']}", f"    publisher: {_q(str(s['publisher']))}"]
        lines += [f"    title: {_q(str(s['title']))}", f"    url: {s['url']}"]
        for key in ("author", "published", "accessed", "kind"):
            if s[key] is not None:
                value = s[key]
                lines.append(f"    {key}: {_q(value) if key == 'author' else value}")
        if s["has_text"]:
            lines.append(f"    text: sources/{s['id']}.txt")
    lines += ["", "people:"]
    for p in people:
        lines += [f"  - id: {p['id']}", f"    name: {_q(str(p['name']))}"]
        if p["credentials"]:
            lines.append(f"    credentials: {_q(str(p['credentials']))}")
        lines += [f"    role: {_q(str(p['role']))}", f"    expert: {str(p['expert']).lower()}"]
    if claims:
        lines += ["", "claims:"]
        for c in claims:
            lines += [f"  - id: {c['id']}", f"    text: {_q(str(c['text']))}", f"    by: {c['by']}"]
            if c["quote"]:
                lines.append(f"    quote: {_q(str(c['quote']))}")
            lines.append(f"    source: {c['source']}")
    lines += ["", "caveats:"]
    for c in caveats:
        lines += [f"  - id: {c['id']}", f"    text: >-\n      {c['text']}"]
        lines += [f"    short: {_q(str(c['short']))}", f"    by: {c['by']}"]
        if c["quote"]:
            lines.append(f"    quote: {_q(str(c['quote']))}")
        lines += [f"    source: {c['source']}", f"    answers: [{', '.join(c['answers'])}]"]
        lines.append(f"    required: {str(c['required']).lower()}")
    if stats:
        lines += ["", "stats:"]
        for st in stats:
            lines += [f"  - id: {st['id']}", f"    value: {_q(st['value'])}"]
            lines += [f"    text: {_q(st['text'])}", f"    source: {st['source']}"]

    files = {}
    for s in with_text:
        body = [f"{s['title']}", f"By {s['author'] or 'Staff'} · {s['publisher']}", ""]
        for passage in passages[str(s["id"])] or [""]:
            paragraph = rng.sample(FILLER, rng.randint(2, 5))
            if passage:
                paragraph.insert(rng.randrange(len(paragraph) + 1), f"“{passage},” one said.")
            body.append(" ".join(paragraph))
            body.append("")
        for _ in range(rng.randint(2, 5)):
            body += [" ".join(rng.sample(FILLER, rng.randint(3, 6))), ""]
        files[f"{s['id']}.txt"] = "\n".join(body)
    return slug, "\n".join(lines) + "\n", files


def generate(count: int, dest: Path, seed: int = 6) -> list[Path]:
    """Write `count` briefs under `dest` (emptied first); return their folders, sorted."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    rng = random.Random(seed)
    folders = []
    for index in range(count):
        slug, text, sources = make_brief(index, rng)
        folder = dest / slug
        (folder / "sources").mkdir(parents=True)
        (folder / "brief.yaml").write_text(text, encoding="utf-8")
        for name, body in sources.items():
            (folder / "sources" / name).write_text(body, encoding="utf-8")
        folders.append(folder)
    return sorted(folders)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    folders = generate(args.count, args.dest, args.seed)
    print(f"wrote {len(folders)} briefs under {args.dest}")


if __name__ == "__main__":
    main()
