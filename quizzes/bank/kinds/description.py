"""Description: text shown inside a quiz with nothing to answer (Moodle's description).

body {}, answer {}. The learner reads it and goes on; it earns nothing, counts in no score
and has no line in item analysis (`scored` is False).

GIFT: a question with no answer block at all.
"""

from quizzes.bank.kinds.base import Kind, Score

SEEN = {"seen": True}


class Description(Kind):
    code = "desc"
    widget = "description"
    form_path = "quizzes.bank.written_forms.DescriptionForm"
    graded_on_answer = False
    scored = False
    gift_block = False  # written as its text alone, with no { }

    def shape_problems(self, *, body, answer):
        if body or answer:
            return ["A description has nothing to answer: its body and answer must be {}."]
        return []

    def draft_problems(self, draft):
        return []

    def question_data(self, draft, *, old_body):
        return {"body": {}, "answer": {}}

    def draft_fields(self, *, body, answer):
        return {}

    def page_fields(self, *, question, tokens, rng):
        return {}

    def read_answer(self, *, question, data, tokens):
        return dict(SEEN)  # "Continue" posts nothing else

    def posted_fields(self, *, question, tokens, right):
        return {}

    def score(self, *, question, submitted):
        return Score(0.0)

    def correct_display(self, *, question):
        return ""

    def answer_text(self, *, question, answer):
        return "Read"

    def gift_lines(self, draft):
        return []

    def gift_losses(self, draft) -> list[str]:
        return ["its explanation"] if draft.explanation.strip() else []
