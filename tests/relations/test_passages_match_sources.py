"""Every key term a citation lists for a source document is in that passage of the document.

The documents are not part of the project (shared/seeds/ sits beside the checkout, and the
course never reproduces them), so this runs wherever they are at hand and is skipped
elsewhere. It keeps `Citation.supports` honest: the content check trusts those lists.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from relations.passages import fold

SEEDS = Path(os.environ.get("SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared" / "seeds"))
COURSE = Path(settings.BASE_DIR) / "fixtures" / "course.json"

# Which paragraphs of each document (split at blank lines, counted from 0) a locator means.
PARAGRAPHS = {
    "china-north-korea-relations-article": {
        "Heading": [0],
        "Introduction — paragraph 1": [1],
        "Introduction — paragraph 2": [2],
        "Historical overview — Cold War foundations": [5, 6],
        "Historical overview — Post-Cold War adjustments": [7, 8],
        "Historical overview — The six-party talks era and after": [9, 10],
        "Historical overview — The Xi era and newer dynamics": [11, 12],
        "Economic ties and trade — paragraph 1": [13, 14],
        "Economic ties and trade — paragraph 2": [15],
        "Economic ties and trade — paragraph 3": [16],
        "Security and diplomacy — paragraph 1": [17, 18],
        "Security and diplomacy — paragraph 2 (border security)": [19],
        "Security and diplomacy — paragraph 3 (international institutions)": [20],
        "Controversies and debates — introduction": [21, 22],
        "Controversies and debates — Stability versus leverage": [23],
        "Controversies and debates — Sanctions enforcement and circumvention": [24],
        "Controversies and debates — Denuclearization versus security guarantees": [25],
        "Controversies and debates — Domestic economics and border livelihoods": [26],
        "Controversies and debates — fifth bullet (the article's own view)": [27],
    },
    "wilson-center-special-report-115": {
        "Header and byline": [0, 1, 2, 3, 4, 5, 6],
        "Paragraph 1 (the armistice anniversary)": [7],
        "Paragraph 2 (China's role; the Asia Program meeting)": [8],
        "Paragraph 3 (Chen Jian)": [9],
        "Paragraph 4 (Samuel Kim)": [10],
        "Paragraph 5 (Hazel Smith)": [11],
        "Closing lines (Capitol Hill meeting; credits)": [12, 13],
        "Page footer (Hosted By)": [14, 15, 16, 17],
    },
}
# How to tell the two documents apart without naming their files.
FIRST_LINE = {
    "china-north-korea-relations-article": "Chinanorth Korea RelationsEdit",
    "wilson-center-special-report-115": "Skip to main content",
}

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the source documents (shared/seeds/) are not at hand"
)


def _documents() -> dict[str, list[str]]:
    found = {}
    for path in SEEDS.glob("*.txt"):
        text = path.read_text(errors="replace")
        for slug, first in FIRST_LINE.items():
            if text.startswith(first):
                found[slug] = re.split(r"\n\s*\n", text)
    assert set(found) == set(FIRST_LINE), sorted(found)
    return found


def _citations() -> list[tuple[str, str, list[str]]]:
    rows = json.loads(COURSE.read_text(encoding="utf-8"))
    slugs = {row["pk"]: row["fields"]["slug"] for row in rows if row["model"] == "relations.source"}
    return [
        (slugs[row["fields"]["source"]], row["fields"]["locator"],
         [t for t in row["fields"]["supports"].split("|") if t.strip()])
        for row in rows
        if row["model"] == "relations.citation" and slugs[row["fields"]["source"]] in PARAGRAPHS
    ]


def test_every_listed_term_is_in_its_passage():
    documents = _documents()
    checked = 0
    for slug, locator, supported in _citations():
        assert locator in PARAGRAPHS[slug], f"no paragraphs mapped for {slug}: {locator}"
        passage = " " + fold(" ".join(documents[slug][i] for i in PARAGRAPHS[slug][locator])) + " "
        assert supported, locator
        for term in supported:
            assert f" {fold(term)} " in passage, f"{locator}: “{term}” is not in the passage"
            checked += 1
    assert checked > 300


def test_no_listed_term_is_a_sentence_of_the_source():
    for _slug, locator, supported in _citations():
        for term in supported:
            assert len(term.split()) < 9, f"{locator}: “{term}” is too long to be a key term"
