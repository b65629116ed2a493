"""A learner's own data: the page that explains it, the download, and deleting the account."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from quizzes.account.my_data import delete_account, export_user_data, what_deletion_removes

TEMPLATE = "quizzes/account/my_data.html"


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        # authenticate() rather than check_password(): a wrong password counts towards the
        # sign-in lockout, so this form cannot be used to guess a password either.
        confirmed = authenticate(
            self.request, username=self.user.get_username(), password=password
        )
        if confirmed is None or confirmed.pk != self.user.pk:
            raise forms.ValidationError(
                "That is not your password. Your account has not been deleted."
            )
        return password


def _page(request, form, status=200):
    context = {
        "form": form,
        "removes": what_deletion_removes(user=request.user),
    }
    return render(request, TEMPLATE, context, status=status)


@never_cache
@login_required
@require_GET
def my_data(request):
    return _page(request, DeleteAccountForm(user=request.user, request=request))


@never_cache
@login_required
@require_GET
def export(request):
    data = export_user_data(user=request.user)
    filename = "uneasy-allies-{}-{}.json".format(
        slugify(request.user.get_username()) or "account", timezone.now().date().isoformat()
    )
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_POST
def delete(request):
    form = DeleteAccountForm(request.POST, user=request.user, request=request)
    if not form.is_valid():
        return _page(request, form, status=400)
    delete_account(user=request.user)
    logout(request)
    messages.success(request, "Your account and everything we held about you have been deleted.")
    return redirect("home")
