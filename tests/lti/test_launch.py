"""The core launch: OIDC login, the signed id_token, signing a platform person in, the course
as a class, roles, the link's assignment, and framing by the platform only."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from lti_tool.models import LtiUser

from accounts.roles import is_instructor
from lti.models import LinkedAssignment, LinkedCourse
from quizzes.classes.models import ClassroomInstructor, Enrollment
from tests import factories
from tests.lti.conftest import launch, start_login
from tests.lti.platform import INSTRUCTOR, LEARNER, TEACHING_ASSISTANT

pytestmark = pytest.mark.django_db


def test_login_initiation_redirects_to_the_platform_with_state_and_nonce(client, registration):
    response = start_login(client)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == registration.auth_url
    query = parse_qs(location.query)
    assert query["redirect_uri"] == ["http://testserver/lti/launch/"]
    assert query["client_id"] == [registration.client_id]
    assert query["nonce"][0] and query["state"][0].startswith("state-")
    assert any(name.startswith("lti1p3-state-") for name in response.cookies)


def test_an_instructor_launch_creates_the_class_and_signs_in_without_a_password(
    client, platform, registration
):
    response, _token, _state = launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    assert response.status_code == 302
    user = LtiUser.objects.get(sub="ines").auth_user
    assert not user.has_usable_password()
    assert (user.first_name, user.email) == ("Ines", "ines@school.example")
    assert LtiUser.objects.get(sub="ines").auth_user == user
    assert is_instructor(user)
    course = LinkedCourse.objects.get()
    assert course.classroom.instructor == user and course.classroom.name == "Korea 101"
    assert response["Location"] == f"/classes/{course.classroom.pk}/"
    assert client.get(response["Location"]).status_code == 200


def test_a_learner_launch_enrols_them_and_opens_the_linked_assignment(
    client, platform, registration
):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    classroom = LinkedCourse.objects.get().classroom
    assignment = factories.AssignmentFactory(classroom=classroom)
    client.logout()
    response, _token, _state = launch(
        client, platform, sub="lee", roles=[LEARNER], custom={"assignment": str(assignment.pk)},
        lineitem=f"{platform.base_url}/lineitems/7",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/classes/{classroom.pk}/assignments/{assignment.pk}/"
    learner = LtiUser.objects.get(sub="lee").auth_user
    assert Enrollment.objects.filter(classroom=classroom, student=learner).exists()
    assert not is_instructor(learner)
    link = LinkedAssignment.objects.get()
    assert (link.assignment, link.resource_link_id) == (assignment, "link-1")
    assert link.lineitem_url == f"{platform.base_url}/lineitems/7"
    page = client.get(response["Location"])
    assert page.status_code == 200


def test_a_second_launch_signs_in_the_same_user(client, platform, registration):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    client.logout()
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    assert get_user_model().objects.filter(username__contains="-lti-").count() == 1
    assert LinkedCourse.objects.count() == 1


def test_a_teaching_assistant_is_an_instructor_not_a_student(client, platform, registration):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    client.logout()
    response, _t, _s = launch(client, platform, sub="tam", roles=[TEACHING_ASSISTANT])
    assistant = LtiUser.objects.get(sub="tam").auth_user
    assert is_instructor(assistant)
    assert not Enrollment.objects.filter(student=assistant).exists()
    classroom = LinkedCourse.objects.get().classroom
    member = ClassroomInstructor.objects.get(classroom=classroom)
    assert (member.user, member.role) == (assistant, ClassroomInstructor.Role.TEACHING_ASSISTANT)
    # The assistant lands on the class they now help teach, and it is theirs to manage.
    assert response["Location"] == f"/classes/{classroom.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Join code" in page and classroom.join_code in page
    assert "Tam Tester (teaching assistant)" in page
    assert client.get(f"/classes/{classroom.pk}/rename/").status_code == 200


def test_a_second_instructor_opens_an_assignment_link_on_its_results(
    client, platform, registration
):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    classroom = LinkedCourse.objects.get().classroom
    assignment = factories.AssignmentFactory(classroom=classroom)
    client.logout()
    response, _t, _s = launch(
        client, platform, sub="cole", roles=[INSTRUCTOR], custom={"assignment": str(assignment.pk)}
    )
    results = f"/classes/{classroom.pk}/assignments/{assignment.pk}/results/"
    assert response["Location"] == results
    assert client.get(results).status_code == 200
    cole = LtiUser.objects.get(sub="cole").auth_user
    assert ClassroomInstructor.objects.get(user=cole).role == ClassroomInstructor.Role.INSTRUCTOR
    assert classroom.instructor.username.startswith("ines-")  # the owner stays the first
    # The co-instructor's classes page lists it among the classes they teach.
    assert classroom.name in client.get("/classes/").content.decode()


def test_a_learner_before_any_instructor_is_told_the_course_is_not_set_up(
    client, platform, registration
):
    response, _token, _state = launch(client, platform, sub="lee", roles=[LEARNER])
    assert response.status_code == 409
    assert b"instructor needs to open the activity once" in response.content
    assert not get_user_model().objects.exists()


def test_a_link_to_another_class_assignment_is_refused(client, platform, registration):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    elsewhere = factories.AssignmentFactory()
    client.logout()
    response, _token, _state = launch(
        client, platform, sub="lee", roles=[LEARNER], custom={"assignment": str(elsewhere.pk)}
    )
    assert response.status_code == 404
    assert b"not part of this course" in response.content


def test_a_launched_session_may_be_framed_by_the_platform_only(client, platform, registration):
    response, _token, _state = launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    page = client.get(response["Location"])
    policy = page["Content-Security-Policy"]
    assert (
        "frame-ancestors 'self' https://platform.example https://school.platform.example"
        in policy
    )
    assert "X-Frame-Options" not in page
    assert "script-src 'self'" in policy


def test_a_session_without_a_launch_is_not_framed(client, student):
    client.force_login(student)
    page = client.get("/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"


def test_the_jwks_lists_the_active_keys(client, tool_key):
    response = client.get("/lti/jwks.json")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["kid"] == str(tool_key) and key["alg"] == "RS256" and "d" not in key


def test_a_platform_username_is_readable_and_unique_per_subject():
    from lti.launching import platform_username

    first = platform_username(issuer="https://a.example", sub="1", name="Lee Tester")
    assert first.startswith("lee-tester-lti-")
    assert first != platform_username(issuer="https://b.example", sub="1", name="Lee Tester")


@pytest.mark.parametrize("roles, teaches", [
    (["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"], True),
    (["Instructor"], True),
    ([TEACHING_ASSISTANT], True),
    (["http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator"], True),
    (["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"], False),
    (["http://purl.imsglobal.org/vocab/lis/v2/membership/Learner#Instructor"], False),
    (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor"], False),
    ([], False),
])
def test_which_roles_teach(roles, teaches):
    from lti.launching import is_teaching_role

    assert is_teaching_role(roles) is teaches


def test_the_platform_key_set_is_kept_and_fetched_again_after_a_rotation(
    client, platform, registration
):
    from tests.lti.platform import new_private_key

    def fetches():
        return sum(1 for r in platform.received if r["path"] == "/jwks")

    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    assert fetches() == 1
    platform.key, platform.kid = new_private_key(), "platform-key-2"
    response, _t, _s = launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    assert response.status_code == 302
    assert fetches() == 2
