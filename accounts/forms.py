from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        help_text="Optional. Only used to reset a forgotten password.",
    )
    teaches = forms.BooleanField(
        required=False,
        label="I teach",
        help_text="Instructors can create classes and assign quizzes.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
