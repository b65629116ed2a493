"""Item-writing rules for one question each: a rule returns what is wrong ([] if nothing).

Every rule reads a Subject (a bank row or a draft) and the Course; none knows which
generator made the question, so the rules hold for written and imported questions too,
as far as what they need (the content item behind it) is known.
"""

import re

from quizzes.bank.answers import MAX_BLANK_WORDS, defensible_blank, listed_forms
from quizzes.bank.facts import visible_text
from quizzes.bank.generators.base import (
    SIDE_GIVEAWAYS,
    answer_shape,
    is_collective,
    role_words,
)
from quizzes.bank.generators.choosing import holder_phrases, lengths_alike
from quizzes.bank.grading import CHOICE_KINDS, accepted_answers, grade_typed, normalize_answer
from quizzes.bank.periods import same_period
from quizzes.bank.wording import (
    article_fits,
    asides,
    content_stems,
    shared_stems,
    shared_words,
    starts_with_article,
    term_form,
    word_before,
    words,
)

BLANK = "_____"
LABEL_KINDS = frozenset({"tf", "side"})  # options are fixed labels, not answers to weigh
BANNED_OPTIONS = frozenset(
    {"all of the above", "none of the above", "both of the above", "all of these", "none of these"}
)
# The writer's verdict on a position ("is right to hold"), not the position's own words.
EVALUATIVE = re.compile(
    r"\b(is|are|was|were|be)\s+(right|wrong|correct|mistaken|misguided)\b"
    r"|\b(rightly|wrongly|correctly|mistakenly|wisely|foolishly)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1\d{3}|20\d{2})\b")
_SIDE_LABEL = re.compile(r"\b(critics|proponents) argue this\b", re.IGNORECASE)


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"1\d{3}|20\d{2}", text.strip()))


def _key_forms(subject) -> list[str]:
    forms = [subject.key_text]
    item = subject.item
    if subject.model in ("fact", "term") and normalize_answer(subject.key_text) in {
        normalize_answer(f) for f in _item_forms(item)
    }:
        forms += _item_forms(item)
    return forms


def _item_forms(item) -> list[str]:
    if item._meta.model_name == "fact":
        return [item.answer, *item.alternative_list]
    return [item.term, *item.alternative_list]


def _inserted(statement: str, blanked: str) -> str | None:
    """What a statement puts where its sentence has the blank, or None if it differs."""
    before, _blank, after = blanked.partition(BLANK)
    if not (statement.startswith(before) and statement.endswith(after)):
        return None
    return statement[len(before) : len(statement) - len(after)]


def _statement(subject) -> str:
    return subject.prompt.removeprefix("True or false? ")


# --- one defensible answer -------------------------------------------------------------------


def one_defensible_answer(subject, course) -> list[str]:
    problems = []
    if subject.kind in CHOICE_KINDS:
        folded = [normalize_answer(o["text"]) for o in subject.options]
        if len(set(folded)) != len(folded):
            problems.append("two options read the same")
        accepted = _key_forms(subject)
        for text in subject.distractors:
            if subject.kind not in LABEL_KINDS and grade_typed(typed=text, accepted=accepted)[0]:
                problems.append(f"“{text}” is also a right answer")
        event = subject.item if subject.model == "event" else None
        if event is not None:
            last = event.end_year or event.year
            for text in subject.distractors:
                if _is_year(text) and event.year <= int(text) <= last:
                    problems.append(f"{text} falls inside {event.when}")
                other = course.events_by_title.get(normalize_answer(text))
                if other is not None and other.year <= last and event.year <= (
                    other.end_year or other.year
                ):
                    problems.append(f"“{text}” also happened in {event.when}")
    elif subject.kind == "cloze":
        if len(words(subject.key_text)) > MAX_BLANK_WORDS:
            problems.append("the blank is a whole phrase, not a word or a short name")
        if subject.model == "fact" and not defensible_blank(subject.item, course.content):
            problems.append(f"other words than “{subject.key_text}” fit the blank")
    return problems


# --- clues ---------------------------------------------------------------------------------


def no_clue_in_stem(subject, course) -> list[str]:
    if subject.kind in LABEL_KINDS or subject.kind not in CHOICE_KINDS | {"cloze"}:
        return []
    shared = shared_words(subject.prompt, subject.key_text)
    return [f"the stem and the key share “{w}”" for w in sorted(shared)]


def definition_names_term(subject, course) -> list[str]:
    problems = []
    pairs = []
    if subject.model == "term" and subject.kind != "match":
        shown = subject.prompt
        if subject.kind == "mcq":
            shown += " " + subject.key_text
        pairs.append((subject.item, shown))
    for source in ((subject.answer or {}).get("sources") or {}).values():
        term = course.by_key.get(source.get("item"))
        if term is not None and term._meta.model_name == "term":
            pairs.append((term, term.definition))
    for term, shown in pairs:
        for form in [term.term, *term.alternative_list]:
            shown = re.sub(re.escape(form), " ", shown, flags=re.IGNORECASE)
        shared = shared_stems(content_stems(term.term), content_stems(shown))
        if shared:
            problems.append(f"the definition of “{term.term}” repeats “{sorted(shared)[0]}”")
    return problems


# --- options -------------------------------------------------------------------------------


def _people_problems(key_text, course, texts) -> list[str]:
    people = [course.people.get(normalize_answer(t)) for t in texts]
    if not any(people):
        return []
    if not all(people):
        return ["people mixed with other kinds of option"]
    key = course.people.get(normalize_answer(key_text))

    problems = []
    for person in people:
        if key is None or person.pk == key.pk:
            continue
        standing = (person.is_panelist, person.is_source_voice or is_collective(person))
        if standing != (key.is_panelist, key.is_source_voice or is_collective(key)):
            problems.append(f"“{person.name}” is not of the same standing as “{key.name}”")
        elif not key.is_panelist and not role_words(key) & role_words(person):
            problems.append(f"“{person.name}” has another role than “{key.name}”")
    return problems


def homogeneous_options(subject, course) -> list[str]:
    if subject.kind not in CHOICE_KINDS or subject.kind in LABEL_KINDS:
        return []
    texts = [o["text"] for o in subject.options]
    problems = []
    years = [_is_year(t) for t in texts]
    if any(years) and not all(years):
        problems.append("years mixed with other kinds of option")
    elif all(years) and _is_year(subject.key_text):
        key_year = int(subject.key_text)
        for text in texts:
            if not same_period(key_year, int(text), course.periods):
                problems.append(f"{text} is from another period than {key_year}")
    problems += _people_problems(subject.key_text, course, texts)
    glossary = [t for t in texts if normalize_answer(t) in course.term_forms]
    if len(glossary) == len(texts) and len({term_form(t) for t in texts}) > 1:
        problems.append("names mixed with common terms")
    if len({t.rstrip().endswith(".") for t in texts}) > 1:
        problems.append("some options end with a full stop, others do not")
    if not lengths_alike(texts):
        lengths = [len(t) for t in texts]
        problems.append(f"options of very different lengths ({min(lengths)}–{max(lengths)})")
    return problems


def no_grammar_cue(subject, course) -> list[str]:
    problems = []
    if subject.kind == "mcq" and BLANK in subject.prompt:
        before = word_before(subject.prompt, BLANK)
        misfits = [t for t in (o["text"] for o in subject.options) if not article_fits(before, t)]
        if misfits:
            problems.append(f"“{before} _____” does not fit “{misfits[0]}”")
        if before in ("a", "an", "the") and any(starts_with_article(o["text"])
                                                for o in subject.options):
            problems.append("an article before the blank and another in an option")
    if subject.kind == "tf" and subject.model == "fact":
        value = _inserted(_statement(subject), subject.item.blanked_text)
        before = word_before(subject.item.blanked_text, BLANK)
        if value and article_fits(before, subject.item.answer) and not article_fits(before, value):
            problems.append(f"“{before} {value}” does not read right")
    return problems


def no_all_of_the_above(subject, course) -> list[str]:
    return [
        f"“{o['text']}” is an option"
        for o in subject.options
        if normalize_answer(o["text"]) in BANNED_OPTIONS
    ]


# --- true or false -------------------------------------------------------------------------


def _is_false_statement(subject) -> bool:
    return subject.kind == "tf" and normalize_answer(subject.key_text) == "false"


def plausible_false_statement(subject, course) -> list[str]:
    if not _is_false_statement(subject) or subject.item is None:
        return []
    item, statement = subject.item, _statement(subject)
    if subject.model == "event":
        own = set(_YEAR.findall(item.title))
        return [
            f"{year} is from another period than {item.year}"
            for year in _YEAR.findall(statement)
            if year not in own and not same_period(item.year, int(year), course.periods)
        ]
    if subject.model == "fact":
        value = _inserted(statement, item.blanked_text)
        if value is None:
            return []
        note = item.editor_note
        if note and normalize_answer(note.source_says) == normalize_answer(value):
            return []  # the source's own slip: the very mistake a reader could believe
        if _is_year(item.answer):
            ok = _is_year(value) and same_period(int(item.answer), int(value), course.periods)
            return [] if ok else [f"{value} is from another period than {item.answer}"]
        people = course.content.people
        if answer_shape(value, people=people) != answer_shape(item.answer, people=people):
            return [f"“{value}” is another kind of answer than “{item.answer}”"]
        return _people_problems(item.answer, course, [item.answer, value])
    if subject.model == "term":
        for other in course.content.terms:
            shown = other.pk != item.pk and other.definition in statement
            if shown and term_form(other.term) != term_form(item.term):
                return [f"“{item.term}” paired with the meaning of “{other.term}”"]
        return []
    if subject.model == "claim":
        named = [
            p
            for p in course.content.people
            if p.name in statement and p.name not in item.statement and p.pk != item.person_id
        ]
        real = item.person
        return [
            f"“{p.name}” is not of the same standing as “{real.name}”"
            for p in named
            if (p.is_panelist, p.is_source_voice) != (real.is_panelist, real.is_source_voice)
        ]
    return []


def side_neutral_wording(subject, course) -> list[str]:
    if not (subject.kind == "side" or (subject.kind == "tf" and subject.model == "position")):
        return []
    text = _SIDE_LABEL.sub(" ", _statement(subject))
    raw = set(re.findall(r"[a-z]+", text.casefold()))
    problems = [f"“{w}” names a side" for w in sorted(raw & set(SIDE_GIVEAWAYS))]
    problems += [f"“{m.group(0)}” judges the position" for m in EVALUATIVE.finditer(text)]
    debate = getattr(subject.item, "debate", None)
    if debate is not None:
        folded = f" {normalize_answer(text)} "
        problems += [
            f"“{phrase}” names who holds it"
            for phrase in holder_phrases(debate, course.content.positions)
            if f" {phrase} " in folded
        ]
    return problems


def no_answering_parenthetical(subject, course) -> list[str]:
    if subject.kind not in CHOICE_KINDS | {"cloze"}:
        return []
    texts = [subject.prompt, *(o["text"] for o in subject.options)]
    return [f"an aside: “({aside})”" for text in texts for aside in asides(text)]


# --- typed answers, citations, twins -------------------------------------------------------


def typed_accepts_listed_forms(subject, course) -> list[str]:
    if subject.kind != "cloze" or subject.model not in ("fact", "term"):
        return []
    accepted = accepted_answers(subject.answer)
    if subject.model == "fact":
        listed = listed_forms(subject.item, course.content, notes=course.content.notes)
    else:
        listed = [subject.item.term, *subject.item.alternative_list]
    return [
        f"“{form}” is refused"
        for form in listed
        if not grade_typed(typed=form, accepted=accepted)[0]
    ]


def each_pair_cited(subject, course) -> list[str]:
    if subject.kind not in ("match", "order") or subject.item is None and not subject.generator:
        return []
    body, answer = subject.body or {}, subject.answer or {}
    keys = list(answer.get("pairs") or {}) or list(answer.get("order") or [])
    sources = answer.get("sources") or {}
    problems = [f"“{key}” has no citation of its own" for key in keys
                if not (sources.get(key) or {}).get("citation")]
    if subject.note is not None and body:
        problems.append("one editor's note for the whole question, not per pair")
    return problems


def written_answer_hidden_and_cited(subject, course) -> list[str]:
    """A written answer can be marked and says where its points come from: a model answer,
    at least two criteria (one criterion is a verdict, not a rubric), a citation for each
    item a generated one comes from, and a prompt that does not already hold the model
    answer's first point."""
    if subject.kind != "essay":
        return []
    answer = subject.answer or {}
    problems = []
    model = (answer.get("model") or "").strip()
    if not model:
        problems.append("no model answer")
    if len(answer.get("rubric") or []) < 2:
        problems.append("a rubric of fewer than two criteria")
    sources = answer.get("sources") or {}
    if subject.generator and (not sources or not all(
        (s or {}).get("cited") for s in sources.values()
    )):
        problems.append("an item it comes from is not cited")
    first = re.split(r"(?<=[.!?])\s", model, maxsplit=1)[0]
    if len(words(first)) >= 4 and normalize_answer(first) in normalize_answer(subject.prompt):
        problems.append("the prompt holds the model answer")
    return problems


def twins_known_to_the_draw(subject, course) -> list[str]:
    """The stored fact keys cover what the question asks and shows, so the draw can keep
    twins (one fact stored under several items) out of one quiz."""
    asks = course.index.asks(item=subject.item, answer=subject.answer)
    text = visible_text(prompt=subject.prompt, body=subject.body, answer=subject.answer,
                        explanation=subject.explanation, note=subject.note)
    reveals = course.index.reveals(text=text, asks=asks)
    missing = (set(asks) - set(subject.asks)) | (set(reveals) - set(subject.reveals)
                                                  - set(subject.asks))
    return [f"{key} is not among its stored fact keys" for key in sorted(missing)]
