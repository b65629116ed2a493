"""Assignment and Grade Services: a line item per assignment, the score sent when an attempt
finishes or a regrade says so (through the background task, never in the request), retries,
a regrade noticed by the sweep, and the instructor's resend."""

import datetime

import jwt
import pytest
from django.utils import timezone
from lti_tool.models import LtiUser

from lti import grades
from lti.models import LinkedAssignment, LinkedCourse, ScoreSend
from lti.tasks import send_assignment_scores, send_scores
from quizzes.common.signals import scores_changed
from quizzes.practice.models import Attempt
from tests.lti.conftest import launch, quiz_in, take
from tests.lti.platform import INSTRUCTOR, LEARNER

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(client, platform, registration):
    launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    client.logout()
    return LinkedCourse.objects.get()


def _learner_launch(client, platform, assignment, **claims):
    response, _t, _s = launch(
        client, platform, sub="lee", roles=[LEARNER], custom={"assignment": str(assignment.pk)},
        **claims,
    )
    assert response.status_code == 302
    return LtiUser.objects.get(sub="lee").auth_user


def test_a_finished_attempt_sends_its_score_to_the_links_line_item(
    client, platform, course, tool_key, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    lineitem = f"{platform.base_url}/lineitems/9"
    learner = _learner_launch(client, platform, assignment, lineitem=lineitem)
    with django_capture_on_commit_callbacks(execute=True):
        take(assignment, learner, right=True)
    (score,) = platform.scores
    assert score["lineitem"] == "/lineitems/9"
    assert (score["userId"], score["scoreGiven"], score["scoreMaximum"]) == ("lee", 100.0, 100.0)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    send = ScoreSend.objects.get()
    assert (send.status, send.tries, send.percent) == (ScoreSend.Status.SENT, 1, 100.0)
    # The token was asked for with a client assertion signed by the tool's current key.
    token_request = next(r for r in platform.received if r["path"] == "/token")
    assertion = token_request["body"]["client_assertion"]
    public = jwt.PyJWK(tool_key.as_jwk()).key
    token_url = course.context.deployment.registration.token_url
    claims = jwt.decode(assertion, public, algorithms=["RS256"], audience=token_url)
    assert claims["iss"] == "uneasy-allies-client"
    score_post = next(r for r in platform.received if r["path"].endswith("/scores"))
    assert score_post["authorization"].startswith("Bearer token-")
    assert score_post["content_type"] == "application/vnd.ims.lis.v1.score+json"


def test_without_a_line_item_one_is_made_for_the_assignment(
    client, platform, course, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    learner = _learner_launch(client, platform, assignment)
    with django_capture_on_commit_callbacks(execute=True):
        take(assignment, learner, right=False)
    (item,) = platform.lineitems.values()
    assert item["label"] == assignment.title and item["scoreMaximum"] == 100.0
    assert item["resourceId"] == f"assignment-{assignment.pk}"
    assert item["resourceLinkId"] == "link-1"
    assert LinkedAssignment.objects.get().lineitem_url == item["id"]
    (score,) = platform.scores
    assert score["scoreGiven"] == 0.0


def test_a_failed_send_is_retried_later_and_then_sent(
    client, platform, course, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    learner = _learner_launch(
        client, platform, assignment, lineitem=f"{platform.base_url}/lineitems/1"
    )
    platform.fail_scores = 1
    with django_capture_on_commit_callbacks(execute=True):
        take(assignment, learner)
    send = ScoreSend.objects.get()
    assert send.status == ScoreSend.Status.FAILED
    assert send.last_error == "The platform answered 503."
    assert send.next_try_at > timezone.now()
    assert grades.send_due_scores() == {"sent": 0, "failed": 0}  # not due yet
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert grades.send_due_scores(now=later) == {"sent": 1, "failed": 0}
    send.refresh_from_db()
    assert (send.status, send.tries) == (ScoreSend.Status.SENT, 2)
    assert len(platform.scores) == 1


def test_after_the_last_try_it_waits_for_a_resend(
    client, platform, course, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    learner = _learner_launch(
        client, platform, assignment, lineitem=f"{platform.base_url}/lineitems/1"
    )
    platform.fail_scores = grades.MAX_TRIES
    with django_capture_on_commit_callbacks(execute=True):
        take(assignment, learner)
    now = timezone.now()
    for _ in range(grades.MAX_TRIES):
        now += datetime.timedelta(hours=1)
        grades.send_due_scores(now=now)
    send = ScoreSend.objects.get()
    assert (send.status, send.tries) == (ScoreSend.Status.GAVE_UP, grades.MAX_TRIES)
    assert platform.scores == []
    with django_capture_on_commit_callbacks(execute=True):
        grades.resend(link=send.link, student_id=learner.pk)
    send.refresh_from_db()
    assert send.status == ScoreSend.Status.SENT
    assert len(platform.scores) == 1


def test_a_regrade_is_noticed_and_the_new_score_sent(
    client, platform, course, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    learner = _learner_launch(
        client, platform, assignment, lineitem=f"{platform.base_url}/lineitems/1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        attempt = take(assignment, learner, right=False)
    Attempt.objects.filter(pk=attempt.pk).update(score=1)  # the instructor regraded one answer
    assert grades.queue_changed_scores() == 1
    assert grades.send_due_scores() == {"sent": 1, "failed": 0}
    assert [score["scoreGiven"] for score in platform.scores] == [0.0, 50.0]
    assert grades.queue_changed_scores() == 0  # nothing new to send


def test_students_who_did_not_come_from_the_platform_are_not_sent(
    client, platform, course, django_capture_on_commit_callbacks
):
    from tests import factories

    assignment = quiz_in(course.classroom)
    LinkedAssignment.objects.create(course=course, assignment=assignment)
    local = factories.EnrollmentFactory(classroom=course.classroom).student
    with django_capture_on_commit_callbacks(execute=True):
        take(assignment, local)
    assert platform.scores == [] and not ScoreSend.objects.exists()


def test_the_results_page_shows_each_students_send_and_the_instructor_can_resend(
    client, platform, course, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    learner = _learner_launch(
        client, platform, assignment, lineitem=f"{platform.base_url}/lineitems/1"
    )
    platform.fail_scores = 1
    with django_capture_on_commit_callbacks(execute=True):
        take(assignment, learner)
    client.force_login(course.classroom.instructor)
    results = f"/classes/{course.classroom.pk}/assignments/{assignment.pk}/results/"
    page = client.get(results).content.decode()
    assert "In the learning platform" in page
    assert "Failed, will retry" in page and "The platform answered 503." in page
    link = LinkedAssignment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/lti/links/{link.pk}/students/{learner.pk}/resend/")
    assert response.status_code == 302 and response["Location"] == results
    page = client.get(results).content.decode()
    assert "Sent" in page and "100%" in page
    assert len(platform.scores) == 1


def test_another_instructor_cannot_resend(client, platform, course):
    from tests import factories

    assignment = quiz_in(course.classroom)
    link = LinkedAssignment.objects.create(course=course, assignment=assignment)
    client.force_login(factories.InstructorFactory())
    response = client.post(f"/lti/links/{link.pk}/students/1/resend/")
    assert response.status_code == 404


@pytest.fixture
def queued_tasks(settings):
    """A tasks backend that only records what is enqueued, as a worker's queue would."""
    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return default_task_backend


def _run(result):
    return result.task.call(*result.args, **result.kwargs)


def test_finishing_an_attempt_only_queues_the_send_for_the_worker(
    client, platform, course, queued_tasks, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    learner = _learner_launch(
        client, platform, assignment, lineitem=f"{platform.base_url}/lineitems/1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        take(assignment, learner, right=True)
    # Nothing reached the platform while the attempt was handed in: one task is queued.
    assert platform.scores == [] and not ScoreSend.objects.exists()
    (queued,) = queued_tasks.results
    assert queued.task.name == send_assignment_scores.name
    assert queued.kwargs == {"assignment_id": assignment.pk, "student_ids": [learner.pk]}
    assert _run(queued) == 1  # the worker's turn
    assert [score["scoreGiven"] for score in platform.scores] == [100.0]
    assert ScoreSend.objects.get().status == ScoreSend.Status.SENT


def test_a_failed_send_goes_back_on_the_queue_for_its_next_try(
    client, platform, course, queued_tasks, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    learner = _learner_launch(
        client, platform, assignment, lineitem=f"{platform.base_url}/lineitems/1"
    )
    platform.fail_scores = 1
    with django_capture_on_commit_callbacks(execute=True):
        take(assignment, learner)
    assert _run(queued_tasks.results[0]) == 0
    send = ScoreSend.objects.get()
    assert (send.status, send.tries) == (ScoreSend.Status.FAILED, 1)
    retry = queued_tasks.results[1]
    assert retry.task.name == send_scores.name and retry.kwargs == {"send_ids": [send.pk]}
    assert retry.task.run_after == send.next_try_at  # not before its wait is over
    assert _run(retry) == 0  # run early, it sends nothing: the wait is not over
    ScoreSend.objects.filter(pk=send.pk).update(next_try_at=timezone.now())
    assert _run(retry) == 1
    send.refresh_from_db()
    assert (send.status, send.tries) == (ScoreSend.Status.SENT, 2)


def test_a_regrade_signal_sends_the_new_score(
    client, platform, course, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    learner = _learner_launch(
        client, platform, assignment, lineitem=f"{platform.base_url}/lineitems/1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        attempt = take(assignment, learner, right=False)
    Attempt.objects.filter(pk=attempt.pk).update(score=1)  # an override of one answer
    with django_capture_on_commit_callbacks(execute=True):
        scores_changed.send(sender=None, assignment_id=assignment.pk, student_ids=[learner.pk])
    assert [score["scoreGiven"] for score in platform.scores] == [0.0, 50.0]
    send = ScoreSend.objects.get()
    assert (send.status, send.percent) == (ScoreSend.Status.SENT, 50.0)
    # The same signal again, with nothing changed: nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        scores_changed.send(sender=None, assignment_id=assignment.pk, student_ids=[learner.pk])
    assert len(platform.scores) == 2


def test_a_signal_for_an_assignment_outside_any_platform_queues_nothing(
    platform, queued_tasks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from tests import factories

    assignment = factories.AssignmentFactory()
    with django_assert_num_queries(1), django_capture_on_commit_callbacks(execute=True):
        scores_changed.send(sender=None, assignment_id=assignment.pk, student_ids=[1, 2])
    assert queued_tasks.results == [] and platform.received == []


def test_a_resend_is_queued_and_the_page_says_so(
    client, platform, course, queued_tasks, django_capture_on_commit_callbacks
):
    assignment = quiz_in(course.classroom)
    learner = _learner_launch(
        client, platform, assignment, lineitem=f"{platform.base_url}/lineitems/1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        take(assignment, learner)
    _run(queued_tasks.results[0])
    client.force_login(course.classroom.instructor)
    link = LinkedAssignment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/lti/links/{link.pk}/students/{learner.pk}/resend/", follow=True)
    assert "on its way to the learning platform" in response.content.decode()
    assert "Waiting to send" in response.content.decode()
    assert ScoreSend.objects.get().status == ScoreSend.Status.PENDING
    assert len(platform.scores) == 1  # not sent in the request
    _run(queued_tasks.results[-1])
    assert len(platform.scores) == 2
