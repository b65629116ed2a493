"""A question as a student would see it on the attempt page, for an instructor's preview:
the same kind's fields in a shuffled order and the same answer partial, but no attempt,
no response and nothing that could be posted (the option values are placeholders that
mean nothing to the answer view)."""

import random
from dataclasses import replace

from quizzes.bank.kinds import KINDS
from quizzes.practice.presenting import KIND_LABELS, QUESTION_PAGE, QuestionView


class PreviewTokens:
    """Placeholder option values: distinct on the page, and never an answer key."""

    def __init__(self):
        self._values: dict[str, str] = {}

    def token(self, key: str) -> str:
        return self._values.setdefault(key, f"preview-{len(self._values) + 1}")

    def key_for(self, value: str, keys) -> str | None:
        return None


def present_preview(*, question, seed: int | None = None) -> QuestionView:
    """The question view a student's page would get for `question` (one of several option
    orders, as each attempt shuffles its own), with no action to post to."""
    kind = KINDS.get(question.kind)
    shown = {}
    if kind is not None:
        rng = random.Random(seed if seed is not None else question.pk)
        shown = kind.page_fields(question=question, tokens=PreviewTokens(), rng=rng)
    view = QuestionView(
        attempt_id=0, position=0, number=1, total=1, kind=question.kind,
        kind_label=KIND_LABELS.get(question.kind, question.kind), prompt=question.prompt,
        action="", answer_template=f"{QUESTION_PAGE}#answer_{kind.widget}" if kind else "",
    )
    return replace(view, **shown)
