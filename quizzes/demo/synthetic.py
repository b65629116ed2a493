"""Synthetic classes, students, graded attempts and review history, built in bulk.

Used by `manage.py make_synthetic_data`, by the load benchmark (bench/run.py) and by the
query-budget tests (tests/perf/), which render every page at two sizes built here.

Everything is deterministic for a given seed and `now`: the same call makes the same rows.
Rows are made with bulk_create inside transactions, one chunk of students at a time, so the
large size (3,000 students, 300,000 responses, 600,000 reviews) takes minutes, not hours,
and memory stays flat. Users are named bench-student-N and bench-instructor-N and share one
password, hashed once.

Shape of the data:
- `classes` classes of `students_per_class` students, each taught by its own instructor,
  with `assignments_per_class` finished quiz assignments;
- a lecture: one more class of `lecture_students` students (the first ones, who also stay in
  their own class), taught by bench-instructor-<classes>, with `lecture_assignments`
  finished assignments; it is the class the benchmark reads results and the gradebook of;
- every student has finished one attempt at every assignment of their classes
  (`questions_per_assignment` graded responses each), and holds FSRS state on
  `cards_per_student` cards with `reviews_per_student` reviews over the last 26 weeks.
"""

import dataclasses
import datetime
import random
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.roles import INSTRUCTORS
from quizzes.bank.models import Question, QuestionKind
from quizzes.classes.models import Assignment, Classroom, Enrollment
from quizzes.practice.models import Attempt, Response
from quizzes.review.models import Card, CardState, Review
from relations.models import Citation, Lesson, Source, Term

STUDENT_PREFIX = "bench-student-"
INSTRUCTOR_PREFIX = "bench-instructor-"
# Known on purpose: the benchmark signs in as these users. Never use it outside a benchmark.
PASSWORD = "bench-password-not-secret"
DEFAULT_SEED = 20030729
HISTORY_DAYS = 26 * 7
BATCH_SIZE = 2000
# Join codes avoid look-alike characters, as the real ones do.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PLACEHOLDER_LESSON_SLUG = "bench-placeholder"


@dataclasses.dataclass(frozen=True)
class Size:
    name: str
    classes: int
    students_per_class: int
    assignments_per_class: int
    lecture_students: int
    lecture_assignments: int
    questions_per_assignment: int
    cards_per_student: int
    reviews_per_student: int

    @property
    def students(self) -> int:
        return self.classes * self.students_per_class

    @property
    def responses(self) -> int:
        attempts = (
            self.students * self.assignments_per_class
            + self.lecture_students * self.lecture_assignments
        )
        return attempts * self.questions_per_assignment

    @property
    def reviews(self) -> int:
        return self.students * self.reviews_per_student


SIZES = {
    # One class of 30, enough to see every page with something on it.
    "small": Size(
        "small", classes=1, students_per_class=30, assignments_per_class=2,
        lecture_students=0, lecture_assignments=0, questions_per_assignment=10,
        cards_per_student=20, reviews_per_student=40,
    ),
    # The query-budget tests' "large": ten times the small one and a 300-student lecture,
    # still quick enough for CI.
    "medium": Size(
        "medium", classes=10, students_per_class=30, assignments_per_class=2,
        lecture_students=300, lecture_assignments=3, questions_per_assignment=10,
        cards_per_student=20, reviews_per_student=200,
    ),
    # The benchmark: 3,000 students; 300,000 responses in the 300-student lecture (100
    # assignments) plus 30,000 in the classes' own assignments; 600,000 reviews.
    "large": Size(
        "large", classes=100, students_per_class=30, assignments_per_class=1,
        lecture_students=300, lecture_assignments=100, questions_per_assignment=10,
        cards_per_student=40, reviews_per_student=200,
    ),
}


class SyntheticDataExists(Exception):
    """Raised when bench users are already there and no reset was asked for."""


def synthetic_data_exists() -> bool:
    return User.objects.filter(username__startswith=STUDENT_PREFIX).exists()


def student_username(index: int) -> str:
    return f"{STUDENT_PREFIX}{index}"


def instructor_username(index: int) -> str:
    return f"{INSTRUCTOR_PREFIX}{index}"


def delete_synthetic_data() -> dict:
    """Remove every bench user and everything hanging off them, quickly.

    Deletes table by table with one DELETE each (the ORM's collector would load hundreds of
    thousands of rows to cascade them one by one).
    """
    bench_users = User.objects.filter(username__startswith="bench-")
    user_ids = bench_users.values("id")
    classes = Classroom.objects.filter(instructor__in=user_ids)
    attempts = Attempt.objects.filter(user__in=user_ids)
    counts = {}
    with transaction.atomic():
        steps = [
            ("reviews", Review.objects.filter(user__in=user_ids)),
            ("card_states", CardState.objects.filter(user__in=user_ids)),
            ("responses", Response.objects.filter(attempt__in=attempts.values("id"))),
            ("attempts", attempts),
            ("assignment_lessons", Assignment.lessons.through.objects.filter(
                assignment__classroom__in=classes.values("id"))),
            ("assignment_questions", Assignment.questions.through.objects.filter(
                assignment__classroom__in=classes.values("id"))),
            ("assignments", Assignment.objects.filter(classroom__in=classes.values("id"))),
            ("enrollments", Enrollment.objects.filter(student__in=user_ids)),
            ("enrollments_taught", Enrollment.objects.filter(classroom__in=classes.values("id"))),
            ("classes", classes),
        ]
        for name, queryset in steps:
            # _raw_delete: one DELETE, no cascade collection (the tables below are emptied
            # first, in order). Private but long-stable Django API.
            counts[name] = queryset._raw_delete(queryset.db)
        # What is left (group links, sessions, anything another app hangs off a user)
        # is small enough for the ordinary cascade.
        counts["users"] = bench_users.delete()[0]
    return counts


def ensure_question_bank(*, minimum_questions: int = 20, minimum_cards: int = 20) -> dict:
    """Make sure there are questions and cards to draw from.

    The real course (`manage.py load_course`) fills the bank; when it is empty (a course
    not loaded yet), a placeholder lesson of glossary terms with one multiple-choice
    question and one card per term stands in, so the synthetic data can still be built.
    """
    have_questions = Question.objects.active().count()
    have_cards = Card.objects.filter(retired_at__isnull=True).count()
    if have_questions >= minimum_questions and have_cards >= minimum_cards:
        return {"placeholder_terms": 0}
    count = max(minimum_questions, minimum_cards)
    with transaction.atomic():
        source, _ = Source.objects.get_or_create(
            slug="bench-placeholder", defaults={"title": "Placeholder source", "kind": "note"}
        )
        citation, _ = Citation.objects.get_or_create(source=source, locator="Benchmark data")
        lesson, _ = Lesson.objects.get_or_create(
            slug=PLACEHOLDER_LESSON_SLUG,
            defaults={"title": "Placeholder lesson", "order": 999,
                      "summary": "Stands in for the course until it is loaded."},
        )
        term_type = ContentType.objects.get_for_model(Term)
        made = 0
        for index in range(count):
            term, created = Term.objects.get_or_create(
                lesson=lesson, term=f"Placeholder term {index}",
                defaults={"citation": citation, "definition": f"Placeholder definition {index}."},
            )
            made += created
            options = [{"key": f"o{k}", "text": f"Placeholder definition {(index + k) % count}."}
                       for k in range(4)]
            Question.objects.get_or_create(
                fingerprint=f"bench-placeholder-q-{index}",
                defaults={
                    "kind": QuestionKind.MULTIPLE_CHOICE, "lesson": lesson,
                    "citation": citation, "item_type": term_type, "item_id": term.pk,
                    "prompt": f"What does “{term.term}” mean?",
                    "body": {"options": options}, "answer": {"key": "o0"},
                    "explanation": term.definition,
                },
            )
            Card.objects.get_or_create(
                fingerprint=f"bench-placeholder-c-{index}",
                defaults={
                    "kind": Card.Kind.TERM, "front": term.term, "back": term.definition,
                    "lesson": lesson, "citation": citation,
                    "item_type": term_type, "item_id": term.pk,
                },
            )
    return {"placeholder_terms": made}


# --- the answers a learner might have given -------------------------------------------


def answer_for(question: Question, *, correct: bool, rng: random.Random):
    """A plausible posted answer in the shape of `question.answer`: right or wrong."""
    key = question.answer or {}
    if "key" in key:
        if correct:
            return {"key": key["key"]}
        others = [o["key"] for o in question.body.get("options", []) if o["key"] != key["key"]]
        return {"key": rng.choice(others) if others else "?"}
    if "pairs" in key:
        pairs = dict(key["pairs"])
        if not correct and len(pairs) > 1:
            lefts, rights = list(pairs), list(pairs.values())
            rights = rights[1:] + rights[:1]  # every pair wrong
            pairs = dict(zip(lefts, rights, strict=True))
        return {"pairs": pairs}
    if "order" in key:
        order = list(key["order"])
        if not correct and len(order) > 1:
            order[0], order[1] = order[1], order[0]
        return {"order": order}
    if "text" in key:
        return {"text": key["text"] if correct else "no idea"}
    if "weights" in key:  # multiple answer: the right options, or one that costs marks
        weights = key["weights"]
        if correct:
            return {"keys": [k for k, w in weights.items() if w > 0]}
        return {"keys": [min(weights, key=lambda k: weights[k])]}
    if "answers" in key:  # numerical: the number, or one far from every answer
        values = [a["value"] for a in key["answers"] if a.get("value") is not None]
        return {"number": values[0] if correct else max(values) + 10_000}
    return {"raw": "synthetic"}


# --- the builder ------------------------------------------------------------------------


@dataclasses.dataclass
class _Bank:
    """What the builder draws from, read once."""

    questions: list[Question]
    questions_by_lesson: dict[int | None, list[Question]]
    lesson_ids: list[int]
    card_ids: list[int]
    difficulty: dict[int, float]


def _load_bank(rng: random.Random) -> _Bank:
    questions = list(
        Question.objects.active().only("id", "kind", "body", "answer", "lesson_id").order_by("id")
    )
    by_lesson: dict[int | None, list[Question]] = {}
    for question in questions:
        by_lesson.setdefault(question.lesson_id, []).append(question)
    card_ids = list(
        Card.objects.filter(retired_at__isnull=True).order_by("id").values_list("id", flat=True)
    )
    return _Bank(
        questions=questions,
        questions_by_lesson=by_lesson,
        lesson_ids=sorted(lid for lid in by_lesson if lid is not None),
        card_ids=card_ids,
        # Some questions are harder than others, so item analysis has something to find.
        difficulty={q.id: rng.uniform(-0.25, 0.2) for q in questions},
    )


def _join_code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(8))
        if code not in taken:
            taken.add(code)
            return code


def build_synthetic_data(
    *,
    size: Size | str,
    seed: int = DEFAULT_SEED,
    now: datetime.datetime | None = None,
    reset: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Build the data set; return counts and how long each phase took (seconds).

    Raises SyntheticDataExists when bench users are already there, unless reset=True,
    which deletes them (and all their work) first.
    """
    size = SIZES[size] if isinstance(size, str) else size
    now = now or timezone.now()
    say = progress or (lambda message: None)
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name):
        nonlocal started
        timings[name] = round(time.perf_counter() - started, 2)
        say(f"{name}: {timings[name]} s")
        started = time.perf_counter()

    if synthetic_data_exists():
        if not reset:
            raise SyntheticDataExists(
                "Synthetic data already exists (users named bench-*). "
                "Run again with --reset to delete it and build it anew."
            )
        delete_synthetic_data()
        lap("delete previous synthetic data")

    ensure_question_bank(minimum_questions=size.questions_per_assignment)
    bank = _load_bank(rng)
    if len(bank.questions) < size.questions_per_assignment:
        raise ValueError(
            f"The bank has {len(bank.questions)} active questions; an assignment needs "
            f"{size.questions_per_assignment}."
        )

    users = _make_users(size=size, rng=rng, now=now)
    lap("users")
    classes = _make_classes(size=size, users=users, rng=rng, now=now, bank=bank)
    lap("classes and assignments")
    counts = _make_attempts(size=size, classes=classes, rng=rng, now=now, bank=bank, say=say)
    lap("attempts and responses")
    counts.update(_make_reviews(size=size, users=users, rng=rng, now=now, bank=bank, say=say))
    lap("card states and reviews")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics for the planner after a bulk load
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    lap("analyze")

    return {
        "size": size.name,
        "seed": seed,
        "students": len(users["students"]),
        "instructors": len(users["instructors"]),
        "classes": len(classes),
        "assignments": sum(len(c["assignments"]) for c in classes),
        **counts,
        "password": PASSWORD,
        "timings": timings,
        "seconds": round(sum(timings.values()), 1),
    }


def _make_users(*, size: Size, rng: random.Random, now) -> dict:
    # One hash for everyone: hashing 3,000 passwords would take longer than the rest.
    password_hash = make_password(PASSWORD)
    joined = now - datetime.timedelta(days=HISTORY_DAYS + 14)
    students = [
        User(username=student_username(i), email=f"{student_username(i)}@example.org",
             password=password_hash, date_joined=joined, first_name="Bench",
             last_name=f"Student {i}")
        for i in range(size.students)
    ]
    instructor_count = size.classes + (1 if size.lecture_students else 0)
    instructors = [
        User(username=instructor_username(i), email=f"{instructor_username(i)}@example.org",
             password=password_hash, date_joined=joined, first_name="Bench",
             last_name=f"Instructor {i}")
        for i in range(instructor_count)
    ]
    with transaction.atomic():
        User.objects.bulk_create(students, batch_size=BATCH_SIZE)
        User.objects.bulk_create(instructors, batch_size=BATCH_SIZE)
        group, _ = Group.objects.get_or_create(name=INSTRUCTORS)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=group.pk) for u in instructors],
            batch_size=BATCH_SIZE,
        )
    return {"students": students, "instructors": instructors}


def _make_classes(*, size: Size, users: dict, rng: random.Random, now, bank: _Bank) -> list:
    """Classes, enrolments and assignments; returns [{classroom, students, assignments}]."""
    students, instructors = users["students"], users["instructors"]
    taken = set(Classroom.objects.values_list("join_code", flat=True))
    plans = []
    for index in range(size.classes):
        members = students[index * size.students_per_class:(index + 1) * size.students_per_class]
        plans.append((f"Bench class {index}", instructors[index], members,
                      size.assignments_per_class))
    if size.lecture_students:
        plans.append((f"Bench lecture ({size.lecture_students} students)",
                      instructors[size.classes], students[:size.lecture_students],
                      size.lecture_assignments))

    with transaction.atomic():
        classrooms = Classroom.objects.bulk_create(
            [Classroom(instructor=teacher, name=name, join_code=_join_code(rng, taken))
             for name, teacher, _members, _count in plans],
            batch_size=BATCH_SIZE,
        )
        Enrollment.objects.bulk_create(
            [Enrollment(classroom=classroom, student=student)
             for classroom, (_n, _t, members, _c) in zip(classrooms, plans, strict=True)
             for student in members],
            batch_size=BATCH_SIZE,
        )
        assignments, lesson_links = [], []
        for classroom, (_n, _t, _m, count) in zip(classrooms, plans, strict=True):
            for number in range(count):
                # Finished assignments, one a day or so, the latest closed yesterday.
                due = now - datetime.timedelta(days=1 + (count - 1 - number) * 1.5)
                lesson_ids = _assignment_lessons(bank, rng, size.questions_per_assignment)
                assignment = Assignment(
                    classroom=classroom, title=f"Quiz {number + 1}",
                    question_count=size.questions_per_assignment,
                    question_kinds=[QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE,
                                    QuestionKind.CLOZE],
                    opens_at=due - datetime.timedelta(days=7), due_at=due,
                    time_limit_minutes=20, attempts_allowed=1,
                )
                assignments.append(assignment)
                lesson_links.append(lesson_ids)
        Assignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)
        Assignment.lessons.through.objects.bulk_create(
            [Assignment.lessons.through(assignment_id=a.pk, lesson_id=lesson_id)
             for a, lesson_ids in zip(assignments, lesson_links, strict=True)
             for lesson_id in lesson_ids],
            batch_size=BATCH_SIZE,
        )

    by_class = {c.pk: {"classroom": c, "students": m, "assignments": [], "lessons": {}}
                for c, (_n, _t, m, _c) in zip(classrooms, plans, strict=True)}
    for assignment, lesson_ids in zip(assignments, lesson_links, strict=True):
        by_class[assignment.classroom_id]["assignments"].append(assignment)
        by_class[assignment.classroom_id]["lessons"][assignment.pk] = lesson_ids
    return list(by_class.values())


def _assignment_lessons(bank: _Bank, rng: random.Random, needed: int) -> list[int]:
    """One to three lessons that hold enough questions between them (or every lesson)."""
    if not bank.lesson_ids:
        return []
    for _ in range(10):
        picked = rng.sample(bank.lesson_ids, min(len(bank.lesson_ids), rng.randint(1, 3)))
        if sum(len(bank.questions_by_lesson[lid]) for lid in picked) >= needed:
            return sorted(picked)
    return list(bank.lesson_ids)


def _make_attempts(*, size, classes, rng, now, bank: _Bank, say) -> dict:
    ability = {}  # per student, so scores spread and item analysis can discriminate
    attempts_made = responses_made = 0
    for group in classes:
        for assignment in group["assignments"]:
            lesson_ids = group["lessons"][assignment.pk]
            pool = [q for lid in lesson_ids for q in bank.questions_by_lesson.get(lid, [])]
            if len(pool) < size.questions_per_assignment:
                pool = bank.questions
            attempts, drawn = [], []
            for student in group["students"]:
                skill = ability.setdefault(student.pk, rng.uniform(0.45, 0.95))
                started = assignment.due_at - datetime.timedelta(
                    days=rng.uniform(0.1, 6.5), minutes=30
                )
                questions = rng.sample(pool, size.questions_per_assignment)
                marks = [rng.random() < skill + bank.difficulty[q.id] for q in questions]
                attempts.append(Attempt(
                    user_id=student.pk, assignment_id=assignment.pk, number=1,
                    recipe={"assignment": assignment.pk}, seed=rng.getrandbits(62),
                    started_at=started,
                    deadline=started + datetime.timedelta(minutes=assignment.time_limit_minutes),
                    finished_at=started + datetime.timedelta(minutes=rng.uniform(3, 18)),
                    score=float(sum(marks)), question_count=len(questions),
                ))
                drawn.append((questions, marks))
            with transaction.atomic():
                Attempt.objects.bulk_create(attempts, batch_size=BATCH_SIZE)
                responses = []
                for attempt, (questions, marks) in zip(attempts, drawn, strict=True):
                    elapsed = attempt.finished_at - attempt.started_at
                    for position, (question, correct) in enumerate(
                        zip(questions, marks, strict=True)
                    ):
                        responses.append(Response(
                            attempt_id=attempt.pk, position=position, question_id=question.pk,
                            answer=answer_for(question, correct=correct, rng=rng),
                            credit=1.0 if correct else 0.0, is_correct=correct,
                            answered_at=attempt.started_at
                            + elapsed * (position + 1) / len(questions),
                        ))
                Response.objects.bulk_create(responses, batch_size=BATCH_SIZE)
            attempts_made += len(attempts)
            responses_made += len(responses)
        say(f"  {group['classroom'].name}: {attempts_made} attempts, {responses_made} responses")
    return {"attempts": attempts_made, "responses": responses_made}


# FSRS-like figures without running the scheduler 600,000 times: what matters here is
# realistic volume and spread, not the exact memory model.
RATINGS = (1, 2, 3, 4)
RATING_WEIGHTS = (0.12, 0.15, 0.6, 0.13)
CHUNK_STUDENTS = 250


def _make_reviews(*, size, users, rng, now, bank: _Bank, say) -> dict:
    students = users["students"]
    per_student = min(size.cards_per_student, len(bank.card_ids))
    states_made = reviews_made = 0
    if not per_student or not size.reviews_per_student:
        return {"card_states": 0, "reviews": 0}
    history_start = now - datetime.timedelta(days=HISTORY_DAYS)
    history_seconds = HISTORY_DAYS * 86400 - 3600
    for first in range(0, len(students), CHUNK_STUDENTS):
        states, reviews = [], []
        for student in students[first:first + CHUNK_STUDENTS]:
            cards = rng.sample(bank.card_ids, per_student)
            base, extra = divmod(size.reviews_per_student, per_student)
            for index, card_id in enumerate(cards):
                count = base + (1 if index < extra else 0)
                if not count:
                    continue
                moments = sorted(
                    history_start + datetime.timedelta(seconds=rng.uniform(0, history_seconds))
                    for _ in range(count)
                )
                ratings = rng.choices(RATINGS, RATING_WEIGHTS, k=count)
                for moment, rating in zip(moments, ratings, strict=True):
                    reviews.append(Review(
                        user_id=student.pk, card_id=card_id, rating=rating, reviewed_at=moment,
                        duration_ms=rng.randint(1500, 15000),
                        source=Review.Source.QUIZ if rng.random() < 0.1 else Review.Source.REVIEW,
                    ))
                stability = rng.uniform(0.5, 60.0)
                last = moments[-1]
                # About a third of the cards are due now, so there is always something to review.
                due = last + datetime.timedelta(days=stability * rng.uniform(0.3, 1.0))
                if rng.random() < 0.35:
                    due = min(due, now - datetime.timedelta(minutes=rng.uniform(1, 600)))
                states.append(CardState(
                    user_id=student.pk, card_id=card_id,
                    state=3 if ratings[-1] == 1 else 2, step=0 if ratings[-1] == 1 else None,
                    stability=round(stability, 3), difficulty=round(rng.uniform(1, 10), 3),
                    due=due, last_review=last,
                ))
        with transaction.atomic():
            CardState.objects.bulk_create(states, batch_size=BATCH_SIZE)
            Review.objects.bulk_create(reviews, batch_size=BATCH_SIZE)
        states_made += len(states)
        reviews_made += len(reviews)
        say(f"  {states_made} card states, {reviews_made} reviews")
    return {"card_states": states_made, "reviews": reviews_made}


# --- what the benchmark and the tests look up -------------------------------------------


def showcase() -> dict:
    """The largest bench class, its latest finished assignment and who to sign in as."""
    classroom = (
        Classroom.objects.filter(instructor__username__startswith=INSTRUCTOR_PREFIX)
        .annotate(students=Count("enrollments"))
        .order_by("-students", "id")
        .select_related("instructor")
        .first()
    )
    if classroom is None:
        raise LookupError("No synthetic data: run manage.py make_synthetic_data first.")
    assignment = classroom.assignments.order_by("-due_at", "-id").first()
    return {
        "classroom_id": classroom.pk,
        "classroom_students": classroom.students,
        "assignment_id": assignment.pk if assignment else None,
        "instructor": classroom.instructor.username,
        "password": PASSWORD,
        "students": User.objects.filter(username__startswith=STUDENT_PREFIX).count(),
        "responses_in_class": Response.objects.filter(
            attempt__assignment__classroom=classroom
        ).count(),
    }
