"""Front-end weight: what a lesson page and a quiz page cost to load, as served.

Adds up the page's HTML and every stylesheet, script, icon and image it references (and
anything those stylesheets pull in with url()), each compressed the way it is served:
static files gzip-compressed at level 6, as WhiteNoise's CompressedManifestStaticFilesStorage
does at collectstatic; the HTML compressed only if GZipMiddleware is on (it is not: gunicorn
sends it as it is). Fails above 60 KB for any lesson, or for a quiz page showing any kind of
question. Also fails if any asset comes from another origin: everything is served by the app.
"""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings

from quizzes.models import Question, QuestionKind
from quizzes.practice.attempts import start_attempt
from relations.models import Lesson

pytestmark = pytest.mark.slow

BUDGET_BYTES = 60 * 1024
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


class AssetParser(HTMLParser):
    """Collects the URLs a browser would fetch to show the page."""

    def __init__(self):
        super().__init__()
        self.assets: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            rel = (attrs.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(rel):
                self.assets.append((f"link rel={' '.join(rel)}", attrs.get("href") or ""))
        elif tag in {"script", "img", "iframe", "audio", "video", "source", "embed"}:
            if attrs.get("src"):
                self.assets.append((tag, attrs["src"]))
        elif tag == "object" and attrs.get("data"):
            self.assets.append((tag, attrs["data"]))


def is_other_origin(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme in {"http", "https"} or url.startswith("//") or parts.netloc)


def static_bytes(url: str) -> bytes:
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                           else "/" + settings.STATIC_URL), f"not a static file: {url}"
    relative = path.split(settings.STATIC_URL.strip("/") + "/", 1)[1]
    found = finders.find(relative)
    assert found, f"{url} is referenced but no such static file exists"
    with open(found, "rb") as handle:
        return handle.read()


def served_size(data: bytes, *, compressed: bool) -> int:
    return len(gzip.compress(data, compresslevel=6)) if compressed else len(data)


def page_weight(client, url: str) -> tuple[int, list[str]]:
    """(bytes as served, one line per file), failing on any asset from another origin."""
    with override_settings(DEBUG=False):  # production's script tags (no debug helpers)
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    html = response.content
    html_compressed = "django.middleware.gzip.GZipMiddleware" in settings.MIDDLEWARE
    total = served_size(html, compressed=html_compressed)
    lines = [f"{total:>7} B  HTML{' (gzip)' if html_compressed else ' (sent uncompressed)'}"]

    parser = AssetParser()
    parser.feed(html.decode())
    foreign = [f"{tag} {asset}" for tag, asset in parser.assets if is_other_origin(asset)]
    assert not foreign, f"{url} loads assets from another origin: {foreign}"

    seen = set()
    queue = [asset for _tag, asset in parser.assets]
    while queue:
        asset = queue.pop(0)
        if asset in seen or asset.startswith("data:"):
            continue
        seen.add(asset)
        data = static_bytes(asset)
        size = served_size(data, compressed=True)
        total += size
        lines.append(f"{size:>7} B  {asset} ({len(data)} B before gzip)")
        if asset.endswith(".css"):
            for inner in CSS_URL.findall(data.decode(errors="replace")):
                assert not is_other_origin(inner), f"{asset} pulls {inner} from another origin"
                if not inner.startswith(("data:", "#")):
                    queue.append(urljoin(asset, inner))
    return total, lines


def _report(url, total, lines) -> str:
    return f"{url}: {total / 1024:.1f} KB (budget {BUDGET_BYTES / 1024:.0f} KB)\n" + "\n".join(
        lines
    )


def test_every_lesson_page_loads_under_60_kb_from_this_origin(course, client):
    lessons = list(Lesson.objects.order_by("order"))
    assert lessons, "no lessons: the course fixture did not load"
    reports = []
    for lesson in lessons:
        url = lesson.get_absolute_url()
        total, lines = page_weight(client, url)
        reports.append((total, url, lines))
    heaviest = max(reports)
    print(_report(heaviest[1], heaviest[0], heaviest[2]))
    over = [_report(url, total, lines) for total, url, lines in reports if total > BUDGET_BYTES]
    assert not over, "\n\n".join(over)


def test_a_quiz_page_of_every_question_kind_loads_under_60_kb(course, client, student):
    client.force_login(student)
    reports = []
    for kind in QuestionKind.values:
        # The question of this kind with the longest body: the heaviest page of its kind.
        questions = list(Question.objects.active().filter(kind=kind))
        if not questions:
            continue
        question = max(questions, key=lambda q: len(str(q.body)) + len(q.prompt))
        attempt = start_attempt(user=student, questions=[question], seed=1)
        url = f"/attempts/{attempt.pk}/"
        total, lines = page_weight(client, url)
        reports.append((total, f"{url} ({kind})", lines))
    assert len(reports) >= 5, f"only {len(reports)} kinds of question in the bank"
    heaviest = max(reports)
    print(_report(heaviest[1], heaviest[0], heaviest[2]))
    over = [_report(url, total, lines) for total, url, lines in reports if total > BUDGET_BYTES]
    assert not over, "\n\n".join(over)


def test_the_weight_check_sees_foreign_assets():
    parser = AssetParser()
    parser.feed(
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<script src="//cdn.example/htmx.js" defer></script><img src="/static/a.svg" alt="">'
    )
    flagged = [url for _tag, url in parser.assets if is_other_origin(url)]
    assert flagged == ["https://cdn.example/x.css", "//cdn.example/htmx.js"]
