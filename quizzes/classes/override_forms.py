"""Forms for an instructor's changes to one student's work: an override of the limits (for
that student and any others ticked), and reopening an attempt. Saving is
quizzes.classes.overrides's work; its refusals come back as the form's errors."""

from django import forms
from django.contrib.auth import get_user_model

from quizzes.classes.forms import LocalDateTimeInput
from quizzes.classes.overrides import MAX_EXTRA_ATTEMPTS, MAX_TIME_LIMIT_MINUTES
from quizzes.common.form_fields import IdMultipleChoiceField


class OverrideForm(forms.Form):
    due_at = forms.DateTimeField(
        label="Later due date", required=False, widget=LocalDateTimeInput(),
        help_text="In your time zone. Leave empty to keep the assignment's.",
    )
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)", required=False, min_value=1,
        max_value=MAX_TIME_LIMIT_MINUTES,
        help_text="More than the assignment's own; leave empty to keep it.",
    )
    extra_attempts = forms.IntegerField(
        label="Extra attempts", required=False, min_value=0, max_value=MAX_EXTRA_ATTEMPTS,
        initial=0,
    )
    students = IdMultipleChoiceField(
        label="Give it to", queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="One student, or several of the class at once.",
    )

    def __init__(self, *args, classroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = get_user_model().objects.filter(
            enrollments__classroom=classroom, enrollments__removed_at__isnull=True
        ).order_by("username")
        self.fields["students"].label_from_instance = lambda user: user.get_username()

    def values(self) -> dict:
        data = self.cleaned_data
        return dict(
            student_ids=[student.pk for student in data["students"]],
            due_at=data.get("due_at"),
            time_limit_minutes=data.get("time_limit_minutes"),
            extra_attempts=data.get("extra_attempts") or 0,
        )


class ReopenForm(forms.Form):
    deadline = forms.DateTimeField(
        label="Open until", widget=LocalDateTimeInput(), help_text="In your time zone."
    )
