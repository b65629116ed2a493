"""Forms for classes and assignments.

Forms validate and say what is wrong; saving is the services' work (quizzes.classes.classrooms,
quizzes.classes.assignments).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from quizzes.bank.authoring import (
    visible_questions,
)
from quizzes.bank.models import HiddenQuestion, QuestionKind
from quizzes.classes.assignments import (
    MAX_ATTEMPTS,
    MAX_QUESTIONS,
    MAX_TIME_LIMIT_MINUTES,
    kind_mix,
)
from quizzes.classes.assignments import pool_counts as assignment_pool_counts
from quizzes.classes.models import Assignment, Classroom
from quizzes.classes.teaching import classes_taught
from quizzes.common.form_fields import LARGEST_ID, IdMultipleChoiceField
from quizzes.review.models import Card
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
    confirm_past_due = forms.BooleanField(
        label="Yes, I mean this due date, though it has passed", required=False,
        help_text="Students who have not handed in are then at once past due.",
    )
    apply_to_open = forms.BooleanField(
        label="Also give the attempts in progress the new time limit and due date",
        required=False,
        help_text="Their questions stay as drawn: a student may have answered some already.",
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

    def __init__(self, *args, classroom: Classroom, now=None, **kwargs):
        self.classroom = classroom
        self.now = now or timezone.now()
        super().__init__(*args, **kwargs)
        instance = self.instance
        # What is saved now, before a bound form writes into the instance.
        self.saved_due_at = instance.due_at if instance.pk else None
        self.asks_past_due_confirmation = False  # set by clean() for a past due date
        if instance.pk:
            picked = list(instance.questions.values_list("pk", flat=True))
            self.initial.setdefault("source", self.PICK if picked else self.DRAW)
            self.initial.setdefault("question_ids", ", ".join(map(str, picked)))
            self.initial.setdefault("question_kinds", instance.question_kinds)
            # Not model fields of the form (Meta.fields), so ModelForm would leave them out:
            # an edit form must show every saved setting, or saving it as shown changes them.
            self.initial.setdefault(
                "lessons", list(instance.lessons.values_list("pk", flat=True))
            )
            self.initial.setdefault("question_count", instance.question_count)
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

    def _is_saved_due_date(self, due_at) -> bool:
        # The form shows minutes, the saved date may have seconds: the same minute is kept.
        saved = self.saved_due_at
        return saved is not None and abs((due_at - saved).total_seconds()) < 60

    def clean(self):
        data = super().clean()
        opens_at, due_at = data.get("opens_at"), data.get("due_at")
        if opens_at and due_at and due_at <= opens_at:
            self.add_error(
                "due_at",
                "The due date must be after the opening date. As it is, no student could start it.",
            )
        elif due_at and due_at <= self.now and not self._is_saved_due_date(due_at):
            self.asks_past_due_confirmation = True
            if not data.get("confirm_past_due"):
                self.add_error(
                    "due_at",
                    "That due date has already passed, so every student who has not handed "
                    "in would be past due at once. Choose a later date, or tick “Yes, I mean "
                    "this due date” below.",
                )
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


class CopyAssignmentForm(forms.Form):
    """Where an assignment is copied to, under which title and dates; the rest is kept."""

    classroom = forms.ModelChoiceField(
        label="Copy into the class", queryset=Classroom.objects.none(), empty_label=None,
    )
    title = forms.CharField(label="Title", max_length=200)
    opens_at = forms.DateTimeField(label="Opens at", widget=LocalDateTimeInput())
    due_at = forms.DateTimeField(label="Due at", widget=LocalDateTimeInput())
    confirm_past_due = forms.BooleanField(
        label="Yes, I mean this due date, though it has passed", required=False,
    )

    def __init__(self, *args, instructor, owner_id=None, now=None, **kwargs):
        """`owner_id`: the source class's owner. A copy goes only into classes the instructor
        teaches that have the same owner, so hand-picked questions never cross to another
        instructor's classes (a co-instructor copies within the owner's classes)."""
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["classroom"].queryset = classes_taught(user=instructor).filter(
            instructor_id=owner_id if owner_id is not None else instructor.pk,
            archived_at__isnull=True,
        )
        self.asks_past_due_confirmation = False

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Give the copy a title.")
        return title

    def clean(self):
        data = super().clean()
        opens_at, due_at = data.get("opens_at"), data.get("due_at")
        if opens_at and due_at and due_at <= opens_at:
            self.add_error(
                "due_at",
                "The due date must be after the opening date. As it is, no student could "
                "start it.",
            )
        elif due_at and due_at <= self.now:
            self.asks_past_due_confirmation = True
            if not data.get("confirm_past_due"):
                self.add_error(
                    "due_at",
                    "That due date has already passed, so the copy would be past due at once. "
                    "Choose a later date, or tick “Yes, I mean this due date” below.",
                )
        return data
