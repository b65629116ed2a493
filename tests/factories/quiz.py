"""The question bank and attempts, and a small course built from factories."""

import datetime

import factory
from django.utils import timezone

from quizzes.models import Attempt, Question, QuestionKind, Response
from tests.factories.content import (
    CitationFactory,
    ClaimFactory,
    DebateFactory,
    EditorNoteFactory,
    EraFactory,
    EventFactory,
    FactFactory,
    LessonFactory,
    PersonFactory,
    PositionFactory,
    SectionFactory,
    TermFactory,
    UserFactory,
)

__all__ = [
    "AttemptFactory",
    "QuestionFactory",
    "ResponseFactory",
    "make_question",
    "small_course",
]


def _options(*texts):
    return [{"key": f"k{index}", "text": text} for index, text in enumerate(texts)]


# A valid body and answer for each kind, keyed by kind.
SAMPLE_QUESTIONS = {
    QuestionKind.MULTIPLE_CHOICE: {
        "prompt": "Which river marks much of the border?",
        "body": {"options": _options("Yalu River", "Han River", "Mekong River", "Amur River")},
        "answer": {"key": "k0"},
    },
    QuestionKind.TRUE_FALSE: {
        "prompt": "True or false? The armistice was signed in 1953.",
        "body": {"options": _options("True", "False")},
        "answer": {"key": "k0"},
    },
    QuestionKind.WHO_ARGUED: {
        "prompt": "Who made this argument? Leverage is modest.",
        "body": {"options": _options("Samuel S. Kim", "Chen Jian", "Hazel Smith")},
        "answer": {"key": "k0"},
    },
    QuestionKind.WHICH_SIDE: {
        "prompt": "Which side argues this? Tolerance shields the regime.",
        "body": {"options": _options("Critics", "Proponents")},
        "answer": {"key": "k0"},
    },
    QuestionKind.MATCHING: {
        "prompt": "Match each description to its term.",
        "body": {
            "left": _options("Talks among six states", "The main border city", "A truce"),
            "right": _options("six-party talks", "Dandong", "armistice"),
        },
        "answer": {"pairs": {"k0": "k0", "k1": "k1", "k2": "k2"}},
    },
    QuestionKind.ORDERING: {
        "prompt": "Put these events in order, earliest first.",
        "body": {
            "items": _options(
                "Korean War begins", "Armistice", "Six-party talks begin", "Xi takes office"
            )
        },
        "answer": {"order": ["k0", "k1", "k2", "k3"]},
    },
    QuestionKind.CLOZE: {
        "prompt": "Fill in the blank: The capital of North Korea is _____.",
        "body": {},
        "answer": {"text": "Pyongyang", "alternatives": ["P'yŏngyang"]},
    },
    QuestionKind.MULTIPLE_ANSWER: {
        "prompt": "Which two rivers form the border? Tick every one.",
        "body": {"options": _options("Yalu", "Tumen", "Han", "Taedong")},
        "answer": {
            "weights": {"k0": 50.0, "k1": 50.0, "k2": -50.0, "k3": -50.0},
            "feedback": {"k2": "The Han runs through Seoul."},
        },
    },
    QuestionKind.NUMERICAL: {
        "prompt": "In what year was the armistice signed?",
        "body": {},
        "answer": {
            "answers": [
                {"value": 1953, "tolerance": 0, "weight": 100, "feedback": "", "range": False},
                {"value": 1953, "tolerance": 1, "weight": 50, "feedback": "One year off.",
                 "range": False},
            ]
        },
    },
    QuestionKind.WRITTEN: {
        "prompt": "Explain why China saved the North Korean state in the Korean War.",
        "body": {},
        "answer": {
            "model": "A buffer state on its border mattered more to Beijing than the cost.",
            "rubric": [
                {"key": "r0", "text": "Names the buffer on China's border", "points": 2},
                {"key": "r1", "text": "Weighs the cost of the war", "points": 1},
            ],
        },
    },
    QuestionKind.DESCRIPTION: {
        "prompt": "The next questions are about the armistice of 27 July 1953.",
        "body": {},
        "answer": {},
    },
}


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    kind = QuestionKind.MULTIPLE_CHOICE
    prompt = factory.LazyAttribute(lambda q: SAMPLE_QUESTIONS[q.kind]["prompt"])
    body = factory.LazyAttribute(lambda q: SAMPLE_QUESTIONS[q.kind]["body"])
    answer = factory.LazyAttribute(lambda q: SAMPLE_QUESTIONS[q.kind]["answer"])
    explanation = "Because the lesson says so."
    fingerprint = factory.Sequence(lambda n: f"factory-{n:06d}")
    origin = Question.Origin.GENERATED


def make_question(kind, **overrides) -> Question:
    return QuestionFactory(kind=kind, **overrides)


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attempt

    user = factory.SubFactory(UserFactory)
    seed = factory.Sequence(lambda n: 1000 + n)
    started_at = factory.LazyFunction(timezone.now)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    attempt = factory.SubFactory(AttemptFactory)
    position = factory.Sequence(int)
    question = factory.SubFactory(QuestionFactory)


def small_course() -> dict:
    """Two lessons with enough of every item for every generator to have something to do."""
    first = LessonFactory(slug="war-and-alliance", title="War and alliance", order=1)
    second = LessonFactory(slug="border-and-trade", title="Border and trade", order=2)
    first_section = SectionFactory(lesson=first, slug="the-war", heading="The war")
    second_section = SectionFactory(lesson=second, slug="the-border", heading="The border")
    cold_war = EraFactory(slug="cold-war", name="Cold War", order=1)
    after = EraFactory(slug="after-cold-war", name="After the Cold War", order=2)
    xi_era = EraFactory(slug="xi-era", name="The Xi era", order=3)
    founding = EraFactory(slug="founding", name="Founding", order=0)
    early = EraFactory(slug="early", name="Early", order=4)

    def event(lesson, section, era, title, year, **extra):
        return EventFactory(
            lesson=lesson,
            section=section,
            era=era,
            title=title,
            year=year,
            citation=section.citation,
            **extra,
        )

    events = [
        event(first, first_section, founding, "The communists win in China", 1949),
        event(first, first_section, early, "Chinese troops enter the Korean War", 1950),
        event(
            first,
            first_section,
            cold_war,
            "The armistice is signed",
            1953,
            date=datetime.date(1953, 7, 27),
        ),
        event(first, first_section, cold_war, "A quarrel over dissidents who fled", 1956),
        event(
            second, second_section, after, "Six-party talks open in Beijing", 2003, end_year=2009
        ),
        event(second, second_section, xi_era, "Xi Jinping becomes leader", 2012),
    ]
    chen = PersonFactory(name="Chen Jian", affiliation="University of Virginia", slug="chen-jian")
    kim = PersonFactory(name="Samuel S. Kim", affiliation="Columbia University", slug="samuel-kim")
    smith = PersonFactory(
        name="Hazel Smith", affiliation="University of Warwick", slug="hazel-smith"
    )
    claims = [
        ClaimFactory(
            lesson=first,
            section=first_section,
            person=chen,
            topic="unease",
            statement="The relationship was uneasy from the very start.",
        ),
        ClaimFactory(
            lesson=first,
            section=first_section,
            person=chen,
            topic="ideology",
            statement="Beijing has lost its ideological hold and keeps only money.",
        ),
        ClaimFactory(
            lesson=first,
            section=first_section,
            person=kim,
            topic="leverage",
            statement="China's leverage is small beside America's power.",
        ),
        ClaimFactory(
            lesson=first,
            section=first_section,
            person=kim,
            topic="wish-list",
            statement="Beijing's wish list is a string of five refusals.",
        ),
        ClaimFactory(
            lesson=second,
            section=second_section,
            person=smith,
            topic="migration",
            statement="Border crossings matter less than many analysts assume.",
        ),
        ClaimFactory(
            lesson=second,
            section=second_section,
            person=smith,
            topic="provinces",
            statement="Each border province tells a different story.",
        ),
    ]
    debate = DebateFactory(
        lesson=second,
        section=second_section,
        slug="stability",
        title="Stability or leverage",
        question="Does tolerance help?",
    )
    positions = [
        PositionFactory(
            debate=debate,
            side="critics",
            holder="Those who fault Beijing",
            statement="Tolerance shields Pyongyang from pressure to reform.",
        ),
        PositionFactory(
            debate=debate,
            side="proponents",
            holder="Those who back Beijing",
            statement="Gradual pressure keeps the region calm.",
        ),
    ]
    terms = [
        TermFactory(
            lesson=first,
            section=first_section,
            term="armistice",
            definition="An agreement that stops the fighting without a peace treaty.",
        ),
        TermFactory(
            lesson=first,
            section=first_section,
            term="buffer state",
            definition="A country between rivals that keeps them apart.",
        ),
        TermFactory(
            lesson=first,
            section=first_section,
            term="juche",
            definition="North Korea's official doctrine of self-reliance.",
        ),
        TermFactory(
            lesson=second,
            section=second_section,
            term="six-party talks",
            alternatives="six party talks",
            definition="Negotiations among six states on the nuclear question.",
        ),
        TermFactory(
            lesson=second,
            section=second_section,
            term="Dandong–Sinuiju corridor",
            definition="The busiest crossing point for trade over the river.",
        ),
        TermFactory(
            lesson=second,
            section=second_section,
            term="sanctions",
            definition="Penalties that states agree to impose on another.",
        ),
    ]
    note = EditorNoteFactory(
        source_says="Kim Jung Il",
        correction="Kim Il Sung",
        lesson=first,
        citation=CitationFactory(),
    )
    kim_il_sung = PersonFactory(
        name="Kim Il Sung", is_panelist=False, role="leader", slug="kim-il-sung"
    )
    kim_jong_il = PersonFactory(
        name="Kim Jong Il", is_panelist=False, role="leader", slug="kim-jong-il"
    )
    facts = [
        FactFactory(
            lesson=first,
            section=first_section,
            topic="war",
            text="The armistice was signed in [[1953]].",
        ),
        FactFactory(
            lesson=first,
            section=first_section,
            topic="war",
            editor_note=note,
            text="China's intervention saved the regime of [[Kim Il Sung]].",
        ),
        FactFactory(
            lesson=second,
            section=second_section,
            topic="border",
            text="Much of the border follows the [[Yalu River|Yalu|Amnok River]].",
        ),
        FactFactory(
            lesson=second,
            section=second_section,
            topic="border",
            text="The busiest border town on the Chinese side is [[Dandong]].",
        ),
        FactFactory(
            lesson=second,
            section=second_section,
            topic="panel",
            text="The Wilson Center panel met in [[2003]].",
        ),
        FactFactory(
            lesson=second,
            section=second_section,
            topic="border",
            text="The other border river is the [[Tumen River|Tumen]].",
        ),
    ]
    return {
        "lessons": [first, second],
        "sections": [first_section, second_section],
        "eras": [cold_war, after, xi_era, founding, early],
        "events": events,
        "people": [chen, kim, smith, kim_il_sung, kim_jong_il],
        "claims": claims,
        "debate": debate,
        "positions": positions,
        "terms": terms,
        "facts": facts,
        "note": note,
    }
