"""Names and Role Provisioning: the platform course's learners become the class's students
before they ever launch, so the results page lists everyone who should hand in; its
instructors and teaching assistants become the class's co-instructors."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiUser
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException

from accounts.roles import make_instructor
from lti.http import PlatformSession
from lti.launching import enrol, is_teaching_role, teaching_role, user_for
from lti.models import LinkedCourse
from quizzes.classes import teaching
from quizzes.common.refusals import Refusal

logger = logging.getLogger(__name__)


class RosterUnavailable(Refusal):
    status = 502


@dataclass
class RosterSync:
    members: int
    students: int
    new_students: int
    teachers: int = 0


def fetch_members(*, course: LinkedCourse) -> list[dict]:
    context = course.context
    if not context.memberships_url:
        raise RosterUnavailable(
            "The platform has not offered its roster service (Names and Role Provisioning) "
            "for this course.", status=409,
        )
    registration = context.deployment.registration.to_registration()
    service = NamesRolesProvisioningService(
        ServiceConnector(registration, requests_session=PlatformSession()),
        {"context_memberships_url": context.memberships_url},
    )
    try:
        return list(service.get_members())
    except LtiServiceException as error:
        raise RosterUnavailable(
            f"The platform refused the roster request ({error.response.status_code})."
        ) from error
    except (LtiException, RequestException, ValueError) as error:
        raise RosterUnavailable("The platform's roster could not be fetched.") from error


def sync_roster(*, course: LinkedCourse, now=None) -> RosterSync:
    """Fetch the course's members, enrol every active learner (existing enrolments stay
    as they are, a removal here included) and make its teachers the class's co-instructors
    (a teacher is never enrolled as a student)."""
    members = fetch_members(course=course)
    active = [
        member for member in members
        if member.get("status", "Active") == "Active" and member.get("user_id")
    ]
    learners = [member for member in active if not is_teaching_role(member.get("roles", []))]
    teachers = {
        member["user_id"]: teaching_role(member.get("roles", []))
        for member in active if is_teaching_role(member.get("roles", []))
    }
    with transaction.atomic():
        course.context.update_memberships(
            [{"roles": [], "status": "Active", **member} for member in members]
        )
        lti_users = LtiUser.objects.select_related("auth_user", "registration").filter(
            registration=course.context.deployment.registration,
            sub__in=[member["user_id"] for member in learners] + list(teachers),
        )
        enrolled_before = set(
            course.classroom.enrollments.values_list("student_id", flat=True)
        )
        teacher_ids = {course.classroom.instructor_id} | set(
            course.classroom.co_instructors.values_list("user_id", flat=True)
        )
        new = 0
        for lti_user in lti_users:
            person = user_for(lti_user=lti_user)
            if lti_user.sub in teachers:
                make_instructor(person)
                teaching.add_co_instructor(
                    classroom=course.classroom, user=person, role=teachers[lti_user.sub]
                )
            elif person.pk not in teacher_ids:
                enrol(classroom=course.classroom, student=person)
                new += person.pk not in enrolled_before
        course.roster_synced_at = now or timezone.now()
        course.save(update_fields=["roster_synced_at"])
    return RosterSync(
        members=len(members), students=len(learners), new_students=new, teachers=len(teachers)
    )


def sync_quietly(*, course: LinkedCourse) -> RosterSync | None:
    """At an instructor's launch: a roster the platform will not give is logged, not shown."""
    try:
        return sync_roster(course=course)
    except RosterUnavailable as refusal:
        logger.info("Roster of %s not synced: %s", course, refusal.message)
        return None
