"""Names and Role Provisioning: the class roster from the platform, before anyone launches."""

import pytest
from lti_tool.models import LtiUser

from accounts.roles import is_instructor
from lti.models import LinkedCourse
from quizzes.classes.models import ClassroomInstructor, Enrollment
from tests.lti.conftest import launch, quiz_in
from tests.lti.platform import INSTRUCTOR, LEARNER, TEACHING_ASSISTANT

pytestmark = pytest.mark.django_db


def member(sub, roles, status="Active"):
    return {"user_id": sub, "roles": roles, "status": status, "name": f"{sub.title()} Member",
            "given_name": sub.title(), "family_name": "Member", "email": f"{sub}@school.example"}


def test_an_instructor_launch_syncs_the_learners_into_the_class(client, platform, registration):
    platform.members[:] = [
        member("ines", [INSTRUCTOR]), member("ann", [LEARNER]), member("bo", ["Learner"]),
        member("gone", [LEARNER], status="Inactive"),
    ]
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    classroom = LinkedCourse.objects.get().classroom
    students = {e.student.first_name for e in Enrollment.objects.filter(classroom=classroom)}
    assert students == {"Ann", "Bo"}
    assert LtiUser.objects.get(sub="ann").auth_user.enrollments.get().classroom == classroom
    nrps = next(r for r in platform.received if r["path"] == "/nrps/course-1")
    assert nrps["authorization"].startswith("Bearer ")
    token = next(r for r in platform.received if r["path"] == "/token")
    assert "contextmembership.readonly" in token["body"]["scope"]
    course = LinkedCourse.objects.get()
    assert course.roster_synced_at is not None


def test_the_courses_other_teachers_become_co_instructors_not_students(
    client, platform, registration
):
    platform.members[:] = [
        member("ines", [INSTRUCTOR]), member("tam", [TEACHING_ASSISTANT]),
        member("cole", [INSTRUCTOR]), member("ann", [LEARNER]),
    ]
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    classroom = LinkedCourse.objects.get().classroom
    roles = {
        m.user.first_name: m.role for m in ClassroomInstructor.objects.filter(classroom=classroom)
    }
    assert roles == {"Tam": "assistant", "Cole": "instructor"}  # the owner needs no row
    assert {e.student.first_name for e in Enrollment.objects.filter(classroom=classroom)} == {
        "Ann"
    }
    tam = LtiUser.objects.get(sub="tam").auth_user
    assert is_instructor(tam)
    client.logout()
    response, _t, _s = launch(client, platform, sub="tam", roles=[TEACHING_ASSISTANT])
    assert int(client.session["_auth_user_id"]) == tam.pk
    assert client.get(response["Location"]).status_code == 200
    assert ClassroomInstructor.objects.filter(user=tam).count() == 1


def test_students_who_have_not_launched_are_on_the_results_page(client, platform, registration):
    platform.members[:] = [member("ann", [LEARNER])]
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    classroom = LinkedCourse.objects.get().classroom
    assignment = quiz_in(classroom)
    page = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/results/")
    assert LtiUser.objects.get(sub="ann").auth_user.username in page.content.decode()


def test_a_learner_synced_first_is_the_same_user_when_they_launch(
    client, platform, registration
):
    platform.members[:] = [member("ann", [LEARNER])]
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    synced = LtiUser.objects.get(sub="ann").auth_user
    client.logout()
    response, _t, _s = launch(client, platform, sub="ann", roles=[LEARNER])
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == synced.pk
    assert Enrollment.objects.filter(student=synced).count() == 1


def test_the_sync_button_adds_new_members(client, platform, registration):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    classroom = LinkedCourse.objects.get().classroom
    assert not Enrollment.objects.filter(classroom=classroom).exists()
    platform.members[:] = [member("cy", [LEARNER])]
    page = client.get(f"/classes/{classroom.pk}/")
    assert "Sync the roster from the platform" in page.content.decode()
    response = client.post(f"/lti/classes/{classroom.pk}/roster/sync/", follow=True)
    assert "1 new here" in response.content.decode()
    assert Enrollment.objects.filter(classroom=classroom).count() == 1


def test_a_platform_without_the_roster_service_is_a_message(client, platform, registration):
    launch(
        client, platform, sub="ines", roles=[INSTRUCTOR],
        **{"https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": None},
    )
    classroom = LinkedCourse.objects.get().classroom
    response = client.post(f"/lti/classes/{classroom.pk}/roster/sync/", follow=True)
    assert "has not offered its roster service" in response.content.decode()
