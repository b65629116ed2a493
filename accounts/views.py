from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import InstructorRequestForm, SignUpForm, TimeZoneForm
from accounts.instructor_requests import (
    latest_instructor_request,
    request_instructor_status,
    teaching_status,
)
from accounts.password_reset import SameWorkPasswordResetForm
from accounts.roles import is_instructor
from accounts.services import register_user
from accounts.time_zones import SESSION_KEY, browser_zone, choose_zone, preference_for
from config.rate_limits import PASSWORD_RESET_LIMITS, SIGNUP_LIMITS, rate_limited

PENDING_MESSAGE = (
    "Your request to teach is waiting for staff. Until it is approved you can study and join "
    "classes, but not create classes or see answer keys."
)


@require_http_methods(["GET", "POST"])
@rate_limited(*SIGNUP_LIMITS)
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = register_user(
            username=form.cleaned_data["username"],
            email=form.cleaned_data.get("email", ""),
            password=form.cleaned_data["password1"],
            teaches=form.cleaned_data["teaches"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        if form.cleaned_data["teaches"]:
            messages.info(request, PENDING_MESSAGE)
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


def _account_page(request, form=None, zone_form=None, status=200):
    latest = latest_instructor_request(user=request.user)
    preference = preference_for(user=request.user)
    if zone_form is None:
        current = preference.name if preference else browser_zone(request)
        zone_form = TimeZoneForm(initial={"time_zone": current or "UTC"})
    return render(
        request, "registration/account.html",
        {"form": form or InstructorRequestForm(), "zone_form": zone_form,
         "zone_preference": preference, "browser_zone": browser_zone(request),
         "teaching": teaching_status(user=request.user, latest=latest),
         "latest_request": latest},
        status=status,
    )


@login_required
@require_GET
def account(request):
    return _account_page(request)


@login_required
@require_POST
def time_zone(request):
    """The learner chooses their zone (a plain select: no JavaScript needed)."""
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        return _account_page(request, zone_form=form, status=400)
    preference = choose_zone(user=request.user, name=form.cleaned_data["time_zone"])
    request.session[SESSION_KEY] = preference.name
    messages.success(request, f"Your time zone is now {preference.name.replace('_', ' ')}.")
    return redirect("account")


@login_required
@require_POST
def instructor_request(request):
    """Ask staff for instructor status (again after a decline); once is enough while waiting."""
    if is_instructor(request.user):
        messages.info(request, "You are an instructor already.")
        return redirect("account")
    form = InstructorRequestForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form=form, status=400)
    request_instructor_status(user=request.user, note=form.cleaned_data["note"])
    messages.success(request, PENDING_MESSAGE)
    return redirect("account")


# Django's own view with a form that does the same work for every address, behind limits
# per address and per mailbox (so it cannot be used to flood someone's inbox either).
password_reset = rate_limited(*PASSWORD_RESET_LIMITS)(
    auth_views.PasswordResetView.as_view(form_class=SameWorkPasswordResetForm)
)
