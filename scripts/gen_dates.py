"""Regenerate src/briefgen/data/dates.json from Babel (CLDR): long-date patterns and month names.

briefgen formats dates from this table so a render does not import Babel (about 35 ms of
start-up); tests/test_i18n.py holds the table equal to Babel's own output. Locales not listed
are formatted by Babel itself, imported then. Run: `.venv/bin/python scripts/gen_dates.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton

from briefgen.rendering.dates import DatePatterns, UnsupportedPattern, render_pattern

LOCALES = [
    "en", "en_GB", "en_AU", "en_CA", "en_IN", "de", "de_AT", "de_CH", "fr", "fr_CA", "fr_CH",
    "es", "es_MX", "es_US", "pt", "pt_PT", "it", "nl", "pl", "ru", "uk", "tr", "sv", "da",
    "nb", "fi", "cs", "el", "ro", "hu", "ja", "zh", "ko", "hi", "id", "vi", "th",
    "ar", "he", "fa", "ur",
]  # fmt: skip
OUT = Path(__file__).resolve().parent.parent / "src" / "briefgen" / "data" / "dates.json"


def patterns(name: str) -> DatePatterns:
    locale = Locale.parse(name)
    return DatePatterns(
        long=locale.date_formats["long"].pattern,
        year_month=locale.datetime_skeletons["yMMMM"].pattern,
        months=tuple(locale.months["format"]["wide"][m] for m in range(1, 13)),
        standalone=tuple(locale.months["stand-alone"]["wide"][m] for m in range(1, 13)),
    )


def agrees(name: str, table: DatePatterns) -> bool:
    days = [dt.date(2026, m, d) for m in range(1, 13) for d in (1, 9, 22)]
    try:
        return all(
            render_pattern(table.long, day, table) == format_date(day, "long", locale=name)
            and render_pattern(table.year_month, day, table)
            == format_skeleton("yMMMM", day, locale=name)
            for day in days
        )
    except UnsupportedPattern:
        return False


def main() -> None:
    data = {}
    for name in LOCALES:
        table = patterns(name)
        if agrees(name, table):
            data[name] = table.as_json()
        else:
            print(f"skipped {name}: its pattern uses fields briefgen does not format")
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(data)} locales to {OUT}")


if __name__ == "__main__":
    main()
