"""The step before handing in: what was answered, what was not, with a link to each.

"Hand in now" and an assignment's last answer both lead here, so handing in is always a
second, deliberate step (a page, not a script's confirm box: it works without JavaScript).
"""

from dataclasses import dataclass, field

from django.urls import reverse

from quizzes.bank.models import QuestionKind
from quizzes.practice.models import Response

KIND_LABELS = dict(QuestionKind.choices)


@dataclass(frozen=True)
class ReviewRow:
    number: int
    kind_label: str
    prompt: str
    answered: bool
    url: str


@dataclass
class HandInReview:
    attempt_id: int
    rows: list = field(default_factory=list)

    @property
    def answered(self) -> list:
        return [row for row in self.rows if row.answered]

    @property
    def unanswered(self) -> list:
        return [row for row in self.rows if not row.answered]


def hand_in_review(*, attempt) -> HandInReview:
    """Every question of the attempt in order, each linked back: an answered one to what
    its page showed after answering, an unanswered one to its question. One query."""
    page = reverse("quizzes:attempt", args=[attempt.pk])
    rows = []
    for position, kind, prompt, answered_at in (
        Response.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("position", "question__kind", "question__prompt", "answered_at")
    ):
        answered = answered_at is not None
        rows.append(
            ReviewRow(
                number=position + 1, kind_label=KIND_LABELS.get(kind, kind), prompt=prompt,
                answered=answered,
                url=f"{page}?{'feedback' if answered else 'question'}={position}",
            )
        )
    return HandInReview(attempt_id=attempt.pk, rows=rows)
