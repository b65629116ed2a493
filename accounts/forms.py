from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from accounts.models import InstructorRequest
from accounts.time_zones import zone_names


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

    def full_clean(self):
        """Re-rendered with errors, the page's focus goes to the first field in error (the
        second password when the two differ), not to Username's standing autofocus."""
        super().full_clean()
        if not self.errors:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        first = next((name for name in self.fields if name in self.errors), None)
        if first is not None:
            self.fields[first].widget.attrs["autofocus"] = True


class InstructorRequestForm(forms.ModelForm):
    class Meta:
        model = InstructorRequest
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Days, streaks, due dates and the daily limit of new cards follow it.",
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name.replace("_", " ")) for name in zone_names()]
