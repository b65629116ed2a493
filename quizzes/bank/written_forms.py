"""Authoring forms for the kinds no server grades: a written answer (a model answer and a
rubric of criteria with points) and a description (text alone).

Kept beside quizzes.bank.forms, whose QuestionForm they extend; each kind names its form
by dotted path (Kind.form_path).
"""

from django import forms

from quizzes.bank.drafts import MAX_PROMPT, MAX_TEXT
from quizzes.bank.forms import QuestionForm
from quizzes.bank.kinds.written import MAX_CRITERIA, MAX_POINTS


class WrittenAnswerQuestionForm(QuestionForm):
    """The prompt, what a full answer says, and up to eight criteria with points each."""

    SLOTS = MAX_CRITERIA

    def add_answer_fields(self):
        self.fields["prompt"].help_text = (
            "Then write what a full answer says, and the criteria it is marked against. "
            "Neither is shown until the learner has answered."
        )
        self.fields["model_answer"] = forms.CharField(
            label="Model answer", required=False, max_length=MAX_PROMPT,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Shown to the learner after answering, and to you when marking.",
        )
        for i in range(1, self.SLOTS + 1):
            self.fields[f"criterion_{i}"] = forms.CharField(
                label=f"Criterion {i}", required=i == 1, max_length=MAX_TEXT
            )
            self.fields[f"points_{i}"] = forms.IntegerField(
                label=f"Points for criterion {i}", required=False, min_value=1,
                max_value=MAX_POINTS, help_text="Empty is 1." if i == 1 else "",
            )

    def answer_fields(self):
        data = self.cleaned_data
        rubric = []
        for i in range(1, self.SLOTS + 1):
            text = (data.get(f"criterion_{i}") or "").strip()
            points = data.get(f"points_{i}")
            if not text:
                if points:
                    self.add_error(f"criterion_{i}", "These points have no criterion.")
                continue
            rubric.append((text, points or 1))
        return {"model_answer": (data.get("model_answer") or "").strip(), "rubric": rubric}

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        initial["model_answer"] = draft.model_answer
        for i, (text, points) in enumerate(draft.rubric, start=1):
            initial[f"criterion_{i}"] = text
            initial[f"points_{i}"] = points
        return initial


class DescriptionForm(QuestionForm):
    """Text shown in a quiz with nothing to answer."""

    def add_answer_fields(self):
        self.fields["prompt"].label = "Text"
        self.fields["prompt"].help_text = (
            "Shown inside a quiz with nothing to answer: it counts in no score."
        )

    def answer_fields(self):
        return {}
