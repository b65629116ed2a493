"""Deep Linking: the instructor picks an assignment or a lesson, and the platform receives
a response signed with the tool's key that it can verify against the tool's JWKS."""

import re

import jwt
import pytest

from lti.models import LinkedAssignment, LinkedCourse
from tests import factories
from tests.lti.conftest import launch, quiz_in
from tests.lti.platform import (
    CLIENT_ID,
    DEPLOYMENT_ID,
    INSTRUCTOR,
    ISSUER,
    LEARNER,
    TEACHING_ASSISTANT,
)

pytestmark = pytest.mark.django_db
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
DEEP_LINKING = "LtiDeepLinkingRequest"


def _verified(client, html):
    """What the platform does with the posted JWT: check it against the tool's JWKS."""
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    header = jwt.get_unverified_header(token)
    (key,) = [k for k in client.get("/lti/jwks.json").json()["keys"] if k["kid"] == header["kid"]]
    return jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"], audience=ISSUER)


def test_an_instructor_picks_an_assignment_and_the_platform_gets_a_signed_link(
    client, platform, registration
):
    response, _t, _s = launch(client, platform, sub="ines", roles=[INSTRUCTOR],
                              message_type=DEEP_LINKING)
    assert response.status_code == 302 and response["Location"] == "/lti/deep-link/"
    classroom = LinkedCourse.objects.get().classroom
    assignment = quiz_in(classroom)
    picker = client.get("/lti/deep-link/")
    assert picker.status_code == 200
    assert assignment.title in picker.content.decode()
    assert "frame-ancestors 'self' https://platform.example" in picker["Content-Security-Policy"]

    answer = client.post("/lti/deep-link/respond/", {"choice": f"assignment:{assignment.pk}"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'action="{platform.base_url}/deep-link-return"' in html
    assert f"form-action 'self' {platform.base_url}" in answer["Content-Security-Policy"]
    assert "X-Frame-Options" not in answer
    claims = _verified(client, html)
    assert claims["iss"] == CLIENT_ID
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == (
        "LtiDeepLinkingResponse"
    )
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == DEPLOYMENT_ID
    assert claims[DL + "data"] == "opaque-platform-data"
    (item,) = claims[DL + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"] == "http://testserver/lti/launch/"
    assert item["custom"] == {"assignment": str(assignment.pk)}
    assert item["lineItem"]["scoreMaximum"] == 100.0
    assert item["lineItem"]["resourceId"] == f"assignment-{assignment.pk}"
    assert LinkedAssignment.objects.filter(assignment=assignment).exists()

    # The platform's link, launched by a learner, opens the assignment.
    client.logout()
    opened, _t, _s = launch(client, platform, sub="lee", roles=[LEARNER], custom=item["custom"])
    assert opened["Location"] == f"/classes/{classroom.pk}/assignments/{assignment.pk}/"


def test_a_lesson_can_be_linked(client, platform, registration):
    lesson = factories.LessonFactory()
    launch(client, platform, sub="ines", roles=[INSTRUCTOR], message_type=DEEP_LINKING)
    answer = client.post("/lti/deep-link/respond/", {"choice": f"lesson:{lesson.slug}"})
    (item,) = _verified(client, answer.content.decode())[DL + "content_items"]
    assert item["custom"] == {"lesson": lesson.slug} and "lineItem" not in item
    client.logout()
    opened, _t, _s = launch(client, platform, sub="lee", roles=[LEARNER], custom=item["custom"])
    assert opened["Location"] == f"/lessons/{lesson.slug}/"


def test_the_response_is_given_once(client, platform, registration):
    lesson = factories.LessonFactory()
    launch(client, platform, sub="ines", roles=[INSTRUCTOR], message_type=DEEP_LINKING)
    choice = {"choice": f"lesson:{lesson.slug}"}
    assert client.post("/lti/deep-link/respond/", choice).status_code == 200
    again = client.post("/lti/deep-link/respond/", choice)
    assert again.status_code == 404


def test_another_class_assignment_cannot_be_linked(client, platform, registration):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR], message_type=DEEP_LINKING)
    elsewhere = factories.AssignmentFactory()
    answer = client.post("/lti/deep-link/respond/", {"choice": f"assignment:{elsewhere.pk}"})
    assert answer.status_code == 400
    assert b"Choose one of this class" in answer.content


def test_a_learner_cannot_add_activities(client, platform, registration):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    client.logout()
    response, _t, _s = launch(client, platform, sub="lee", roles=[LEARNER],
                              message_type=DEEP_LINKING)
    assert response.status_code == 403
    assert b"instructors can add activities" in response.content


def test_a_teaching_assistant_adds_an_activity_to_the_course_too(client, platform, registration):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    assignment = quiz_in(LinkedCourse.objects.get().classroom)
    client.logout()
    response, _t, _s = launch(client, platform, sub="tam", roles=[TEACHING_ASSISTANT],
                              message_type=DEEP_LINKING)
    assert response["Location"] == "/lti/deep-link/"
    picker = client.get("/lti/deep-link/")
    assert picker.status_code == 200 and assignment.title in picker.content.decode()
    answer = client.post("/lti/deep-link/respond/", {"choice": f"assignment:{assignment.pk}"})
    (item,) = _verified(client, answer.content.decode())[DL + "content_items"]
    assert item["custom"] == {"assignment": str(assignment.pk)}
