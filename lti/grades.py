"""Assignment and Grade Services: each linked assignment is a line item (a gradebook column)
in its platform course, and a student's percent by the assignment's counting policy is sent
to it whenever it changes.

A finished attempt (`attempt_finished`) and any other change of counted scores (the
`scores_changed` signal: a regrade, an override, a marked answer) hand the send to a
background task (`lti/tasks.py`, Django's tasks framework) once committed, so the request
never waits on the platform. A failure is retried with a growing wait: by the task queue
itself where its backend can defer a task, and always by `manage.py send_platform_scores`,
which also notices scores that changed without a signal (an attempt finished by its
deadline). After MAX_TRIES the send waits for the instructor's resend button.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from lti_tool.lti_core.constants import AgsScope
from lti_tool.models import LtiUser
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException

from lti.http import PlatformSession
from lti.models import LinkedAssignment, ScoreSend
from quizzes.classes.status import counted_attempt
from quizzes.common.signals import scores_changed
from quizzes.practice.attempts import attempt_finished
from quizzes.practice.models import Attempt

logger = logging.getLogger(__name__)

MAX_TRIES = 6
SCORE_MAXIMUM = 100.0
LINEITEM_TAG = "uneasy-allies"


def retry_wait(*, tries: int) -> timedelta:
    """1, 2, 4, 8, 16 minutes between tries."""
    return timedelta(minutes=2 ** max(0, tries - 1))


def percents(*, assignment, student_ids=None) -> dict[int, float]:
    """Each student's counted percent on the assignment (students with no finished attempt
    have none)."""
    attempts = Attempt.objects.filter(assignment=assignment, finished_at__isnull=False)
    if student_ids is not None:
        attempts = attempts.filter(user_id__in=student_ids)
    by_student: dict[int, list] = {}
    for attempt in attempts.only("user_id", "number", "score", "question_count", "finished_at"):
        by_student.setdefault(attempt.user_id, []).append(attempt)
    found = {}
    for student_id, own in by_student.items():
        counted = counted_attempt(attempts=own, counting=assignment.counting)
        if counted is not None and counted.question_count:
            found[student_id] = round(100 * (counted.score or 0) / counted.question_count, 2)
    return found


def queue_scores(*, link: LinkedAssignment, student_ids=None, now=None) -> list[ScoreSend]:
    """Mark every changed score of the link as due now; returns the sends now due."""
    now = now or timezone.now()
    platform_students = set(
        LtiUser.objects.filter(
            registration=link.course.context.deployment.registration,
            auth_user__isnull=False,
        ).values_list("auth_user_id", flat=True)
    )
    wanted = {
        student_id: percent
        for student_id, percent in percents(
            assignment=link.assignment, student_ids=student_ids
        ).items()
        if student_id in platform_students
    }
    existing = {send.student_id: send for send in link.sends.filter(student_id__in=wanted)}
    due = []
    for student_id, percent in wanted.items():
        send = existing.get(student_id)
        if send is not None and send.percent == percent and send.status == ScoreSend.Status.SENT:
            continue
        send, _ = ScoreSend.objects.update_or_create(
            link=link, student_id=student_id,
            defaults={"percent": percent, "status": ScoreSend.Status.PENDING, "tries": 0,
                      "next_try_at": now, "last_error": ""},
        )
        due.append(send)
    return due


def _service(*, link: LinkedAssignment, connector: ServiceConnector) -> AssignmentsGradesService:
    context = link.course.context
    # Only what the platform granted in its launches (django-lti records it on the context).
    granted = [
        (context.can_publish_scores, AgsScope.PUBLISH_SCORES),
        (context.can_manage_lineitems, AgsScope.MANAGE_LINEITEMS),
        (context.can_query_lineitems, AgsScope.QUERY_LINEITEMS),
    ]
    scopes = [scope.value for allowed, scope in granted if allowed]
    data = {"scope": scopes, "lineitems": context.lineitems_url}
    if link.lineitem_url:
        data["lineitem"] = link.lineitem_url
    return AssignmentsGradesService(connector, data)


def lineitem_url(*, link: LinkedAssignment, service: AssignmentsGradesService) -> str:
    """The link's line item: the one the platform made for it (deep linking asks for one),
    or one found or made by its resource id."""
    if link.lineitem_url:
        return link.lineitem_url
    wanted = (
        LineItem()
        .set_label(link.assignment.title[:255])
        .set_score_maximum(SCORE_MAXIMUM)
        .set_resource_id(f"assignment-{link.assignment_id}")
        .set_tag(LINEITEM_TAG)
    )
    if link.resource_link_id:
        wanted.set_resource_link_id(link.resource_link_id)
    found = service.find_or_create_lineitem(wanted, find_by="resource_id")
    link.lineitem_url = found.get_id()
    LinkedAssignment.objects.filter(pk=link.pk).update(lineitem_url=link.lineitem_url)
    return link.lineitem_url


def connector_for(*, link: LinkedAssignment) -> ServiceConnector:
    registration = link.course.context.deployment.registration
    return ServiceConnector(registration.to_registration(), requests_session=PlatformSession())


def send_score(*, send: ScoreSend, connector: ServiceConnector | None = None, now=None):
    """One try at sending one score; records the outcome on the send."""
    now = now or timezone.now()
    link = send.link
    connector = connector or connector_for(link=link)
    lti_user = LtiUser.objects.filter(
        registration=link.course.context.deployment.registration, auth_user=send.student_id
    ).first()
    try:
        if lti_user is None:
            raise LtiException("The student has no account on this platform.")
        service = _service(link=link, connector=connector)
        url = lineitem_url(link=link, service=service)
        grade = (
            Grade()
            .set_score_given(send.percent)
            .set_score_maximum(SCORE_MAXIMUM)
            .set_user_id(lti_user.sub)
            .set_activity_progress("Completed")
            .set_grading_progress("FullyGraded")
            .set_timestamp(now.isoformat())
        )
        service.put_grade(grade, LineItem({"id": url}))
    except (LtiException, LtiServiceException, RequestException, KeyError, ValueError) as error:
        send.tries += 1
        send.last_error = _describe(error)[:300]
        if send.tries >= MAX_TRIES:
            send.status, send.next_try_at = ScoreSend.Status.GAVE_UP, None
        else:
            send.status = ScoreSend.Status.FAILED
            send.next_try_at = now + retry_wait(tries=send.tries)
        logger.warning("Score for %s not sent (try %s): %s", send, send.tries, send.last_error)
    else:
        send.tries += 1
        send.status, send.sent_at, send.next_try_at, send.last_error = (
            ScoreSend.Status.SENT, now, None, ""
        )
    send.save(update_fields=["tries", "status", "sent_at", "next_try_at", "last_error"])
    return send


def _describe(error: Exception) -> str:
    if isinstance(error, LtiServiceException):
        return f"The platform answered {error.response.status_code}."
    if isinstance(error, RequestException):
        return "The platform could not be reached."
    return str(error) or error.__class__.__name__


def send_due_scores(*, now=None) -> dict[str, int]:
    """Every pending or failed send whose time has come; one token per platform."""
    now = now or timezone.now()
    due = ScoreSend.objects.filter(
        status__in=[ScoreSend.Status.PENDING, ScoreSend.Status.FAILED], next_try_at__lte=now
    ).select_related("link__assignment", "link__course__context__deployment__registration")
    connectors: dict[int, ServiceConnector] = {}
    counts = {"sent": 0, "failed": 0}
    for send in due:
        registration_id = send.link.course.context.deployment.registration_id
        if registration_id not in connectors:
            connectors[registration_id] = connector_for(link=send.link)
        send_score(send=send, connector=connectors[registration_id], now=now)
        counts["sent" if send.status == ScoreSend.Status.SENT else "failed"] += 1
    return counts


def queue_changed_scores(*, now=None) -> int:
    """Scores that changed without a finished attempt telling us (a regrade, a deadline)."""
    links = LinkedAssignment.objects.select_related(
        "assignment", "course__context__deployment__registration"
    )
    return sum(len(queue_scores(link=link, now=now)) for link in links)


def send_queued(*, send_ids, now=None) -> list[ScoreSend]:
    """Send those of these sends that are due (pending, or failed and waiting no longer);
    the background task's work. A send already sent, or not yet due, is left alone."""
    now = now or timezone.now()
    due = ScoreSend.objects.filter(
        pk__in=send_ids,
        status__in=[ScoreSend.Status.PENDING, ScoreSend.Status.FAILED], next_try_at__lte=now,
    ).select_related("link__assignment", "link__course__context__deployment__registration")
    connectors: dict[int, ServiceConnector] = {}
    sent = []
    for send in due:
        registration_id = send.link.course.context.deployment.registration_id
        if registration_id not in connectors:
            connectors[registration_id] = connector_for(link=send.link)
        sent.append(send_score(send=send, connector=connectors[registration_id], now=now))
    retry_later(sends=sent)
    return sent


def retry_later(*, sends) -> None:
    """Failed sends go back on the task queue for their next try, where the tasks backend
    can run a task later (the database backend can; the immediate one of development
    cannot, and there `manage.py send_platform_scores` retries them)."""
    from lti.tasks import send_scores

    failed = [send for send in sends if send.status == ScoreSend.Status.FAILED]
    if not failed or not send_scores.get_backend().supports_defer:
        return
    send_scores.using(run_after=min(send.next_try_at for send in failed)).enqueue(
        send_ids=[send.pk for send in failed]
    )


def send_assignment_scores(*, assignment_id: int, student_ids=None) -> list[ScoreSend]:
    """Queue the changed scores of these students (all, when None) on every platform link
    of the assignment, and send them: the background task's work."""
    links = LinkedAssignment.objects.filter(assignment_id=assignment_id).select_related(
        "assignment", "course__context__deployment__registration"
    )
    due = []
    for link in links:
        with transaction.atomic():
            due += queue_scores(link=link, student_ids=student_ids)
    return send_queued(send_ids=[send.pk for send in due])


def scores_to_send(*, assignment_id: int, student_ids) -> bool:
    """A score changed: if the assignment is in a platform course, hand the send to the
    background task once the change is committed (the request that changed it never waits
    on a platform). One query when the assignment is not linked."""
    from lti.tasks import send_assignment_scores as send_task

    if not LinkedAssignment.objects.filter(assignment_id=assignment_id).exists():
        return False
    ids = sorted({int(student_id) for student_id in student_ids})
    transaction.on_commit(lambda: send_task.enqueue(assignment_id=assignment_id, student_ids=ids))
    return True


def resend(*, link: LinkedAssignment, student_id: int, now=None) -> ScoreSend | None:
    """The instructor's resend: the student's current score, queued for the background task
    at once, whatever it was before (sent, failed, given up). Returns the send as the task
    left it (sent already, with the immediate backend) or as queued."""
    from lti.tasks import send_scores

    now = now or timezone.now()
    with transaction.atomic():
        queued = queue_scores(link=link, student_ids=[student_id], now=now)
        send = queued[0] if queued else link.sends.filter(student_id=student_id).first()
        if send is None:
            return None
        if not queued:
            ScoreSend.objects.filter(pk=send.pk).update(
                status=ScoreSend.Status.PENDING, tries=0, next_try_at=now, last_error=""
            )
        send_id = send.pk
        transaction.on_commit(lambda: send_scores.enqueue(send_ids=[send_id]))
    send.refresh_from_db()
    return send


def _attempt_finished(sender, attempt, **kwargs):
    if attempt.assignment_id is None:
        return
    _queue_quietly(assignment_id=attempt.assignment_id, student_ids=[attempt.user_id])


def _scores_changed(sender, assignment_id, student_ids, **kwargs):
    _queue_quietly(assignment_id=assignment_id, student_ids=student_ids)


def _queue_quietly(*, assignment_id, student_ids):
    try:
        scores_to_send(assignment_id=assignment_id, student_ids=student_ids)
    except Exception:  # the change stands whatever the platform (or the queue) does
        logger.exception("Could not queue platform scores of assignment %s", assignment_id)


def connect() -> None:
    attempt_finished.connect(_attempt_finished, dispatch_uid="lti.grades.attempt_finished")
    scores_changed.connect(_scores_changed, dispatch_uid="lti.grades.scores_changed")
