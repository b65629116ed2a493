"""Authoring forms for the kinds that give partial credit by weight: multiple answer
(options with weights) and numerical (numbers with tolerances or ranges).

Kept beside quizzes.bank.forms, whose QuestionForm they extend; each kind names its form
by dotted path (Kind.form_path).
"""

import math

from django import forms

from quizzes.bank.drafts import LIMITS, MAX_TEXT, NumericAnswer
from quizzes.bank.forms import QuestionForm
from quizzes.bank.gift_syntax import format_number
from quizzes.bank.kinds.numerical import MAX_ANSWERS


def _text(label, required=False, **kwargs):
    return forms.CharField(label=label, required=required, max_length=MAX_TEXT, **kwargs)


def _number(label, *, required=False, low=None, high=None, **kwargs):
    return forms.FloatField(
        label=label, required=required, min_value=low, max_value=high,
        widget=forms.NumberInput(attrs={"step": "any"}), **kwargs,
    )


class MultipleAnswerQuestionForm(QuestionForm):
    """2 to 8 options, each with a weight in percent and, if wanted, its own feedback."""

    SLOTS = LIMITS["options"][1]

    def add_answer_fields(self):
        self.fields["prompt"].help_text = (
            "Then fill in 2 to 8 options. Give each right option a positive weight (they add "
            "up to 100%) and each wrong one 0 or a negative weight, so that ticking every "
            "option earns nothing."
        )
        for i in range(1, self.SLOTS + 1):
            self.fields[f"option_{i}"] = _text(f"Option {i}", required=i <= 2)
            self.fields[f"weight_{i}"] = _number(
                f"Weight of option {i} (%)", low=-100, high=100,
                help_text="From -100 to 100; empty is 0." if i == 1 else "",
            )
            self.fields[f"feedback_{i}"] = _text(f"Feedback on option {i}")

    def answer_fields(self):
        data = self.cleaned_data
        options, weights, feedback = [], [], []
        for i in range(1, self.SLOTS + 1):
            text = (data.get(f"option_{i}") or "").strip()
            weight = data.get(f"weight_{i}")
            if not text:
                if weight:
                    self.add_error(f"option_{i}", "This option has a weight but no text.")
                continue
            options.append(text)
            weights.append(float(weight or 0))
            feedback.append((data.get(f"feedback_{i}") or "").strip())
        return {
            "options": options, "weights": weights,
            "feedback": feedback if any(feedback) else [],
        }

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        for i, text in enumerate(draft.options, start=1):
            initial[f"option_{i}"] = text
            initial[f"weight_{i}"] = format_number(draft.weights[i - 1])
            if i <= len(draft.feedback):
                initial[f"feedback_{i}"] = draft.feedback[i - 1]
        return initial


class NumericalQuestionForm(QuestionForm):
    """Up to six answers, tried in order: a value with a tolerance, or a range low to high,
    each worth a weight, with its own feedback."""

    SLOTS = MAX_ANSWERS

    def add_answer_fields(self):
        self.fields["prompt"].help_text = (
            "Then give the right number. Either a value and a tolerance (1953 ± 0) or a range "
            "(low to high). More answers with lower weights give partial credit for near "
            "misses; the first answer a number falls within counts."
        )
        for i in range(1, self.SLOTS + 1):
            self.fields[f"value_{i}"] = _number(f"Answer {i}: value", required=i == 1)
            self.fields[f"tolerance_{i}"] = _number(f"Answer {i}: ± tolerance", low=0)
            self.fields[f"low_{i}"] = _number(f"Answer {i}: or from")
            self.fields[f"high_{i}"] = _number(f"Answer {i}: to")
            self.fields[f"weight_{i}"] = _number(
                f"Answer {i}: weight (%)", low=0, high=100,
                help_text="Empty is 100 for the first answer, 0 for the others.",
            )
            self.fields[f"feedback_{i}"] = _text(f"Answer {i}: feedback")
        self.fields["value_1"].required = False
        self.fields["other_feedback"] = _text(
            "Feedback on any other number", help_text="Shown when no answer above matches."
        )

    def answer_fields(self):
        data = self.cleaned_data
        numbers = []
        for i in range(1, self.SLOTS + 1):
            number = self._answer(i, data)
            if number is not None:
                numbers.append(number)
        if not numbers and not self.errors:
            self.add_error("value_1", "Give the right number, or a range.")
        other = (data.get("other_feedback") or "").strip()
        if other:  # Moodle's "*" answer: any other number, worth nothing, with its feedback
            numbers.append(NumericAnswer(None, weight=0.0, feedback=other))
        return {"numbers": numbers}

    def _answer(self, i, data) -> NumericAnswer | None:
        value, low, high = data.get(f"value_{i}"), data.get(f"low_{i}"), data.get(f"high_{i}")
        if any(v is not None and not math.isfinite(v) for v in (value, low, high)):
            self.add_error(f"value_{i}", "Give a finite number.")
            return None
        weight = data.get(f"weight_{i}")
        weight = (100.0 if i == 1 else 0.0) if weight is None else weight
        feedback = (data.get(f"feedback_{i}") or "").strip()
        if low is not None or high is not None:
            if value is not None or low is None or high is None or low > high:
                self.add_error(
                    f"low_{i}", "Give either a value or a range from a low to a high number."
                )
                return None
            return NumericAnswer((low + high) / 2, (high - low) / 2, weight, feedback, True)
        if value is None:
            return None
        return NumericAnswer(value, data.get(f"tolerance_{i}") or 0.0, weight, feedback)

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        slot = 0
        for number in draft.numbers:
            if number.value is None:
                initial["other_feedback"] = number.feedback
                continue
            slot += 1
            if number.as_range:
                initial[f"low_{slot}"] = format_number(number.low)
                initial[f"high_{slot}"] = format_number(number.high)
            else:
                initial[f"value_{slot}"] = format_number(number.value)
                initial[f"tolerance_{slot}"] = format_number(number.tolerance)
            initial[f"weight_{slot}"] = format_number(number.weight)
            initial[f"feedback_{slot}"] = number.feedback
        return initial
