"""What an assignment holds back, and until when.

- Delayed feedback ("after the due date") is out for everyone only when no student of the
  class can still hand in (the due date passed with no late work, or every student has
  used every attempt), or once the instructor releases it. Until then a student who handed
  in early could pass the answers to a classmate still working late.
- While a student has an assignment open whose feedback they cannot see yet, its questions,
  and every question on the same facts (or showing their answers), are withheld from them
  elsewhere: practice does not draw them or show their answers, another assignment does not
  draw them, and the data export does not show how they went.

Practice sits below classes, so it asks through quizzes.practice.withholding, which
quizzes/apps.py connects to the functions here.
"""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from quizzes.bank.models import Question
from quizzes.classes.models import Assignment, Enrollment, StudentOverride
from quizzes.practice.models import Attempt, Response


def _is_open_attempt(*, finished_at, deadline, now) -> bool:
    # As quizzes.classes.status.is_open_attempt: the engine takes answers up to the deadline.
    return finished_at is None and (deadline is None or deadline >= now)


def released_assignment_ids(*, assignments, now=None) -> set[int]:
    """Of `assignments`, those whose feedback no class-wide rule holds back now: every one
    not "after the due date", and those released. Three queries at most, however many."""
    now = now or timezone.now()
    delayed = [a for a in assignments if a.feedback_timing == Assignment.FeedbackTiming.DUE]
    released = {a.pk for a in assignments} - {a.pk for a in delayed}
    released |= {a.pk for a in delayed if a.feedback_released_at and a.feedback_released_at <= now}
    waiting = [a for a in delayed if a.pk not in released]
    if not waiting:
        return released
    roster = defaultdict(list)  # classroom -> [(student, class archived?)]
    for classroom_id, student_id, archived_at in Enrollment.objects.filter(
        classroom_id__in={a.classroom_id for a in waiting}, removed_at__isnull=True
    ).values_list("classroom_id", "student_id", "classroom__archived_at"):
        roster[classroom_id].append((student_id, archived_at is not None))
    # A student's override (overrides.py) may let them start later, or more often, than the
    # assignment's own limits: their classmates' answers stay held back until they cannot.
    own_limits = {
        (assignment_id, student_id): (due_at, extra)
        for assignment_id, student_id, due_at, extra in StudentOverride.objects.filter(
            assignment__in=waiting
        ).values_list("assignment_id", "student_id", "due_at", "extra_attempts")
    }
    used = defaultdict(int)  # (assignment, student) -> attempts used
    working = set()  # assignments with an attempt still taking answers, whoever's
    for assignment_id, user_id, finished_at, deadline in Attempt.objects.filter(
        assignment__in=waiting
    ).values_list("assignment_id", "user_id", "finished_at", "deadline"):
        used[(assignment_id, user_id)] += 1
        if _is_open_attempt(finished_at=finished_at, deadline=deadline, now=now):
            working.add(assignment_id)
    def still_takes(assignment, student_id) -> bool:
        due_at, extra = own_limits.get((assignment.pk, student_id), (None, 0))
        due_at = max(due_at, assignment.due_at) if due_at else assignment.due_at
        return (now < due_at or assignment.late_allowed) and (
            used[(assignment.pk, student_id)] < assignment.attempts_allowed + extra
        )

    for assignment in waiting:
        if assignment.pk in working:
            continue
        if not any(
            not archived and still_takes(assignment, student_id)
            for student_id, archived in roster[assignment.classroom_id]
        ):
            released.add(assignment.pk)
    return released


def feedback_released(*, assignment, now=None) -> bool:
    return assignment.pk in released_assignment_ids(assignments=[assignment], now=now)


def release_feedback(*, assignment, now=None) -> Assignment:
    """The instructor releases delayed feedback now, for every student. Once is enough."""
    now = now or timezone.now()
    Assignment.objects.filter(pk=assignment.pk, feedback_released_at__isnull=True).update(
        feedback_released_at=now
    )
    assignment.refresh_from_db(fields=["feedback_released_at"])
    return assignment


# --- withheld from a student ---------------------------------------------------------------


def withheld_question_ids(*, student, now=None, except_assignment=None) -> frozenset[int]:
    """The questions `student` may not see answered anywhere but in their assignment now.

    Of each quiz assignment open to them (in a class they are in, opened):
    - "after the due date", until released: its hand-picked questions and every question
      of their attempts at it;
    - "after submission": the questions of their unfinished attempts, and its hand-picked
      questions until they have handed one in (while they can still start one);
    - "after each question": the questions of their unfinished attempts not answered yet.
    And every question on the same facts as one of these, or showing one of their answers.
    """
    return frozenset(_with_same_facts(_held_directly(
        student=student, now=now or timezone.now(), except_assignment=except_assignment
    )))


def question_withheld(*, student, question, now=None) -> bool:
    """Whether `question` is one of `withheld_question_ids(student=…)`, without reading the
    rest of the bank: what one answer's feedback asks (the whole set reads every question)."""
    direct = _held_directly(student=student, now=now or timezone.now(), except_assignment=None)
    if not direct:
        return False
    if question.pk in direct:
        return True
    facts = _facts_of(direct)
    asked = {_own_key(question.item_type_id, question.item_id, question.pk),
             *(question.asks or ())}
    return bool(asked & facts or set(question.reveals or ()) & facts)


def _held_directly(*, student, now, except_assignment) -> set[int]:
    """The questions the student's open assignments hold back themselves (no same facts)."""
    if not student.is_authenticated:
        return set()
    working = Attempt.objects.filter(
        user=student, assignment__isnull=False, finished_at__isnull=True
    ).values("assignment_id")
    # Past an attempt still open, "after each question" holds nothing back, nor does "after
    # the due date" once released: those are not read at all (a term's hundred finished
    # quizzes cost this nothing). A released one's open attempt still holds back what it
    # has not answered (below), as "after each question" does.
    timing = Assignment.FeedbackTiming
    assignments = Assignment.objects.filter(
        classroom__enrollments__student=student, classroom__enrollments__removed_at__isnull=True,
        kind=Assignment.Kind.QUIZ, opens_at__lte=now,
    ).filter(
        Q(feedback_timing=timing.SUBMIT)
        | Q(feedback_timing=timing.DUE)
        & (Q(feedback_released_at__isnull=True) | Q(feedback_released_at__gt=now))
        | Q(pk__in=working)
    ).select_related("classroom").order_by()  # no order wanted: building one cost 0.1 ms
    if except_assignment is not None:
        assignments = assignments.exclude(pk=except_assignment.pk)
    assignments = {a.pk: a for a in assignments}
    if not assignments:
        return set()
    own = defaultdict(list)
    for pk, assignment_id, finished_at in Attempt.objects.filter(
        user=student, assignment_id__in=assignments
    ).values_list("pk", "assignment_id", "finished_at"):
        own[assignment_id].append((pk, finished_at))
    released = released_assignment_ids(assignments=assignments.values(), now=now)
    # Hand-picked questions matter only to "after the due date" and "after submission"; an
    # "after each question" assignment holds back only what is drawn (no query for those).
    picked = defaultdict(set)
    if any(a.feedback_timing != timing.EACH for a in assignments.values()):
        for assignment_id, question_id in Assignment.questions.through.objects.filter(
            assignment_id__in=assignments
        ).values_list("assignment_id", "question_id"):
            picked[assignment_id].add(question_id)

    direct: set[int] = set()
    whole_attempts, unanswered_only = set(), set()
    own_due: dict = {}  # the student's overrides' due dates, read once if ever needed
    for pk, assignment in assignments.items():
        attempts = own[pk]
        unfinished = {a for a, finished_at in attempts if finished_at is None}
        timing = assignment.feedback_timing
        if timing == Assignment.FeedbackTiming.DUE and pk not in released:
            direct |= picked[pk]
            whole_attempts |= {a for a, _ in attempts}
        elif timing == Assignment.FeedbackTiming.SUBMIT:
            whole_attempts |= unfinished
            handed_in = len(unfinished) < len(attempts)
            can_start = assignment.classroom.archived_at is None and (
                now < assignment.due_at or assignment.late_allowed
                or now < _own_due_at(student, assignment, cache=own_due)
            )
            if not handed_in and can_start:
                direct |= picked[pk]
        else:
            unanswered_only |= unfinished
    if whole_attempts or unanswered_only:
        for attempt_id, question_id, answered_at in Response.objects.filter(
            attempt_id__in=whole_attempts | unanswered_only
        ).values_list("attempt_id", "question_id", "answered_at"):
            if attempt_id in whole_attempts or answered_at is None:
                direct.add(question_id)
    return direct


def _own_due_at(student, assignment, *, cache: dict):
    """The student's own due date for the assignment: an override's if later (overrides.py).
    Read only when the assignment's own has passed: one query for all of them."""
    if "loaded" not in cache:
        cache["loaded"] = True
        cache.update(
            StudentOverride.objects.filter(student=student, due_at__isnull=False)
            .values_list("assignment_id", "due_at")
        )
    own = cache.get(assignment.pk)
    return max(own, assignment.due_at) if own else assignment.due_at


def _own_key(item_type_id, item_id, pk) -> str:
    # As quizzes/practice/drawing.py: a question stands for its item, or for itself.
    return f"item:{item_type_id}:{item_id}" if item_id is not None else f"question:{pk}"


def _facts_of(question_ids) -> set[str]:
    """The fact keys the questions ask: each one's item (or itself) and its `asks`."""
    facts: set[str] = set()
    for pk, item_type_id, item_id, asks in Question.objects.filter(pk__in=question_ids).values_list(
        "pk", "item_type_id", "item_id", "asks"
    ):
        facts |= {_own_key(item_type_id, item_id, pk), *(asks or ())}
    return facts


def _with_same_facts(question_ids: set[int]) -> set[int]:
    """The questions, and every question that asks one of the facts they ask or shows one
    of their answers (the fact keys each Question stores, quizzes/bank/facts.py)."""
    if not question_ids:
        return set()
    facts = _facts_of(question_ids)
    found = set(question_ids)
    for pk, item_type_id, item_id, asks, reveals in Question.objects.active().values_list(
        "pk", "item_type_id", "item_id", "asks", "reveals"
    ):
        asked = {_own_key(item_type_id, item_id, pk), *(asks or ())}
        if asked & facts or set(reveals or ()) & facts:
            found.add(pk)
    return found
