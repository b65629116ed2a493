"""True or false: a choice kind whose two options are always True and False, in that order."""

import re

from quizzes.bank.drafts import QuestionDraft
from quizzes.bank.kinds.base import ChoiceKind, keep_keys

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
        return {"body": {"options": options}, "answer": {"key": keys[0 if draft.truth else 1]}}

    def draft_fields(self, *, body, answer):
        texts = {o["key"]: o["text"] for o in body.get("options", [])}
        return {
            "truth": texts.get(answer.get("key"), "").strip().casefold() in {"true", "t", "yes"}
        }

    def gift_lines(self, draft):
        return ["TRUE" if draft.truth else "FALSE"]

    def read_gift(self, block):
        """{T}, {TRUE}, {F} or {FALSE}, with nothing marked = or ~."""
        word = block.text.split("#", 1)[0].strip().upper()
        if word not in GIFT_TRUE | GIFT_FALSE or re.search(r"[=~]", block.text):
            return None
        return QuestionDraft(
            kind=self.code, prompt="", truth=word in GIFT_TRUE, explanation=block.explanation
        )
