"""True or false: a choice kind whose two options are always True and False, in that order."""

import re

from quizzes.bank.drafts import QuestionDraft
from quizzes.bank.gift_syntax import escape
from quizzes.bank.kinds.base import ChoiceKind, feedback_list, keep_keys, option_feedback

GIFT_TRUE = {"T", "TRUE"}
GIFT_FALSE = {"F", "FALSE"}


class TrueFalse(ChoiceKind):
    code = "tf"
    form_path = "quizzes.bank.forms.TrueFalseQuestionForm"
    # A shuffled True/False only confuses.
    natural_order = ("True", "False")

    def draft_problems(self, draft):
        return [] if draft.truth is not None else ["Say whether the statement is true or false."]

    def question_data(self, draft, *, old_body):
        keys = keep_keys(old_body.get("options", []), 2)
        options = [{"key": keys[0], "text": "True"}, {"key": keys[1], "text": "False"}]
        answer = {"key": keys[0 if draft.truth else 1], **option_feedback(keys, draft.feedback)}
        return {"body": {"options": options}, "answer": answer}

    def draft_fields(self, *, body, answer):
        texts = {o["key"]: o["text"] for o in body.get("options", [])}
        return {
            "truth": texts.get(answer.get("key"), "").strip().casefold() in {"true", "t", "yes"},
            "feedback": feedback_list([o["key"] for o in body.get("options", [])], answer),
        }

    def gift_lines(self, draft):
        # Moodle: {TRUE#feedback on the wrong answer#feedback on the right answer}.
        word = "TRUE" if draft.truth else "FALSE"
        if not draft.feedback:
            return [word]
        on_true, on_false = (draft.feedback + ["", ""])[:2]
        right, wrong = (on_true, on_false) if draft.truth else (on_false, on_true)
        return [f"{word}#{escape(wrong)}" + (f"#{escape(right)}" if right else "")]

    def read_gift(self, block):
        """{T}, {TRUE}, {F} or {FALSE}, with nothing marked = or ~; then #wrong#right feedback."""
        word, *feedback = block.text.split("#", 2)
        word = word.strip().upper()
        if word not in GIFT_TRUE | GIFT_FALSE or re.search(r"[=~]", block.text):
            return None
        wrong, right = (block.plain(text) for text in (feedback + ["", ""])[:2])
        truth = word in GIFT_TRUE
        on_true, on_false = (right, wrong) if truth else (wrong, right)
        return QuestionDraft(
            kind=self.code, prompt="", truth=truth, explanation=block.explanation,
            feedback=[on_true, on_false] if on_true or on_false else [],
        )
