"""The demo data set: one instructor, three students, a class with a finished assignment,
one in progress and a review assignment, practice quizzes and weeks of review history.

Built with the functions the app itself uses (joining by code, starting attempts, posting
answers, grading cards), so what the demo shows is what real use produces. Deterministic:
the same run gives the same history."""

import datetime
import random

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.instructor_requests import approve_instructor_request, request_instructor_status
from quizzes.classes.assignments import create_assignment, start_assignment_attempt
from quizzes.classes.classrooms import create_classroom, join_classroom
from quizzes.classes.models import Assignment, Classroom
from quizzes.practice import attempts as engine
from quizzes.practice.models import Response
from quizzes.practice.simulation import form_data
from quizzes.review import scheduling
from quizzes.review import study_queue as review_queue
from relations.models import Lesson

DEMO_PASSWORD = "uneasy-allies-demo"
INSTRUCTOR = "ms.lee"
STUDENTS = ("amira", "ben", "chloe")
CLASS_NAME = "Korea 101"
JOIN_CODE = "TUMEN2"
REVIEW_DAYS = 20


def _user(username: str) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password=DEMO_PASSWORD
    )
    return user


def _take(*, attempt, now, skill: float, rng: random.Random, answer_count=None):
    """Answer an attempt's questions a minute apart; `skill` is the chance of a right answer."""
    responses = list(
        Response.objects.filter(attempt=attempt).select_related("question").order_by("position")
    )
    moment = now
    for response in responses[:answer_count]:
        moment += datetime.timedelta(seconds=rng.randint(30, 90))
        data = form_data(attempt=attempt, response=response, right=rng.random() < skill)
        engine.answer_question(attempt=attempt, position=response.position, data=data, now=moment)
    if answer_count is None:
        engine.finish_attempt(attempt=attempt, now=moment + datetime.timedelta(seconds=20))


def _review_history(*, user, now, rng: random.Random, skipped_days=(6, 13)):
    """A learner who reviews most days: due cards first, then a few new ones."""
    for days_ago in range(REVIEW_DAYS, 0, -1):
        if days_ago in skipped_days:
            continue
        moment = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 4))
        for card in review_queue.due_queue(user=user, now=moment, limit=12):
            rating = 3 if rng.random() < 0.8 else rng.choice([1, 2, 4])
            scheduling.review_card(
                user=user, card=card, rating=rating, now=moment,
                duration_ms=rng.randint(2500, 9000),
            )
            moment += datetime.timedelta(seconds=rng.randint(5, 15))


@transaction.atomic
def load_demo(*, now=None) -> str:
    if User.objects.filter(username=INSTRUCTOR).exists():
        return "already present"
    now = now or timezone.now()
    rng = random.Random(2003)
    lessons = {lesson.slug: lesson for lesson in Lesson.objects.all()}
    if not lessons:
        raise ValueError("Load the course first (manage.py load_course).")

    teacher = _user(INSTRUCTOR)
    # Asked and approved the way a real instructor is (no staff account in the demo).
    approve_instructor_request(
        instructor_request=request_instructor_status(user=teacher, note="Korea 101", now=now),
        staff=None, now=now,
    )
    amira, ben, chloe = (_user(name) for name in STUDENTS)

    classroom = create_classroom(instructor=teacher, name=CLASS_NAME)
    Classroom.objects.filter(pk=classroom.pk).update(join_code=JOIN_CODE)
    for student in (amira, ben, chloe):
        join_classroom(student=student, code=JOIN_CODE)

    panel = [lessons[s] for s in ("the-2003-panel", "chen-jian", "samuel-kim", "hazel-smith")
             if s in lessons] or list(lessons.values())[:2]
    finished = create_assignment(
        classroom=classroom, lessons=panel,
        title="The 2003 panel: who argued what", kind=Assignment.Kind.QUIZ,
        question_kinds=["who", "mcq", "tf", "cloze"], question_count=8,
        opens_at=now - datetime.timedelta(days=10), due_at=now - datetime.timedelta(days=3),
        time_limit_minutes=30, attempts_allowed=2, feedback_timing="submit",
    )
    for student, skill in ((amira, 0.85), (ben, 0.55)):
        started = now - datetime.timedelta(days=5, hours=rng.randint(1, 6))
        attempt = start_assignment_attempt(assignment=finished, student=student, now=started)
        _take(attempt=attempt, now=started, skill=skill, rng=rng)

    economic = [lessons[s] for s in ("economic-ties", "the-border") if s in lessons]
    current = create_assignment(
        classroom=classroom, lessons=economic or panel,
        title="Trade and the border", kind=Assignment.Kind.QUIZ,
        question_kinds=["mcq", "match", "order", "cloze"], question_count=6,
        opens_at=now - datetime.timedelta(days=1), due_at=now + datetime.timedelta(days=5),
        attempts_allowed=1, feedback_timing="each",
    )
    started = now - datetime.timedelta(minutes=20)
    attempt = start_assignment_attempt(assignment=current, student=ben, now=started)
    _take(attempt=attempt, now=started, skill=0.6, rng=rng, answer_count=2)

    create_assignment(
        classroom=classroom, lessons=[lessons.get("chen-jian", panel[0])],
        title="Review Chen Jian's arguments", kind=Assignment.Kind.REVIEW,
        opens_at=now - datetime.timedelta(days=2), due_at=now + datetime.timedelta(days=7),
        target_retrievability=0.9,
    )

    for days_ago, count in ((9, 10), (2, 5)):
        started = now - datetime.timedelta(days=days_ago)
        attempt = engine.start_practice(user=amira, count=count, seed=days_ago, now=started)
        _take(attempt=attempt, now=started, skill=0.75, rng=rng)
    _review_history(user=amira, now=now, rng=rng)
    _review_history(user=ben, now=now, rng=rng, skipped_days=tuple(range(2, 20, 2)))
    return f"{1 + len(STUDENTS)} accounts, class {CLASS_NAME} (join code {JOIN_CODE})"
