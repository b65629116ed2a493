"""Deep Linking: from the platform's "add an activity", the instructor picks an assignment
of the course's class (a quiz or a flashcard review) or a lesson to read, and the tool
answers with a signed LtiDeepLinkingResponse the platform turns into a link in the course.

A quiz comes with a line item, so the platform makes its gradebook column at once and names
it in the link's launches (the AGS claim's lineitem).
"""

from dataclasses import dataclass

from django.urls import reverse
from lti_tool.models import LtiLaunch
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from lti.grades import LINEITEM_TAG, SCORE_MAXIMUM
from lti.launching import SESSION_LAUNCH_ID, frame_origins, origin
from lti.models import LinkedAssignment, LinkedCourse
from lti.tool import LaunchRefused, restored_launch
from quizzes.classes import teaching
from quizzes.classes.models import Assignment
from relations.models import Lesson

DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


@dataclass
class Picker:
    launch: LtiLaunch
    course: LinkedCourse
    assignments: list
    lessons: list


@dataclass
class Response:
    return_url: str
    jwt: str
    form_origins: list
    frame_origins: list


def current_launch(*, request) -> tuple[LtiLaunch, LinkedCourse]:
    """The deep-linking launch this session came from, for the class's instructor only."""
    launch_id = request.session.get(SESSION_LAUNCH_ID)
    if not launch_id:
        raise LaunchRefused(
            "Adding an activity starts from the learning platform: use its “add an "
            "activity” and choose Uneasy Allies.", status=404,
        )
    launch = restored_launch(request=request, launch_id=launch_id)
    if not launch.is_deep_link_launch:
        raise LaunchRefused("This launch was not a request to add an activity.", status=404)
    course = LinkedCourse.objects.select_related("classroom").filter(
        context=launch.context, classroom__in=teaching.classes_taught(user=request.user)
    ).first()
    if course is None:
        raise LaunchRefused("Only the instructors of this course's class can add activities.",
                            status=404)
    return launch, course


def picker(*, request) -> Picker:
    launch, course = current_launch(request=request)
    return Picker(
        launch=launch, course=course,
        assignments=list(Assignment.objects.filter(classroom=course.classroom)),
        lessons=list(Lesson.objects.order_by("order", "id")),
    )


def resource_for(*, request, choice: str, course: LinkedCourse) -> DeepLinkResource:
    """The content item for "assignment:<id>" or "lesson:<slug>"."""
    kind, _, value = (choice or "").partition(":")
    resource = DeepLinkResource().set_url(request.build_absolute_uri(reverse("lti:launch")))
    if kind == "assignment" and value.isdigit():
        assignment = Assignment.objects.filter(pk=int(value), classroom=course.classroom).first()
        if assignment is not None:
            LinkedAssignment.objects.get_or_create(course=course, assignment=assignment)
            resource.set_title(assignment.title).set_custom_params(
                {"assignment": str(assignment.pk)}
            )
            if assignment.kind == Assignment.Kind.QUIZ:
                resource.set_lineitem(
                    LineItem()
                    .set_label(assignment.title[:255])
                    .set_score_maximum(SCORE_MAXIMUM)
                    .set_resource_id(f"assignment-{assignment.pk}")
                    .set_tag(LINEITEM_TAG)
                )
            return resource
    if kind == "lesson":
        lesson = Lesson.objects.filter(slug=value).first()
        if lesson is not None:
            return resource.set_title(lesson.title).set_custom_params({"lesson": lesson.slug})
    raise LaunchRefused("Choose one of this class's assignments or a lesson.", status=400)


def respond(*, request, choice: str) -> Response:
    """The signed answer to the platform, and the origins its page must allow."""
    launch, course = current_launch(request=request)
    resource = resource_for(request=request, choice=choice, course=course)
    deep_link = launch.get_message_launch().get_deep_link()
    settings = launch.get_claim(DEEP_LINKING_SETTINGS)
    return_url = settings["deep_link_return_url"]
    # One answer per request to add an activity.
    request.session.pop(SESSION_LAUNCH_ID, None)
    return Response(
        return_url=return_url,
        jwt=deep_link.get_response_jwt([resource]),
        form_origins=[found for found in [origin(return_url)] if found],
        frame_origins=frame_origins(launch=launch),
    )
