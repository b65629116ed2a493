"""The tool's endpoints: OIDC login initiation, launch, JWKS, and the tool's own setup page.

Launch and login are posted by the platform from its own site, so they are CSRF-exempt:
what protects them is the signed id_token, the state cookie and the single-use nonce.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import Key, LtiRegistration

from lti import deep_linking, grades, launching, registration, roster, tool
from lti.models import LinkedAssignment, LinkedCourse, ScoreSend
from lti.registration import RegistrationRefused
from lti.roster import RosterUnavailable
from lti.tool import LaunchRefused
from quizzes.classes import teaching
from quizzes.common.access import instructor_only


def refused(request, refusal: LaunchRefused):
    return render(
        request, "error.html",
        {"title": "This launch was refused", "message": refusal.message},
        status=refusal.status,
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    try:
        return tool.login_redirect(request=request)
    except LaunchRefused as refusal:
        return refused(request, refusal)


@csrf_exempt
@never_cache
@require_POST
def launch(request):
    try:
        lti_launch, _storage = tool.validated_launch(request=request)
        arrival = launching.arrive(request=request, launch=lti_launch)
    except LaunchRefused as refusal:
        return refused(request, refusal)
    return redirect(arrival.next_url)


@require_GET
def jwks(request):
    response = JsonResponse(Key.objects.as_jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


@staff_member_required
@require_GET
def setup(request):
    """What a platform administrator needs to register the tool, and the platforms so far."""
    urls = {
        name: request.build_absolute_uri(reverse(f"lti:{name}"))
        for name in ("login", "launch", "jwks")
    }
    invitation = registration.invitation(staff_user=request.user)
    urls["register"] = request.build_absolute_uri(
        reverse("lti:register", kwargs={"token": invitation})
    )
    return render(request, "lti/setup.html", {
        "urls": urls,
        "registrations": LtiRegistration.objects.prefetch_related("deployments"),
        "has_key": Key.objects.active().exists(),
    })


@instructor_only
@require_POST
def resend(request, link_id, student_id):
    """The instructor sends a student's current score to the platform again (through the
    background task, like every send)."""
    link = get_object_or_404(
        LinkedAssignment.objects.select_related("assignment", "course__classroom"),
        pk=link_id, assignment__classroom__in=teaching.classes_taught(user=request.user),
    )
    send = grades.resend(link=link, student_id=student_id)
    if send is None:
        messages.info(request, "This student has no finished attempt to send.")
    elif send.status == ScoreSend.Status.SENT:
        messages.success(request, "The score was sent to the learning platform.")
    elif send.status == ScoreSend.Status.PENDING:
        messages.success(
            request, "The score is on its way to the learning platform: its status below "
            "changes to “Sent” once the platform has it."
        )
    else:
        messages.error(request, f"The score could not be sent: {send.last_error}")
    return redirect(
        "quizzes:assignment_results",
        class_id=link.assignment.classroom_id, assignment_id=link.assignment_id,
    )


@instructor_only
@require_POST
def roster_sync(request, class_id):
    """The instructor asks the platform for the course's members now."""
    course = get_object_or_404(
        LinkedCourse.objects.select_related("classroom", "context__deployment__registration"),
        classroom_id=class_id, classroom__in=teaching.classes_taught(user=request.user),
    )
    try:
        synced = roster.sync_roster(course=course)
    except RosterUnavailable as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            f"Roster synced: {synced.students} student(s) in the platform course, "
            f"{synced.new_students} new here.",
        )
    return redirect("quizzes:class_detail", class_id=class_id)


@never_cache
@instructor_only
@require_GET
def deep_link(request):
    """The instructor picks what to add to the platform course."""
    try:
        choices = deep_linking.picker(request=request)
    except LaunchRefused as refusal:
        return refused(request, refusal)
    return render(request, "lti/deep_link.html", {"picker": choices})


@never_cache
@instructor_only
@require_POST
def deep_link_respond(request):
    """The signed deep-linking response, posted to the platform by the browser."""
    try:
        answer = deep_linking.respond(request=request, choice=request.POST.get("choice", ""))
    except LaunchRefused as refusal:
        return refused(request, refusal)
    response = render(request, "lti/deep_link_response.html", {"answer": answer})
    # This one page posts to the platform, and is framed by it.
    response._csp_config = {
        **settings.SECURE_CSP,
        "form-action": [CSP.SELF, *answer.form_origins],
        "frame-ancestors": [CSP.SELF, *answer.frame_origins],
    }
    response.xframe_options_exempt = True
    return response


def _framed_by(response, url: str):
    """The registration pages open inside the platform's administration page."""
    found = launching.origin(url)
    response._csp_config = {
        **settings.SECURE_CSP, "frame-ancestors": [CSP.SELF, *([found] if found else [])],
    }
    response.xframe_options_exempt = True
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def register(request, token):
    """Dynamic registration: a confirmation (GET, changes nothing), then the registration."""
    source = request.POST if request.method == "POST" else request.GET
    openid_configuration = source.get("openid_configuration", "")
    registration_token = source.get("registration_token", "")
    try:
        registration.check_invitation(token=token)
        registration.configuration_url(value=openid_configuration)
        registered = None
        if request.method == "POST":
            registered = registration.register(
                request=request, token=token, openid_configuration=openid_configuration,
                registration_token=registration_token,
            )
    except RegistrationRefused as refusal:
        return render(request, "error.html", {
            "title": "The registration was refused", "message": refusal.message,
        }, status=refusal.status)
    response = render(request, "lti/register.html", {
        "registered": registered, "openid_configuration": openid_configuration,
        "registration_token": registration_token,
    })
    return _framed_by(response, openid_configuration)
