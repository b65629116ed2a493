"""The practice quiz form: which lessons, how many questions, which types."""

from django import forms

from quizzes.bank.models import QuestionKind
from quizzes.common.form_fields import IdMultipleChoiceField
from relations.models import Lesson

COUNTS = (5, 10, 20)


class PracticeForm(forms.Form):
    lessons = IdMultipleChoiceField(
        queryset=Lesson.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none for the whole course.",
    )
    count = forms.TypedChoiceField(
        label="How many questions",
        choices=[(n, str(n)) for n in COUNTS],
        coerce=int,
        initial=10,
        widget=forms.RadioSelect,
    )
    kinds = forms.MultipleChoiceField(
        label="Question types",
        choices=QuestionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none for every type.",
    )


class LearnForm(forms.Form):
    """A Learn session: which lessons, and how many items to learn in it."""

    lessons = IdMultipleChoiceField(
        queryset=Lesson.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none for the whole course.",
    )
    size = forms.TypedChoiceField(
        label="How many items to learn",
        choices=[(n, str(n)) for n in (7, 14, 21)],
        coerce=int,
        initial=7,
        widget=forms.RadioSelect,
    )
