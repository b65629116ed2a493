"""Written answers, marked by a person: explain a panelist's argument, set out both sides of a
debate, say why an event mattered. The model answer and the rubric are built from the items
the question comes from, and each item is cited (answer["sources"]), so the learner who
rates their own answer, and the instructor who marks it, see where every point comes from.
"""

import re
from collections import OrderedDict

from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    make_draft,
    option_key,
    source_line,
)
from quizzes.bank.generators.choosing import debate_topic, display_name
from quizzes.bank.models import QuestionKind
from quizzes.bank.wording import without_asides

KIND = QuestionKind.WRITTEN
CLAIMS = "essay.argument"
DEBATE = "essay.debate"
EVENT = "essay.event"
# An argument is a few of a panelist's claims on one topic: one claim is a fact, not an
# argument to explain, and more than four make an answer no one writes in a quiz.
MIN_CLAIMS, MAX_CLAIMS = 2, 4


def _item_key(item) -> str:
    meta = item._meta
    return f"{meta.app_label}.{meta.model_name}:{item.pk}"


def _cited(citation) -> str:
    return source_line(citation).removeprefix("Source: ").rstrip(".")


def _sources(items) -> dict:
    return {
        _item_key(item): {"item": _item_key(item), "cited": _cited(item.citation)}
        for item in items
    }


def _rubric(salt: str, criteria) -> list[dict]:
    return [
        {"key": option_key(text, salt), "text": text, "points": points}
        for text, points in criteria
    ]


def _sentence(text: str) -> str:
    text = " ".join(without_asides(text).split()).rstrip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


_SENTENCE_END = re.compile(r"(?<=[a-z0-9\)”\"])[.!?]\s+(?=[A-Z“\"])")
# A criterion is one point to look for: the first sentence of what the item says, cut at a
# word if even that is long.
MAX_POINT = 300


def _point(text: str) -> str:
    sentence = _SENTENCE_END.split(_sentence(text), maxsplit=1)[0]
    sentence = sentence if sentence.endswith((".", "?", "!")) else f"{sentence}."
    if len(sentence) <= MAX_POINT:
        return sentence
    return sentence[:MAX_POINT].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _sources_note(items) -> str:
    """One "Source: …" line per passage the items come from, as other explanations end."""
    return " ".join(dict.fromkeys(source_line(item.citation) for item in items))


def argument_questions(content: CourseContent) -> list[QuestionDraft]:
    """A panelist's argument on one topic, in the learner's own words."""
    groups: OrderedDict = OrderedDict()
    for claim in content.claims:
        if claim.person.is_panelist and not claim.person.is_source_voice:
            groups.setdefault((claim.person_id, claim.topic), []).append(claim)
    drafts = []
    for (_person, topic), claims in groups.items():
        if len(claims) < MIN_CLAIMS:
            continue
        claims = claims[:MAX_CLAIMS]
        person = claims[0].person
        name = display_name(person)
        who = f"{name} ({person.affiliation})" if person.affiliation else name
        points = [_sentence(claim.statement) for claim in claims]
        criteria = [(f"Makes this point: {_point(point)}", 1) for point in points]
        criteria.append((f"Presents it as {name}'s argument, explained in the learner's own "
                         "words rather than copied", 1))
        drafts.append(
            make_draft(
                kind=KIND, generator=CLAIMS,
                prompt=(
                    f"In a few sentences of your own, explain the argument {who} made about "
                    f"“{topic.lower()}”."
                ),
                body={},
                answer={
                    "model": f"{name} argued this. " + " ".join(points),
                    "rubric": _rubric(f"{CLAIMS}:{claims[0].pk}", criteria),
                    "sources": _sources(claims),
                },
                explanation=_sources_note(claims),
                item=claims[0],
            )
        )
    return drafts


def debate_questions(content: CourseContent) -> list[QuestionDraft]:
    """Both sides of a debate, each as a position someone holds."""
    from relations.models import Position

    sides: OrderedDict = OrderedDict()
    for position in content.positions:
        sides.setdefault(position.debate_id, {}).setdefault(position.side, position)
    drafts = []
    for positions in sides.values():
        critics = positions.get(Position.Side.CRITICS)
        proponents = positions.get(Position.Side.PROPONENTS)
        if critics is None or proponents is None:
            continue
        debate = critics.debate
        topic = debate_topic(debate, content.positions)
        criteria = [
            (f"Sets out one side ({critics.holder}): {_point(critics.statement)}", 2),
            (f"Sets out the other ({proponents.holder}): {_point(proponents.statement)}", 2),
            ("Presents each side as a position people hold, without deciding between them", 1),
        ]
        drafts.append(
            make_draft(
                kind=KIND, generator=DEBATE,
                prompt=(
                    f"Set out both sides of the debate on “{topic}”: what does each side argue, "
                    "and on what grounds?"
                ),
                body={},
                answer={
                    "model": (
                        f"{critics.holder} argue: {_sentence(critics.statement)} "
                        f"{proponents.holder} answer: {_sentence(proponents.statement)}"
                    ),
                    "rubric": _rubric(f"{DEBATE}:{debate.pk}", criteria),
                    "sources": _sources([critics, proponents]),
                },
                explanation=_sources_note([critics, proponents]),
                item=debate,
            )
        )
    return drafts


def event_questions(content: CourseContent) -> list[QuestionDraft]:
    """Why an event mattered for the two states."""
    drafts = []
    for event in content.events:
        if not (event.significance or "").strip():
            continue
        criteria = [
            (f"Says what happened: {_point(event.summary)}", 1),
            (f"Explains why it mattered: {_point(event.significance)}", 2),
            ("Links what happened to why it mattered, in the learner's own words", 1),
        ]
        drafts.append(
            make_draft(
                kind=KIND, generator=EVENT,
                prompt=(
                    f"“{event.title}” ({event.when}): why did it matter for relations between "
                    "China and North Korea? Answer in a few sentences."
                ),
                body={},
                answer={
                    "model": f"{_sentence(event.summary)} {_sentence(event.significance)}",
                    "rubric": _rubric(f"{EVENT}:{event.pk}", criteria),
                    "sources": _sources([event]),
                },
                explanation=_sources_note([event]),
                item=event,
            )
        )
    return drafts


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    return argument_questions(content) + debate_questions(content) + event_questions(content)
