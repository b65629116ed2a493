"""Forms for the instructor's question bank: filtering it, writing a question of each type,
and importing GIFT.

Forms validate and say what is wrong; saving is quizzes.bank.authoring's work.
"""


from django import forms
from django.core.exceptions import ValidationError

from quizzes.bank.authoring import validate_draft
from quizzes.bank.drafts import LIMITS, MAX_PROMPT, MAX_TEXT, QuestionDraft
from quizzes.bank.gift import MAX_BYTES
from quizzes.bank.models import Question, QuestionKind
from relations.models import Lesson


class BankFilterForm(forms.Form):
    lesson = forms.ChoiceField(label="Lesson", required=False)
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *QuestionKind.choices]
    )
    origin = forms.ChoiceField(
        label="Origin", required=False,
        choices=[
            ("", "Any origin"), ("mine", "Mine (written or imported)"),
            *Question.Origin.choices,
        ],
    )
    hidden = forms.ChoiceField(
        label="Hidden", required=False,
        choices=[("", "Hidden or not"), ("no", "Not hidden"), ("yes", "Hidden by me")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].choices = [
            ("", "Any lesson"), ("none", "No lesson"),
            *((str(pk), title) for pk, title in Lesson.objects.values_list("pk", "title")),
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        hidden = {"yes": True, "no": False}.get(data.get("hidden") or "")
        return {
            "lesson_id": data.get("lesson") or None, "kind": data.get("kind") or None,
            "origin": data.get("origin") or None, "hidden": hidden,
        }


class PastAnswersForm(forms.Form):
    """Asked when an edit is saved to a question that has been answered."""

    past_answers = forms.ChoiceField(
        label="Past answers to this question",
        widget=forms.RadioSelect,
        initial="keep",
        choices=[
            ("keep", "Keep their marks: they stay shown and marked as the version answered"),
            ("regrade", "Regrade them against this new version (attempt scores change too)"),
        ],
        help_text="Either way the answers keep the wording each student saw, and review "
        "schedules already recorded are not changed.",
    )

    @property
    def regrade(self) -> bool:
        return self.is_valid() and self.cleaned_data["past_answers"] == "regrade"


def _text(label, required=False, **kwargs):
    return forms.CharField(label=label, required=required, max_length=MAX_TEXT, **kwargs)


class QuestionForm(forms.Form):
    """The fields every question has; one subclass per family of question types, named by
    each kind's `form_path` (quizzes.bank.kinds)."""

    prompt = forms.CharField(
        label="Question", max_length=MAX_PROMPT, widget=forms.Textarea(attrs={"rows": 3})
    )
    lesson = forms.ModelChoiceField(
        queryset=Lesson.objects.all(), required=False, empty_label="No lesson"
    )
    explanation = forms.CharField(
        label="Explanation", required=False, max_length=MAX_PROMPT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the feedback: why the right answer is right.",
    )

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)
        self.add_answer_fields()
        # The question, then its answers, then the explanation and the lesson.
        self.order_fields(
            [name for name in self.fields if name not in ("explanation", "lesson")]
            + ["explanation", "lesson"]
        )

    def add_answer_fields(self):
        """Subclasses add the fields their kind of answer needs."""

    def clean(self):
        data = super().clean()
        if not self.errors:
            self._draft = self._build_draft()
            if not self.errors:
                for problem in validate_draft(draft=self._draft):
                    self.add_error(None, problem)
        return data

    def draft(self) -> QuestionDraft:
        """The validated question (call after is_valid())."""
        return self._draft

    def _build_draft(self) -> QuestionDraft:
        data = self.cleaned_data
        lesson = data.get("lesson")
        return QuestionDraft(
            kind=self.kind, prompt=data.get("prompt", ""),
            explanation=data.get("explanation", ""), lesson_id=lesson.pk if lesson else None,
            **self.answer_fields(),
        )

    def answer_fields(self) -> dict:
        raise NotImplementedError

    @classmethod
    def initial_from(cls, draft: QuestionDraft) -> dict:
        return {"prompt": draft.prompt, "explanation": draft.explanation, "lesson": draft.lesson_id}


class ChoiceQuestionForm(QuestionForm):
    SLOTS = LIMITS["options"][1]

    def add_answer_fields(self):
        self.fields["prompt"].help_text = "Then fill in 2 to 8 options and mark the right one."
        for i in range(1, self.SLOTS + 1):
            self.fields[f"option_{i}"] = _text(f"Option {i}", required=i <= 2)
            self.fields[f"feedback_{i}"] = _text(
                f"Feedback on option {i}",
                help_text="Shown to a learner who chose it: why it is right or wrong."
                if i == 1 else "",
            )
        self.fields["correct"] = forms.TypedChoiceField(
            label="Which option is right?", coerce=int, widget=forms.RadioSelect,
            choices=[(i, f"Option {i}") for i in range(1, self.SLOTS + 1)],
        )

    def answer_fields(self) -> dict:
        data = self.cleaned_data
        filled = [
            (i, data.get(f"option_{i}", "").strip()) for i in range(1, self.SLOTS + 1)
            if data.get(f"option_{i}", "").strip()
        ]
        positions = [i for i, _ in filled]
        correct = data.get("correct")
        if correct is not None and correct not in positions:
            self.add_error("correct", "The option marked right is empty.")
        feedback = [(data.get(f"feedback_{i}") or "").strip() for i in positions]
        return {
            "options": [text for _, text in filled],
            "correct": positions.index(correct) if correct in positions else None,
            "feedback": feedback if any(feedback) else [],
        }

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        for i, text in enumerate(draft.options, start=1):
            initial[f"option_{i}"] = text
        for i, text in enumerate(draft.feedback, start=1):
            initial[f"feedback_{i}"] = text
        if draft.correct is not None:
            initial["correct"] = draft.correct + 1
        return initial


class WhichSideQuestionForm(ChoiceQuestionForm):
    """A new which-side question starts with the two sides of a debate filled in."""

    def add_answer_fields(self):
        super().add_answer_fields()
        self.initial.setdefault("option_1", "Critics")
        self.initial.setdefault("option_2", "Proponents")


class TrueFalseQuestionForm(QuestionForm):
    truth = forms.TypedChoiceField(
        label="The statement is", coerce=lambda v: v == "true", widget=forms.RadioSelect,
        choices=[("true", "True"), ("false", "False")],
    )

    feedback_true = _text("Feedback on answering True")
    feedback_false = _text("Feedback on answering False")

    def answer_fields(self):
        data = self.cleaned_data
        feedback = [(data.get(f"feedback_{word}") or "").strip() for word in ("true", "false")]
        return {"truth": data.get("truth"), "feedback": feedback if any(feedback) else []}

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        initial["truth"] = "true" if draft.truth else "false"
        if draft.feedback:
            initial["feedback_true"], initial["feedback_false"] = draft.feedback[:2]
        return initial


class MatchingQuestionForm(QuestionForm):
    SLOTS = LIMITS["pairs"][1]

    def add_answer_fields(self):
        self.fields["prompt"].help_text = (
            "Then fill in 3 to 8 pairs; students see the matches shuffled."
        )
        for i in range(1, self.SLOTS + 1):
            self.fields[f"left_{i}"] = _text(f"Item {i}", required=i <= 3)
            self.fields[f"right_{i}"] = _text(f"Its match {i}", required=i <= 3)
        for i in range(1, LIMITS["distractors"][1] + 1):
            self.fields[f"distractor_{i}"] = _text(
                f"Extra wrong match {i}", help_text="A match for no item." if i == 1 else ""
            )

    def answer_fields(self):
        data = self.cleaned_data
        pairs = []
        for i in range(1, self.SLOTS + 1):
            left, right = data.get(f"left_{i}", "").strip(), data.get(f"right_{i}", "").strip()
            if left and right:
                pairs.append((left, right))
            elif left or right:
                self.add_error(f"left_{i}" if not left else f"right_{i}", "Fill in both halves.")
        distractors = [
            (data.get(f"distractor_{i}") or "").strip()
            for i in range(1, LIMITS["distractors"][1] + 1)
        ]
        return {"pairs": pairs, "distractors": [text for text in distractors if text]}

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        for i, (left, right) in enumerate(draft.pairs, start=1):
            initial[f"left_{i}"], initial[f"right_{i}"] = left, right
        for i, text in enumerate(draft.distractors, start=1):
            initial[f"distractor_{i}"] = text
        return initial


class OrderingQuestionForm(QuestionForm):
    SLOTS = LIMITS["items"][1]

    def add_answer_fields(self):
        self.fields["prompt"].help_text = "Then list 3 to 8 items, earliest first."
        for i in range(1, self.SLOTS + 1):
            label = "Earliest" if i == 1 else f"Then {i}"
            self.fields[f"item_{i}"] = _text(label, required=i <= 3)

    def answer_fields(self):
        data = self.cleaned_data
        return {
            "items": [
                data.get(f"item_{i}", "").strip() for i in range(1, self.SLOTS + 1)
                if data.get(f"item_{i}", "").strip()
            ]
        }

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        for i, text in enumerate(draft.items, start=1):
            initial[f"item_{i}"] = text
        return initial


class ClozeQuestionForm(QuestionForm):
    answer = _text("Answer", required=True)
    alternatives = forms.CharField(
        label="Other accepted answers", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text="One per line.",
    )

    def add_answer_fields(self):
        self.fields["prompt"].help_text = "Mark the gap with _____ (five underscores)."

    def answer_fields(self):
        data = self.cleaned_data
        alternatives = [a.strip() for a in data.get("alternatives", "").splitlines() if a.strip()]
        return {"answers": [data.get("answer", "").strip(), *alternatives]}

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        initial["answer"] = draft.answers[0] if draft.answers else ""
        initial["alternatives"] = "\n".join(draft.answers[1:])
        return initial


class GiftImportForm(forms.Form):
    file = forms.FileField(
        label="GIFT file", required=False,
        help_text=f"A .gift or .txt file, up to {MAX_BYTES // 1024} KB.",
    )
    text = forms.CharField(
        label="Or paste GIFT text", required=False, widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
    )
    mode = forms.ChoiceField(
        label="If some questions cannot be read", widget=forms.RadioSelect, initial="all",
        choices=[
            ("all", "Import nothing until the whole file can be read"),
            ("partial", "Import the questions that can be read and list the rest"),
        ],
        required=False,
    )

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("file"), data.get("text") or ""
        if upload and pasted.strip():
            raise ValidationError("Choose a file or paste text, not both.")
        if upload:
            if upload.size > MAX_BYTES:
                raise ValidationError(
                    f"The file is {upload.size // 1024} KB; the limit is {MAX_BYTES // 1024} KB. "
                    "Split it and import it in parts."
                )
            raw = upload.read(MAX_BYTES + 1)
        elif pasted.strip():
            raw = pasted.encode("utf-8")
        else:
            raise ValidationError("Choose a GIFT file or paste GIFT text.")
        if len(raw) > MAX_BYTES:
            raise ValidationError(
                f"That is more than {MAX_BYTES // 1024} KB; split it and import it in parts."
            )
        try:
            data["gift_text"] = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                "The file is not UTF-8 text. Save it as UTF-8 (Moodle's export is) and try again."
            ) from None
        if "\x00" in data["gift_text"]:
            raise ValidationError("That is not a text file.")
        data["mode"] = data.get("mode") or "all"
        return data
