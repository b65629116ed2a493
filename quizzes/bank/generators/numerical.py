"""Numerical: the year an event happened, typed as a number. The exact year earns full
credit and a year either side half, with feedback that says which way it was off."""

import re

from quizzes.bank.generators.base import CourseContent, QuestionDraft, explain, make_draft
from quizzes.bank.models import QuestionKind

KIND = QuestionKind.NUMERICAL
GENERATOR = "num.event_year"
_HAS_YEAR = re.compile(r"\b\d{4}\b")


def _answers(year: int) -> list[dict]:
    return [
        {"value": year, "tolerance": 0, "weight": 100, "feedback": "", "range": False},
        {
            "value": year, "tolerance": 1, "weight": 50, "range": False,
            "feedback": f"One year off: it was {year}.",
        },
    ]


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    for event in content.events:
        # A title that names a year, or an event spread over years, has no one number to type.
        if _HAS_YEAR.search(event.title) or (event.end_year and event.end_year != event.year):
            continue
        drafts.append(
            make_draft(
                kind=KIND,
                generator=GENERATOR,
                prompt=f"In what year did this happen? {event.title}.",
                body={},
                answer={"answers": _answers(event.year)},
                explanation=explain(
                    f"{event.title}: {event.when}.", event.significance, citation=event.citation
                ),
                item=event,
            )
        )
    return drafts
