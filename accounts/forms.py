from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from accounts.models import InstructorRequest


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        help_text="Optional. Only used to reset a forgotten password.",
    )
    teaches = forms.BooleanField(
        required=False,
        label="I teach",
        help_text="Asks for instructor access. Staff check each request; once approved you "
        "can create classes and see the question bank's answers.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class InstructorRequestForm(forms.ModelForm):
    class Meta:
        model = InstructorRequest
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
