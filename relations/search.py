"""Search across the course: lessons and their sections, glossary terms, people, claims,
debates and their positions, and events.

    search(*, query, limit=8) -> Results

One function, three ways to find: PostgreSQL's own full-text search (a weighted search
vector over each kind's fields, ranked with ts_rank), SQLite's FTS5 (one virtual table
holding every searchable item, ranked with bm25, rebuilt whenever content changes; see
`rebuild_index`), and on any other database, or when full-text search finds nothing, a
plain case-insensitive substring match. Whatever finds them, results come back grouped by
kind, best first, with the words that matched marked in a short passage.

Highlighting never produces HTML: a passage is a list of `Part`s (text, and whether it
matched), which the template prints with autoescaping, marking the matched ones.
"""

import logging
import re
from dataclasses import dataclass, field

from django.db import DatabaseError, connection
from django.db.models import Q
from django.urls import reverse

from relations.models import Claim, Debate, Event, Lesson, Person, Position, Section, Term
from relations.search_index import TABLE, rebuild_index

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
SNIPPET_CHARS = 220
# A word is letters and digits (any script); everything else separates words, so nothing a
# learner types can reach a full-text query's syntax.
WORD = re.compile(r"[^\W_]+")


class SearchProblem(ValueError):
    """A query that cannot be searched, with the sentence that says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- what is searched --------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of item: its fields by weight (A most, C least), its passage field and how
    it is shown."""

    key: str
    group: str
    model: type
    a: tuple[str, ...]
    b: tuple[str, ...]
    c: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return self.a + self.b + self.c


def _lesson_anchor(item, anchor: str) -> str:
    return f"{reverse('relations:lesson', kwargs={'slug': item.lesson.slug})}#{anchor}"


KINDS = (
    Kind("lesson", "Lessons", Lesson, a=("title",), b=("summary",)),
    Kind("section", "Lessons", Section, a=("heading",), b=("body",), c=("lesson__title",),
         related=("lesson",)),
    Kind("term", "Glossary", Term, a=("term", "alternatives"), b=("definition",),
         related=("lesson",)),
    Kind("person", "People", Person, a=("name",), b=("affiliation", "role"), c=("bio",)),
    Kind("claim", "Claims and positions", Claim, a=("topic", "quotation"),
         b=("statement", "person__name"), c=("context",), related=("person", "lesson")),
    Kind("debate", "Claims and positions", Debate, a=("title",), b=("question",),
         related=("lesson",)),
    Kind("position", "Claims and positions", Position, a=("holder",), b=("statement",),
         c=("debate__title",), related=("debate__lesson",)),
    Kind("event", "Events", Event, a=("title",), b=("summary",), c=("significance",)),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
GROUP_ORDER = list(dict.fromkeys(kind.group for kind in KINDS))


def _rows(kind: Kind):
    objects = kind.model.objects.all()
    return objects.select_related(*kind.related) if kind.related else objects


def _value(item, path: str) -> str:
    for name in path.split("__"):
        item = getattr(item, name, "")
        if item is None:
            return ""
    return str(item or "")


def _shown(kind: Kind, item) -> tuple[str, str, str, str]:
    """(title, passage text, context line, url) for one item."""
    key = kind.key
    if key == "lesson":
        return item.title, item.summary, "Lesson", item.get_absolute_url()
    if key == "section":
        return item.heading, item.body, f"Lesson: {item.lesson.title}", item.get_absolute_url()
    if key == "term":
        url = f"{reverse('relations:glossary')}#term-{item.pk}"
        return item.term, item.definition, "Glossary term", url
    if key == "person":
        url = f"{reverse('relations:people')}#person-{item.slug}"
        context = ", ".join(part for part in (item.role, item.affiliation) if part)
        return item.name, item.bio or context, context, url
    if key == "claim":
        url = f"{reverse('relations:people')}#claim-{item.pk}"
        return f"{item.person.name} on {item.topic}", item.statement, "Claim", url
    if key == "debate":
        return item.title, item.question, "Debate", _lesson_anchor(item, f"debate-{item.slug}")
    if key == "position":
        debate = item.debate
        url = _lesson_anchor(debate, f"debate-{debate.slug}")
        return item.holder, item.statement, f"Debate: {debate.title}", url
    url = f"{reverse('relations:timeline')}#event-{item.pk}"
    return item.title, item.summary, f"Event, {item.when}", url


# --- the query ---------------------------------------------------------------------------


def words_of(query: str) -> list[str]:
    """The words searched for, or SearchProblem with what is wrong with the query."""
    query = (query or "").strip()
    if not query:
        raise SearchProblem("Type a word or two to search the course.")
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchProblem(
            f"That search is too long: use at most {MAX_QUERY_LENGTH} characters."
        )
    words = [word.casefold()[:MAX_WORD_LENGTH] for word in WORD.findall(query)]
    if not words:
        raise SearchProblem("Search for words or numbers: that search has neither.")
    return list(dict.fromkeys(words))[:MAX_WORDS]


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    text: str
    hit: bool = False


@dataclass
class Hit:
    kind: str
    title: list[Part]
    passage: list[Part]
    context: str
    url: str
    rank: float


@dataclass
class Group:
    label: str
    hits: list[Hit]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.hits)


@dataclass
class Results:
    query: str
    words: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    method: str = ""  # "postgres", "fts5" or "substring"
    problem: str = ""

    @property
    def count(self) -> int:
        return sum(group.total for group in self.groups)


def _stem(word: str) -> str:
    # Enough of a stem that "talks" marks "talk" and "talking": full-text search matched on
    # stems, so the passage should show the same words.
    for suffix in ("ing", "es", "ed", "s"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _marker(words: list[str]) -> re.Pattern:
    stems = sorted({re.escape(_stem(word)) for word in words}, key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(stems) + r")[^\W_]*", re.IGNORECASE)


def mark(text: str, pattern: re.Pattern) -> list[Part]:
    """The text cut into parts, the matching words marked."""
    parts, at = [], 0
    for match in pattern.finditer(text):
        if match.start() > at:
            parts.append(Part(text[at : match.start()]))
        parts.append(Part(match.group(0), hit=True))
        at = match.end()
    if at < len(text):
        parts.append(Part(text[at:]))
    return parts


def passage(text: str, pattern: re.Pattern, *, size: int = SNIPPET_CHARS) -> list[Part]:
    """About `size` characters of the text around its first match (its start if none
    matches), cut at spaces, the matches marked."""
    text = " ".join(text.split())
    if len(text) > size:
        match = pattern.search(text)
        start = max(0, (match.start() if match else 0) - size // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < start + 30 else start
        end = start + size
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        text = ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")
    return mark(text, pattern)


def _group(found, words: list[str], limit: int) -> list[Group]:
    """found: (kind key, item, rank), any order → groups, best group first."""
    pattern = _marker(words)
    groups: dict[str, list[Hit]] = {}
    for key, item, rank in found:
        kind = KIND_BY_KEY[key]
        title, text, context, url = _shown(kind, item)
        hit = Hit(key, mark(title, pattern), passage(text, pattern), context, url, rank)
        groups.setdefault(kind.group, []).append(hit)
    ordered = []
    for label, hits in groups.items():
        hits.sort(key=lambda hit: -hit.rank)
        ordered.append(Group(label, hits[:limit], len(hits)))
    ordered.sort(key=lambda g: (-g.hits[0].rank, GROUP_ORDER.index(g.label)))
    return ordered


# --- the three ways to find --------------------------------------------------------------


def _postgres(words: list[str]) -> list:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    # Each word as a prefix (so results follow typing), all of them required; the words
    # are letters and digits only, so nothing here is tsquery syntax but the operators.
    query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw",
                        config="english")
    found = []
    for kind in KINDS:
        vector = None
        for weight, paths in (("A", kind.a), ("B", kind.b), ("C", kind.c)):
            if paths:
                part = SearchVector(*paths, weight=weight, config="english")
                vector = part if vector is None else vector + part
        rows = (
            _rows(kind)
            .annotate(search_vector=vector, search_rank=SearchRank(vector, query))
            .filter(search_vector=query)
            .order_by("-search_rank", "pk")
        )
        found.extend((kind.key, item, item.search_rank) for item in rows)
    return found


def _fts5_query(words: list[str]) -> str:
    return " ".join(f'"{word}"*' for word in words)


def _fts5(words: list[str]) -> list:
    sql = (
        f"SELECT kind, object_id, bm25({TABLE}, 0, 0, 10.0, 4.0, 1.0) FROM {TABLE} "
        f"WHERE {TABLE} MATCH %s ORDER BY 3 LIMIT 500"
    )
    with connection.cursor() as cursor:
        try:
            cursor.execute(sql, [_fts5_query(words)])
        except DatabaseError:  # no index yet (a fresh database): build it, then search
            rebuild_index()
            cursor.execute(sql, [_fts5_query(words)])
        rows = cursor.fetchall()
    ids: dict[str, dict[int, float]] = {}
    for key, object_id, score in rows:
        ids.setdefault(key, {})[int(object_id)] = -float(score)  # bm25: lower is better
    found = []
    for key, ranks in ids.items():
        kind = KIND_BY_KEY.get(key)
        if kind is None:
            continue
        items = _rows(kind).in_bulk(list(ranks))
        found.extend((key, item, ranks[pk]) for pk, item in items.items())
    return found


def _substring(words: list[str]) -> list:
    found = []
    for kind in KINDS:
        condition = Q()
        for word in words:
            any_field = Q()
            for path in kind.fields:
                any_field |= Q(**{f"{path}__icontains": word})
            condition &= any_field
        for item in _rows(kind).filter(condition):
            # Words in the title weigh most, as in the full-text rankings.
            heavy = " ".join(_value(item, path) for path in kind.a).casefold()
            rank = sum(2.0 if word in heavy else 1.0 for word in words)
            found.append((kind.key, item, rank))
    return found


def full_text_method() -> str:
    if connection.vendor == "postgresql":
        return "postgres"
    if connection.vendor == "sqlite":
        return "fts5"
    return "substring"


def search(*, query: str, limit: int = 8, method: str | None = None) -> Results:
    """The course's items matching every word of `query` (each word also as the start of a
    longer one), grouped by kind, each group's best first and at most `limit` of them.
    A query that cannot be searched comes back with `problem` set and no groups."""
    results = Results(query=(query or "").strip()[:MAX_QUERY_LENGTH])
    try:
        results.words = words_of(query)
    except SearchProblem as problem:
        results.problem = problem.message
        return results
    method = method or full_text_method()
    found = []
    if method == "postgres":
        found = _postgres(results.words)
    elif method == "fts5":
        try:
            found = _fts5(results.words)
        except DatabaseError:  # SQLite built without FTS5: the plain way still works
            logger.warning("FTS5 search failed; searching by substring", exc_info=True)
            method = "substring"
    if not found:
        # Nothing by whole words (a fragment inside a word, a stop word): try substrings.
        found, method = _substring(results.words), "substring"
    results.method = method
    results.groups = _group(found, results.words, max(1, limit))
    return results
