"""Multiple answer: several options may be right, each worth a weight, as in Moodle's
multiple choice with "several answers allowed".

body {"options": [{key, text}]}, answer {"weights": {key: percent}, "feedback": {key: text}}.
The positive weights add up to 100; a wrong option may carry a negative weight so that
ticking everything earns nothing. Credit is the sum of the ticked options' weights, never
below 0 nor above 1. The weights and feedback are in `answer`, so no page shows them before
the question is answered.

GIFT: a block with ~ answers and no = is Moodle's multiple answer ({~%50%a ~%50%b ~%-100%c}).
"""

from collections.abc import Mapping

from quizzes.bank.drafts import LIMITS, QuestionDraft
from quizzes.bank.gift_syntax import GiftProblem, escape, format_number
from quizzes.bank.kinds.base import (
    CHOICE_FIELD,
    Choice,
    Kind,
    Score,
    UnreadableAnswer,
    body_of,
    entry_keys,
    keep_keys,
    key_of,
    text_problems,
)

# The positive weights must add up to 100 percent; Moodle's thirds (33.33333) fall short by
# a hundred-thousandth, so a little slack is allowed.
WEIGHT_SLACK = 0.01


def _weights(question) -> dict:
    weights = key_of(question).get("weights")
    return weights if isinstance(weights, dict) else {}


def _credit(weights: Mapping, keys) -> float:
    total = sum(float(weights.get(key, 0)) for key in set(keys)) / 100
    # Rounded so that three thirds make a whole; never below nothing nor above everything.
    return min(1.0, max(0.0, round(total, 4)))


def weight_problems(weights: list) -> list[str]:
    problems = []
    if any(not isinstance(w, int | float) or not -100 <= w <= 100 for w in weights):
        return ["Every weight must be a number from -100 to 100 (percent)."]
    positive = sum(w for w in weights if w > 0)
    if not positive:
        problems.append("At least one option needs a positive weight.")
    elif abs(positive - 100) > WEIGHT_SLACK:
        problems.append(
            f"The positive weights add up to {format_number(positive)}%; they must add up to 100%."
        )
    return problems


def _texts(body: Mapping, keys) -> str:
    """The options' texts, in the stored order."""
    chosen = set(keys)
    return "; ".join(o["text"] for o in (body or {}).get("options", []) if o["key"] in chosen)


class MultipleAnswer(Kind):
    code = "multi"
    widget = "checkbox"
    form_path = "quizzes.bank.partial_credit_forms.MultipleAnswerQuestionForm"

    def shape_problems(self, *, body, answer):
        problems = []
        keys = entry_keys(body.get("options"), "options", problems)
        weights = answer.get("weights")
        if keys and (not isinstance(weights, dict) or sorted(weights) != sorted(keys)):
            problems.append("“weights” must give every option's key a weight.")
        elif keys:
            problems += weight_problems(list(weights.values()))
        feedback = answer.get("feedback", {})
        if not isinstance(feedback, dict) or not set(feedback) <= set(keys):
            problems.append("“feedback” must be texts by option key.")
        return problems

    def draft_problems(self, draft):
        problems = []
        low, high = LIMITS["options"]
        if not low <= len(draft.options) <= high:
            problems.append(f"A multiple-answer question needs {low} to {high} options.")
        if len(draft.weights) != len(draft.options):
            problems.append("Give every option a weight.")
        else:
            problems += weight_problems(draft.weights)
        return problems + text_problems(draft.options, distinct=True)

    def question_data(self, draft, *, old_body):
        keys = keep_keys(old_body.get("options", []), len(draft.options))
        options = [{"key": k, "text": t.strip()} for k, t in zip(keys, draft.options, strict=True)]
        feedback = {
            key: text.strip()
            for key, text in zip(keys, draft.feedback, strict=False) if text.strip()
        }
        weights = {key: float(w) for key, w in zip(keys, draft.weights, strict=True)}
        return {"body": {"options": options}, "answer": {"weights": weights, "feedback": feedback}}

    def draft_fields(self, *, body, answer):
        options = body.get("options", [])
        weights, feedback = answer.get("weights", {}), answer.get("feedback", {})
        return {
            "options": [o["text"] for o in options],
            "weights": [float(weights.get(o["key"], 0)) for o in options],
            "feedback": (
                [feedback.get(o["key"], "") for o in options] if any(feedback.values()) else []
            ),
        }

    def page_fields(self, *, question, tokens, rng):
        options = list(body_of(question).get("options", []))
        rng.shuffle(options)
        return {"options": [Choice(tokens.token(o["key"]), o["text"]) for o in options]}

    def read_answer(self, *, question, data, tokens):
        values = data.getlist(CHOICE_FIELD) if hasattr(data, "getlist") else data.get(CHOICE_FIELD)
        if isinstance(values, str):
            values = [values]
        values = list(values or [])
        if not values:
            raise UnreadableAnswer("Tick at least one option.")
        keys = [o["key"] for o in body_of(question)["options"]]
        if len(values) > len(keys) or not all(isinstance(v, str) for v in values):
            raise UnreadableAnswer("That is not a set of this question's options.")
        chosen = set()
        for value in values:
            key = tokens.key_for(value, keys)
            if key is None:
                raise UnreadableAnswer("That is not one of the options for this question.")
            chosen.add(key)
        # In the stored order, so the same ticks are the same answer however they were sent.
        return {"keys": [key for key in keys if key in chosen]}

    def posted_fields(self, *, question, tokens, right):
        weights = _weights(question)
        keys = [o["key"] for o in body_of(question)["options"]]
        if right:
            chosen = [k for k in keys if float(weights.get(k, 0)) > 0]
        else:
            chosen = [k for k in keys if float(weights.get(k, 0)) <= 0][:1] or keys[:1]
        return {CHOICE_FIELD: [tokens.token(key) for key in chosen]}

    def score(self, *, question, submitted):
        keys = submitted.get("keys") or []
        credit = _credit(_weights(question), keys)
        feedback = key_of(question).get("feedback") or {}
        notes = [feedback[key] for key in keys if feedback.get(key)]
        if 0 < credit < 1:
            notes.insert(0, f"Partly right: {round(100 * credit)}% of the marks.")
        return Score(credit, " ".join(notes))

    def correct_display(self, *, question):
        weights = _weights(question)
        return _texts(body_of(question), [k for k, w in weights.items() if float(w) > 0])

    def answer_text(self, *, question, answer):
        return _texts(body_of(question), answer.get("keys") or [])

    def describe_answer(self, *, body, answer):
        if not isinstance(answer, Mapping) or not isinstance(answer.get("keys"), list):
            return None
        return _texts(body, answer["keys"]) or None

    def gift_lines(self, draft):
        lines = []
        for index, text in enumerate(draft.options):
            weight = draft.weights[index]
            marker = f"~%{format_number(weight)}%" if weight else "~"
            feedback = draft.feedback[index] if index < len(draft.feedback) else ""
            lines.append(marker + escape(text) + (f"#{escape(feedback)}" if feedback else ""))
        return lines

    def read_gift(self, block):
        """~%50%right ~%50%right ~%-100%wrong: tildes only (an = would make it single choice)."""
        if "~" not in block.text or "=" in block.text:
            return None
        answers = block.answers
        weights = [answer.weight or 0.0 for answer in answers]
        problems = weight_problems(weights)
        if problems:
            raise GiftProblem(" ".join(problems))
        return QuestionDraft(
            kind=self.code, prompt="", options=[a.text for a in answers], weights=weights,
            feedback=[a.feedback for a in answers] if any(a.feedback for a in answers) else [],
            explanation=block.explanation,
        )
