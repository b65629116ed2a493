"""Fill in the blank: a typed answer, graded as forgivingly as a teacher would
(quizzes.bank.grading). body {}, answer {"text": str, "alternatives": [str]}.

GIFT's short-answer question ({=a =b}) is read as one, and written back the same way.
"""

from collections.abc import Mapping

from quizzes.bank.drafts import QuestionDraft
from quizzes.bank.gift_syntax import GiftProblem, escape
from quizzes.bank.grading import accepted_answers, grade_typed
from quizzes.bank.kinds.base import (
    Kind,
    OverlongAnswer,
    Score,
    UnreadableAnswer,
    key_of,
    posted_value,
    text_problems,
)

# The field a page posts the typed answer in, and the longest answer it may post.
TEXT_FIELD = "text"
MAX_TYPED_LENGTH = 200
# What a simulated learner types when they get it wrong.
WRONG_TYPED_ANSWER = "Vladivostok"


def _as_one_answer(text: str) -> str | None:
    # Typed answers that differ in case and spacing only count as one answer.
    cleaned = " ".join(text.split()).casefold()
    return cleaned[:200] or None


class Cloze(Kind):
    code = "cloze"
    widget = "typed"
    form_path = "quizzes.bank.forms.ClozeQuestionForm"

    def shape_problems(self, *, body, answer):
        problems = []
        alternatives = answer.get("alternatives", [])
        if not str(answer.get("text", "")).strip():
            problems.append("A fill-in-the-blank answer needs its “text”.")
        if not isinstance(alternatives, list) or not all(isinstance(a, str) for a in alternatives):
            problems.append("“alternatives” must be a list of texts.")
        return problems

    def draft_problems(self, draft):
        problems = []
        if not draft.answers or not draft.answers[0].strip():
            problems.append("Give the answer.")
        return problems + text_problems(draft.answers)

    def question_data(self, draft, *, old_body):
        answers = [a.strip() for a in draft.answers if a.strip()]
        return {"body": {}, "answer": {"text": answers[0], "alternatives": answers[1:]}}

    def draft_fields(self, *, body, answer):
        return {"answers": [answer.get("text", ""), *answer.get("alternatives", [])]}

    def page_fields(self, *, question, tokens, rng):
        return {}  # a text box, which QuestionView describes by default

    def read_answer(self, *, question, data, tokens):
        text = posted_value(data, TEXT_FIELD, missing="Type an answer.")
        if len(text) > MAX_TYPED_LENGTH:
            raise OverlongAnswer(
                f"That answer is too long: keep it under {MAX_TYPED_LENGTH} characters."
            )
        if not text.strip():
            raise UnreadableAnswer("Type an answer.")
        return {"text": text.strip()}

    def posted_fields(self, *, question, tokens, right):
        return {TEXT_FIELD: key_of(question)["text"] if right else WRONG_TYPED_ANSWER}

    def score(self, *, question, submitted):
        key = key_of(question)
        right, close = grade_typed(
            typed=str(submitted.get("text", "")), accepted=accepted_answers(key)
        )
        display = key.get("text", "")
        message = (
            f"Accepted as a close spelling of “{display}”; check the spelling." if close else ""
        )
        return Score(1.0 if right else 0.0, message, close_match=close)

    def correct_display(self, *, question):
        return key_of(question).get("text", "")

    def answer_text(self, *, question, answer):
        return answer.get("text", "")

    def describe_answer(self, *, body, answer):
        if isinstance(answer, Mapping):
            text = answer.get("text")
            return _as_one_answer(text) if isinstance(text, str) else None
        # Answers stored as the bare text.
        return _as_one_answer(answer) if isinstance(answer, str) else None

    def gift_lines(self, draft):
        return [f"={escape(text)}" for text in draft.answers if text.strip()]

    def read_gift(self, block):
        """=answer =alternative …: whatever answers no other kind claimed."""
        if any(answer.weight not in (None, 100) for answer in block.answers):
            raise GiftProblem("Partial credit (%…%) is not supported.")
        return QuestionDraft(
            kind=self.code, prompt="", answers=[answer.text for answer in block.answers],
            explanation=block.explanation,
        )
