"""Forms for classes, assignments, the instructor's question bank and GIFT import.

Forms validate and say what is wrong; saving is the services' work (quizzes.classrooms,
quizzes.assignments, quizzes.question_authoring).
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from quizzes.assignments import MAX_ATTEMPTS, MAX_QUESTIONS, MAX_TIME_LIMIT_MINUTES, kind_mix
from quizzes.assignments import pool_counts as assignment_pool_counts
from quizzes.form_fields import LARGEST_ID, IdMultipleChoiceField
from quizzes.gift import MAX_BYTES
from quizzes.models import Assignment, Card, Classroom, HiddenQuestion, Question, QuestionKind
from quizzes.question_authoring import (
    CHOICE_KINDS,
    LIMITS,
    MAX_PROMPT,
    MAX_TEXT,
    QuestionDraft,
    validate_draft,
    visible_questions,
)
from relations.models import Lesson

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


# --- classes ---------------------------------------------------------------------------------


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]
        labels = {"name": "Class name"}
        help_texts = {"name": "Students see this name, e.g. “History 204, spring term”."}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Give the class a name.")
        return name


class JoinForm(forms.Form):
    code = forms.CharField(
        label="Join code", max_length=20,
        help_text="Six letters and digits from your instructor; capitals or not, either is fine.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


# --- assignments -----------------------------------------------------------------------------


class AssignmentForm(forms.ModelForm):
    DRAW, PICK = "draw", "pick"

    source = forms.ChoiceField(
        label="Questions",
        choices=[
            (DRAW, "Drawn for each student from lessons and question types"),
            (PICK, "Hand-picked from the bank, the same for everyone"),
        ],
        initial=DRAW, widget=forms.RadioSelect,
    )
    lessons = IdMultipleChoiceField(
        queryset=Lesson.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="For a drawn quiz, none ticked means every lesson. A review needs at least one.",
    )
    question_kinds = forms.MultipleChoiceField(
        label="Question types", choices=QuestionKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every student gets the same number of each type.",
    )
    question_count = forms.IntegerField(
        label="Number of questions", min_value=1, max_value=MAX_QUESTIONS, initial=10,
    )
    question_ids = forms.CharField(
        label="Question numbers", required=False, max_length=1000,
        help_text="From your question bank (the # column), separated by commas.",
    )
    opens_at = forms.DateTimeField(label="Opens at", widget=LocalDateTimeInput())
    due_at = forms.DateTimeField(label="Due at", widget=LocalDateTimeInput())
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)", min_value=1, max_value=MAX_TIME_LIMIT_MINUTES,
        required=False, help_text="Leave empty for no time limit.",
    )
    attempts_allowed = forms.IntegerField(
        label="Attempts allowed", min_value=1, max_value=MAX_ATTEMPTS, initial=1
    )
    target_percent = forms.IntegerField(
        label="Target recall (%)", min_value=50, max_value=99, initial=90,
        help_text="For a review: a card counts once the student's predicted recall of it "
        "is at least this.",
    )

    class Meta:
        model = Assignment
        fields = [
            "title", "kind", "instructions", "opens_at", "due_at", "time_limit_minutes",
            "attempts_allowed", "counting", "feedback_timing", "late_allowed",
        ]
        labels = {
            "kind": "Type of assignment",
            "counting": "Which attempt counts",
            "feedback_timing": "Show students the right answers",
            "late_allowed": "Accept late work (marked late)",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "counting": forms.RadioSelect,
            "feedback_timing": forms.RadioSelect,
            "instructions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, classroom: Classroom, **kwargs):
        self.classroom = classroom
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            picked = list(instance.questions.values_list("pk", flat=True))
            self.initial.setdefault("source", self.PICK if picked else self.DRAW)
            self.initial.setdefault("question_ids", ", ".join(map(str, picked)))
            self.initial.setdefault("question_kinds", instance.question_kinds)
            self.initial.setdefault("target_percent", round(100 * instance.target_retrievability))
        else:
            self.initial.setdefault("question_kinds", [QuestionKind.MULTIPLE_CHOICE])
        self.fields["instructions"].required = False

    def _picked_questions(self, raw: str):
        tokens = [t for t in re.split(r"[\s,;]+", raw.replace("#", " ")) if t]
        if not tokens:
            raise ValidationError("List the numbers of the questions to include.")
        bad = [t for t in tokens if not t.isdigit()]
        if bad:
            raise ValidationError(f"These are not question numbers: {', '.join(bad[:5])}.")
        ids = list(dict.fromkeys(int(t) for t in tokens))
        if len(ids) > MAX_QUESTIONS:
            raise ValidationError(f"Pick at most {MAX_QUESTIONS} questions.")
        instructor = self.classroom.instructor
        # An id past any database integer cannot be looked up (OverflowError): it is missing.
        storable = [i for i in ids if i <= LARGEST_ID]
        found = {q.pk: q for q in visible_questions(instructor=instructor).filter(pk__in=storable)}
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise ValidationError(f"Your bank has no question numbered {', '.join(missing)}.")
        hidden = set(
            HiddenQuestion.objects.filter(instructor=instructor, question_id__in=ids)
            .values_list("question_id", flat=True)
        )
        if hidden:
            raise ValidationError(
                f"You hid question {', '.join(str(i) for i in ids if i in hidden)}; "
                "unhide it in the bank or leave it out."
            )
        return [found[i] for i in ids]

    def clean(self):
        data = super().clean()
        opens_at, due_at = data.get("opens_at"), data.get("due_at")
        if opens_at and due_at and due_at <= opens_at:
            self.add_error("due_at", "The due date must be after the opening date.")
        lessons = list(data.get("lessons") or [])
        data["questions"] = []
        if data.get("kind") == Assignment.Kind.REVIEW:
            if not lessons:
                self.add_error("lessons", "Choose the lessons whose flashcards to review.")
            elif not Card.objects.filter(lesson__in=lessons, retired_at__isnull=True).exists():
                self.add_error("lessons", "Those lessons have no flashcards yet.")
        elif data.get("source") == self.PICK:
            try:
                data["questions"] = self._picked_questions(data.get("question_ids") or "")
            except ValidationError as error:
                self.add_error("question_ids", error)
        else:
            kinds = data.get("question_kinds") or []
            count = data.get("question_count")
            if not kinds:
                self.add_error("question_kinds", "Tick at least one question type.")
            elif count:
                available = assignment_pool_counts(
                    instructor=self.classroom.instructor,
                    lesson_ids=[lesson.pk for lesson in lessons], kinds=kinds,
                )
                labels = dict(QuestionKind.choices)
                short = [
                    f"{labels[kind]} needs {n} but has {available.get(kind, 0)}"
                    for kind, n in kind_mix(kinds=kinds, count=count)
                    if available.get(kind, 0) < n
                ]
                if short:
                    self.add_error(
                        "question_count",
                        "Not enough questions in those lessons: " + "; ".join(short)
                        + ". Lower the number, add lessons or add types.",
                    )
        return data

    def service_values(self) -> dict:
        """Keyword arguments for create_assignment / update_assignment."""
        data = self.cleaned_data
        is_review = data["kind"] == Assignment.Kind.REVIEW
        picked = data["source"] == self.PICK and not is_review
        return {
            "title": data["title"],
            "kind": data["kind"],
            "instructions": data.get("instructions", ""),
            "lessons": list(data.get("lessons") or []) if not picked else [],
            "questions": data["questions"] if picked else [],
            "question_kinds": [] if picked or is_review else list(data["question_kinds"]),
            "question_count": len(data["questions"]) if picked else data["question_count"],
            "opens_at": data["opens_at"],
            "due_at": data["due_at"],
            "time_limit_minutes": data.get("time_limit_minutes"),
            "attempts_allowed": data["attempts_allowed"],
            "counting": data["counting"],
            "feedback_timing": data["feedback_timing"],
            "late_allowed": data.get("late_allowed", False),
            "target_retrievability": (data.get("target_percent") or 90) / 100,
        }


# --- the question bank -----------------------------------------------------------------------


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


def _text(label, required=False, **kwargs):
    return forms.CharField(label=label, required=required, max_length=MAX_TEXT, **kwargs)


class QuestionForm(forms.Form):
    """The fields every question has; one subclass per family of question types."""

    kinds: tuple = ()
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
    kinds = CHOICE_KINDS
    SLOTS = LIMITS["options"][1]

    def add_answer_fields(self):
        self.fields["prompt"].help_text = "Then fill in 2 to 8 options and mark the right one."
        for i in range(1, self.SLOTS + 1):
            self.fields[f"option_{i}"] = _text(f"Option {i}", required=i <= 2)
        self.fields["correct"] = forms.TypedChoiceField(
            label="Which option is right?", coerce=int, widget=forms.RadioSelect,
            choices=[(i, f"Option {i}") for i in range(1, self.SLOTS + 1)],
        )
        if self.kind == QuestionKind.WHICH_SIDE:
            self.initial.setdefault("option_1", "Critics")
            self.initial.setdefault("option_2", "Proponents")

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
        return {
            "options": [text for _, text in filled],
            "correct": positions.index(correct) if correct in positions else None,
        }

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        for i, text in enumerate(draft.options, start=1):
            initial[f"option_{i}"] = text
        if draft.correct is not None:
            initial["correct"] = draft.correct + 1
        return initial


class TrueFalseQuestionForm(QuestionForm):
    kinds = (QuestionKind.TRUE_FALSE,)
    truth = forms.TypedChoiceField(
        label="The statement is", coerce=lambda v: v == "true", widget=forms.RadioSelect,
        choices=[("true", "True"), ("false", "False")],
    )

    def answer_fields(self):
        return {"truth": self.cleaned_data.get("truth")}

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        initial["truth"] = "true" if draft.truth else "false"
        return initial


class MatchingQuestionForm(QuestionForm):
    kinds = (QuestionKind.MATCHING,)
    SLOTS = LIMITS["pairs"][1]

    def add_answer_fields(self):
        self.fields["prompt"].help_text = (
            "Then fill in 3 to 8 pairs; students see the matches shuffled."
        )
        for i in range(1, self.SLOTS + 1):
            self.fields[f"left_{i}"] = _text(f"Item {i}", required=i <= 3)
            self.fields[f"right_{i}"] = _text(f"Its match {i}", required=i <= 3)

    def answer_fields(self):
        data = self.cleaned_data
        pairs = []
        for i in range(1, self.SLOTS + 1):
            left, right = data.get(f"left_{i}", "").strip(), data.get(f"right_{i}", "").strip()
            if left and right:
                pairs.append((left, right))
            elif left or right:
                self.add_error(f"left_{i}" if not left else f"right_{i}", "Fill in both halves.")
        return {"pairs": pairs}

    @classmethod
    def initial_from(cls, draft):
        initial = super().initial_from(draft)
        for i, (left, right) in enumerate(draft.pairs, start=1):
            initial[f"left_{i}"], initial[f"right_{i}"] = left, right
        return initial


class OrderingQuestionForm(QuestionForm):
    kinds = (QuestionKind.ORDERING,)
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
    kinds = (QuestionKind.CLOZE,)
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


QUESTION_FORMS = {
    **dict.fromkeys(CHOICE_KINDS, ChoiceQuestionForm),
    QuestionKind.TRUE_FALSE: TrueFalseQuestionForm,
    QuestionKind.MATCHING: MatchingQuestionForm,
    QuestionKind.ORDERING: OrderingQuestionForm,
    QuestionKind.CLOZE: ClozeQuestionForm,
}


class GiftImportForm(forms.Form):
    file = forms.FileField(
        label="GIFT file", required=False,
        help_text=f"A .gift or .txt file, up to {MAX_BYTES // 1024} KB.",
    )
    text = forms.CharField(
        label="Or paste GIFT text", required=False, widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
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
        return data
